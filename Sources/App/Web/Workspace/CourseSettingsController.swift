import Fluent
import Vapor

/// A course's settings for its owners, co-owners and admins: the current version's metadata, enrolment
/// settings, owners and archiving. Access rules have their own controller (`AccessRuleFormController`).
/// Learners get 403, trainers who do not own the course 403, unknown courses 404 (`managedCourse`).
struct CourseSettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(TrainerRoute.Pattern.settings, use: metadata)
        signedIn.post(TrainerRoute.Pattern.settings, use: saveMetadata)
        signedIn.get(TrainerRoute.Pattern.settingsEnrolment, use: enrolment)
        signedIn.post(TrainerRoute.Pattern.settingsEnrolment, use: saveEnrolment)
        signedIn.get(TrainerRoute.Pattern.settingsOwners, use: owners)
        signedIn.post(TrainerRoute.Pattern.settingsOwners, use: addOwner)
        signedIn.post(TrainerRoute.Pattern.settingsOwnerRemove, use: removeOwner)
        signedIn.post(TrainerRoute.Pattern.settingsStatus, use: setStatus)
    }

    // MARK: Shared

    /// The tabs of the settings area.
    struct SettingsNav: Encodable {
        struct Tab: Encodable {
            let label: String
            let url: String
            let current: Bool
        }
        let tabs: [Tab]

        init(slug: String, current: String, request: Request) {
            tabs = [
                ("metadata", TrainerRoute.settings(slug: slug)),
                ("enrolment", TrainerRoute.settingsEnrolment(slug: slug)),
                ("access", TrainerRoute.settingsAccess(slug: slug)),
                ("owners", TrainerRoute.settingsOwners(slug: slug)),
            ].map { Tab(label: request.t("settings.tab.\($0.0)"), url: $0.1.path, current: $0.0 == current) }
        }
    }

    /// Posted form fields in order, repeated names kept (checkbox lists), `_csrf` left out.
    static func postedFields(_ req: Request) -> [(String, String)] {
        guard let body = req.body.string else { return [] }
        return body.split(separator: "&").compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            guard name != "_csrf", !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// "title" -> "Titel"; "access:visibility" -> "toegangsregel: Wie ziet de opleiding in de catalogus".
    static func fieldLabel(_ field: String, request: Request) -> String {
        if field.hasPrefix("access:"), let target = AccessRuleTarget(String(field.dropFirst(7))) {
            return request.t("settings.replaced.access", AccessRuleFormController.targetLabel(target, modules: [], request: request))
        }
        return request.t("settings.field.\(field)")
    }

    static func requireVersion(_ managed: TrainerCoursesController.ManagedCourse) throws -> CourseVersion {
        guard let version = managed.version, version.id != nil else { throw Abort(.notFound) }
        return version
    }

    // MARK: Metadata

    struct MetadataPage: Encodable {
        struct LanguageBlock: Encodable {
            let code: String
            let heading: String
            let title: FormField
            let summary: FormField
            let description: FormField
            let isCourseLanguage: Bool
        }
        struct ChoiceGroup: Encodable {
            let field: FormField
            let choices: [Choice]
        }
        struct AccreditationRow: Encodable {
            let number: Int
            let legend: String
            let isNew: Bool
            let body: FormField
            let bodies: [Choice]
            let activity: FormField
            let points: FormField
            let unit: FormField
            let rubric: FormField
            let validFrom: FormField
            let validUntil: FormField
            let removeName: String
        }
        let page: PageContext
        let nav: TrainerCoursesController.CourseNav
        let settingsNav: SettingsNav
        let notice: String?
        let hasErrors: Bool
        let errorCount: String
        let action: String
        let versionNote: String
        let languages: [LanguageBlock]
        let themes: ChoiceGroup
        let professions: ChoiceGroup
        let duration: FormField
        let accreditations: [AccreditationRow]
    }

    func metadata(req: Request) async throws -> View {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let version = try Self.requireVersion(managed)
        return try await renderMetadata(req, managed: managed, version: version,
                                        form: CourseMetadataForm(CourseSettingsWriter.metadata(of: version)), problems: [])
    }

    func saveMetadata(req: Request) async throws -> Response {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let version = try Self.requireVersion(managed)
        let form = CourseMetadataForm(fields: Self.postedFields(req))
        let (metadata, problems) = form.validate(current: CourseSettingsWriter.metadata(of: version), courseLanguage: version.language)
        guard let metadata else {
            return try await renderMetadata(req, managed: managed, version: version, form: form, problems: problems)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let changed = try await CourseSettingsWriter(database: req.db)
            .saveMetadata(metadata, courseID: managed.courseID, versionID: try version.requireID(), by: managed.user)
        if !changed.isEmpty { await req.application.catalogue.invalidate() }
        req.notice = changed.isEmpty ? req.t("settings.saved.nothing")
            : req.t("settings.metadata.saved", changed.map { req.t("settings.field.\($0)") }.joined(separator: ", "))
        return req.redirect(to: .trainer(.settings(slug: managed.course.slug)))
    }

    private func renderMetadata(_ req: Request, managed: TrainerCoursesController.ManagedCourse, version: CourseVersion,
                                form: CourseMetadataForm, problems: [FieldProblem]) async throws -> View {
        let field = { (name: String, value: String) in FormField(name, value: value, problems: problems, request: req) }
        let languages = CourseMetadataForm.languages.map { code in
            MetadataPage.LanguageBlock(
                code: code, heading: req.t("language.\(code)"),
                title: field("title.\(code)", form.texts["title.\(code)"] ?? ""),
                summary: field("summary.\(code)", form.texts["summary.\(code)"] ?? ""),
                description: field("description.\(code)", form.texts["description.\(code)"] ?? ""),
                isCourseLanguage: code == version.language)
        }
        var rows = form.accreditations
        if !rows.contains(where: { $0.body.isEmpty && $0.number.isEmpty && $0.points.isEmpty }) {
            rows.append(CourseMetadataForm.Accreditation())
        }
        let accreditations = rows.enumerated().map { offset, row in
            let prefix = "accreditation.\(offset + 1)"
            let isNew = row.body.isEmpty && row.number.isEmpty && row.points.isEmpty
            let bodies = (CourseMetadataForm.knownBodies + (row.body.isEmpty || CourseMetadataForm.knownBodies.contains(row.body) ? [] : [row.body]))
            return MetadataPage.AccreditationRow(
                number: offset + 1,
                legend: isNew ? req.t("settings.metadata.accreditation.new") : req.t("settings.metadata.accreditation.legend", String(offset + 1)),
                isNew: isNew,
                body: field("\(prefix).body", row.body),
                bodies: [Choice(value: "", label: req.t("settings.choose"), selected: row.body.isEmpty)]
                    + bodies.map { Choice(value: $0, label: MessageCatalogue.has("accreditation.body.\($0)", req.language) ? req.t("accreditation.body.\($0)") : $0,
                                          selected: $0 == row.body) },
                activity: field("\(prefix).number", row.number),
                points: field("\(prefix).points", row.points),
                unit: field("\(prefix).unit", row.unit.isEmpty ? "CP" : row.unit),
                rubric: field("\(prefix).rubric", row.rubric),
                validFrom: field("\(prefix).valid-from", row.validFrom),
                validUntil: field("\(prefix).valid-until", row.validUntil),
                removeName: "\(prefix).remove")
        }
        let context = MetadataPage(
            page: PageContext(req, title: req.t("settings.metadata.title", managed.title), section: "workspace"),
            nav: .init(managed, section: "settings", request: req),
            settingsNav: SettingsNav(slug: managed.course.slug, current: "metadata", request: req),
            notice: req.takeNotice(),
            hasErrors: !problems.isEmpty,
            errorCount: req.t(problems.count == 1 ? "settings.errors.one" : "settings.errors", String(problems.count)),
            action: TrainerRoute.settings(slug: managed.course.slug).path,
            versionNote: req.t("settings.metadata.version.note", String(version.number)),
            languages: languages,
            themes: .init(field: field("themes", ""), choices: Theme.allCases.map {
                Choice(value: $0.rawValue, label: req.t("theme.\($0.rawValue)"), selected: form.themes.contains($0.rawValue))
            }),
            professions: .init(field: field("professions", ""), choices: Profession.allCases.map {
                Choice(value: $0.rawValue, label: req.t("profession.\($0.rawValue)"), selected: form.professions.contains($0.rawValue))
            }),
            duration: field("duration", form.duration),
            accreditations: accreditations)
        return try await req.view.render("trainer-course-settings", context)
    }

    // MARK: Enrolment

    struct EnrolmentPage: Encodable {
        struct ReservedRow: Encodable {
            let number: String
            let board: FormField
            let boards: [Choice]
            let seats: FormField
        }
        let page: PageContext
        let nav: TrainerCoursesController.CourseNav
        let settingsNav: SettingsNav
        let notice: String?
        let hasErrors: Bool
        let errorCount: String
        let action: String
        let key: FormField
        let opensOn: FormField
        let closesOn: FormField
        let capacity: FormField
        let waitingList: FormField
        let waitingListOn: Bool
        let reserved: [ReservedRow]
        let figures: String
        let accessURL: String
    }

    func enrolment(req: Request) async throws -> View {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let settings = try await EnrolmentSettings.find(managed.courseID, on: req.db)
        return try await renderEnrolment(req, managed: managed, form: EnrolmentSettingsForm(CourseSettingsWriter.values(settings)), problems: [])
    }

    func saveEnrolment(req: Request) async throws -> Response {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let form = EnrolmentSettingsForm(fields: Self.postedFields(req))
        let directory = try await req.application.accessDirectory.current(on: req.db)
        let (values, problems) = form.validate(boards: Set(directory.boards.keys))
        guard let values else {
            return try await renderEnrolment(req, managed: managed, form: form, problems: problems)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let changed = try await CourseSettingsWriter(database: req.db).saveEnrolmentSettings(values, courseID: managed.courseID, by: managed.user)
        // The catalogue's pages depend on enrolment keys (the `enrolment-key` condition).
        if changed {
            await req.application.catalogue.invalidate()
            // More seats (or fewer reserved ones) move people up from the waiting list at once, each told by mail.
            _ = try await req.promoteFromWaitingList(courseID: managed.courseID)
        }
        req.notice = req.t(changed ? "settings.enrolment.saved" : "settings.saved.nothing")
        return req.redirect(to: .trainer(.settingsEnrolment(slug: managed.course.slug)))
    }

    private func renderEnrolment(_ req: Request, managed: TrainerCoursesController.ManagedCourse, form: EnrolmentSettingsForm,
                                 problems: [FieldProblem]) async throws -> View {
        let field = { (name: String, value: String) in FormField(name, value: value, problems: problems, request: req) }
        let directory = try await req.application.accessDirectory.current(on: req.db)
        let boards = directory.boards.sorted { ($0.value.name, $0.key) < ($1.value.name, $1.key) }
        var rows = form.reserved
        rows.append(contentsOf: Array(repeating: EnrolmentSettingsForm.Reserved(), count: rows.count < 3 ? 2 : 1))
        let reserved = rows.enumerated().map { offset, row in
            let prefix = "reserved.\(offset + 1)"
            var choices = [Choice(value: "", label: req.t("settings.choose"), selected: row.board.isEmpty)]
            choices += boards.map { Choice(value: $0.key, label: "\($0.value.name) (\($0.value.province.name(in: req.language)))", selected: $0.key == row.board) }
            if !row.board.isEmpty, directory.boards[row.board] == nil {
                choices.append(Choice(value: row.board, label: req.t("settings.unknown.key", row.board), selected: true))
            }
            return EnrolmentPage.ReservedRow(number: String(offset + 1), board: field("\(prefix).board", row.board), boards: choices,
                                             seats: field("\(prefix).seats", row.seats))
        }
        let counts = try await req.enrolmentDesk.counts(managed.courseID, on: req.db)
        let waiting = try await Enrolment.query(on: req.db).filter(\.$course.$id == managed.courseID).filter(\.$status == .waiting).count()
        let context = EnrolmentPage(
            page: PageContext(req, title: req.t("settings.enrolment.title", managed.title), section: "workspace"),
            nav: .init(managed, section: "settings", request: req),
            settingsNav: SettingsNav(slug: managed.course.slug, current: "enrolment", request: req),
            notice: req.takeNotice(),
            hasErrors: !problems.isEmpty,
            errorCount: req.t(problems.count == 1 ? "settings.errors.one" : "settings.errors", String(problems.count)),
            action: TrainerRoute.settingsEnrolment(slug: managed.course.slug).path,
            key: field("key", form.key), opensOn: field("opens-on", form.opensOn), closesOn: field("closes-on", form.closesOn),
            capacity: field("capacity", form.capacity), waitingList: field("waiting-list", ""), waitingListOn: form.waitingList,
            reserved: reserved,
            figures: req.t("settings.enrolment.figures", String(counts.active), String(waiting)),
            accessURL: TrainerRoute.settingsAccess(slug: managed.course.slug).path)
        return try await req.view.render("trainer-course-settings-enrolment", context)
    }

    // MARK: Owners and status

    struct OwnersPage: Encodable {
        struct Owner: Encodable {
            let id: String
            let name: String
            let email: String
            let role: String
            let isYou: Bool
            let canRemove: Bool
            let removeLabel: String
        }
        let page: PageContext
        let nav: TrainerCoursesController.CourseNav
        let settingsNav: SettingsNav
        let notice: String?
        let error: String?
        let owners: [Owner]
        let hasOwners: Bool
        let lastOwnerNote: Bool
        let email: FormField
        let addAction: String
        let removeAction: String
        let statusAction: String
        let archived: Bool
        let statusText: String
    }

    func owners(req: Request) async throws -> View {
        let managed = try await TrainerCoursesController.managedCourse(req)
        return try await renderOwners(req, managed: managed, email: "", problems: [], error: nil)
    }

    private func renderOwners(_ req: Request, managed: TrainerCoursesController.ManagedCourse, email: String,
                              problems: [FieldProblem], error: String?) async throws -> View {
        let owners = try await CourseOwnership(database: req.db).owners(of: managed.courseID)
        let slug = managed.course.slug
        let context = OwnersPage(
            page: PageContext(req, title: req.t("settings.owners.title", managed.title), section: "workspace"),
            nav: .init(managed, section: "settings", request: req),
            settingsNav: SettingsNav(slug: slug, current: "owners", request: req),
            notice: req.takeNotice(), error: error,
            owners: owners.map { owner in
                OwnersPage.Owner(id: owner.id?.uuidString ?? "", name: owner.name, email: owner.email,
                                 role: req.t("settings.owners.role.\(owner.role.rawValue)"),
                                 isYou: owner.id == managed.user.id, canRemove: owners.count > 1,
                                 removeLabel: req.t("settings.owners.remove", owner.name))
            },
            hasOwners: !owners.isEmpty,
            lastOwnerNote: owners.count == 1,
            email: FormField("email", value: email, problems: problems, request: req),
            addAction: TrainerRoute.settingsOwners(slug: slug).path,
            removeAction: TrainerRoute.settingsOwnerRemove(slug: slug).path,
            statusAction: TrainerRoute.settingsStatus(slug: slug).path,
            archived: managed.course.status == .archived,
            statusText: req.t("settings.status.\(managed.course.status.rawValue)"))
        return try await req.view.render("trainer-course-settings-owners", context)
    }

    func addOwner(req: Request) async throws -> Response {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let email = (Self.postedFields(req).last { $0.0 == "email" }?.1 ?? "").trimmingCharacters(in: .whitespaces)
        let problem: String?
        if EmailAddress(email) == nil {
            problem = "settings.owners.error.email"
        } else {
            switch try await CourseSettingsWriter(database: req.db).addOwner(email: email, courseID: managed.courseID, by: managed.user) {
            case .added:
                req.notice = req.t("settings.owners.added", email)
                return req.redirect(to: .trainer(.settingsOwners(slug: managed.course.slug)))
            case .alreadyOwner: problem = "settings.owners.error.already"
            case .noSuchPerson: problem = "settings.owners.error.unknown"
            case .notStaff: problem = "settings.owners.error.learner"
            }
        }
        return try await renderOwners(req, managed: managed, email: email,
                                      problems: problem.map { [FieldProblem("email", $0, [email])] } ?? [], error: nil)
            .encodeResponse(status: .unprocessableEntity, for: req)
    }

    func removeOwner(req: Request) async throws -> Response {
        let managed = try await TrainerCoursesController.managedCourse(req)
        guard let userID = Self.postedFields(req).last(where: { $0.0 == "user" }).flatMap({ UUID(uuidString: $0.1) }) else {
            throw Abort(.badRequest)
        }
        switch try await CourseSettingsWriter(database: req.db).removeOwner(userID: userID, courseID: managed.courseID, by: managed.user) {
        case .removed:
            req.notice = req.t("settings.owners.removed")
            // Trainers who removed themselves no longer manage the course.
            if userID == managed.user.id && managed.user.role != .admin { return req.redirect(to: .trainer(.courses)) }
            return req.redirect(to: .trainer(.settingsOwners(slug: managed.course.slug)))
        case .lastOwner:
            return try await renderOwners(req, managed: managed, email: "", problems: [], error: req.t("settings.owners.error.last"))
                .encodeResponse(status: .conflict, for: req)
        case .notOwner:
            throw Abort(.notFound)
        }
    }

    func setStatus(req: Request) async throws -> Response {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let archive = Self.postedFields(req).last { $0.0 == "archive" }?.1 == "1"
        let changed = try await CourseSettingsWriter(database: req.db).setArchived(archive, courseID: managed.courseID, by: managed.user)
        if changed { await req.application.catalogue.invalidate() }
        req.notice = req.t(changed ? (archive ? "settings.status.archived.done" : "settings.status.unarchived.done") : "settings.saved.nothing")
        return req.redirect(to: .trainer(.settingsOwners(slug: managed.course.slug)))
    }
}
