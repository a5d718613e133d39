/// Time formats of the CMI data model.
/// SCORM 1.2 RTE §3.4.2: CMITimespan (HHHH:MM:SS.SS, hours 2-4 digits, optional 1-2 digit fraction)
/// and CMITime (HH:MM:SS.SS). SCORM 2004 4th Ed. RTE §4.1.1.6/4.1.1.7: timeinterval (second,10,2),
/// an ISO 8601 duration P[yY][mM][dD][T[hH][mM][s[.s]S]], and time (second,10,0), an ISO 8601 timestamp.
import Foundation

public enum CMITimeFormat {
    /// Seconds in a CMITimespan, or nil when the text is not one.
    public static func secondsFromTimespan(_ text: String) -> Double? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3,
              (2...4).contains(parts[0].count), parts[0].allSatisfy(\.isDigit0Through9),
              parts[1].count == 2, parts[1].allSatisfy(\.isDigit0Through9),
              let hours = Int(parts[0]), let minutes = Int(parts[1]), minutes < 60,
              let seconds = secondsField(parts[2]), seconds < 60
        else { return nil }
        return Double(hours * 3600 + minutes * 60) + seconds
    }

    /// Whether the text is a CMITime (a time of day, HH:MM:SS with optional 1-2 digit fraction).
    public static func isTime12(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2,
              parts[0].allSatisfy(\.isDigit0Through9), parts[1].allSatisfy(\.isDigit0Through9),
              let hours = Int(parts[0]), hours < 24, let minutes = Int(parts[1]), minutes < 60,
              let seconds = secondsField(parts[2]), seconds < 60
        else { return false }
        return true
    }

    /// "SS" or "SS.S" or "SS.SS".
    private static func secondsField(_ field: Substring) -> Double? {
        let pieces = field.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 1 || pieces.count == 2,
              pieces[0].count == 2, pieces[0].allSatisfy(\.isDigit0Through9) else { return nil }
        if pieces.count == 2 {
            guard (1...2).contains(pieces[1].count), pieces[1].allSatisfy(\.isDigit0Through9) else { return nil }
        }
        return Double(field)
    }

    /// HHHH:MM:SS.SS with four-digit hours, as SCORM 1.2 reports cmi.core.total_time.
    public static func timespan(seconds: Double) -> String {
        let centis = Int((max(0, seconds) * 100).rounded())
        let hours = min(centis / 360_000, 9999)
        let minutes = (centis / 6000) % 60
        let secs = (centis / 100) % 60
        let fraction = centis % 100
        return String(format: "%04d:%02d:%02d.%02d", hours, minutes, secs, fraction)
    }

    /// Seconds in an ISO 8601 duration as SCORM 2004 allows it, or nil when the text is not one.
    /// Years count as 365 days and months as 30 days: the standard leaves them undefined and
    /// SCOs in practice only send hours, minutes and seconds.
    public static func secondsFromDuration(_ text: String) -> Double? {
        var rest = Substring(text)
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        var total = 0.0
        var sawComponent = false
        var inTimePart = false
        var order = 0 // designators must appear in order Y M D T H M S
        while !rest.isEmpty {
            if rest.first == "T" {
                guard !inTimePart else { return nil }
                inTimePart = true
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil } // "PT" or "P1DT" has nothing after T
                continue
            }
            let number = rest.prefix { $0.isDigit0Through9 || $0 == "." }
            rest = rest.dropFirst(number.count)
            guard !number.isEmpty, let designator = rest.first else { return nil }
            rest = rest.dropFirst()
            let isFraction = number.contains(".")
            if isFraction {
                // Only seconds may carry a fraction, and at most two digits (second,10,2).
                let pieces = number.split(separator: ".", omittingEmptySubsequences: false)
                guard designator == "S", inTimePart, pieces.count == 2, !pieces[0].isEmpty,
                      (1...2).contains(pieces[1].count) else { return nil }
            }
            guard let value = Double(number) else { return nil }
            let rank: Int
            let unit: Double
            switch (inTimePart, designator) {
            case (false, "Y"): rank = 1; unit = 365 * 86_400
            case (false, "M"): rank = 2; unit = 30 * 86_400
            case (false, "D"): rank = 3; unit = 86_400
            case (true, "H"): rank = 4; unit = 3600
            case (true, "M"): rank = 5; unit = 60
            case (true, "S"): rank = 6; unit = 1
            default: return nil
            }
            guard rank > order else { return nil }
            order = rank
            total += value * unit
            sawComponent = true
        }
        return sawComponent ? total : nil
    }

    /// An ISO 8601 duration in hours, minutes and seconds with at most two decimals, e.g. "PT1H2M3.5S".
    public static func duration(seconds: Double) -> String {
        let centis = Int((max(0, seconds) * 100).rounded())
        let hours = centis / 360_000
        let minutes = (centis / 6000) % 60
        let secs = (centis / 100) % 60
        let fraction = centis % 100
        var text = "PT"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if secs > 0 || fraction > 0 || (hours == 0 && minutes == 0) {
            text += fraction == 0 ? "\(secs)S"
                : fraction % 10 == 0 ? "\(secs).\(fraction / 10)S" : String(format: "%d.%02dS", secs, fraction)
        }
        return text
    }

    /// Whether the text is a SCORM 2004 time (second,10,0):
    /// YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]] with TZD = Z or +hh[:mm] or -hh[:mm], year 1970...2038.
    public static func isTimestamp2004(_ text: String) -> Bool {
        let pattern = #"^(\d{4})(-(\d{2})(-(\d{2})(T(\d{2})(:(\d{2})(:(\d{2})(\.\d{1,2})?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?)?)?$"#
        guard let regex = try? Regex(pattern), let match = try? regex.wholeMatch(in: text) else { return false }
        func field(_ index: Int) -> Int? {
            guard let slice = match.output[index].substring else { return nil }
            return Int(slice)
        }
        guard let year = field(1), (1970...2038).contains(year) else { return false }
        if let month = field(3), !(1...12).contains(month) { return false }
        if let day = field(5), !(1...31).contains(day) { return false }
        if let hour = field(7), hour > 23 { return false }
        if let minute = field(9), minute > 59 { return false }
        if let second = field(11), second > 59 { return false }
        return true
    }
}

extension Character {
    // Named apart from CourseManifestParser's private isASCIIDigit so both stay unambiguous in that file.
    var isDigit0Through9: Bool { ("0"..."9").contains(self) }
}
