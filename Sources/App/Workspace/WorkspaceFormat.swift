import Foundation

/// Figures as the workspace shows them in the reader's language: "20.000" / "20 000" / "20,000",
/// "85 %" / "85%", days in Europe/Brussels.
struct WorkspaceFormat: Sendable {
    let language: Language

    func count(_ value: Int) -> String {
        let separator: String
        switch language {
        case .nl: separator = "."
        case .fr: separator = "\u{202F}"
        case .en: separator = ","
        }
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += separator }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A scaled score (-1...1) as a whole percentage.
    func percent(_ scaled: Double) -> String {
        share(Int((scaled * 100).rounded()))
    }

    /// A whole percentage: "85 %" (nl, fr, with a no-break space), "85%" (en).
    func share(_ value: Int) -> String {
        language == .en ? "\(value)%" : "\(value)\u{00A0}%"
    }

    /// `part` of `whole` as a whole percentage, 0 when `whole` is 0.
    static func percentage(_ part: Int, of whole: Int) -> Int {
        whole == 0 ? 0 : Int((Double(part) / Double(whole) * 100).rounded())
    }

    func day(_ date: Date) -> String {
        BrusselsTime.day(date, language: language)
    }

    func dayAndTime(_ date: Date) -> String {
        BrusselsTime.day(date, language: language) + " " + BrusselsTime.clock(date, language: language)
    }

    /// "3/3" (day/month), for chart axes.
    func shortDay(_ date: Date) -> String {
        let parts = BrusselsTime.calendar.dateComponents([.day, .month], from: date)
        return "\(parts.day ?? 1)/\(parts.month ?? 1)"
    }
}
