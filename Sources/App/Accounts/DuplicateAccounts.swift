import Foundation

/// Accounts that probably belong to one person, for admins to merge (`AccountMerge`).
///
/// The users table keeps e-mail addresses unique and every form stores them through `EmailAddress` (trimmed,
/// lower case), so two accounts with literally the same address only exist in data from before that rule. What
/// does happen: one person registers twice, with a sub-address ("an+vivel@…" next to "an@…"), with Gmail's
/// ignored dots ("an.peeters@gmail.com" next to "anpeeters@gmail.com"), or with a work and a private address but
/// the same RIZIV/INAMI number. Its first eight digits identify the person for life; the last three (the
/// qualification) change, so a number that differs only there still names the same person. These are
/// candidates, never merged by themselves: an admin looks and decides.
struct DuplicateAccounts: Sendable {
    struct Account: Sendable, Equatable {
        var id: UUID
        var email: String
        var registrationNumber: String?

        init(id: UUID, email: String, registrationNumber: String? = nil) {
            self.id = id
            self.email = email
            self.registrationNumber = registrationNumber
        }
    }

    /// Why accounts are listed together; ordered from the surest to the weakest sign.
    enum Reason: String, Sendable, CaseIterable, Comparable {
        /// The same address once normalised (only in data older than the normalisation).
        case sameAddress = "same-address"
        /// The same mailbox: the addresses differ only in a "+tag" or in Gmail's dots.
        case sameMailbox = "same-mailbox"
        /// The same eleven-digit registration number.
        case sameRegistrationNumber = "same-registration-number"
        /// The same person's registration number with another qualification code (the last three digits).
        case samePerson = "same-person"

        static func < (a: Reason, b: Reason) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    struct Group: Sendable, Equatable {
        /// In the order the accounts were given.
        var accounts: [UUID]
        var reasons: [Reason]
    }

    /// The address as `EmailAddress` stores it, or trimmed lower case when it is not a valid address.
    static func addressKey(_ email: String) -> String {
        EmailAddress(email)?.value ?? email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The mailbox the address delivers to, as far as the common providers tell: without a "+tag", and for
    /// Gmail without dots in the local part and with googlemail.com read as gmail.com.
    static func mailboxKey(_ email: String) -> String {
        let address = addressKey(email)
        guard let at = address.lastIndex(of: "@") else { return address }
        var local = String(address[..<at])
        var domain = String(address[address.index(after: at)...])
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex { local = String(local[..<plus]) }
        if domain == "googlemail.com" { domain = "gmail.com" }
        if domain == "gmail.com" { local.removeAll { $0 == "." } }
        return local + "@" + domain
    }

    /// The eleven digits of a registration number as stored or typed, `nil` when it has not eleven digits.
    static func registrationDigits(_ number: String?) -> String? {
        guard let number else { return nil }
        switch RegistrationNumber.check(number) {
        case .valid(let parsed, _), .unverifiedCheckDigits(let parsed): return parsed.digits
        case .invalid: return nil
        }
    }

    /// Accounts that share an address, a mailbox or a registration number, in groups (a chain of shared
    /// signs makes one group); accounts without any partner are left out. Groups come in the order of their
    /// first account.
    static func groups(_ accounts: [Account]) -> [Group] {
        var parent = Array(accounts.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index {
                parent[index] = parent[parent[index]]
                index = parent[index]
            }
            return index
        }
        var pairReasons: [Int: Set<Reason>] = [:]
        func join(_ indices: [Int], _ reason: Reason) {
            guard indices.count > 1 else { return }
            for index in indices.dropFirst() {
                let a = root(indices[0]), b = root(index)
                if a != b { parent[max(a, b)] = min(a, b) }
            }
            for index in indices { pairReasons[index, default: []].insert(reason) }
        }
        func bucket(_ key: (Account) -> String?) -> [[Int]] {
            var buckets: [String: [Int]] = [:]
            for (index, account) in accounts.enumerated() {
                if let value = key(account), !value.isEmpty { buckets[value, default: []].append(index) }
            }
            return buckets.values.filter { $0.count > 1 }.map { $0.sorted() }
        }
        for indices in bucket({ addressKey($0.email) }) { join(indices, .sameAddress) }
        for indices in bucket({ mailboxKey($0.email) }) {
            // Only the same address, written alike, is no "same mailbox" finding of its own.
            if Set(indices.map { addressKey(accounts[$0].email) }).count > 1 { join(indices, .sameMailbox) }
        }
        for indices in bucket({ registrationDigits($0.registrationNumber) }) { join(indices, .sameRegistrationNumber) }
        for indices in bucket({ registrationDigits($0.registrationNumber).map { String($0.prefix(8)) } }) {
            let distinctNumbers = Set(indices.compactMap { registrationDigits(accounts[$0].registrationNumber) })
            if distinctNumbers.count > 1 { join(indices, .samePerson) }
        }
        var members: [Int: [Int]] = [:]
        for index in accounts.indices { members[root(index), default: []].append(index) }
        return members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }.map { indices in
            Group(accounts: indices.map { accounts[$0].id },
                  reasons: Set(indices.flatMap { pairReasons[$0] ?? [] }).sorted())
        }
    }
}
