import Foundation

/// When a learner may take a completed course again in a new accreditation cycle, as plain values.
///
/// The rule, in order:
/// 1. Only a finished round is followed by a new one: the enrolment is completed. A learner in progress,
///    on the waiting list, withdrawn or expired has no round to renew.
/// 2. The course takes new rounds only while it is published with a current version; the new round plays that
///    version (learners in progress keep the version they have, as before). Archived courses keep every record.
/// 3. The learner opens the new round themselves when the last round's records have a validity period and it
///    has ended or ends within `window` days: from `validUntil - window` on. With several records (several
///    bodies) the first to end decides. Before that day the answer is "not yet, from that day".
/// 4. Without a validity period (no record that ends, or records still waiting for a registration number) only
///    a trainer or admin opens a new round, with a reason that goes into the audit trail. Staff may also open
///    one early for an accredited course (a learner who must redo it for other reasons).
///
/// A new round never changes an earlier one: its attempts, completion and records stay, and its completion
/// makes a completion and records of its own (see `EnrolmentRound`).
struct CycleRenewal: Sendable, Equatable {
    enum Initiator: Sendable, Equatable {
        case learner
        /// A trainer who manages the course, or an admin.
        case staff
    }

    enum Verdict: Sendable, Equatable {
        case open
        /// The current round is not finished yet.
        case inProgress
        /// Waiting list, withdrawn or expired: no round to renew.
        case notEnrolled
        /// Archived, or without a published version.
        case courseClosed
        /// The learner may start from this day (the window before the record lapses).
        case notYet(opensOn: CalendarDay)
        /// The records do not lapse: a trainer or admin opens a new round.
        case staffOnly
    }

    enum RoundState: Sendable, Equatable {
        case finished, inProgress, notEnrolled
    }

    var round: RoundState
    var courseOpen: Bool
    /// The last days the standing records of the last finished round count (those with a validity period).
    var validUntil: [CalendarDay]

    static let defaultWindowDays = 90

    /// The first of the last round's records to stop counting decides when the course is due again.
    var countsUntil: CalendarDay? { validUntil.min() }

    /// The first day a learner may start again by themselves.
    func opensOn(window: Int = CycleRenewal.defaultWindowDays) -> CalendarDay? {
        countsUntil.map { Self.adding(days: -window, to: $0) }
    }

    func decide(by initiator: Initiator, today: CalendarDay, window: Int = CycleRenewal.defaultWindowDays) -> Verdict {
        switch round {
        case .inProgress: return .inProgress
        case .notEnrolled: return .notEnrolled
        case .finished: break
        }
        guard courseOpen else { return .courseClosed }
        if initiator == .staff { return .open }
        guard let opens = opensOn(window: window) else { return .staffOnly }
        return today >= opens ? .open : .notYet(opensOn: opens)
    }

    /// Whether the record has stopped counting on `today` (its last day is included).
    static func hasLapsed(_ validUntil: CalendarDay, today: CalendarDay) -> Bool { today > validUntil }

    // MARK: Validity periods

    /// The last day a record counts when the accreditation gives it `months` of validity from the completion
    /// day: a completion on 15 March with 36 months counts up to and including 14 March three years on.
    /// Month ends clamp as calendars do: 31 January plus one month is 28 (or 29) February, so it counts until the 27th (28th).
    static func lastDay(completedOn: CalendarDay, months: Int) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDay.timeZone
        let start = completedOn.start()
        let end = calendar.date(byAdding: .month, value: months, to: start) ?? start
        let last = calendar.date(byAdding: .day, value: -1, to: end) ?? end
        return CalendarDay(last)
    }

    static func adding(days: Int, to day: CalendarDay) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDay.timeZone
        // Noon: never near a daylight-saving change, so whole days stay whole days.
        let noon = day.start().addingTimeInterval(12 * 3600)
        return CalendarDay(calendar.date(byAdding: .day, value: days, to: noon) ?? noon)
    }
}
