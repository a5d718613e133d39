@testable import App
import Foundation
import Testing

@Suite struct ChartGeometryTests {
    @Test func niceScaleRoundsUpToOneTwoFiveSteps() {
        #expect(ChartGeometry.niceScale(0) == (maximum: 4, step: 1))
        #expect(ChartGeometry.niceScale(3) == (maximum: 3, step: 1))
        #expect(ChartGeometry.niceScale(7) == (maximum: 8, step: 2))
        #expect(ChartGeometry.niceScale(87) == (maximum: 100, step: 25))
        #expect(ChartGeometry.niceScale(1_234) == (maximum: 1_500, step: 500))
    }

    @Test func barsAreScaledToTheLargestFigureAndLeaveRoomForTheirValue() {
        let chart = BarChart(id: "c", title: "T", description: "D", series: ["Begonnen", "Klaar"],
                             rows: [(label: "Module 1", values: [100, 50]), (label: "Module 2", values: [40, 0])])

        #expect(chart.hasLegend)
        #expect(chart.legend.map(\.cssClass) == ["series-1", "series-2"])
        #expect(chart.rows.count == 2)
        let longest = chart.rows[0].bars[0]
        #expect(longest.width == ChartGeometry.width - BarChart.valueRoom, "the largest figure spans the bar area")
        #expect(chart.rows[0].bars[1].width == longest.width / 2)
        #expect(chart.rows[1].bars[1].width == 0)
        #expect(longest.valueX == longest.width + 4, "the figure follows its bar")
        #expect(chart.rows[1].labelY > chart.rows[0].bars[1].y, "rows do not overlap")
        #expect(chart.height >= chart.rows[1].bars[1].y + BarChart.barHeight)
    }

    @Test func barsCanBeScaledToAGivenMaximumAndLongLabelsAreCut() {
        let long = String(repeating: "Zorgcoördinatie ", count: 10)
        let chart = BarChart(id: "c", title: "T", description: "D", series: ["Klaar"],
                             rows: [(label: long, values: [25])], maximum: 100)

        #expect(!chart.hasLegend, "one series needs no legend")
        #expect(chart.rows[0].bars[0].width == ((ChartGeometry.width - BarChart.valueRoom) / 4 * 10).rounded() / 10)
        #expect(chart.rows[0].label.hasSuffix("…"))
        #expect(Double(chart.rows[0].label.count) * ChartGeometry.characterWidth <= ChartGeometry.width)
    }

    @Test func columnsStandOnTheBaselineWithGridlinesAndSparseLabels() {
        let points = (0..<26).map { (label: "w\($0)", values: [$0, $0 / 2], tooltips: ["e\($0)", "c\($0)"]) }
        let chart = ColumnChart(id: "w", title: "T", description: "D", series: ["Ingeschreven", "Afgerond"], points: points)

        #expect(chart.gridLines.first?.label == "0")
        #expect(chart.gridLines.first?.y == chart.baseline)
        #expect(chart.gridLines.last?.label == "25" || chart.gridLines.last?.label == "30")
        for column in chart.columns {
            #expect(((column.y + column.height) * 10).rounded() / 10 == chart.baseline || abs(column.y + column.height - chart.baseline) < 0.11)
            #expect(column.x >= chart.plotLeft && column.x + column.width <= chart.plotRight + 0.1)
        }
        #expect(chart.columns.count == 25 + 24, "zero figures draw no column")
        #expect(chart.axisLabels.count <= ColumnChart.maxLabels)
        #expect(chart.axisLabels.last?.text == "w25", "the newest point is always labelled")
        #expect(chart.axisLabels.last?.anchor == "end" && chart.axisLabels.last?.x == chart.plotRight, "and ends inside the drawing")
        let tallest = chart.columns.first { $0.tooltip == "e25" }
        #expect(tallest.map { $0.y >= chart.gridLines.last!.y } == true, "nothing rises above the top gridline")
    }

    @Test func anEmptyChartStillHasAnAxis() {
        let chart = ColumnChart(id: "s", title: "T", description: "D", series: ["Afrondingen"],
                                points: (0..<10).map { (label: "\($0 * 10)", values: [0], tooltips: []) })
        #expect(chart.columns.isEmpty)
        #expect(chart.gridLines.count == 5)
        #expect(chart.axisLabels.contains { $0.text == "90" })
    }
}

@Suite struct WorkspaceFormatTests {
    @Test func countsAndSharesFollowTheLanguage() {
        #expect(WorkspaceFormat(language: .nl).count(20_000) == "20.000")
        #expect(WorkspaceFormat(language: .en).count(1_234_567) == "1,234,567")
        #expect(WorkspaceFormat(language: .fr).count(999) == "999")
        #expect(WorkspaceFormat(language: .fr).count(12_500) == "12\u{202F}500")
        #expect(WorkspaceFormat(language: .nl).percent(0.856) == "86\u{00A0}%")
        #expect(WorkspaceFormat(language: .en).share(40) == "40%")
        #expect(WorkspaceFormat.percentage(1, of: 3) == 33)
        #expect(WorkspaceFormat.percentage(5, of: 0) == 0)
    }
}

@Suite struct ParticipantQueryTests {
    @Test func readsAndWritesTheQueryString() {
        let query = ParticipantQuery(parameters: ["q": "  Peeters ", "status": "in-progress", "page": "3"])
        #expect(query.text == "Peeters")
        #expect(query.status == .inProgress)
        #expect(query.page == 3)
        #expect(query.queryString == "q=Peeters&status=in-progress&page=3")
        #expect(ParticipantQuery(parameters: ["status": "nonsense", "page": "-2"]) == ParticipantQuery())
        #expect(SiteRoute.trainer(.participantsCSV(slug: "a b", query: query)).path == "/trainer/courses/a%20b/participants.csv?q=Peeters&status=in-progress")
    }

    @Test func theSearchPatternEscapesLikeWildcards() {
        #expect(ParticipantQuery(text: "50%_A\\").likePattern == "%50\\%\\_a\\\\%")
        #expect(ParticipantQuery().likePattern == nil)
    }
}
