import Foundation

/// What the participants list of a course is asked for: a search over name and e-mail, a status and a page.
struct ParticipantQuery: Sendable, Equatable {
    /// The statuses the list filters on: the enrolment's own, with "active" split by whether the learner began.
    enum Status: String, Sendable, CaseIterable {
        case notStarted = "not-started"
        case inProgress = "in-progress"
        case completed, waiting, withdrawn, expired
    }

    static let pageSize = 25

    var text: String = ""
    var status: Status?
    var page: Int = 1

    init(text: String = "", status: Status? = nil, page: Int = 1) {
        self.text = text
        self.status = status
        self.page = max(page, 1)
    }

    init(parameters: [String: String]) {
        text = String((parameters["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        status = parameters["status"].flatMap(Status.init(rawValue:))
        page = max(Int(parameters["page"] ?? "") ?? 1, 1)
    }

    var queryString: String {
        var items: [(String, String)] = []
        if !text.isEmpty { items.append(("q", text)) }
        if let status { items.append(("status", status.rawValue)) }
        if page > 1 { items.append(("page", String(page))) }
        return items.map { "\($0.0)=\(CatalogueQuery.encode($0.1))" }.joined(separator: "&")
    }

    var hasFilters: Bool { !text.isEmpty || status != nil }

    func onPage(_ page: Int) -> ParticipantQuery {
        ParticipantQuery(text: text, status: status, page: page)
    }

    /// The search as a LIKE pattern on lower-cased text, with the pattern's own characters escaped by `\`.
    var likePattern: String? {
        guard !text.isEmpty else { return nil }
        var escaped = ""
        for character in text.lowercased() {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}
