import Fluent
import Foundation

/// Which access rule of a course the editor changes: who sees it in the catalogue, who may enrol, or who
/// may open one module. In paths: "visibility", "enrolment", "module:<key>".
public enum AccessRuleTarget: Sendable, Hashable {
    case visibility
    case enrolment
    case module(String)

    public init?(_ text: String) {
        switch text {
        case "visibility": self = .visibility
        case "enrolment": self = .enrolment
        default:
            guard text.hasPrefix("module:"), text.count > 7 else { return nil }
            self = .module(String(text.dropFirst(7)))
        }
    }

    public var text: String {
        switch self {
        case .visibility: "visibility"
        case .enrolment: "enrolment"
        case .module(let key): "module:\(key)"
        }
    }

    var scope: PackageAccessRule.Scope {
        switch self {
        case .visibility: .visibility
        case .enrolment: .enrolment
        case .module: .module
        }
    }

    var moduleKey: String? {
        if case .module(let key) = self { return key }
        return nil
    }

    public func matches(_ rule: PackageAccessRule) -> Bool {
        rule.scope == scope && (scope != .module || rule.moduleKey == moduleKey)
    }

    /// The target's policy among a version's rules; several rules for one target (a manifest may carry
    /// them) are read as all of them, hidden when any of them hides.
    public func policy(in rules: [PackageAccessRule]) -> AccessPolicy? {
        let own = rules.filter(matches).map(AccessPolicy.init)
        guard let first = own.first else { return nil }
        guard own.count > 1 else { return first }
        return AccessPolicy(rule: .allOf(own.map(\.rule)), whenDenied: own.contains { $0.whenDenied == .hide } ? .hide : .showLocked)
    }

    /// `rules` with this target's rules replaced by `policy` (removed when nil), in the manifest's form.
    public func replacing(in rules: [PackageAccessRule], with policy: AccessPolicy?) -> [PackageAccessRule] {
        var result = rules.filter { !matches($0) }
        if let policy {
            result.append(PackageAccessRule(scope: scope, moduleKey: moduleKey,
                                            whenDenied: policy.whenDenied == .hide ? .hide : .showLocked,
                                            ruleJSON: policy.rule.jsonString()))
        }
        return result
    }
}

/// Writes what trainers change about a course in the browser, each change with its audit event in the
/// same transaction. Metadata and access rules change the current version in place (no new package version);
/// the audit events say which version and which fields, so that publishing a later package can warn which
/// browser edits it would replace (`BrowserEdits`).
struct CourseSettingsWriter: Sendable {
    let database: any Database

    static let subjectType = "course"

    enum Action {
        static let metadata = "course.metadata-edited"
        static let access = "course.access-rule-edited"
        static let enrolment = "course.enrolment-settings-edited"
        static let archived = "course.archived"
        static let unarchived = "course.unarchived"
        static let ownerAdded = "course.owner-added"
        static let ownerRemoved = "course.owner-removed"
    }

    struct MetadataChange: Codable {
        var version: Int
        var fields: [String]
        var metadata: CourseMetadata
    }

    struct AccessChange: Codable {
        var version: Int
        var target: String
        var rules: [PackageAccessRule]
    }

    struct StatusChange: Codable {
        var status: String
    }

    struct OwnerChange: Codable {
        var user: String
        var email: String
        var name: String
    }

    enum OwnerResult: Equatable {
        case added(User.Role)
        case alreadyOwner
        case noSuchPerson
        case notStaff
    }

    enum RemovalResult: Equatable {
        case removed
        case lastOwner
        case notOwner
    }

