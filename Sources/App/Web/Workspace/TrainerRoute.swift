import Vapor

/// Pages of the trainers' course workspace (my courses, participants, insight, versions), under /trainer.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum TrainerRoute: Sendable, Equatable {

    var path: String {
        switch self {}
    }

    enum Pattern {
    }
}
