import Vapor

/// Pages of the partners and their API tokens (admins), under /admin/partners.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum PartnerAdminRoute: Sendable, Equatable {

    var path: String {
        switch self {}
    }

    enum Pattern {
    }
}
