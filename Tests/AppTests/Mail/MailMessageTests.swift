@testable import App
import Foundation
import Testing

@Suite struct MailMessageTests {
    static func decodeWords(_ header: String) -> String {
        header.replacingOccurrences(of: "\r\n ", with: "")
            .components(separatedBy: "?=").compactMap { part -> String? in
                guard let start = part.range(of: "=?utf-8?B?") else { return part.isEmpty ? nil : part }
                return Data(base64Encoded: String(part[start.upperBound...])).map { String(decoding: $0, as: UTF8.self) }
            }.joined()
    }

    @Test func aDutchMailKeepsItsAccentsAndNoLineIsTooLong() throws {
        let message = MailMessage(
            from: try #require(MailAddress("VIVEL Academy <academy@vivel.be>")),
            to: MailAddress(name: "Anaïs Dubois", address: "anais@example.be"),
            subject: "Je wachtwoord voor de opleiding ‘Veilige communicatie in zorg’ — nieuw instellen, één keer",
            body: "Dag Anaïs,\n\n.Een regel die met een punt begint.\nTot ziens", date: Date(timeIntervalSince1970: 0),
            messageID: "abc@vivel.be")

        let text = message.rendered()
        let lines = text.components(separatedBy: "\r\n")
        let subject = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var subjectHeader = String(lines[subject].dropFirst("Subject: ".count))
        for line in lines[(subject + 1)...] where line.hasPrefix(" ") { subjectHeader += "\r\n" + line }
        let bodyStart = try #require(lines.firstIndex(of: "")) + 1
        let body = Data(base64Encoded: lines[bodyStart...].joined())

        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "8-bit text never reaches the wire")
        #expect(Self.decodeWords(subjectHeader) == message.subject)
        #expect(lines.contains("To: =?utf-8?B?\(Data("Anaïs Dubois".utf8).base64EncodedString())?= <anais@example.be>"))
        #expect(lines.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(body.map { String(decoding: $0, as: UTF8.self) } == "Dag Anaïs,\r\n\r\n.Een regel die met een punt begint.\r\nTot ziens")
    }

    @Test func addressesThatWouldBreakTheEnvelopeAreRefused() {
        #expect(MailAddress("academy@vivel.be")?.address == "academy@vivel.be")
        #expect(MailAddress("\"VIVEL, Academy\" <academy@vivel.be>")?.name == "VIVEL, Academy")
        #expect(MailAddress("an@example.be>\r\nRCPT TO:<x@evil.example") == nil)
        #expect(MailAddress("no address") == nil)
        #expect(MailAddress("a@b@c") == nil)
    }

    @Test func smtpURLsSayWhatIsWrong() throws {
        let startTLS = try SMTPSettings(url: "smtp://an%40vivel.be:p%40ss@mail.vivel.be")
        let implicit = try SMTPSettings(url: "smtps://mail.vivel.be")
        let plain = try SMTPSettings(url: "smtp+plain://relay:2525")

        #expect(startTLS == SMTPSettings(host: "mail.vivel.be", port: 587, security: .startTLS, username: "an@vivel.be", password: "p@ss"))
        #expect(implicit.port == 465 && implicit.security == .implicitTLS && implicit.username == nil)
        #expect(plain.port == 2525 && plain.security == .none)
        #expect(throws: SMTPSettings.Problem.unknownScheme("http")) { try SMTPSettings(url: "http://mail.vivel.be") }
        #expect(throws: SMTPSettings.Problem.missingHost) { try SMTPSettings(url: "smtp://") }
        #expect(SMTPSettings.Problem.unknownScheme("http").description.contains("smtps://"))
    }

    @Test func retriesBackOffAndStop() {
        #expect(OutboxDelivery.delay(afterAttempt: 1) == 60)
        #expect(OutboxDelivery.delay(afterAttempt: 3) == 1_800)
        #expect(OutboxDelivery.delay(afterAttempt: 9) == 21_600)
    }
}
