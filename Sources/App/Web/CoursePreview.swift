import Vapor

/// A course as learners would see it on its page, from a package just checked (upload report) or from a
/// stored version (the version history's preview, drafts too). Laid out by templates/partials/course-preview.leaf.
struct CoursePreview: Encodable {
    let title: String
    let summary: String
    /// Paragraphs; nil when empty (an empty array would count as true in a Leaf `#if`).
    let description: [String]?
    let goals: [String]
    let hasGoals: Bool
    let language: String
    let contentLanguage: String
    let duration: String?
    let themes: [String]
    let modules: [ModuleRow]
    let accreditations: [AccreditationRow]
    let hasAccreditations: Bool
    let audience: String
    let accessRules: String?
    /// "12 files, 3.4 MB" for an upload; nil for a stored version.
    let size: String?

    init(_ package: CoursePackage, fileCount: Int, byteCount: Int64, request req: Request) {
        var modules: [ModuleRow] = []
        func add(_ list: [PackageModule], depth: Int) {
            for module in list {
                modules.append(ModuleRow(title: module.title, key: module.key, kind: module.kind.rawValue,
                                         durationMinutes: module.durationMinutes, depth: depth, request: req))
                add(module.children, depth: depth + 1)
            }
        }
        add(package.modules, depth: 0)
        self.init(title: package.title, fallbackTitle: package.identifier, summary: package.summary,
                  description: package.description, goals: package.learningGoals, language: package.language,
                  durationMinutes: package.totalDurationMinutes, themes: package.themes, modules: modules,
                  accreditations: package.accreditations, professions: package.professions, accessRuleCount: package.access.count,
                  size: req.t("trainer.preview.size", String(fileCount), PackageArchive.describe(bytes: byteCount)), request: req)
    }

    init(_ version: CourseVersion, modules: [CourseModule], slug: String, request req: Request) {
        self.init(title: version.title, fallbackTitle: slug, summary: version.summary, description: version.description,
                  goals: version.learningGoals, language: version.language, durationMinutes: version.durationMinutes,
                  themes: version.themes,
                  modules: modules.map {
                      ModuleRow(title: $0.title, key: $0.key, kind: $0.kind, durationMinutes: $0.durationMinutes, depth: $0.depth, request: req)
                  },
                  accreditations: version.accreditations, professions: version.professions,
                  accessRuleCount: version.packageAccessRules.count, size: nil, request: req)
    }

    private init(title: LocalizedText, fallbackTitle: String, summary: LocalizedText, description: LocalizedText,
                 goals: [LocalizedText], language: String, durationMinutes: Int?, themes: [String], modules: [ModuleRow],
                 accreditations: [PackageAccreditation], professions: [String], accessRuleCount: Int, size: String?,
                 request req: Request) {
        let lang = req.language.rawValue
        self.title = title.text(in: lang) ?? fallbackTitle
        self.summary = summary.text(in: lang) ?? ""
        let paragraphs = (description.text(in: lang) ?? "").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        self.description = paragraphs.isEmpty ? nil : paragraphs
        self.goals = goals.compactMap { $0.text(in: lang) }
        hasGoals = !self.goals.isEmpty
        // Packages may name a language the interface has no name for ("und", "de-CH"): show the code.
        self.language = MessageCatalogue.has("language.\(language)", req.language) ? req.t("language.\(language)") : language
        contentLanguage = language
        duration = durationMinutes.map { BrusselsTime.duration(minutes: $0, language: req.language) }
        self.themes = themes.map { req.t("theme.\($0)") }
        self.modules = modules
        self.accreditations = accreditations.map { AccreditationRow($0, request: req) }
        hasAccreditations = !accreditations.isEmpty
        let professionNames = professions.map { req.t("profession.\($0)") }
        audience = professionNames.isEmpty ? req.t("trainer.preview.audience.all") : req.t("card.for", professionNames.joined(separator: ", "))
        accessRules = accessRuleCount == 0 ? nil : req.t("trainer.preview.access.rules", String(accessRuleCount))
        self.size = size
    }
}
