import Foundation

/// The things access rules name, as stable keys. Each key type keeps unknown values instead of refusing
/// them, so that a rule naming a key this version does not know is still read, then denied and reported.
public protocol AccessKey: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible where RawValue == String {
    init(_ rawValue: String)
    static var known: [Self] { get }
}

extension AccessKey {
    public init(rawValue: String) { self.init(rawValue) }
    public init(stringLiteral value: String) { self.init(value) }
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var isKnown: Bool { Self.known.contains(self) }
    public var description: String { rawValue }
}

/// The provinces (and Brussels) in which the primary care zones lie.
public struct Province: AccessKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let antwerpen: Province = "antwerpen"
    public static let limburg: Province = "limburg"
    public static let oostVlaanderen: Province = "oost-vlaanderen"
    public static let vlaamsBrabant: Province = "vlaams-brabant"
    public static let westVlaanderen: Province = "west-vlaanderen"
    public static let brussel: Province = "brussel"
    public static let known: [Province] = [.antwerpen, .limburg, .oostVlaanderen, .vlaamsBrabant, .westVlaanderen, .brussel]
}

/// The four clusters a care board's members come from.
public struct CareBoardCluster: AccessKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let localAuthorities: CareBoardCluster = "local-authorities"
    public static let care: CareBoardCluster = "care"
    public static let welfare: CareBoardCluster = "welfare"
    /// Representatives of people with a care need.
    public static let careUsers: CareBoardCluster = "care-users"
    public static let known: [CareBoardCluster] = [.localAuthorities, .care, .welfare, .careUsers]
}

/// What someone is in a care board. A chair is also a member, but rules name roles literally:
/// `member` does not include `chair` unless the membership row says so.
public struct BoardRole: AccessKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let staff: BoardRole = "staff"
    public static let member: BoardRole = "member"
    public static let chair: BoardRole = "chair"
    public static let known: [BoardRole] = [.staff, .member, .chair]
}

/// A role on the academy itself (mirrors `User.Role`).
public struct PlatformRole: AccessKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let learner: PlatformRole = "learner"
    public static let trainer: PlatformRole = "trainer"
    public static let admin: PlatformRole = "admin"
    public static let known: [PlatformRole] = [.learner, .trainer, .admin]
}

/// A profession key as `Profession` defines them ("gp", "home-nurse", ...).
public struct ProfessionKey: AccessKey {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(_ profession: Profession) { self.rawValue = profession.rawValue }
    public var profession: Profession? { Profession(rawValue: rawValue) }
    public static let known: [ProfessionKey] = Profession.allCases.map(ProfessionKey.init)
}

/// A calendar day as rules write it ("2026-03-01"), interpreted in Europe/Brussels.
public struct CalendarDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public static let timeZone = BrusselsTime.timeZone

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD".
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day it is in Brussels at `date`.
    public init(_ date: Date, timeZone: TimeZone = CalendarDay.timeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.year = parts.year!
        self.month = parts.month!
        self.day = parts.day!
    }

    /// The first instant of this day in Brussels (00:00 local; DST changes happen at 02:00/03:00 there).
    public func start(timeZone: TimeZone = CalendarDay.timeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// The first instant of the next day: `until` days are open up to, not including, this instant.
    public func end(timeZone: TimeZone = CalendarDay.timeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(byAdding: .day, value: 1, to: start(timeZone: timeZone))!
    }

    public var iso: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public var description: String { iso }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDay(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a calendar day written YYYY-MM-DD")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
