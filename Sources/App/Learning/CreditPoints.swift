import Foundation

/// Points as people write them: "1,5 CP" in Dutch and French, "1.5 CP" in English; whole numbers without decimals.
enum CreditPoints {
    static func text(_ points: Double, unit: String, language: Language) -> String {
        let value: String
        if points.rounded() == points {
            value = String(Int(points))
        } else if (points * 2).rounded() == points * 2, abs(points) < 1e9 {
            // Halves (credits come in steps of 0.5) without String(format:), which is slow on Linux.
            value = (points < 0 ? "-" : "") + String(Int(abs(points))) + ".5"
        } else {
            value = String(format: "%.1f", points)
        }
        return "\(language == .en ? value : value.replacingOccurrences(of: ".", with: ",")) \(unit)"
    }
}
