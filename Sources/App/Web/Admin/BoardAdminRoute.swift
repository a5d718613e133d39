import Vapor

/// Pages of the care boards, memberships and groups (admins; board staff for their own board), under /admin/boards.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum BoardAdminRoute: Sendable, Equatable {

    var path: String {
        switch self {}
    }

    enum Pattern {
    }
}
