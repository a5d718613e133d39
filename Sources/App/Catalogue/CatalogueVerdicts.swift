import NIOConcurrencyHelpers

/// What the catalogue's rules decided for each course, per access fingerprint (`CourseAccess.fingerprint`),
/// kept while the catalogue they were decided on is current. People with the same access facts get the same
/// verdicts, so a learner paging through the catalogue or polling the API has the rules of 1,000 courses
/// evaluated once, not on every request. Verdicts are by entry position in the index of `generation`.
final class CatalogueVerdicts: Sendable {
    private struct State {
        var generation: Int = -1
        var verdicts: [String: [CatalogueVisibility]] = [:]
    }

    private let state = NIOLockedValueBox(State())
    let capacity: Int

    /// A capacity of 0 keeps nothing: every request evaluates every rule (ACADEMY_PAGE_CACHE=off).
    init(capacity: Int = 5_000) {
        self.capacity = capacity
    }

    /// The kept verdicts for `fingerprint` on the index of `generation`, or those `decide` makes, which are kept.
    func verdicts(for fingerprint: String, generation: Int, decide: () -> [CatalogueVisibility]) -> [CatalogueVisibility] {
        if capacity > 0, let kept = state.withLockedValue({ $0.generation == generation ? $0.verdicts[fingerprint] : nil }) {
            return kept
        }
        let decided = decide()
        guard capacity > 0 else { return decided }
        state.withLockedValue { state in
            if state.generation != generation {
                guard generation > state.generation else { return }
                state = State(generation: generation)
            }
            // Past capacity start again rather than grow: a fingerprint is a few hundred bytes of verdicts.
            if state.verdicts.count >= capacity { state.verdicts.removeAll(keepingCapacity: true) }
            state.verdicts[fingerprint] = decided
        }
        return decided
    }
}
