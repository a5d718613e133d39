import Foundation

/// The enrolment settings of one course as the policy reads them (the `EnrolmentSettings` row, parsed).
public struct EnrolmentRules: Sendable, Equatable {
    /// Typed by the learner on the course page; `nil` or blank means no key is asked.
    public var key: String?
    /// First and last day on which enrolling is possible, both included, in Europe/Brussels.
    public var opensOn: CalendarDay?
    public var closesOn: CalendarDay?
    /// Active enrolments at most; `nil` means unlimited (reserved seats then mean nothing).
    public var capacity: Int?
    /// Seats within `capacity` that only members of a care board (by code) may take.
    public var reservedSeats: [String: Int]
    /// When full, put the learner on a waiting list instead of refusing.
    public var waitingList: Bool

    public init(key: String? = nil, opensOn: CalendarDay? = nil, closesOn: CalendarDay? = nil, capacity: Int? = nil,
                reservedSeats: [String: Int] = [:], waitingList: Bool = false) {
        self.key = key
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.capacity = capacity
        self.reservedSeats = reservedSeats
        self.waitingList = waitingList
    }

    /// A course without settings: open to everyone, any time, without limit.
    public static let open = EnrolmentRules()

    public var asksKey: Bool {
        !(key?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true)
    }
}

/// The active enrolments of a course now: in total, and those holding a seat reserved for a board.
public struct EnrolmentCounts: Sendable, Equatable {
    public var active: Int
    /// Board code -> active enrolments that took one of that board's reserved seats.
    public var reservedTaken: [String: Int]

    public init(active: Int, reservedTaken: [String: Int] = [:]) {
        self.active = active
        self.reservedTaken = reservedTaken
    }

    /// Counts from the seat each active enrolment holds (`nil`: a general seat).
    public init(seats: [String?]) {
        active = seats.count
        reservedTaken = seats.compactMap { $0 }.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}

/// Which seat an enrolment takes: one of the general pool or one reserved for a care board.
public enum EnrolmentSeat: Sendable, Equatable {
    case general
    case reserved(board: String)

    /// As stored on the enrolment (`seat_board`).
    public var board: String? {
        if case .reserved(let board) = self { return board }
        return nil
    }
}

public enum EnrolmentRefusal: String, Sendable, Equatable, CaseIterable {
    case notOpenYet = "not-open-yet"
    case closed
    case keyRequired = "key-required"
    case wrongKey = "wrong-key"
    case full
}

public enum EnrolmentOutcome: Sendable, Equatable {
    case enrolled(EnrolmentSeat)
    case waiting
    case refused(EnrolmentRefusal)
}

/// Decides one enrolment request from the course's rules, the counts at this moment and the person's
/// boards. The caller must hold the course's lock between reading the counts and writing the result.
public struct EnrolmentPolicy: Sendable {
    public let rules: EnrolmentRules

    public init(rules: EnrolmentRules) {
        self.rules = rules
    }

    /// - Parameters:
    ///   - today: the day in Europe/Brussels.
    ///   - presentedKey: what the learner typed, if anything.
    ///   - keyAlreadyGiven: the learner gave the right key before (kept on an earlier enrolment).
    ///   - boards: codes of the boards the person is a member of today.
    public func decide(today: CalendarDay, presentedKey: String?, keyAlreadyGiven: Bool = false,
                       boards: Set<String>, counts: EnrolmentCounts) -> EnrolmentOutcome {
        if let opensOn = rules.opensOn, today < opensOn { return .refused(.notOpenYet) }
        if let closesOn = rules.closesOn, closesOn < today { return .refused(.closed) }
        if let refusal = keyRefusal(presentedKey, keyAlreadyGiven: keyAlreadyGiven) { return .refused(refusal) }
        if let seat = seat(boards: boards, counts: counts) { return .enrolled(seat) }
        return rules.waitingList ? .waiting : .refused(.full)
    }

    /// `nil` when the key is not asked, was given before, or matches (compared in constant time).
    public func keyRefusal(_ presented: String?, keyAlreadyGiven: Bool) -> EnrolmentRefusal? {
        guard rules.asksKey, let key = rules.key, !keyAlreadyGiven else { return nil }
        guard let presented, !presented.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .keyRequired }
        return AccessEvaluator.sameKey(presented, key) ? nil : .wrongKey
    }

    /// The seat a person would take now, or `nil` when none is free for them. A board member takes a seat
    /// reserved for one of their boards first (the first board code in order), then a general one.
    public func seat(boards: Set<String>, counts: EnrolmentCounts) -> EnrolmentSeat? {
        guard let capacity = rules.capacity else { return .general }
        guard counts.active < capacity else { return nil }
        for board in boards.sorted() {
            let reserved = max(0, rules.reservedSeats[board] ?? 0)
            if (counts.reservedTaken[board] ?? 0) < reserved { return .reserved(board: board) }
        }
        let reservedTotal = rules.reservedSeats.values.reduce(0) { $0 + max(0, $1) }
        let reservedInUse = counts.reservedTaken.values.reduce(0, +)
        let generalPool = max(0, capacity - reservedTotal)
        return counts.active - reservedInUse < generalPool ? .general : nil
    }

    /// Free seats for someone without a reserved seat, for the course page (`nil`: unlimited).
    public func generalSeatsLeft(counts: EnrolmentCounts) -> Int? {
        guard let capacity = rules.capacity else { return nil }
        let reservedTotal = rules.reservedSeats.values.reduce(0) { $0 + max(0, $1) }
        let general = max(0, capacity - reservedTotal) - (counts.active - counts.reservedTaken.values.reduce(0, +))
        return max(0, min(general, capacity - counts.active))
    }
}
