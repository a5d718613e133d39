import Foundation

/// Points as people write them: "1,5 CP" in Dutch and French, "1.5 CP" in English; whole numbers without decimals.
enum CreditPoints {
    static func text(_ points: Double, unit: String, language: Language) -> String {
        let value = points.rounded() == points ? String(Int(points)) : String(format: "%.1f", points)
        return "\(language == .en ? value : value.replacingOccurrences(of: ".", with: ",")) \(unit)"
    }
}
