import Fluent
import Vapor

/// A care board (zorgraad), the body governing one primary care zone (eerstelijnszone).
final class CareBoard: Model, @unchecked Sendable {
    static let schema = "care_boards"

    @ID(key: .id) var id: UUID?
    /// The stable key access rules and membership files name ("ZR-HERKENRODE").
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "zone") var zone: String
    /// A `Province` key.
    @Field(key: "province") var province: String
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "phone") var phone: String?
    @Children(for: \.$board) var memberships: [BoardMembership]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, zone: String, province: Province, email: String? = nil, phone: String? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.zone = zone
        self.province = province.rawValue
        self.email = email
        self.phone = phone
    }
}
