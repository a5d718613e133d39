import Foundation

/// Writes records in any export format, between `format.header()` and `format.footer(next:)`. Plain formats
/// go record by record; signed formats (ob3) collect a page of records first, so that status list indexes
/// and the learners' sharing choices are read once per page rather than once per record.
struct RecordLineWriter {
    let format: RecordExportFormat
    let site: ExportSite
    let issuance: CredentialIssuance?
    var pageSize = 500
    private var pending: [RecordExportItem] = []
    private var first = true

    init(format: RecordExportFormat, site: ExportSite, issuance: CredentialIssuance?) {
        self.format = format
        self.site = site
        self.issuance = issuance
    }

    /// The text for `item`, or "" while a signed page is still filling.
    mutating func add(_ item: RecordExportItem) async throws -> String {
        guard format.isSigned else {
            defer { first = false }
            return try format.line(item, first: first, site: site)
        }
        pending.append(item)
        return pending.count >= pageSize ? try await flush() : ""
    }

    /// Whatever is still waiting.
    mutating func finish() async throws -> String {
        try await flush()
    }

    private mutating func flush() async throws -> String {
        guard !pending.isEmpty else { return "" }
        guard let issuance else { throw RecordExportFormatError.needsSigning(format) }
        var text = ""
        for issued in try await issuance.issue(pending) {
            text += try format.line(issued, first: first)
            first = false
        }
        pending.removeAll(keepingCapacity: true)
        return text
    }
}
