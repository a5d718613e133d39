import Vapor

/// A module as the course page and the trainer's preview list it.
struct ModuleRow: Encodable {
    let title: String
    let kind: String
    let duration: String?
    let depth: Int
    let isFolder: Bool

    init(title: LocalizedText, key: String, kind: String, durationMinutes: Int?, depth: Int, request: Request) {
        self.title = title.text(in: request.language.rawValue) ?? key
        self.kind = request.t("module.kind.\(kind)")
        duration = durationMinutes.flatMap { $0 > 0 ? $0 : nil }
            .map { BrusselsTime.duration(minutes: $0, language: request.language) }
        self.depth = depth
        isFolder = kind == PackageModule.Kind.folder.rawValue
    }
}

/// An accreditation as the course page and the trainer's preview show it.
struct AccreditationRow: Encodable {
    let body: String
    let number: String
    let points: String
    let rubric: String?
    let validUntil: String?

    init(_ accreditation: PackageAccreditation, request: Request) {
        body = request.t("accreditation.body.\(accreditation.body)")
        number = accreditation.number
        points = CourseCard.points(accreditation, request: request)
        rubric = accreditation.rubric
        validUntil = accreditation.validUntil.map { BrusselsTime.day(iso: $0, language: request.language) }
    }
}
