import Fluent
import Foundation

/// What moving a course's learners in progress to its current version carries over, decided from the
/// modules' keys and kinds alone. Progress is kept per learner and module key, so an attempt counts in the
/// new version wherever a module with its key exists there; nothing is copied, changed or deleted.
struct LearnerMigrationPlan: Sendable, Equatable {
    struct Module: Sendable, Equatable {
        var key: String
        var kind: String
        var title: [String: String]
    }

    /// One earlier version that learners in progress still play.
    struct Source: Sendable, Equatable {
        var number: Int
        var modules: [Module]
        var learners: Int
        /// Attempt rows of those learners, per module key.
        var attempts: [String: Int]
    }

    struct Group: Sendable, Equatable {
        var fromNumber: Int
        var learners: Int
        /// Same key and kind in the new version: their attempts count there as they are.
        var carried: [Module]
        /// Same key, another kind (a page became a SCORM SCO): the attempts still count where they meet the
        /// new module's requirement.
        var changedKind: [Module]
        /// Absent from the new version: the attempts stay stored (and on the old version's records) but no
        /// longer count.
        var dropped: [Module]
        /// New in the new version: nobody has started them.
        var added: [Module]
        var attemptsCarried: Int
        var attemptsSetAside: Int
    }

    var targetNumber: Int
    var groups: [Group]

    var learners: Int { groups.reduce(0) { $0 + $1.learners } }

    init(targetNumber: Int, targetModules: [Module], sources: [Source]) {
        self.targetNumber = targetNumber
        let playable = { (modules: [Module]) in modules.filter { $0.kind != PackageModule.Kind.folder.rawValue } }
        let target = playable(targetModules)
        let targetByKey = Dictionary(target.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        groups = sources.filter { $0.number != targetNumber && $0.learners > 0 }.sorted { $0.number < $1.number }.map { source in
            let modules = playable(source.modules)
            let keys = Set(modules.map(\.key))
            var group = Group(fromNumber: source.number, learners: source.learners, carried: [], changedKind: [], dropped: [],
                              added: target.filter { !keys.contains($0.key) }, attemptsCarried: 0, attemptsSetAside: 0)
            for module in modules {
                let attempts = source.attempts[module.key] ?? 0
                switch targetByKey[module.key] {
                case .some(let new) where new.kind == module.kind:
                    group.carried.append(new)
                    group.attemptsCarried += attempts
                case .some(let new):
                    group.changedKind.append(new)
                    group.attemptsCarried += attempts
                case .none:
                    group.dropped.append(module)
                    group.attemptsSetAside += attempts
                }
            }
            return group
        }
    }
}

/// Moves a course's learners in progress (active or waiting enrolments) from earlier versions to the current
/// one. Completed enrolments keep the version they completed, with its completion and records. Each moved
/// enrolment keeps its attempts (which still name the version they were made in), its resume point and
/// its place on a waiting list.
struct LearnerMigration: Sendable {
    let database: any Database

    static let movable: [Enrolment.Status] = [.active, .waiting]

    /// Nil when the course has no current published version.
    func plan(courseID: UUID) async throws -> LearnerMigrationPlan? {
        guard let course = try await Course.find(courseID, on: database), course.status == .published,
              let currentID = course.$currentVersion.id,
              let current = try await CourseVersion.find(currentID, on: database) else { return nil }
        let enrolments = try await Enrolment.query(on: database).filter(\.$course.$id == courseID)
            .filter(\.$status ~~ Self.movable).filter(\.$version.$id != currentID).all()
        let byVersion = Dictionary(grouping: enrolments, by: { $0.$version.id })
        var sources: [LearnerMigrationPlan.Source] = []
        for (versionID, learners) in byVersion {
            guard let version = try await CourseVersion.find(versionID, on: database) else { continue }
            let enrolmentIDs = learners.compactMap(\.id)
            let cycles = Dictionary(learners.compactMap { learner in learner.id.map { ($0, learner.cycle) } }, uniquingKeysWith: { first, _ in first })
            let attempts = try await ModuleAttempt.query(on: database).filter(\.$enrolment.$id ~~ enrolmentIDs).all()
                .filter { cycles[$0.$enrolment.id] == $0.cycle }
            sources.append(.init(number: version.number, modules: try await modules(of: versionID), learners: learners.count,
                                 attempts: Dictionary(grouping: attempts, by: \.moduleKey).mapValues(\.count)))
        }
        return LearnerMigrationPlan(targetNumber: current.number, targetModules: try await modules(of: currentID), sources: sources)
    }

    /// Moves them; returns the ids of the moved enrolments (none when all play the current version already).
    func migrate(courseID: UUID) async throws -> [UUID] {
        try await database.transaction { db in
            // The same lock as publishing: the current version cannot change under the move.
            try await RowLock.hold(Course.schema, courseID, on: db)
            guard let course = try await Course.find(courseID, on: db), course.status == .published,
                  let currentID = course.$currentVersion.id else { return [] }
            let moving = try await Enrolment.query(on: db).filter(\.$course.$id == courseID)
                .filter(\.$status ~~ Self.movable).filter(\.$version.$id != currentID).all()
            let ids = moving.compactMap(\.id)
            guard !ids.isEmpty else { return [] }
            try await Enrolment.query(on: db).filter(\.$id ~~ ids).set(\.$version.$id, to: currentID).update()
            return ids
        }
    }

    private func modules(of versionID: UUID) async throws -> [LearnerMigrationPlan.Module] {
        try await CourseModule.query(on: database).filter(\.$version.$id == versionID).sort(\.$position).all()
            .map { .init(key: $0.key, kind: $0.kind, title: $0.title) }
    }
}