    static func metadata(of version: CourseVersion) -> CourseMetadata {
        CourseMetadata(title: version.title, summary: version.summary, description: version.description,
                       themes: version.themes, professions: version.professions, durationMinutes: version.durationMinutes,
                       accreditations: version.accreditations)
    }

    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The fields changed (empty: nothing to write, nothing written).
    func saveMetadata(_ metadata: CourseMetadata, courseID: UUID, versionID: UUID, by actor: User) async throws -> [String] {
        try await database.transaction { db in
            guard let version = try await CourseVersion.find(versionID, on: db) else { return [] }
            let before = Self.metadata(of: version)
            let fields = metadata.changedFields(comparedWith: before)
            guard !fields.isEmpty else { return [] }
            version.title = metadata.title
            version.summary = metadata.summary
            version.description = metadata.description
            version.themes = metadata.themes
            version.professions = metadata.professions
            version.durationMinutes = metadata.durationMinutes
            version.accreditationsJSON = try Self.encoded(metadata.accreditations)
            try await version.save(on: db)
            try await AuditTrail(database: db).record(
                actor: actor, action: Action.metadata, subjectType: Self.subjectType, subjectID: courseID.uuidString,
                before: MetadataChange(version: version.number, fields: fields, metadata: before),
                after: MetadataChange(version: version.number, fields: fields, metadata: metadata), reason: nil)
            return fields
        }
    }

    /// `false` when the rule was already so.
    func saveAccessRule(_ policy: AccessPolicy?, target: AccessRuleTarget, courseID: UUID, versionID: UUID,
                        by actor: User) async throws -> Bool {
        try await database.transaction { db in
            guard let version = try await CourseVersion.find(versionID, on: db) else { return false }
            let before = version.packageAccessRules
            let after = target.replacing(in: before, with: policy)
            guard before.filter(target.matches) != after.filter(target.matches) else { return false }
            version.accessRules = try Self.encoded(after)
            try await version.save(on: db)
            try await AuditTrail(database: db).record(
                actor: actor, action: Action.access, subjectType: Self.subjectType, subjectID: courseID.uuidString,
                before: AccessChange(version: version.number, target: target.text, rules: before.filter(target.matches)),
                after: AccessChange(version: version.number, target: target.text, rules: after.filter(target.matches)),
                reason: nil)
            return true
        }
    }

    static func values(_ settings: EnrolmentSettings?) -> EnrolmentSettingsValues {
        guard let settings else { return .open }
        return EnrolmentSettingsValues(enrolmentKey: settings.enrolmentKey, opensOn: settings.opensOn, closesOn: settings.closesOn,
                                       capacity: settings.capacity, reservedSeats: settings.reservedSeats ?? [:],
                                       waitingList: settings.waitingList)
    }

    /// `false` when nothing changed.
    func saveEnrolmentSettings(_ values: EnrolmentSettingsValues, courseID: UUID, by actor: User) async throws -> Bool {
        try await database.transaction { db in
            let row = try await EnrolmentSettings.find(courseID, on: db)
            let before = Self.values(row)
            guard before != values else { return false }
            let settings = row ?? EnrolmentSettings(courseID: courseID)
            settings.enrolmentKey = values.enrolmentKey
            settings.opensOn = values.opensOn
            settings.closesOn = values.closesOn
            settings.capacity = values.capacity
            settings.reservedSeats = values.reservedSeats.isEmpty ? nil : values.reservedSeats
            settings.waitingList = values.waitingList
            if row == nil { try await settings.create(on: db) } else { try await settings.save(on: db) }
            try await AuditTrail(database: db).record(
                actor: actor, action: Action.enrolment, subjectType: Self.subjectType, subjectID: courseID.uuidString,
                before: row == nil ? nil : before, after: values, reason: nil)
            return true
        }
    }

    /// Archives the course, or brings it back (published again when its current version was published, a
    /// draft otherwise). `false` when it already was so.
    func setArchived(_ archived: Bool, courseID: UUID, by actor: User) async throws -> Bool {
        try await database.transaction { db in
            guard let course = try await Course.query(on: db).filter(\.$id == courseID).with(\.$currentVersion).first() else { return false }
            let before = course.status
            let after: Course.Status = archived ? .archived : (course.currentVersion?.publishedAt != nil ? .published : .draft)
            guard (before == .archived) != archived else { return false }
            course.status = after
            try await course.save(on: db)
            try await AuditTrail(database: db).record(
                actor: actor, action: archived ? Action.archived : Action.unarchived, subjectType: Self.subjectType,
                subjectID: courseID.uuidString, before: StatusChange(status: before.rawValue),
                after: StatusChange(status: after.rawValue), reason: nil)
            return true
        }
    }

