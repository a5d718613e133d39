import Foundation

/// Geometry of the workspace's server-rendered SVG charts, as plain numbers a template lays out: no
/// JavaScript, no drawing in the template. The drawing is 320 units wide, about the width of a phone's content
/// column, so that text keeps its size at 390 px (the page caps the width on wide screens).
/// Titles, descriptions and labels arrive already in the reader's language; the page adds the table or
/// summary that carries the same figures as text.
enum ChartGeometry {
    static let width = 320.0
    /// The average width of a character of the charts' 13 px text, in drawing units.
    static let characterWidth = 7.2

    /// Rounded to a tenth, which is all an SVG coordinate needs and keeps the page short.
    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// An axis maximum at or above `value` on a 1-2-2.5-5 step, and that step, for about `ticks` gridlines.
    static func niceScale(_ value: Int, ticks: Int = 4) -> (maximum: Int, step: Int) {
        guard value > 0 else { return (maximum: ticks, step: 1) }
        let rough = Double(value) / Double(ticks)
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let whole = max(Int(step.rounded(.up)), 1)
        return (maximum: whole * Int((Double(value) / Double(whole)).rounded(.up)), step: whole)
    }

    /// Labels are cut to what fits in `units` (the table keeps them whole).
    static func fit(_ label: String, units: Double = width) -> String {
        let most = max(Int(units / characterWidth), 4)
        guard label.count > most else { return label }
        return String(label.prefix(most - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }

    struct LegendItem: Encodable, Equatable {
        let label: String
        let cssClass: String
        let x: Double
        let textX: Double
    }

    /// Legend entries in one line at the top: a swatch then the label.
    static func legend(_ series: [String]) -> [LegendItem] {
        var x = 0.0
        return series.enumerated().map { index, label in
            let item = LegendItem(label: label, cssClass: "series-\(index + 1)", x: x, textX: x + 16)
            x += 16 + Double(label.count) * characterWidth + 16
            return item
        }
    }
}

/// Horizontal bars, one group per labelled row, for categories with long names (modules, care boards,
/// provinces): the label sits above its bars, so nothing is cut at 390 px.
struct BarChart: Encodable, Equatable {
    struct Bar: Encodable, Equatable {
        let y: Double
        let width: Double
        let height: Double
        let cssClass: String
        /// The figure written after the bar, and where.
        let value: String
        let valueX: Double
        let valueY: Double
    }

    struct Row: Encodable, Equatable {
        let label: String
        let labelY: Double
        let bars: [Bar]
    }

    let id: String
    let title: String
    let description: String
    let width: Double
    let height: Double
    let legend: [ChartGeometry.LegendItem]
    let hasLegend: Bool
    let rows: [Row]

    static let labelHeight = 16.0
    static let barHeight = 12.0
    static let barGap = 2.0
    static let rowGap = 10.0
    static let legendHeight = 22.0
    /// Room after the longest bar for its figure.
    static let valueRoom = 56.0

    /// `values[i]` holds one figure per series; bars are scaled to `maximum` (default: the largest figure).
    init(id: String, title: String, description: String, series: [String], rows: [(label: String, values: [Int])],
         maximum: Int? = nil, valueText: (Int, Int) -> String = { value, _ in String(value) }) {
        self.id = id
        self.title = title
        self.description = description
        width = ChartGeometry.width
        legend = series.count > 1 ? ChartGeometry.legend(series) : []
        hasLegend = series.count > 1
        let largest = max(maximum ?? 0, rows.flatMap(\.values).max() ?? 0, 1)
        let span = width - Self.valueRoom
        var y = hasLegend ? Self.legendHeight : 0
        var laid: [Row] = []
        for row in rows {
            let labelY = y + 12
            y += Self.labelHeight
            var bars: [Bar] = []
            for (index, value) in row.values.enumerated() {
                let length = ChartGeometry.round(span * Double(max(value, 0)) / Double(largest))
                bars.append(Bar(y: ChartGeometry.round(y), width: length, height: Self.barHeight, cssClass: "series-\(index + 1)",
                                value: valueText(value, index), valueX: ChartGeometry.round(length + 4),
                                valueY: ChartGeometry.round(y + Self.barHeight - 2)))
                y += Self.barHeight + Self.barGap
            }
            laid.append(Row(label: ChartGeometry.fit(row.label), labelY: ChartGeometry.round(labelY), bars: bars))
            y += Self.rowGap
        }
        self.rows = laid
        height = ChartGeometry.round(max(y, 20))
    }
}
