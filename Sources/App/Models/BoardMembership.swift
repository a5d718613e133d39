import Fluent
import Vapor

/// One person's seat in one care board. One row per person, board and role; validity is a pair of
/// calendar days ("YYYY-MM-DD", Europe/Brussels, both included), open-ended when absent.
final class BoardMembership: Model, @unchecked Sendable {
    static let schema = "board_memberships"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "board_id") var board: CareBoard
    /// A `BoardRole` key.
    @Field(key: "role") var role: String
    /// A `CareBoardCluster` key; staff usually have none.
    @OptionalField(key: "cluster") var cluster: String?
    @OptionalField(key: "valid_from") var validFrom: String?
    @OptionalField(key: "valid_until") var validUntil: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, userID: UUID, boardID: UUID, role: BoardRole, cluster: CareBoardCluster? = nil,
         validFrom: CalendarDay? = nil, validUntil: CalendarDay? = nil) {
        self.id = id
        self.$user.id = userID
        self.$board.id = boardID
        self.role = role.rawValue
        self.cluster = cluster?.rawValue
        self.validFrom = validFrom?.iso
        self.validUntil = validUntil?.iso
    }

    /// The membership as the rule engine sees it, or `nil` when a stored value cannot be read:
    /// an unreadable validity must not turn into an open-ended one.
    func accessMembership(boardCode: String, province: String) -> AccessSubject.Membership? {
        var from: CalendarDay?
        var until: CalendarDay?
        if let validFrom {
            guard let day = CalendarDay(iso: validFrom) else { return nil }
            from = day
        }
        if let validUntil {
            guard let day = CalendarDay(iso: validUntil) else { return nil }
            until = day
        }
        return AccessSubject.Membership(board: boardCode, province: Province(province),
                                        cluster: cluster.map(CareBoardCluster.init), role: BoardRole(role),
                                        validFrom: from, validUntil: until)
    }
}
