import Vapor

/// The insight page's charts and their text alternatives, in the reader's language: every chart comes with
/// a one-sentence summary (its <figcaption>) and a table holding the same figures.
struct InsightCharts {
    typealias Page = TrainerCoursesController.InsightPage

    let facts: [TrainerCoursesController.Fact]
    let weeks: Page.ColumnFigure
    let funnel: Page.BarFigure
    let scores: Page.ColumnFigure
    let boards: Page.BarFigure
    let provinces: Page.BarFigure

    init(insight: CourseInsight, request req: Request) {
        let format = WorkspaceFormat(language: req.language)
        let lang = req.language
        let enrolledSeries = req.t("workspace.insight.series.enrolled")
        let completedSeries = req.t("workspace.insight.series.completed")
        let median = insight.medianSecondsToComplete.map { Self.duration($0, request: req) }

        facts = [
            .init(label: req.t("workspace.figure.enrolled"), value: format.count(insight.enrolled)),
            .init(label: req.t("workspace.figure.completed"), value: format.count(insight.completed)),
            .init(label: req.t("workspace.insight.rate"),
                  value: format.share(WorkspaceFormat.percentage(insight.completed, of: insight.enrolled))),
            .init(label: req.t("workspace.insight.median"), value: median ?? req.t("workspace.none")),
        ]

        // Enrolments and completions per week.
        let weekTotal = (insight.weeks.map(\.enrolled).reduce(0, +), insight.weeks.map(\.completed).reduce(0, +))
        let busiest = insight.weeks.max { $0.enrolled < $1.enrolled }
        let weekSummary = req.t("workspace.insight.weeks.summary", String(insight.weeks.count), format.count(weekTotal.0),
                                format.count(weekTotal.1), busiest.map { format.day($0.start) } ?? "")
        weeks = Page.ColumnFigure(
            chart: ColumnChart(
                id: "chart-weeks", title: req.t("workspace.insight.weeks.title"), description: weekSummary,
                series: [enrolledSeries, completedSeries],
                points: insight.weeks.map { week in
                    let label = req.t("workspace.insight.week.of", format.day(week.start))
                    return (label: format.shortDay(week.start), values: [week.enrolled, week.completed],
                            tooltips: ["\(label): \(week.enrolled) \(enrolledSeries.lowercased())",
                                       "\(label): \(week.completed) \(completedSeries.lowercased())"])
                }),
            summary: weekSummary,
            table: .init(caption: req.t("workspace.insight.weeks.title"),
                         headings: [req.t("workspace.insight.week"), enrolledSeries, completedSeries],
                         rows: insight.weeks.reversed().map { [format.day($0.start), format.count($0.enrolled), format.count($0.completed)] },
                         hasRows: !insight.weeks.isEmpty),
            empty: weekTotal.0 == 0 && weekTotal.1 == 0)

        // The funnel per module.
        let reachedSeries = req.t("workspace.insight.series.reached")
        let doneSeries = req.t("workspace.insight.series.done")
        let steps = insight.funnel
        let titled = steps.map { ($0, $0.title.text(in: lang.rawValue) ?? $0.key) }
        // Where most learners stop: the largest fall in "done" from one module to the next.
        var drop: (title: String, count: Int)?
        for (index, step) in titled.enumerated() where index > 0 {
            let fall = titled[index - 1].0.done - step.0.done
            if fall > (drop?.count ?? 0) { drop = (step.1, fall) }
        }
        let funnelSummary = steps.isEmpty ? req.t("workspace.insight.funnel.empty")
            : drop.map { req.t("workspace.insight.funnel.summary", $0.title, format.count($0.count)) }
                ?? req.t("workspace.insight.funnel.no.drop")
        funnel = Page.BarFigure(
            chart: BarChart(
                id: "chart-funnel", title: req.t("workspace.insight.funnel.title"), description: funnelSummary,
                series: [reachedSeries, doneSeries],
                rows: titled.map { (label: $0.1 + ($0.0.required ? "" : " " + req.t("workspace.insight.optional")), values: [$0.0.reached, $0.0.done]) },
                maximum: insight.enrolled,
                valueText: { value, _ in format.count(value) }),
            summary: funnelSummary,
            table: .init(caption: req.t("workspace.insight.funnel.title"),
                         headings: [req.t("workspace.insight.module"), reachedSeries, doneSeries, req.t("workspace.insight.share.done")],
                         rows: titled.map { [$0.1, format.count($0.0.reached), format.count($0.0.done),
                                             format.share(WorkspaceFormat.percentage($0.0.done, of: insight.enrolled))] },
                         hasRows: !steps.isEmpty),
            empty: steps.isEmpty || insight.enrolled == 0)

        // Scores in tenths.
        let bands = (0..<10).map { "\($0 * 10)–\($0 == 9 ? 100 : $0 * 10 + 9)" }
        let scored = insight.scored
        let modeIndex = insight.scoreBuckets.indices.max { insight.scoreBuckets[$0] < insight.scoreBuckets[$1] } ?? 0
        let scoreSummary = scored == 0 ? req.t("workspace.insight.scores.empty")
            : req.t("workspace.insight.scores.summary", format.count(scored), bands[modeIndex] + (lang == .en ? "%" : " %"))
        scores = Page.ColumnFigure(
            chart: ColumnChart(
                id: "chart-scores", title: req.t("workspace.insight.scores.title"), description: scoreSummary,
                series: [req.t("workspace.insight.series.completions")],
                points: insight.scoreBuckets.enumerated().map { index, count in
                    (label: "\(index * 10)", values: [count], tooltips: ["\(bands[index]) %: \(count)"])
                }),
            summary: scoreSummary,
            table: .init(caption: req.t("workspace.insight.scores.title"),
                         headings: [req.t("workspace.insight.score.band"), req.t("workspace.insight.series.completions")],
                         rows: insight.scoreBuckets.enumerated().map { [bands[$0.offset] + (lang == .en ? "%" : " %"), format.count($0.element)] },
                         hasRows: true),
            empty: scored == 0)

        // Care boards and provinces.
        let withoutBoard = req.t("workspace.insight.without.board")
        var boardRows: [(label: String, values: [Int])] = insight.boards.map { (label: $0.name, values: [$0.enrolled, $0.completed]) }
        if insight.withoutBoard > 0 { boardRows.append((label: withoutBoard, values: [insight.withoutBoard, insight.withoutBoardCompleted])) }
        let boardSummary = insight.boards.isEmpty ? req.t("workspace.insight.boards.empty")
            : req.t("workspace.insight.boards.summary", String(insight.boards.count), insight.boards[0].name,
                    format.count(insight.boards[0].enrolled), format.count(insight.withoutBoard))
        boards = Page.BarFigure(
            chart: BarChart(id: "chart-boards", title: req.t("workspace.insight.boards.title"), description: boardSummary,
                            series: [enrolledSeries, completedSeries], rows: boardRows,
                            valueText: { value, _ in format.count(value) }),
            summary: boardSummary,
            table: .init(caption: req.t("workspace.insight.boards.title"),
                         headings: [req.t("workspace.insight.board"), enrolledSeries, completedSeries],
                         rows: insight.boards.map { [$0.name, format.count($0.enrolled), format.count($0.completed)] }
                            + [[withoutBoard, format.count(insight.withoutBoard), format.count(insight.withoutBoardCompleted)]],
                         hasRows: true),
            empty: insight.boards.isEmpty)
        let provinceName = { (key: String) in Province(key).name(in: lang) }
        let provinceSummary = insight.provinces.isEmpty ? req.t("workspace.insight.boards.empty")
            : req.t("workspace.insight.provinces.summary", provinceName(insight.provinces[0].key), format.count(insight.provinces[0].enrolled))
        provinces = Page.BarFigure(
            chart: BarChart(id: "chart-provinces", title: req.t("workspace.insight.provinces.title"), description: provinceSummary,
                            series: [enrolledSeries, completedSeries],
                            rows: insight.provinces.map { (label: provinceName($0.key), values: [$0.enrolled, $0.completed]) },
                            valueText: { value, _ in format.count(value) }),
            summary: provinceSummary,
            table: .init(caption: req.t("workspace.insight.provinces.title"),
                         headings: [req.t("workspace.insight.province"), enrolledSeries, completedSeries],
                         rows: insight.provinces.map { [provinceName($0.key), format.count($0.enrolled), format.count($0.completed)] },
                         hasRows: !insight.provinces.isEmpty),
            empty: insight.provinces.isEmpty)
    }

    /// "12 dagen", "5 uur", "40 minuten".
    static func duration(_ seconds: Double, request: Request) -> String {
        let minutes = Int((seconds / 60).rounded())
        if minutes >= 2 * 24 * 60 { return request.t("workspace.duration.days", String(Int((Double(minutes) / 1440).rounded()))) }
        if minutes >= 120 { return request.t("workspace.duration.hours", String(Int((Double(minutes) / 60).rounded()))) }
        return request.t("workspace.duration.minutes", String(max(minutes, 1)))
    }
}
