import Foundation

/// Accreditation points added up per calendar year and body, with the part per rubric: what a GP checks
/// for the accreditation cycle ("20 CP a year, 3 of them in Ethics & Economics").
struct PointsTally: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var body: String
        var unit: String
        var rubric: String?
        var points: Double
        /// "YYYY-MM-DD", Europe/Brussels.
        var completedOn: String
    }

    struct Row: Sendable, Equatable {
        var year: Int
        var body: String
        var unit: String
        var total: Double
        /// Points per rubric, rubrics in order; records without a rubric are left out here.
        var byRubric: [(rubric: String, points: Double)]

        static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.year == rhs.year && lhs.body == rhs.body && lhs.unit == rhs.unit && lhs.total == rhs.total
                && lhs.byRubric.map(\.rubric) == rhs.byRubric.map(\.rubric) && lhs.byRubric.map(\.points) == rhs.byRubric.map(\.points)
        }
    }

    var rows: [Row]

    /// Newest year first, bodies in alphabetical order.
    init(_ entries: [Entry]) {
        struct Key: Hashable { let year: Int, body: String, unit: String }
        var groups: [Key: [Entry]] = [:]
        for entry in entries {
            guard let year = Int(entry.completedOn.prefix(4)) else { continue }
            groups[Key(year: year, body: entry.body, unit: entry.unit), default: []].append(entry)
        }
        rows = groups.map { key, entries in
            var perRubric: [String: Double] = [:]
            for entry in entries { if let rubric = entry.rubric { perRubric[rubric, default: 0] += entry.points } }
            return Row(year: key.year, body: key.body, unit: key.unit, total: entries.reduce(0) { $0 + $1.points },
                       byRubric: perRubric.sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }
                           .map { (rubric: $0.key, points: $0.value) })
        }
        .sorted { ($1.year, $0.body, $0.unit) < ($0.year, $1.body, $1.unit) }
    }
}
