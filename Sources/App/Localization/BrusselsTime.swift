import Foundation

/// Dates and times as people in Belgium read them: stored in UTC, shown in Europe/Brussels.
public enum BrusselsTime {
    public static let timeZone = TimeZone(identifier: "Europe/Brussels")!

    static let monthNames: [Language: [String]] = [
        .nl: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        .fr: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        .en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    ]

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// "14:05"
    public static func clock(_ date: Date, language: Language) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// "3 maart 2027"
    public static func day(_ date: Date, language: Language) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.day ?? 1) \(monthNames[language]![(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
    }

    /// "2027-03-03" (a calendar day as manifests write it) as "3 maart 2027"; the text itself if it is not such a day.
    public static func day(iso text: String, language: Language) -> String {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]) else { return text }
        return "\(parts[2]) \(monthNames[language]![parts[1] - 1]) \(parts[0])"
    }

    /// "1 u 30 min", "45 min"
    public static func duration(minutes: Int, language: Language) -> String {
        let hours = minutes / 60, rest = minutes % 60
        let hourUnit = language == .en ? "h" : (language == .fr ? "h" : "u")
        if hours == 0 { return "\(rest) min" }
        if rest == 0 { return "\(hours) \(hourUnit)" }
        return "\(hours) \(hourUnit) \(rest) min"
    }
}
