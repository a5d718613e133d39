@testable import App
import Foundation
import Testing

@Suite struct TOTPTests {
    /// RFC 6238 appendix B, SHA-1 rows (8 digits, secret "12345678901234567890").
    @Test(arguments: [(59.0, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
                      (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")])
    func rfc6238Vectors(time: Double, expected: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8), digits: 8)
        #expect(totp.code(step: totp.step(at: Date(timeIntervalSince1970: time))) == expected)
    }

    @Test func aCodeWorksOnceAndAllowsOneStepOfDrift() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_800_000_015)
        let current = totp.code(step: totp.step(at: now))
        let previous = totp.code(step: totp.step(at: now) - 1)
        let tooOld = totp.code(step: totp.step(at: now) - 3)

        let used = totp.verify(current, at: now, usedStep: nil)
        #expect(used == totp.step(at: now))
        #expect(totp.verify(current, at: now, usedStep: used) == nil, "the same code twice is refused")
        #expect(totp.verify(previous, at: now, usedStep: nil) == totp.step(at: now) - 1)
        #expect(totp.verify(tooOld, at: now, usedStep: nil) == nil)
        #expect(totp.verify(String(current.prefix(3)) + " " + String(current.suffix(3)), at: now, usedStep: nil) != nil,
                "a space typed in the middle is fine")
        #expect(totp.verify("12345", at: now, usedStep: nil) == nil)
    }

    @Test func secretsRoundTripThroughBase32AndTheProvisioningAddress() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI", "RFC 4648 section 10, without padding")
        let secret = TOTP.randomSecret()
        #expect(Base32.decode(Base32.encode(secret)) == secret)
        let uri = TOTP(secret: Array("12345678901234567890".utf8)).provisioningURI(issuer: "VIVEL Academy", account: "an@vivel.be")
        #expect(uri == "otpauth://totp/VIVEL%20Academy:an@vivel.be?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=VIVEL%20Academy&algorithm=SHA1&digits=6&period=30")
        #expect(RecoveryCodes.make().count == 10 && Set(RecoveryCodes.make()).count == 10)
        let code = RecoveryCodes.make()[0]
        #expect(RecoveryCodes.hash(code.lowercased()) == RecoveryCodes.hash(code))
    }
}
