import Fluent
import Foundation
import SQLKit
import Vapor

/// Enrols, queues and withdraws learners for one course, deciding with `EnrolmentPolicy` while the
/// course is locked, so that double clicks and concurrent requests never create two enrolments or fill
/// more seats than the course has.
struct EnrolmentDesk {
    enum Result: Equatable {
        case enrolled
        case waiting(position: Int)
        case refused(EnrolmentRefusal)
        /// Already active, completed or waiting: nothing changed.
        case alreadyEnrolled
    }

    enum Withdrawal: Equatable {
        case withdrawn
        /// The first suitable person on the waiting list took the freed seat.
        case withdrawnAndPromoted(UUID)
        case leftWaitingList
        case notEnrolled
    }

    let database: any Database
    let locks: CourseLocks
    var now: Date = Date()

    func enrol(userID: UUID, courseID: UUID, versionID: UUID, presentedKey: String?) async throws -> Result {
        do {
            return try await locked(courseID) { db in
                let existing = try await Enrolment.query(on: db).filter(\.$user.$id == userID)
                    .filter(\.$course.$id == courseID).first()
                if let existing, [.active, .completed, .waiting].contains(existing.status) {
                    if existing.status == .waiting { return .waiting(position: try await position(of: existing, on: db)) }
                    return .alreadyEnrolled
                }
                let settings = try await EnrolmentSettings.find(courseID, on: db)
                let policy = EnrolmentPolicy(rules: settings?.rules ?? .open)
                let keyGiven = existing?.keyAccepted == true
                let outcome = policy.decide(today: CalendarDay(now), presentedKey: presentedKey, keyAlreadyGiven: keyGiven,
                                            boards: try await boards(of: userID, on: db),
                                            counts: try await counts(courseID, on: db))
                let enrolment = existing ?? Enrolment(userID: userID, courseID: courseID, versionID: versionID)
                switch outcome {
                case .refused(let reason):
                    return .refused(reason)
                case .enrolled(let seat):
                    enrolment.status = .active
                    enrolment.seatBoard = seat.board
                    enrolment.queuedAt = nil
                case .waiting:
                    enrolment.status = .waiting
                    enrolment.seatBoard = nil
                    enrolment.queuedAt = try await nextQueueTime(courseID, on: db)
                }
                if existing != nil {
                    enrolment.$version.id = versionID
                    enrolment.enrolledAt = now
                    enrolment.completedAt = nil
                }
                if policy.rules.asksKey { enrolment.keyAccepted = true }
                try await enrolment.save(on: db)
                return enrolment.status == .waiting ? .waiting(position: try await position(of: enrolment, on: db)) : .enrolled
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A double click on a course without settings (no lock row): the first request enrolled already.
            return .alreadyEnrolled
        }
    }

    func withdraw(userID: UUID, courseID: UUID) async throws -> Withdrawal {
        try await locked(courseID) { db in
            guard let enrolment = try await Enrolment.query(on: db).filter(\.$user.$id == userID)
                .filter(\.$course.$id == courseID).first() else { return .notEnrolled }
            switch enrolment.status {
            case .waiting:
                enrolment.status = .withdrawn
                enrolment.queuedAt = nil
                try await enrolment.save(on: db)
                return .leftWaitingList
            case .active:
                enrolment.status = .withdrawn
                enrolment.seatBoard = nil
                try await enrolment.save(on: db)
                if let promoted = try await promoteFirstWaiting(courseID, on: db) { return .withdrawnAndPromoted(promoted) }
                return .withdrawn
            case .completed, .withdrawn, .expired:
                return .notEnrolled
            }
        }
    }

    /// Place on the waiting list, from 1.
    func position(of enrolment: Enrolment, on db: any Database) async throws -> Int {
        let line = try await waitingLine(enrolment.$course.id, on: db)
        return (line.firstIndex { $0.id == enrolment.id } ?? line.count) + 1
    }

    func counts(_ courseID: UUID, on db: any Database) async throws -> EnrolmentCounts {
        EnrolmentCounts(seats: try await Enrolment.query(on: db).filter(\.$course.$id == courseID)
            .filter(\.$status == .active).all().map(\.seatBoard))
    }

    // MARK: -

    /// The first waiting person for whom a seat is free now takes it (a seat reserved for a board goes
    /// to the first waiting member of that board).
    func promoteFirstWaiting(_ courseID: UUID, on db: any Database) async throws -> UUID? {
        let settings = try await EnrolmentSettings.find(courseID, on: db)
        let policy = EnrolmentPolicy(rules: settings?.rules ?? .open)
        let counts = try await counts(courseID, on: db)
        for candidate in try await waitingLine(courseID, on: db) {
            guard let seat = policy.seat(boards: try await boards(of: candidate.$user.id, on: db), counts: counts) else { continue }
            candidate.status = .active
            candidate.seatBoard = seat.board
            candidate.queuedAt = nil
            try await candidate.save(on: db)
            return candidate.$user.id
        }
        return nil
    }

    /// Taken under the lock, later than everyone already waiting, so the line keeps the order in which
    /// people joined it even when their requests started in another order.
    private func nextQueueTime(_ courseID: UUID, on db: any Database) async throws -> Date {
        let last = try await waitingLine(courseID, on: db).last?.queuedAt ?? .distantPast
        return Swift.max(Date(), last.addingTimeInterval(0.001))
    }

    private func waitingLine(_ courseID: UUID, on db: any Database) async throws -> [Enrolment] {
        try await Enrolment.query(on: db).filter(\.$course.$id == courseID).filter(\.$status == .waiting).all()
            .sorted { ($0.queuedAt ?? .distantPast, $0.id?.uuidString ?? "") < ($1.queuedAt ?? .distantPast, $1.id?.uuidString ?? "") }
    }

    private func boards(of userID: UUID, on db: any Database) async throws -> Set<String> {
        let today = CalendarDay(now)
        return Set(try await CourseAccess.memberships(of: userID, on: db).filter { $0.isValid(on: today) }.map(\.board))
    }

    /// One transaction per change, with the course locked for its whole length.
    func locked<T: Sendable>(_ courseID: UUID, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let database = self.database
        return try await locks.withLock(courseID) {
            try await database.transaction { db in
                if let sql = db as? any SQLDatabase {
                    if sql.dialect.name == "sqlite" {
                        // A write first takes SQLite's write lock at once (as BEGIN IMMEDIATE would), waiting
                        // through busy_timeout; a transaction that reads first fails with "database is locked"
                        // when it later writes while another connection holds that lock.
                        try await sql.raw("UPDATE enrolment_settings SET waiting_list = waiting_list WHERE course_id = \(bind: courseID)").run()
                    } else {
                        try await sql.raw("SELECT course_id FROM enrolment_settings WHERE course_id = \(bind: courseID) FOR UPDATE").run()
                    }
                }
                return try await body(db)
            }
        }
    }
}

extension Application {
    private struct CourseLocksKey: StorageKey {
        typealias Value = CourseLocks
    }

    /// Set once in `configure(_:settings:)`.
    var courseLocks: CourseLocks {
        get {
            // configure(_:settings:) sets it; a request still in flight at shutdown finds the storage cleared.
            storage[CourseLocksKey.self] ?? CourseLocks()
        }
        set { storage[CourseLocksKey.self] = newValue }
    }
}

extension Request {
    var enrolmentDesk: EnrolmentDesk {
        EnrolmentDesk(database: db, locks: application.courseLocks)
    }
}
