import NIOCore

/// A server's answer to one SMTP command: a three-digit code and one or more lines of text
/// ("250-first\r\n250 last\r\n" is one reply).
struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    var code: Int
    var lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }
    var description: String { "\(code) \(lines.joined(separator: " / "))" }
}

/// Cuts the bytes from the server into replies.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4_096 { throw SMTPClient.Failure.malformedReply("a line longer than 4096 bytes") }
            return .needMoreData
        }
        let length = end - buffer.readerIndex + 1
        var line = buffer.readString(length: length) ?? ""
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        guard line.count >= 3, let code = Int(line.prefix(3)) else {
            throw SMTPClient.Failure.malformedReply(line)
        }
        let separator = line.dropFirst(3).first
        pending.append(String(line.dropFirst(4)))
        if separator == "-" { return .continue }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
        pending = []
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}
