import Fluent
import Foundation
import SQLKit

/// Gives each record's credential its bit in the revocation status list, once, and lists the bits to set.
/// Indexes are drawn at random (the Bitstring Status List spec recommends unpredictable allocation, so that
/// neighbouring bits say nothing about who was issued a credential at the same time) from a list kept at most
/// half full, which grows in blocks of `BitstringStatusList.minimumLength`. Two writers that draw the same
/// index, or assign the same record, meet a unique constraint; the loser reads again and draws again.
/// Indexes once given never change.
struct CredentialStatusIndexes: Sendable {
    let database: any Database
    /// How many indexes the list offers for `used` ones: at least twice as many, in whole blocks.
    static func capacity(forUsed used: Int) -> Int {
        let block = BitstringStatusList.minimumLength
        return max(1, (2 * used + block - 1) / block) * block
    }

    enum Failure: Error, CustomStringConvertible {
        case contended
        var description: String { "Status list indexes could not be assigned: other writers kept taking them. Try again." }
    }

    /// The index of every record, assigning new ones to records that have none yet.
    func indexes(for recordIDs: [UUID]) async throws -> [UUID: Int] {
        let wanted = Array(Set(recordIDs))
        guard !wanted.isEmpty else { return [:] }
        for _ in 0..<16 {
            var found: [UUID: Int] = [:]
            for chunk in stride(from: 0, to: wanted.count, by: 500).map({ Array(wanted[$0..<min($0 + 500, wanted.count)]) }) {
                for entry in try await CredentialStatusEntry.query(on: database).filter(\.$record.$id ~~ chunk).all() {
                    found[entry.$record.id] = entry.listIndex
                }
            }
            let missing = wanted.filter { found[$0] == nil }.sorted { $0.uuidString < $1.uuidString }
            if missing.isEmpty { return found }
            let drawn = try await freeIndexes(missing.count)
            let entries = zip(missing, drawn).map { CredentialStatusEntry(recordID: $0, listIndex: $1) }
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

    /// `count` distinct indexes that no entry holds yet (as far as this read can tell), drawn uniformly.
    private func freeIndexes(_ count: Int) async throws -> [Int] {
        let used = try await CredentialStatusEntry.query(on: database).count()
        let capacity = Self.capacity(forUsed: used + count)
        var generator = SystemRandomNumberGenerator()
        var chosen = Set<Int>()
        // Draw, drop what is taken, draw again for those: at most half the list is taken, so this ends quickly.
        while chosen.count < count {
            var candidates = Set<Int>()
            while candidates.count < count - chosen.count {
                let index = Int.random(in: 0..<capacity, using: &generator)
                if !chosen.contains(index) { candidates.insert(index) }
            }
            var taken = Set<Int>()
            let list = Array(candidates)
            for chunk in stride(from: 0, to: list.count, by: 500).map({ Array(list[$0..<min($0 + 500, list.count)]) }) {
                for entry in try await CredentialStatusEntry.query(on: database).filter(\.$listIndex ~~ chunk).all() {
                    taken.insert(entry.listIndex)
                }
            }
            chosen.formUnion(candidates.subtracting(taken))
        }
        return Array(chosen).shuffled(using: &generator)
    }

    /// How long the published list must be: every assigned index must fall inside it (a verifier refuses an
    /// index beyond the end), whether or not its bit is set.
    func listLength() async throws -> Int {
        (try await CredentialStatusEntry.query(on: database).max(\.$listIndex) ?? -1) + 1
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
