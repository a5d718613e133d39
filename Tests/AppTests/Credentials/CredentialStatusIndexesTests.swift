@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Status list indexes: drawn at random, never shared, never changed once given, also when several exports
/// assign them at the same moment (on PostgreSQL these run in parallel on separate connections).
@Suite struct CredentialStatusIndexesTests {
    @Test func theListOffersTwiceTheIndexesInUseInWholeBlocks() {
        #expect(CredentialStatusIndexes.capacity(forUsed: 0) == 131_072)
        #expect(CredentialStatusIndexes.capacity(forUsed: 65_536) == 131_072)
        #expect(CredentialStatusIndexes.capacity(forUsed: 65_537) == 262_144)
    }

    @Test(arguments: TestDatabase.all)
    func parallelIssuanceGivesEveryRecordOneIndexOfItsOwn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await AccreditationRecordAPITests.base(app)
            var ids: [UUID] = []
            for number in 0..<120 {
                ids.append(try await AccreditationRecordAPITests.record(base, body: "riziv-inami", name: "Arts \(number)", on: app.db).requireID())
            }
            // A credential issued before: its index stays what it was.
            try await CredentialStatusEntry(recordID: ids[0], listIndex: 7).create(on: app.db)

            // Eight exports at once, over overlapping sets of records.
            let results = try await withThrowingTaskGroup(of: [UUID: Int].self) { group in
                for worker in 0..<8 {
                    let mine = Array(ids[(worker * 12)..<min(ids.count, worker * 12 + 36)])
                    group.addTask { try await CredentialStatusIndexes(database: app.db).indexes(for: mine) }
                }
                var all: [[UUID: Int]] = []
                for try await result in group { all.append(result) }
                return all
            }
            let entries = try await CredentialStatusEntry.query(on: app.db).all()
            let stored = Dictionary(uniqueKeysWithValues: entries.map { ($0.$record.id, $0.listIndex) })

            #expect(entries.count == Set(entries.map(\.$record.id)).count, "one entry per record")
            #expect(Set(entries.map(\.listIndex)).count == entries.count, "no index given twice")
            #expect(Set(stored.keys) == Set(ids[0..<min(ids.count, 7 * 12 + 36)]))
            for result in results {
                for (record, index) in result { #expect(stored[record] == index, "every export saw the stored index") }
            }
            #expect(stored[ids[0]] == 7)
            // Sequential allocation would give 0..<119; drawn from 131,072 places, that is all but impossible.
            let drawn = entries.map(\.listIndex).filter { $0 != 7 }
            #expect(drawn.contains { $0 >= 1_000 })
            #expect(drawn.allSatisfy { $0 >= 0 && $0 < 131_072 })
            #expect(try await CredentialStatusIndexes(database: app.db).listLength() == (drawn.max() ?? 7) + 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theStatusListCoversEveryAssignedIndex(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await AccreditationRecordAPITests.base(app)
            let record = try await AccreditationRecordAPITests.record(base, body: "riziv-inami", name: "Arts", on: app.db)
            try await CredentialStatusEntry(recordID: try record.requireID(), listIndex: 200_000).create(on: app.db)

            let token = try await app.credentialIssuance(on: app.db).statusList()
            let payload = try #require(CredentialVerifier.payload(of: token))
            let subject = try #require(payload["credentialSubject"] as? [String: Any])
            let list = try BitstringStatusList(encodedList: try #require(subject["encodedList"] as? String))

            #expect(list.length == 262_144)
            #expect(!list.isSet(200_000))
        }
    }
}