    /// Adds a co-owner by e-mail address: an account that is a trainer or an admin.
    func addOwner(email: String, courseID: UUID, by actor: User) async throws -> OwnerResult {
        try await database.transaction { db in
            let address = EmailAddress(email)?.value ?? email.lowercased()
            guard let person = try await User.query(on: db).filter(\.$email == address).first(),
                  person.deactivatedAt == nil, let personID = person.id else { return .noSuchPerson }
            guard person.role == .trainer || person.role == .admin else { return .notStaff }
            if try await CourseOwner.query(on: db).filter(\.$course.$id == courseID).filter(\.$user.$id == personID).first() != nil {
                return .alreadyOwner
            }
            try await CourseOwner(courseID: courseID, userID: personID).create(on: db)
            try await AuditTrail(database: db).record(
                actor: actor, action: Action.ownerAdded, subjectType: Self.subjectType, subjectID: courseID.uuidString,
                before: Optional<OwnerChange>.none,
                after: OwnerChange(user: personID.uuidString, email: person.email, name: person.name), reason: nil)
            return .added(person.role)
        }
    }

    /// Removes an owner; the last one stays, so that a course always has someone to look after it.
    func removeOwner(userID: UUID, courseID: UUID, by actor: User) async throws -> RemovalResult {
        try await database.transaction { db in
            let owners = try await CourseOwner.query(on: db).filter(\.$course.$id == courseID).with(\.$user).all()
            guard let owner = owners.first(where: { $0.$user.id == userID }) else { return .notOwner }
            guard owners.count > 1 else { return .lastOwner }
            try await owner.delete(on: db)
            try await AuditTrail(database: db).record(
                actor: actor, action: Action.ownerRemoved, subjectType: Self.subjectType, subjectID: courseID.uuidString,
                before: OwnerChange(user: userID.uuidString, email: owner.user.email, name: owner.user.name),
                after: Optional<OwnerChange>.none, reason: nil)
            return .removed
        }
    }
}

/// The browser edits a newer package version would replace: fields that trainers edited on the current
/// version (from the audit trail) and that the newer version has otherwise.
struct BrowserEdits: Sendable {
    let database: any Database

    /// "title", "themes", ..., "access:visibility", "access:module:m2": what was edited in the browser on
    /// version `number` of the course.
    func editedFields(courseID: UUID, versionNumber: Int) async throws -> Set<String> {
        let events = try await AuditEvent.query(on: database)
            .filter(\.$subjectType == CourseSettingsWriter.subjectType).filter(\.$subjectID == courseID.uuidString)
            .filter(\.$action ~~ [CourseSettingsWriter.Action.metadata, CourseSettingsWriter.Action.access]).all()
        var fields: Set<String> = []
        for event in events {
            let data = Data((event.afterJSON ?? "").utf8)
            if let change = try? JSONDecoder().decode(CourseSettingsWriter.MetadataChange.self, from: data),
               change.version == versionNumber {
                fields.formUnion(change.fields)
            } else if let change = try? JSONDecoder().decode(CourseSettingsWriter.AccessChange.self, from: data),
                      change.version == versionNumber {
                fields.insert("access:\(change.target)")
            }
        }
        return fields
    }

    /// Of the fields edited on `current`, those `candidate` has otherwise, in a stable order.
    static func replaced(edited: Set<String>, current: CourseVersion, candidate: CourseVersion) -> [String] {
        let differing = Set(CourseSettingsWriter.metadata(of: candidate)
            .changedFields(comparedWith: CourseSettingsWriter.metadata(of: current)))
        var result = CourseMetadata.fieldNames.filter { edited.contains($0) && differing.contains($0) }
        for field in edited.filter({ $0.hasPrefix("access:") }).sorted() {
            guard let target = AccessRuleTarget(String(field.dropFirst(7))) else { continue }
            if current.packageAccessRules.filter(target.matches) != candidate.packageAccessRules.filter(target.matches) {
                result.append(field)
            }
        }
        return result
    }
}
