import Foundation

/// The participants list as CSV (RFC 4180, comma-separated, UTF-8): the learner, status, dates, score,
/// the required modules done, then one column per module of the course's current version with its state.
/// Fields go through `RecordExportFormat.csvField`, which also defuses spreadsheet formulas.
struct ParticipantCSV: Sendable {
    let language: Language
    /// The fixed columns' headings, already in the reader's language.
    let headings: [String]
    let modules: [(key: String, title: String)]
    let statusLabels: [ParticipantQuery.Status: String]
    let stateLabels: [LearnerProgress.State: String]

    func header() -> String {
        (headings + modules.map(\.title)).map { RecordExportFormat.csvField($0, separator: ",") }.joined(separator: ",") + "\r\n"
    }

    func line(_ row: ParticipantList.Row) -> String {
        var fields: [String] = [
            row.name,
            row.email,
            statusLabels[row.listStatus] ?? row.listStatus.rawValue,
            row.enrolledAt.map(Self.isoDay) ?? "",
            row.lastSeenAt.map(Self.isoDay) ?? "",
            row.completedAt.map(Self.isoDay) ?? "",
            row.scoreScaled.map { String(Int(($0 * 100).rounded())) } ?? "",
            row.progress.map { String($0.requiredDone) } ?? "",
            row.progress.map { String($0.requiredTotal) } ?? "",
        ]
        for module in modules {
            fields.append(row.progress.map { stateLabels[$0.state(module.key)] ?? "" } ?? "")
        }
        return fields.map { RecordExportFormat.csvField($0, separator: ",") }.joined(separator: ",") + "\r\n"
    }

    /// "2027-03-03" in Brussels, written by hand: it runs for every row.
    static func isoDay(_ date: Date) -> String {
        CalendarDay(date).description
    }
}
