import Fluent
import Foundation
import Vapor

extension Application {
    private struct ContentStoreKey: StorageKey {
        typealias Value = any ContentStore
    }

    /// Where imported course files live: `<dataDirectory>/content` unless something else was set (another
    /// store, or a failing one in tests).
    var contentStore: any ContentStore {
        get { storage[ContentStoreKey.self] ?? FileContentStore(dataDirectory: academySettings.dataDirectory) }
        set { storage[ContentStoreKey.self] = newValue }
    }

    /// An importer on this application's database and content store, staging under `<dataDirectory>/staging`
    /// (the content store's file system, so staged files can be linked rather than copied).
    func packageImporter(limits: PackageArchive.Limits = .init()) -> PackageImporter {
        PackageImporter(database: db, store: contentStore, limits: limits,
                        stagingDirectory: URL(fileURLWithPath: academySettings.dataDirectory, isDirectory: true)
                            .appendingPathComponent("staging", isDirectory: true))
    }

    /// Imports a package and refreshes the catalogue when something changed: what the command, the upload
    /// page and the API call.
    func importPackage(at url: URL, options: PackageImporter.Options = .init(),
                       limits: PackageArchive.Limits = .init()) async throws -> ImportOutcome {
        let outcome = try await packageImporter(limits: limits).importPackage(at: url, options: options)
        if outcome.status == .created || (outcome.status == .unchanged && options.publish) {
            await catalogue.invalidate()
        }
        return outcome
    }
}
