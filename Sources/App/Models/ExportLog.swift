import Fluent
import Foundation

/// One export of accreditation records: who, when, through what, which filters, how many, which cursor range.
final class ExportLog: Model, @unchecked Sendable {
    static let schema = "export_logs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "partner_id") var partner: Partner
    @OptionalParent(key: "token_id") var token: APIToken?
    /// "api" or "cli".
    @Field(key: "channel") var channel: String
    @Field(key: "at") var at: Date
    @Field(key: "format") var format: String
    /// The filters as JSON.
    @Field(key: "filters") var filters: String
    @Field(key: "record_count") var recordCount: Int
    @OptionalField(key: "cursor_from") var cursorFrom: String?
    @OptionalField(key: "cursor_to") var cursorTo: String?

    init() {}
}
