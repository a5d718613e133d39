import NIOConcurrencyHelpers
import NIOCore

/// Rendered pages that are the same for every anonymous visitor (the catalogue for one query and
/// language), kept while the catalogue they were rendered from is current. Leaf needs about 400 µs for
/// a catalogue page; serving the kept bytes takes a few.
final class RenderedPageCache: Sendable {
    private struct State {
        var generation: Int = -1
        var pages: [String: ByteBuffer] = [:]
    }

    private let state = NIOLockedValueBox(State())
    let capacity: Int

    /// A capacity of 0 keeps nothing (ACADEMY_PAGE_CACHE=off, to measure what the cache buys).
    init(capacity: Int = 2_000) {
        self.capacity = capacity
    }

    func page(_ key: String, generation: Int) -> ByteBuffer? {
        state.withLockedValue { $0.generation == generation ? $0.pages[key] : nil }
    }

    func store(_ page: ByteBuffer, for key: String, generation: Int) {
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
