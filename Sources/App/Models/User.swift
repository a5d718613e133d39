import Fluent
import Vapor

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    enum Role: String, Codable, CaseIterable, Sendable {
        case learner, trainer, admin
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Enum(key: "role") var role: Role
    @Field(key: "profession") var profession: String
    @OptionalField(key: "registration_number") var registrationNumber: String?
    @Field(key: "preferred_language") var preferredLanguage: String
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?
    /// The learner lets the registration number into shared credentials (Open Badges, CLR); off by default.
    @OptionalField(key: "share_registration_number") var shareRegistrationNumber: Bool?
    /// Set when an admin merged this duplicate into another account (`AccountMerge`); it is deactivated too.
    @OptionalField(key: "merged_into") var mergedInto: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, email: String, name: String, passwordHash: String, role: Role, profession: String,
         registrationNumber: String? = nil, preferredLanguage: String = "nl") {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.profession = profession
        self.registrationNumber = registrationNumber
        self.preferredLanguage = preferredLanguage
    }
}

extension User: ModelSessionAuthenticatable {}
