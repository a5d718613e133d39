import Fluent
import Foundation

/// How one course takes enrolments; a course without a row takes everyone, any time, without limit.
/// The key is stored as typed, because trainers must be able to read it back to their learners.
final class EnrolmentSettings: Model, @unchecked Sendable {
    static let schema = "enrolment_settings"

    @ID(custom: "course_id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "enrolment_key") var enrolmentKey: String?
    /// "YYYY-MM-DD", Europe/Brussels, included.
    @OptionalField(key: "opens_on") var opensOn: String?
    @OptionalField(key: "closes_on") var closesOn: String?
    @OptionalField(key: "capacity") var capacity: Int?
    /// Board code -> seats reserved for its members, within `capacity`.
    @OptionalField(key: "reserved_seats") var reservedSeats: [String: Int]?
    @Field(key: "waiting_list") var waitingList: Bool

    init() {}

    init(courseID: UUID, enrolmentKey: String? = nil, opensOn: String? = nil, closesOn: String? = nil,
         capacity: Int? = nil, reservedSeats: [String: Int]? = nil, waitingList: Bool = false) {
        self.id = courseID
        self.enrolmentKey = enrolmentKey
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.capacity = capacity
        self.reservedSeats = reservedSeats
        self.waitingList = waitingList
    }

    /// Days that do not parse are ignored rather than closing the course; the writer validates them.
    var rules: EnrolmentRules {
        EnrolmentRules(key: enrolmentKey, opensOn: opensOn.flatMap(CalendarDay.init(iso:)),
                       closesOn: closesOn.flatMap(CalendarDay.init(iso:)), capacity: capacity,
                       reservedSeats: reservedSeats ?? [:], waitingList: waitingList)
    }
}
