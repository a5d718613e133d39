import Fluent
import Foundation

/// The saved `SiteProfile`: one row, replaced on every save (the audit trail keeps earlier ones).
final class SiteProfileRow: Model, @unchecked Sendable {
    static let schema = "site_profiles"

    @ID(key: .id) var id: UUID?
    @Field(key: "academy_name") var academyName: String
    @OptionalField(key: "contact_email") var contactEmail: String?
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @OptionalField(key: "contact_url") var contactURL: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var profile: SiteProfile {
        SiteProfile(academyName: academyName, contactEmail: contactEmail, contactPhone: contactPhone, contactURL: contactURL)
    }

    func apply(_ profile: SiteProfile, at now: Date) {
        academyName = profile.academyName
        contactEmail = profile.contactEmail
        contactPhone = profile.contactPhone
        contactURL = profile.contactURL
        updatedAt = now
    }
}
