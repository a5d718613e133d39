import Fluent
import Vapor

/// A module of one course version, stored flat in outline order with its depth.
final class CourseModule: Model, @unchecked Sendable {
    static let schema = "course_modules"

    @ID(key: .id) var id: UUID?
    @Parent(key: "version_id") var version: CourseVersion
    @Field(key: "key") var key: String
    @OptionalField(key: "parent_key") var parentKey: String?
    @Field(key: "position") var position: Int
    @Field(key: "depth") var depth: Int
    @Field(key: "title") var title: [String: String]
    @Field(key: "kind") var kind: String
    @OptionalField(key: "duration_minutes") var durationMinutes: Int?
    @Field(key: "required") var required: Bool
    @OptionalField(key: "launch") var launch: String?
    /// JSON of `ModuleRuntime`; absent on versions imported before it existed.
    @OptionalField(key: "runtime") var runtimeJSON: String?

    init() {}
}
