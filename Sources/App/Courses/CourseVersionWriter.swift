import Crypto
import Fluent
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
            // Multi-row inserts: one statement per 500 modules rather than one round trip each (the import
            // benchmark's 5,000 modules).
            let modules = Self.flatten(package.modules, versionID: versionID)
            for start in stride(from: 0, to: modules.count, by: 500) {
                try await Array(modules[start..<min(start + 500, modules.count)]).create(on: db)
            }
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

    static func flatten(_ modules: [PackageModule], versionID: UUID) -> [CourseModule] {
        var rows: [CourseModule] = []
        func walk(_ modules: [PackageModule], depth: Int, parent: String?) {
            for module in modules {
                let row = CourseModule()
                row.$version.id = versionID
                row.key = module.key
                row.parentKey = parent
                row.position = rows.count
                row.depth = depth
                row.title = module.title
                row.kind = module.kind.rawValue
                row.durationMinutes = module.durationMinutes
                row.required = module.required
                row.launch = module.launch
                let runtime = ModuleRuntime(module)
                if !runtime.isEmpty, let data = try? JSONEncoder().encode(runtime) {
                    row.runtimeJSON = String(decoding: data, as: UTF8.self)
                }
                rows.append(row)
                walk(module.children, depth: depth + 1, parent: module.key)
            }
        }
        walk(modules, depth: 0, parent: nil)
        return rows
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
