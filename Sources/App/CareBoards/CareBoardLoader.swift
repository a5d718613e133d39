import Fluent
import Foundation

/// Brings the care boards in the database in line with the register file: adds new codes, updates
/// changed names, zones, provinces and contacts, and leaves boards missing from the file alone (their
/// memberships stay; a board is retired by an operator, not by a shorter file). All or nothing.
struct CareBoardLoader {
    struct Result: Sendable, Equatable {
        var added: [String] = []
        var changed: [String] = []
        var unchanged: [String] = []
        /// In the database but not in the file.
        var notInFile: [String] = []

        var summary: String {
            "\(added.count) added, \(changed.count) changed, \(unchanged.count) unchanged"
                + (notInFile.isEmpty ? "" : ", \(notInFile.count) in the database but not in the file (kept)")
        }
    }

    let file: String

    func load(on database: any Database) async throws -> Result {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CareBoardRegister.Refused(problems: [.init(line: nil, message: "cannot read \(file): \(error.localizedDescription)")])
        }
        let register = try CareBoardRegister.read(data)
        return try await database.transaction { database in
            try await Self.apply(register, on: database)
        }
    }

    static func apply(_ register: CareBoardRegister, on database: any Database) async throws -> Result {
        var result = Result()
        let existing = Dictionary(try await CareBoard.query(on: database).all().map { ($0.code, $0) },
                                  uniquingKeysWith: { first, _ in first })
        for entry in register.entries {
            guard let board = existing[entry.code] else {
                try await CareBoard(code: entry.code, name: entry.name, zone: entry.zone, province: entry.province,
                                    email: entry.email, phone: entry.phone).create(on: database)
                result.added.append(entry.code)
                continue
            }
            let same = board.name == entry.name && board.zone == entry.zone && board.province == entry.province.rawValue
                && board.email == entry.email && board.phone == entry.phone
            if same {
                result.unchanged.append(entry.code)
            } else {
                board.name = entry.name
                board.zone = entry.zone
                board.province = entry.province.rawValue
                board.email = entry.email
                board.phone = entry.phone
                try await board.update(on: database)
                result.changed.append(entry.code)
            }
        }
        let inFile = Set(register.entries.map(\.code))
        result.notInFile = existing.keys.filter { !inFile.contains($0) }.sorted()
        return result
    }
}
