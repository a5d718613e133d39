import Foundation

/// Vertical columns over an ordered axis (weeks, score bands), one or two series side by side, with
/// horizontal gridlines on a 1-2-5 scale and at most `maxLabels` axis labels.
struct ColumnChart: Encodable, Equatable {
    struct Column: Encodable, Equatable {
        let x: Double
        let y: Double
        let width: Double
        let height: Double
        let cssClass: String
        /// Shown as the column's tooltip (SVG <title>).
        let tooltip: String
    }

    struct GridLine: Encodable, Equatable {
        let y: Double
        let label: String
        let labelY: Double
    }

    struct AxisLabel: Encodable, Equatable {
        let x: Double
        let text: String
        /// SVG text-anchor: the last label ends at the plot's right edge instead of running past it.
        let anchor: String
    }

    let id: String
    let title: String
    let description: String
    let width: Double
    let height: Double
    let plotLeft: Double
    let plotRight: Double
    let baseline: Double
    let axisLabelY: Double
    let legend: [ChartGeometry.LegendItem]
    let hasLegend: Bool
    let gridLines: [GridLine]
    let columns: [Column]
    let axisLabels: [AxisLabel]

    static let plotHeight = 140.0
    static let left = 34.0
    static let right = 4.0
    static let maxLabels = 6

    /// `points[i]` is one axis position with its label, one figure per series and a tooltip per figure.
    init(id: String, title: String, description: String, series: [String],
         points: [(label: String, values: [Int], tooltips: [String])]) {
        self.id = id
        self.title = title
        self.description = description
        width = ChartGeometry.width
        legend = series.count > 1 ? ChartGeometry.legend(series) : []
        hasLegend = series.count > 1
        let top = hasLegend ? 30.0 : 8.0
        baseline = top + Self.plotHeight
        axisLabelY = baseline + 16
        height = baseline + 24
        plotLeft = Self.left
        plotRight = width - Self.right
        let scale = ChartGeometry.niceScale(points.flatMap(\.values).max() ?? 0)
        gridLines = stride(from: 0, through: scale.maximum, by: scale.step).map { value in
            let y = ChartGeometry.round(top + Self.plotHeight * (1 - Double(value) / Double(scale.maximum)))
            return GridLine(y: y, label: String(value), labelY: ChartGeometry.round(y + 4))
        }
        let slot = (width - Self.left - Self.right) / Double(max(points.count, 1))
        let seriesCount = max(series.count, 1)
        // A fifth of each slot stays empty between neighbours; the series share the rest.
        let columnWidth = slot * 0.8 / Double(seriesCount)
        var columns: [Column] = []
        var labels: [AxisLabel] = []
        let every = max(Int((Double(points.count) / Double(Self.maxLabels)).rounded(.up)), 1)
        for (index, point) in points.enumerated() {
            let slotX = Self.left + slot * Double(index)
            for (seriesIndex, value) in point.values.enumerated() where value > 0 {
                let height = Self.plotHeight * Double(value) / Double(scale.maximum)
                columns.append(Column(x: ChartGeometry.round(slotX + slot * 0.1 + columnWidth * Double(seriesIndex)),
                                      y: ChartGeometry.round(baseline - height), width: ChartGeometry.round(columnWidth),
                                      height: ChartGeometry.round(height), cssClass: "series-\(seriesIndex + 1)",
                                      tooltip: seriesIndex < point.tooltips.count ? point.tooltips[seriesIndex] : String(value)))
            }
            // Labels on the last point and every `every`-th before it, so the newest is always named.
            if (points.count - 1 - index) % every == 0 {
                let last = index == points.count - 1
                labels.append(AxisLabel(x: ChartGeometry.round(last ? width - Self.right : slotX + slot / 2), text: point.label,
                                        anchor: last ? "end" : "middle"))
            }
        }
        self.columns = columns
        axisLabels = labels
    }
}
