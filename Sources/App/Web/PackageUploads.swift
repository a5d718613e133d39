import Foundation

/// Uploaded packages waiting for the trainer's decision: `<dataDirectory>/uploads/<id>/package.zip` plus
/// `upload.json` (who uploaded it, under what name). The id is a random token, so it cannot be guessed, and
/// is checked strictly before it becomes part of a path.
/// Uploads that are checked but never published or saved are removed once older than
/// `AcademySettings.uploadMaxAge`: at every new upload and hourly while serving (`StaleUploadSweeper`).
struct PackageUploads: Sendable {
    struct Metadata: Codable, Sendable, Equatable {
        var userID: UUID
        var fileName: String
        var createdAt: Date
    }

    let root: URL

    init(dataDirectory: String) {
        root = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("uploads", isDirectory: true)
    }

    /// 32 lowercase hexadecimal characters (128 random bits).
    static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    func folder(_ id: String) -> URL {
        precondition(Self.isValidID(id), "upload ids are checked before use")
        return root.appendingPathComponent(id, isDirectory: true)
    }

    func packageURL(_ id: String) -> URL {
        folder(id).appendingPathComponent("package.zip")
    }

    func create(_ id: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder(id), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return packageURL(id)
    }

    func saveMetadata(_ metadata: Metadata, for id: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(metadata).write(to: folder(id).appendingPathComponent("upload.json"), options: .atomic)
    }

    /// Nil when there is no such upload (never made, imported already, or removed).
    func metadata(for id: String) -> Metadata? {
        guard Self.isValidID(id),
              FileManager.default.fileExists(atPath: packageURL(id).path),
              let data = try? Data(contentsOf: folder(id).appendingPathComponent("upload.json")) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Metadata.self, from: data)
    }

    /// Removes every upload older than `maxAge` at `now`: by its metadata's time, or, for an upload still
    /// arriving or left without metadata, by its folder's last change. Returns the removed ids.
    @discardableResult
    func removeStale(maxAge: TimeInterval, now: Date = Date()) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        var removed: [String] = []
        for id in names where Self.isValidID(id) {
            let folder = root.appendingPathComponent(id, isDirectory: true)
            let changes = [folder, packageURL(id)].compactMap {
                (try? FileManager.default.attributesOfItem(atPath: $0.path))?[.modificationDate] as? Date
            }
            guard let since = metadata(for: id)?.createdAt ?? changes.max() else { continue }
            // A package still arriving changes with every chunk: never removed under the uploader's feet.
            let lastTouched = max(since, changes.max() ?? since)
            if now.timeIntervalSince(lastTouched) > maxAge {
                remove(id)
                removed.append(id)
            }
        }
        return removed
    }

    func remove(_ id: String) {
        guard Self.isValidID(id) else { return }
        try? FileManager.default.removeItem(at: folder(id))
    }

    /// The name a browser sent for the file, reduced to its last path component and a sane length.
    static func cleanFileName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let printable = String(last.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }.prefix(200).map(Character.init))
        return printable.isEmpty ? "package.zip" : printable
    }
}
