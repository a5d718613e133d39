import Fluent
import Foundation

/// Corrects or revokes an accreditation record without touching it: a new record names the one it
/// supersedes, says why and who, and gets a verification code of its own. Only the newest record of a
/// chain can be superseded, and only once: the issue key "supersedes/ID" is unique, so two people
/// correcting the same record at the same moment make one correction and a clear refusal.
struct RecordCorrection: Sendable {
    struct Changes: Sendable, Equatable {
        var points: Double?
        var rubric: String?
        var activityNumber: String?
        var registrationNumber: String?
        var learnerName: String?

        var isEmpty: Bool {
            points == nil && rubric == nil && activityNumber == nil && registrationNumber == nil && learnerName == nil
        }
    }

    enum Refusal: Error, Equatable, CustomStringConvertible {
        case unknownCode(String)
        case alreadySuperseded(code: String, by: String)
        case revoked(String)
        case nothingToChange
        case reasonMissing
        case invalidPoints(Double)

        var description: String {
            switch self {
            case .unknownCode(let code): "No accreditation record has the verification code \(code). Check the code on the certificate or in the export."
            case .alreadySuperseded(let code, let by): "The record \(code) was already superseded by \(by); correct or revoke \(by) instead."
            case .revoked(let code): "The record \(code) is a revocation; a revoked record cannot be corrected. Issue a new completion instead."
            case .nothingToChange: "Nothing to correct: give at least one of --points, --rubric, --activity, --registration-number, --name."
            case .reasonMissing: "Say why with --reason (it is kept with the record and shown to auditors)."
            case .invalidPoints(let points): "--points must be 0 or more in steps of 0.5, not \(points)."
            }
        }
    }

    let database: any Database

    func correct(code: String, changes: Changes, reason: String, by userID: UUID?) async throws -> AccreditationRecord {
        guard !changes.isEmpty else { throw Refusal.nothingToChange }
        if let points = changes.points, points < 0 || (points * 2).rounded() != points * 2 { throw Refusal.invalidPoints(points) }
        return try await supersede(code: code, kind: .correction, reason: reason, by: userID) { record in
            if let points = changes.points { record.points = points }
            if let rubric = changes.rubric { record.rubric = rubric.isEmpty ? nil : rubric }
            if let activity = changes.activityNumber { record.activityNumber = activity }
            if let number = changes.registrationNumber { record.registrationNumber = number }
            if let name = changes.learnerName { record.learnerName = name }
        }
    }

    func revoke(code: String, reason: String, by userID: UUID?) async throws -> AccreditationRecord {
        try await supersede(code: code, kind: .revocation, reason: reason, by: userID) { _ in }
    }

    private func supersede(code typed: String, kind: AccreditationRecord.Kind, reason: String, by userID: UUID?,
                           change: @Sendable (AccreditationRecord) -> Void) async throws -> AccreditationRecord {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Refusal.reasonMissing }
        let code = VerificationCode.normalise(typed) ?? typed
        guard let old = try await AccreditationRecord.query(on: database).filter(\.$verificationCode == code).first() else {
            throw Refusal.unknownCode(typed)
        }
        let oldID = try old.requireID()
        if let newer = try await AccreditationRecord.query(on: database).filter(\.$supersedes.$id == oldID).first() {
            throw Refusal.alreadySuperseded(code: code, by: newer.verificationCode)
        }
        if old.kind == .revocation { throw Refusal.revoked(code) }
        let record = AccreditationRecord()
        record.issueKey = "supersedes/\(oldID.uuidString.lowercased())"
        record.kind = kind
        record.$supersedes.id = oldID
        record.reason = reason
        record.$recordedBy.id = userID
        record.$completion.id = old.$completion.id
        record.$user.id = old.$user.id
        record.learnerName = old.learnerName
        record.profession = old.profession
        record.registrationNumber = old.registrationNumber
        record.$course.id = old.$course.id
        record.$version.id = old.$version.id
        record.versionNumber = old.versionNumber
        record.courseTitle = old.courseTitle
        record.body = old.body
        record.activityNumber = old.activityNumber
        record.organiserNumber = old.organiserNumber
        record.points = old.points
        record.unit = old.unit
        record.rubric = old.rubric
        record.completedAt = old.completedAt
        record.completedOn = old.completedOn
        record.validUntil = old.validUntil
        record.verificationCode = VerificationCode.make()
        record.createdAt = Date()
        change(record)
        do {
            try await record.create(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            let newer = try await AccreditationRecord.query(on: database).filter(\.$supersedes.$id == oldID).first()
            throw Refusal.alreadySuperseded(code: code, by: newer?.verificationCode ?? "another record")
        }
        return record
    }
}
