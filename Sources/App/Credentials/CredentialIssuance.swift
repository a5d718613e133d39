import Fluent
import Foundation

/// Issues the academy's signed credentials from accreditation records: each record gets its status list
/// bit, the learner's choice about the registration number is applied, and the result is signed.
struct CredentialIssuance: Sendable {
    let database: any Database
    let signer: CredentialSigner
    let addresses: CredentialAddresses

    /// What an Open Badges export says about one record. Issued and corrected records carry their signed
    /// credential; a correction or revocation also names the credential it revokes and that credential's
    /// status list entry (whose bit is now set).
    struct Issued: Encodable, Sendable, Equatable {
        let record: String
        let kind: String
        let supersedes: String?
        let verificationCode: String
        let cursor: String?
        let credential: String?
        let revokedCredential: String?
        let revokedStatus: StatusListEntry?
    }

    /// In the order given, one per record.
    func issue(_ items: [RecordExportItem]) async throws -> [Issued] {
        guard !items.isEmpty else { return [] }
        let indexes = try await CredentialStatusIndexes(database: database)
            .indexes(for: items.map(\.id) + items.compactMap(\.supersedes))
        let sharing = try await sharingLearners(Set(items.map(\.learnerID)))
        var issued: [Issued] = []
        issued.reserveCapacity(items.count)
        for item in items {
            var token: String?
            if item.kind != AccreditationRecord.Kind.revocation.rawValue {
                let credential = OpenBadgeCredential(record: item, statusIndex: indexes[item.id],
                                                     sharesRegistrationNumber: sharing.contains(item.learnerID), addresses: addresses)
                token = try await signer.sign(credential)
            }
            issued.append(Issued(
                record: item.id.uuidString.lowercased(), kind: item.kind, supersedes: item.supersedes?.uuidString.lowercased(),
                verificationCode: item.verificationCode, cursor: item.position == .start ? nil : item.cursor, credential: token,
                revokedCredential: item.supersedes.map { addresses.credentialID(record: $0) },
                revokedStatus: item.supersedes.flatMap { indexes[$0] }.map { StatusListEntry(listURL: addresses.statusListURL, index: $0) }))
        }
        return issued
    }

    /// The unsigned credential of one record (for the CLR and for tests), with its status index assigned.
    func credential(for item: RecordExportItem) async throws -> OpenBadgeCredential {
        let index = try await CredentialStatusIndexes(database: database).indexes(for: [item.id])[item.id]
        let shares = try await sharingLearners([item.learnerID]).contains(item.learnerID)
        return OpenBadgeCredential(record: item, statusIndex: index, sharesRegistrationNumber: shares, addresses: addresses)
    }

    /// The signed revocation status list as it stands now.
    func statusList(now: Date = Date()) async throws -> String {
        let indexes = CredentialStatusIndexes(database: database)
        var list = BitstringStatusList(length: try await indexes.listLength())
        for index in try await indexes.revokedIndexes() where index >= 0 { list.set(index) }
        let credential = try StatusListCredential(list: list, addresses: addresses, issuedAt: now)
        return try await signer.sign(credential, claims: credential.claims)
    }

    /// A learner's yearly transcript (CLR 2.0) of the records that stand, signed; `ClrCredential.Refusal`
    /// when there are none that year.
    func transcript(learner: User, year: Int, now: Date = Date()) async throws -> String {
        let learnerID = try learner.requireID()
        let accountIDs = try await MergedAccounts.ids(of: learnerID, on: database)
        let records = try await AccreditationRecord.query(on: database).filter(\.$user.$id ~~ accountIDs)
            .sort(\.$completedAt).sort(\.$createdAt).all()
        let standing = Self.standing(records).filter { $0.completedOn.hasPrefix("\(year)-") }
        var credentials: [OpenBadgeCredential] = []
        for record in standing {
            credentials.append(try await credential(for: try RecordExportItem(record)))
        }
        let transcript = try ClrCredential(learner: learnerID, learnerName: learner.name, year: year, credentials: credentials,
                                           addresses: addresses, issuedAt: now)
        return try await signer.sign(transcript, claims: transcript.claims)
    }

    /// Records that stand: issued or corrections that no later record supersedes.
    static func standing(_ records: [AccreditationRecord]) -> [AccreditationRecord] {
        let superseded = Set(records.compactMap { $0.$supersedes.id })
        return records.filter { record in
            guard let id = record.id else { return false }
            return !superseded.contains(id) && record.kind != .revocation
        }
    }

    private func sharingLearners(_ ids: Set<UUID>) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let users = try await User.query(on: database).filter(\.$id ~~ Array(ids)).filter(\.$shareRegistrationNumber == true).all()
        return Set(users.compactMap(\.id))
    }
}
