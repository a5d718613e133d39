import Foundation

/// What a learner asked the catalogue for: search words, filters and page. Parsed from and written back
/// to a URL query so that links keep every filter.
public struct CatalogueQuery: Sendable, Equatable, Codable {
    public var text: String = ""
    public var theme: String?
    public var profession: String?
    public var accreditedOnly = false
    public var language: String?
    public var openToMe = false
    public var page = 1

    public static let pageSize = 20

    public init(text: String = "", theme: String? = nil, profession: String? = nil, accreditedOnly: Bool = false,
                language: String? = nil, openToMe: Bool = false, page: Int = 1) {
        self.text = text
        self.theme = theme
        self.profession = profession
        self.accreditedOnly = accreditedOnly
        self.language = language
        self.openToMe = openToMe
        self.page = page
    }

    /// Reads `q`, `theme`, `profession`, `accredited`, `language`, `open` and `page`; ignores what it does not know.
    public init(parameters: [String: String]) {
        func value(_ key: String) -> String? {
            guard let value = parameters[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                return nil
            }
            return value
        }
        text = String((value("q") ?? "").prefix(200))
        theme = value("theme")
        profession = value("profession")
        accreditedOnly = ["1", "true", "on", "yes"].contains(value("accredited") ?? "")
        language = value("language")
        openToMe = ["1", "true", "on", "yes"].contains(value("open") ?? "")
        page = max(1, min(Int(value("page") ?? "1") ?? 1, 10_000))
    }

    /// The query string (without "?") for this query, leaving out defaults.
    public var queryString: String {
        var items: [(String, String)] = []
        if !text.isEmpty { items.append(("q", text)) }
        if let theme { items.append(("theme", theme)) }
        if let profession { items.append(("profession", profession)) }
        if accreditedOnly { items.append(("accredited", "1")) }
        if let language { items.append(("language", language)) }
        if openToMe { items.append(("open", "1")) }
        if page > 1 { items.append(("page", String(page))) }
        return items.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    public func onPage(_ page: Int) -> CatalogueQuery {
        var copy = self
        copy.page = page
        return copy
    }

    public var hasFilters: Bool {
        !text.isEmpty || theme != nil || profession != nil || accreditedOnly || language != nil || openToMe
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
