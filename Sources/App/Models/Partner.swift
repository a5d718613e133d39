import Fluent
import Foundation

/// A partner platform (medi-Campus, Meduca, IPSA) or an accreditation body that receives records: those
/// of the given bodies and of the given courses.
final class Partner: Model, @unchecked Sendable {
    static let schema = "partners"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "contact") var contact: String?
    @Field(key: "bodies") var bodies: [String]
    @Field(key: "course_ids") var courseIDs: [UUID]
    @Field(key: "created_at") var createdAt: Date
    @Children(for: \.$partner) var tokens: [APIToken]

    init() {}

    init(name: String, contact: String?, bodies: [String], courseIDs: [UUID], now: Date = Date()) {
        self.name = name
        self.contact = contact
        self.bodies = bodies
        self.courseIDs = courseIDs
        self.createdAt = now
    }

    var scope: RecordScope { RecordScope(bodies: Set(bodies), courseIDs: Set(courseIDs)) }
}
