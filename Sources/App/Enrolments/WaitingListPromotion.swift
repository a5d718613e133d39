import Fluent
import Vapor

extension EnrolmentDesk {
    /// Fills every seat that is free now from the course's waiting list, in the order people joined it (a seat
    /// reserved for a board goes to the first waiting member of that board), under the course lock. Call it
    /// whenever seats may have been added: capacity raised or removed, reserved seats changed. Returns the
    /// people promoted, in order; mail them with `WaitingListPromotion.mail` once this has returned (committed).
    func promoteFromWaitingList(courseID: UUID) async throws -> [UUID] {
        try await locked(courseID) { db in
            var promoted: [UUID] = []
            while let next = try await promoteFirstWaiting(courseID, on: db) { promoted.append(next) }
            return promoted
        }
    }
}

/// Tells people moved from a waiting list into a course, in their own language, through the outbox.
enum WaitingListPromotion {
    static func mail(_ userIDs: [UUID], courseID: UUID, mailer: Mailer, baseURL: String) async throws {
        guard !userIDs.isEmpty else { return }
        let db = mailer.database
        guard let course = try await Course.query(on: db).filter(\.$id == courseID).with(\.$currentVersion).first() else { return }
        let link = baseURL + SiteRoute.course(slug: course.slug).path
        for user in try await User.query(on: db).filter(\.$id ~~ userIDs).all() where user.deactivatedAt == nil {
            let language = Language(rawValue: user.preferredLanguage) ?? .nl
            let title = course.currentVersion?.title.text(in: language.rawValue) ?? course.slug
            try await mailer.send(to: user.email,
                                  subject: MessageCatalogue.text("audience.mail.promoted.subject", language, [title]),
                                  body: MessageCatalogue.text("audience.mail.promoted.body", language, [user.name, title, link]))
        }
    }
}

extension Request {
    /// Fills the seats free now from the course's waiting list and mails everyone promoted; returns them.
    /// The course settings call this after saving a capacity or reserved seats.
    @discardableResult
    func promoteFromWaitingList(courseID: UUID) async throws -> [UUID] {
        let promoted = try await enrolmentDesk.promoteFromWaitingList(courseID: courseID)
        try await WaitingListPromotion.mail(promoted, courseID: courseID, mailer: mailer,
                                            baseURL: application.academySettings.baseURL)
        return promoted
    }

    /// Mails the person a withdrawal moved up from the waiting list.
    func mailPromoted(_ userID: UUID, courseID: UUID) async throws {
        try await WaitingListPromotion.mail([userID], courseID: courseID, mailer: mailer,
                                            baseURL: application.academySettings.baseURL)
    }
}
