import NIOConcurrencyHelpers
import NIOCore

/// Rendered catalogue pages kept while the catalogue they were rendered from is current: one per query
/// and language for anonymous visitors, and one per query, language and access fingerprint for signed-in
/// people (`CourseAccess.fingerprint`). Leaf needs about 2 ms for a catalogue page; serving kept bytes a few µs.
final class RenderedPageCache: Sendable {
    private struct State {
        var generation: Int = -1
        var pages: [String: RenderedPage] = [:]
    }

    private let state = NIOLockedValueBox(State())
    let capacity: Int

    /// A capacity of 0 keeps nothing (ACADEMY_PAGE_CACHE=off, to measure what the cache buys).
    init(capacity: Int = 2_000) {
        self.capacity = capacity
    }

    func page(_ key: String, generation: Int) -> RenderedPage? {
        state.withLockedValue { $0.generation == generation ? $0.pages[key] : nil }
    }

    func store(_ page: RenderedPage, for key: String, generation: Int) {
        guard capacity > 0 else { return }
        state.withLockedValue { state in
            if state.generation != generation {
                guard generation > state.generation else { return }
                state = State(generation: generation)
            }
            // Unusual queries can be endless; past capacity start again rather than grow.
            if state.pages.count >= capacity { state.pages.removeAll(keepingCapacity: true) }
            state.pages[key] = page
        }
    }
}

/// A page's bytes, cut where the visitor's CSRF token stood (in the sign-out form), so that the page
/// rendered for one visitor can be served to another with his own token in its place.
struct RenderedPage: Sendable {
    let pieces: [ByteBuffer]

    init(_ body: ByteBuffer, token: String?) {
        guard let token, !token.isEmpty else {
            pieces = [body]
            return
        }
        let bytes = Array(body.readableBytesView)
        let needle = Array(token.utf8)
        var pieces: [ByteBuffer] = []
        var start = 0
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) {
                pieces.append(ByteBuffer(bytes: bytes[start..<index]))
                index += needle.count
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(ByteBuffer(bytes: bytes[start...]))
        self.pieces = pieces
    }

    func body(token: String) -> ByteBuffer {
        guard pieces.count > 1 else { return pieces[0] }
        var body = ByteBuffer()
        body.reserveCapacity(pieces.reduce(0) { $0 + $1.readableBytes } + token.utf8.count * (pieces.count - 1))
        for (number, piece) in pieces.enumerated() {
            if number > 0 { body.writeString(token) }
            body.writeImmutableBuffer(piece)
        }
        return body
    }
}
