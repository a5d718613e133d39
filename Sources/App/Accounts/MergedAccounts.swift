import Fluent
import Foundation

/// A person's learning history read across merged duplicates: completions and accreditation records that stayed
/// on an account merged into theirs (`AccountMerge`: records are never rewritten) belong to them too.
enum MergedAccounts {
    /// The account itself and every account merged into it (merges keep aliases one level deep).
    static func ids(of userID: UUID, on database: any Database) async throws -> [UUID] {
        let merged = try await User.query(on: database).filter(\.$mergedInto == userID).all(\.$id)
        return [userID] + merged
    }

    /// Whether `ownerID`'s learning history is `userID`'s: the same account, or one merged into it.
    static func belongs(_ ownerID: UUID, to userID: UUID, on database: any Database) async throws -> Bool {
        if ownerID == userID { return true }
        return try await User.find(ownerID, on: database)?.mergedInto == userID
    }
}
