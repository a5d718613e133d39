import Vapor

/// A form field as the template lays it out: value kept, errors in the reader's language.
struct FormField: Encodable {
    let name: String
    let value: String
    let errors: [String]
    var invalid: Bool { !errors.isEmpty }

    enum CodingKeys: String, CodingKey { case name, value, errors, invalid }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value, forKey: .value)
        try container.encode(errors, forKey: .errors)
        try container.encode(invalid, forKey: .invalid)
    }

    init(_ name: String, value: String = "", problems: [FieldProblem] = [], request: Request) {
        self.name = name
        self.value = value
        errors = problems.filter { $0.field == name }.map { MessageCatalogue.text($0.key, request.language, $0.arguments) }
    }
}

/// A choice in a select list.
struct Choice: Encodable {
    let value: String
    let label: String
    let selected: Bool
}

extension Request {
    func professionChoices(selected: String?) -> [Choice] {
        Profession.allCases.map { Choice(value: $0.rawValue, label: t("profession.\($0.rawValue)"), selected: $0.rawValue == selected) }
    }

    /// A one-time notice shown on the next page (after a redirect).
    var notice: String? {
        get { session.data["notice"] }
        set { session.data["notice"] = newValue }
    }

    func takeNotice() -> String? {
        guard hasSession, let notice = session.data["notice"] else { return nil }
        session.data["notice"] = nil
        return notice
    }
}
