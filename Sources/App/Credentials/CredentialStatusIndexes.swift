import Fluent
import Foundation
import SQLKit

/// Gives each record's credential its bit in the revocation status list, once, and lists the bits to set.
/// Indexes are handed out in order; two processes racing for the same index meet the unique constraint and
/// the loser reads again and takes the next ones.
struct CredentialStatusIndexes: Sendable {
    let database: any Database

    enum Failure: Error, CustomStringConvertible {
        case contended
        var description: String { "Status list indexes could not be assigned: other writers kept taking them. Try again." }
    }

    /// The index of every record, assigning new ones to records that have none yet.
    func indexes(for recordIDs: [UUID]) async throws -> [UUID: Int] {
        let wanted = Array(Set(recordIDs))
        guard !wanted.isEmpty else { return [:] }
        for _ in 0..<8 {
            var found: [UUID: Int] = [:]
            for chunk in stride(from: 0, to: wanted.count, by: 500).map({ Array(wanted[$0..<min($0 + 500, wanted.count)]) }) {
                for entry in try await CredentialStatusEntry.query(on: database).filter(\.$record.$id ~~ chunk).all() {
                    found[entry.$record.id] = entry.listIndex
                }
            }
            let missing = wanted.filter { found[$0] == nil }.sorted { $0.uuidString < $1.uuidString }
            if missing.isEmpty { return found }
            let next = (try await CredentialStatusEntry.query(on: database).max(\.$listIndex) ?? -1) + 1
            let entries = missing.enumerated().map { CredentialStatusEntry(recordID: $0.element, listIndex: next + $0.offset) }
            do {
                try await entries.create(on: database)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
            for entry in entries { found[entry.$record.id] = entry.listIndex }
            return found
        }
        throw Failure.contended
    }

    /// The bits to set: those of every record that a correction or revocation superseded.
    func revokedIndexes() async throws -> [Int] {
        guard let sql = database as? any SQLDatabase else { throw RecordExportError.needsSQLDatabase }
        struct Row: Decodable { let list_index: Int }
        return try await sql.raw("""
            SELECT e.list_index FROM credential_status_entries e
            JOIN accreditation_records r ON r.supersedes_id = e.record_id
            """).all(decoding: Row.self).map(\.list_index)
    }
}
