import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Hands mails to one SMTP server (RFC 5321), with STARTTLS (RFC 3207) or TLS from the start, and
/// AUTH PLAIN (RFC 4954) when the settings carry a user. Credentials are never sent unencrypted unless
/// the operator chose `smtp+plain://`.
struct SMTPClient: Sendable {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case connect(String)
        case refused(command: String, reply: SMTPReply)
        case startTLSUnsupported
        case malformedReply(String)
        case closed
        case timedOut

        var description: String {
            switch self {
            case .connect(let reason): return "could not connect to the mail server: \(reason)"
            case .refused(let command, let reply): return "the mail server refused \(command): \(reply)"
            case .startTLSUnsupported: return "the mail server does not offer STARTTLS; use smtps:// or smtp+plain:// if that is intended"
            case .malformedReply(let line): return "the mail server answered something that is not SMTP: \(line.prefix(80))"
            case .closed: return "the mail server closed the connection"
            case .timedOut: return "the mail server did not answer in time"
            }
        }

        /// 5xx replies will not change by trying again; everything else may.
        var isPermanent: Bool {
            if case .refused(_, let reply) = self { return (500..<600).contains(reply.code) }
            return false
        }
    }

    let settings: SMTPSettings
    let eventLoopGroup: any EventLoopGroup
    var timeout: TimeAmount = .seconds(30)

    func send(_ message: MailMessage) async throws {
        let tlsContext = try makeTLSContext()
        let settings = settings
        let connection: NIOAsyncChannel<SMTPReply, ByteBuffer>
        let channel: any Channel
        do {
            (connection, channel) = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(timeout)
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tlsContext, serverHostname: Self.sniName(settings.host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return (try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel), channel as any Channel)
                    }
                }
        } catch {
            throw Failure.connect(String(describing: error))
        }
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        defer { deadline.cancel() }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var conversation = Conversation(replies: inbound.makeAsyncIterator(), outbound: outbound)
                try await conversation.expect(220, after: "connecting")
                var features = try await conversation.command("EHLO \(settings.clientName)", expect: 250)
                if settings.security == .startTLS {
                    guard features.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                        throw Failure.startTLSUnsupported
                    }
                    _ = try await conversation.command("STARTTLS", expect: 220)
                    try await channel.pipeline.addHandler(
                        try NIOSSLClientHandler(context: tlsContext, serverHostname: Self.sniName(settings.host)),
                        position: .first).get()
                    features = try await conversation.command("EHLO \(settings.clientName)", expect: 250)
                }
                if let username = settings.username {
                    let secret = Data("\0\(username)\0\(settings.password ?? "")".utf8).base64EncodedString()
                    _ = try await conversation.command("AUTH PLAIN \(secret)", expect: 235, shownAs: "AUTH PLAIN")
                }
                _ = features
                _ = try await conversation.command("MAIL FROM:<\(message.from.address)>", expect: 250)
                _ = try await conversation.command("RCPT TO:<\(message.to.address)>", expect: 250, alsoAccepting: 251)
                _ = try await conversation.command("DATA", expect: 354)
                let content = message.rendered().replacingOccurrences(of: "\r\n.", with: "\r\n..")
                _ = try await conversation.command(content + ".", expect: 250, shownAs: "the message")
                try? await conversation.send("QUIT")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw channel.isActive ? Failure.connect(String(describing: error)) : Failure.timedOut
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.trustedCertificatesFile {
            configuration.additionalTrustRoots = [.file(file)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Server Name Indication carries host names only, never an address.
    static func sniName(_ host: String) -> String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }

    private struct Conversation {
        var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        mutating func expect(_ code: Int, alsoAccepting other: Int? = nil, after command: String) async throws -> SMTPReply {
            guard let reply = try await replies.next() else { throw Failure.closed }
            guard reply.code == code || reply.code == other else { throw Failure.refused(command: command, reply: reply) }
            return reply
        }

        func send(_ line: String) async throws {
            try await outbound.write(ByteBuffer(string: line + "\r\n"))
        }

        @discardableResult
        mutating func command(_ line: String, expect code: Int, alsoAccepting other: Int? = nil,
                              shownAs name: String? = nil) async throws -> SMTPReply {
            try await send(line)
            return try await expect(code, alsoAccepting: other, after: name ?? String(line.prefix(while: { $0 != ":" && $0 != " " })))
        }
    }
}
