import Vapor

/// Pages of the platform administration (users, settings, audit log, sessions), under /admin.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum AdminRoute: Sendable, Equatable {

    var path: String {
        switch self {}
    }

    enum Pattern {
    }
}
