import Fluent
import Foundation

/// The bit of the revocation status list that belongs to one accreditation record's credential. Given out
/// the first time the record's credential is issued and kept: a credential already handed out must keep
/// pointing at the same bit.
final class CredentialStatusEntry: Model, @unchecked Sendable {
    static let schema = "credential_status_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "record_id") var record: AccreditationRecord
    @Field(key: "list_index") var listIndex: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(recordID: UUID, listIndex: Int, now: Date = Date()) {
        $record.id = recordID
        self.listIndex = listIndex
        createdAt = now
    }
}
