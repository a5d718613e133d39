import Crypto
import Fluent
import SQLKit
import Vapor

/// Stores a parsed package as a version of its course, in one transaction: the course row (created on
/// first import), the version with its metadata, and its modules. Writing the same content again
/// changes nothing.
struct CourseVersionWriter {
    struct Outcome: Sendable {
        let courseID: UUID
        let slug: String
        let versionNumber: Int
        /// False when the same content was already stored.
        let created: Bool
        /// The course row was made by this write (its first version).
        var courseCreated = false
    }

    let database: any Database

    /// `importedBy` is kept on a new version for its history.
    func write(_ package: CoursePackage, contentHash: String, publish: Bool, importedBy: UUID? = nil) async throws -> Outcome {
        try await database.transaction { db in
            let course: Course
            var courseCreated = false
            if let found = try await Course.query(on: db).filter(\.$packageIdentifier == package.identifier).first() {
                // Without the lock, a concurrent import could commit its version between our look for the
                // content hash and our insert, and we would add the same content as the next number.
                try await RowLock.hold(Course.schema, try found.requireID(), on: db)
                course = try await Course.find(found.requireID(), on: db) ?? found
            } else {
                course = Course(slug: try await Self.freeSlug(for: package, on: db),
                                packageIdentifier: package.identifier, status: .draft)
                try await course.save(on: db)
                courseCreated = true
            }
            let courseID = try course.requireID()
            if let same = try await CourseVersion.query(on: db).filter(\.$course.$id == courseID)
                .filter(\.$contentHash == contentHash).first() {
                if publish, course.status != .published || course.$currentVersion.id != same.id {
                    try await Self.publish(course, version: same, on: db)
                }
                return Outcome(courseID: courseID, slug: course.slug, versionNumber: same.number, created: false)
            }
            let last = try await CourseVersion.query(on: db).filter(\.$course.$id == courseID)
                .sort(\.$number, .descending).first()?.number ?? 0
            let version = try Self.makeVersion(package, courseID: courseID, number: last + 1, contentHash: contentHash)
            version.importedByID = importedBy
            try await version.save(on: db)
            let versionID = try version.requireID()
            try await Self.insert(Self.flatten(package.modules), versionID: versionID, on: db)
            if publish {
                try await Self.publish(course, version: version, on: db)
            }
            return Outcome(courseID: courseID, slug: course.slug, versionNumber: version.number, created: true,
                           courseCreated: courseCreated)
        }
    }

    static func publish(_ course: Course, version: CourseVersion, on db: any Database) async throws {
        if version.publishedAt == nil {
            version.publishedAt = Date()
            try await version.save(on: db)
        }
        course.$currentVersion.id = try version.requireID()
        course.status = .published
        try await course.save(on: db)
    }

    static func makeVersion(_ package: CoursePackage, courseID: UUID, number: Int, contentHash: String) throws -> CourseVersion {
        let version = CourseVersion()
        version.$course.id = courseID
        version.number = number
        version.standard = package.standard.rawValue
        version.language = package.language
        version.title = package.title
        version.summary = package.summary
        version.description = package.description
        version.learningGoalsJSON = String(decoding: try JSONEncoder().encode(package.learningGoals), as: UTF8.self)
        version.keywords = package.keywords
        version.themes = package.themes
        version.professions = package.professions
        version.durationMinutes = package.totalDurationMinutes
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        version.accreditationsJSON = String(decoding: try encoder.encode(package.accreditations), as: UTF8.self)
        version.accessRules = String(decoding: try encoder.encode(package.access), as: UTF8.self)
        version.contentHash = contentHash
        return version
    }

    /// A `CourseModule` row's values, before it is written.
    struct ModuleRow: Sendable {
        var key: String
        var parentKey: String?
        var position: Int
        var depth: Int
        var title: [String: String]
        var kind: String
        var durationMinutes: Int?
        var required: Bool
        var launch: String?
        var runtimeJSON: String?
    }

    /// The modules in outline order, each with its depth and its parent's key.
    static func flatten(_ modules: [PackageModule]) -> [ModuleRow] {
        var rows: [ModuleRow] = []
        let encoder = JSONEncoder()
        func walk(_ modules: [PackageModule], depth: Int, parent: String?) {
            for module in modules {
                let runtime = ModuleRuntime(module)
                let runtimeJSON = runtime.isEmpty ? nil : (try? encoder.encode(runtime)).map { String(decoding: $0, as: UTF8.self) }
                rows.append(ModuleRow(key: module.key, parentKey: parent, position: rows.count, depth: depth, title: module.title,
                                      kind: module.kind.rawValue, durationMinutes: module.durationMinutes, required: module.required,
                                      launch: module.launch, runtimeJSON: runtimeJSON))
                walk(module.children, depth: depth + 1, parent: module.key)
            }
        }
        walk(modules, depth: 0, parent: nil)
        return rows
    }

    /// Writes the rows in multi-row INSERTs of 500 through SQLKit. Fluent's `create` reads every model's
    /// properties by reflection, which was most of the database time of the import benchmark's 5,000 modules;
    /// the columns and values are the model's own (same keys, same binds), so Fluent reads the rows back as ever.
    static func insert(_ rows: [ModuleRow], versionID: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else {
            for row in rows { try await model(row, versionID: versionID).create(on: db) }
            return
        }
        let model = CourseModule()
        let columns = [model.$id.key, model.$version.$id.key, model.$key.key, model.$parentKey.key, model.$position.key,
                       model.$depth.key, model.$title.key, model.$kind.key, model.$durationMinutes.key, model.$required.key,
                       model.$launch.key, model.$runtimeJSON.key].map(\.description)
        func value(_ optional: (any Encodable & Sendable)?) -> any SQLExpression {
            optional.map { SQLBind($0) } ?? SQLLiteral.null
        }
        for start in stride(from: 0, to: rows.count, by: 500) {
            let insert = sql.insert(into: CourseModule.schema).columns(columns)
            for row in rows[start..<min(start + 500, rows.count)] {
                insert.values([SQLBind(UUID()), SQLBind(versionID), SQLBind(row.key), value(row.parentKey), SQLBind(row.position),
                               SQLBind(row.depth), SQLBind(row.title), SQLBind(row.kind), value(row.durationMinutes),
                               SQLBind(row.required), value(row.launch), value(row.runtimeJSON)])
            }
            try await insert.run()
        }
    }

    static func model(_ row: ModuleRow, versionID: UUID) -> CourseModule {
        let module = CourseModule()
        module.$version.id = versionID
        module.key = row.key
        module.parentKey = row.parentKey
        module.position = row.position
        module.depth = row.depth
        module.title = row.title
        module.kind = row.kind
        module.durationMinutes = row.durationMinutes
        module.required = row.required
        module.launch = row.launch
        module.runtimeJSON = row.runtimeJSON
        return module
    }

    /// The package's own slug, else one made from its title; a suffix when another course has it.
    static func freeSlug(for package: CoursePackage, on db: any Database) async throws -> String {
        let base = package.slug ?? Slug.make(from: package.title.text(in: package.language) ?? package.identifier)
        var candidate = base
        var counter = 2
        while try await Course.query(on: db).filter(\.$slug == candidate).count() > 0 {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }
}

/// URL-safe course keys: "Financieel beleid in de vzw" -> "financieel-beleid-in-de-vzw".
enum Slug {
    static func make(from text: String) -> String {
        let words = SearchText.fold(text).split(separator: " ")
        let slug = words.joined(separator: "-")
        return slug.isEmpty ? "course" : String(slug.prefix(80))
    }
}
