import Vapor

/// Who is asking, and what the catalogue, course pages and enrolment may show them.
///
/// Unfinished: until the access rule engine lands (issue "Care boards, enrolment and restricted-access
/// rules"), a course that carries any visibility or enrolment rule is shown locked to everybody but
/// trainers and admins, with a generic reason. That fails closed: nobody gets in who should not.
struct CourseAccess: Sendable {
    let userID: UUID?
    let isStaff: Bool

    static func load(for request: Request) async throws -> CourseAccess {
        let user = request.auth.get(User.self)
        return CourseAccess(userID: user?.id, isStaff: user.map { $0.role == .trainer || $0.role == .admin } ?? false)
    }

    func visibility(_ entry: CatalogueEntry) -> CatalogueVisibility {
        if isStaff || !entry.isRestricted { return .open }
        return .locked
    }

    func explanation(_ entry: CatalogueEntry, language: Language) -> String? {
        entry.isRestricted ? MessageCatalogue.text("access.locked.reason", language) : nil
    }
}
