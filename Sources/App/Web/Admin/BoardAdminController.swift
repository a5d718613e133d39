import Fluent
import Vapor

/// Care boards and their memberships: admins manage every board, import and export files; a board's
/// staff manage the members and chairs of their own board (`BoardPermissions`). The rules live in
/// `MembershipChange` and `MembershipDesk`; this controller reads forms and lays out pages.
struct BoardAdminController: RouteCollection {
    /// The largest membership file accepted in the browser (60 boards of 30 people are about 100 kB).
    static let maxFileSize: ByteCount = "4mb"

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(BoardAdminRoute.Pattern.boards, use: boards)
        signedIn.get(BoardAdminRoute.Pattern.importMemberships, use: importForm)
        signedIn.on(.POST, BoardAdminRoute.Pattern.importMemberships, body: .collect(maxSize: Self.maxFileSize), use: checkImport)
        signedIn.on(.POST, BoardAdminRoute.Pattern.applyImport, body: .collect(maxSize: Self.maxFileSize), use: applyImport)
        signedIn.get(BoardAdminRoute.Pattern.exportMemberships, use: exportAll)
        signedIn.get(BoardAdminRoute.Pattern.board, use: board)
        signedIn.get(BoardAdminRoute.Pattern.exportBoard, use: exportBoard)
        signedIn.get(BoardAdminRoute.Pattern.newMembership, use: newMembershipForm)
        signedIn.post(BoardAdminRoute.Pattern.newMembership, use: addMembership)
        signedIn.get(BoardAdminRoute.Pattern.membership, use: editMembershipForm)
        signedIn.post(BoardAdminRoute.Pattern.membership, use: saveMembership)
        signedIn.post(BoardAdminRoute.Pattern.endMembership, use: endMembership)
    }

    // MARK: Who may

    static func permissions(_ req: Request) async throws -> BoardPermissions {
        guard let user = req.auth.get(User.self) else { throw Abort(.unauthorized) }
        let permissions = try await MembershipDesk.permissions(for: user, on: req.db)
        guard permissions.mayUseBoards else { throw Abort(.forbidden, reason: "boards-staff-only") }
        return permissions
    }

    /// The board named in the path, if the person may see it: 404 when there is no such board, 403 when
    /// it is another board's business.
    static func board(_ req: Request, _ permissions: BoardPermissions) async throws -> CareBoard {
        let code = (req.parameters.get("code") ?? "").uppercased()
        guard let board = try await CareBoard.query(on: req.db).filter(\.$code == code).first() else { throw Abort(.notFound) }
        guard permissions.mayView(board: board.code) else { throw Abort(.forbidden, reason: "boards-other-board") }
        return board
    }

    static func membership(_ req: Request, of board: CareBoard) async throws -> (BoardMembership, User) {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let membership = try await BoardMembership.query(on: req.db).filter(\.$id == id)
                .filter(\.$board.$id == board.id!).with(\.$user).first() else { throw Abort(.notFound) }
        return (membership, membership.user)
    }

    // MARK: Boards

    struct BoardRow: Encodable {
        let code: String
        let name: String
        let zone: String
        let province: String
        let email: String?
        let phone: String?
        let members: Int
        let staff: Int
        let url: String
    }

    struct BoardsPage: Encodable {
        let page: PageContext
        let notice: String?
        let boards: [BoardRow]
        let isAdmin: Bool
        let importURL: String
        let exportURL: String
        let groupsURL: String
    }

    func boards(req: Request) async throws -> View {
        let permissions = try await Self.permissions(req)
        let today = CalendarDay(Date())
        var boards = try await CareBoard.query(on: req.db).all().filter { permissions.mayView(board: $0.code) }
        boards.sort { ($0.province, $0.name) < ($1.province, $1.name) }
        let memberships = try await BoardMembership.query(on: req.db).filter(\.$board.$id ~~ boards.compactMap(\.id)).all()
            .filter { !MembershipChange.isEnded(validUntil: $0.validUntil.flatMap(CalendarDay.init(iso:)), today: today) }
        let byBoard = Dictionary(grouping: memberships, by: { $0.$board.id })
        let rows = boards.map { board in
            let current = byBoard[board.id!] ?? []
            return BoardRow(code: board.code, name: board.name, zone: board.zone,
                            province: Province(board.province).name(in: req.language), email: board.email, phone: board.phone,
                            members: Set(current.filter { $0.role != BoardRole.staff.rawValue }.map { $0.$user.id }).count,
                            staff: current.filter { $0.role == BoardRole.staff.rawValue }.count,
                            url: BoardAdminRoute.board(code: board.code).path)
        }
        return try await req.view.render("boards", BoardsPage(
            page: PageContext(req, title: req.t("boards.title"), section: "boards"), notice: req.takeNotice(), boards: rows,
            isAdmin: permissions.isAdmin, importURL: BoardAdminRoute.importMemberships.path,
            exportURL: BoardAdminRoute.exportMemberships.path, groupsURL: BoardAdminRoute.groups.path))
    }

    struct BoardFacts: Encodable {
        let code: String
        let name: String
        let zone: String
        let province: String
        let email: String?
        let phone: String?

        init(_ board: CareBoard, language: Language) {
            code = board.code
            name = board.name
            zone = board.zone
            province = Province(board.province).name(in: language)
            email = board.email
            phone = board.phone
        }
    }

    struct FilterLink: Encodable {
        let label: String
        let url: String
        let current: Bool
    }

    struct MembershipRow: Encodable {
        let name: String
        let email: String
        let role: String
        let cluster: String?
        let validFrom: String?
        let validUntil: String?
        let ended: Bool
        let editURL: String?
        let endAction: String?
    }

    struct BoardPage: Encodable {
        let page: PageContext
        let notice: String?
        let board: BoardFacts
        let filters: [FilterLink]
        let rows: [MembershipRow]
        let hasRows: Bool
        let addURL: String
        let exportURL: String
        let boardsURL: String
    }

    func board(req: Request) async throws -> View {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        let filter = (try? req.query.get(String.self, at: "show")).flatMap(BoardAdminRoute.MembershipFilter.init(rawValue:)) ?? .current
        let today = CalendarDay(Date())
        let roster = try await MembershipDesk.roster(of: board.id!, on: req.db)
        let rows = roster.compactMap { entry -> MembershipRow? in
            let membership = entry.membership
            let until = membership.validUntil.flatMap(CalendarDay.init(iso:))
            guard MembershipChange.shows(filter, validUntil: until, today: today) else { return nil }
            let ended = MembershipChange.isEnded(validUntil: until, today: today)
            let mayManage = permissions.mayManage(board: board.code, role: BoardRole(membership.role))
            return MembershipRow(
                name: entry.user.name, email: entry.user.email, role: Self.roleName(BoardRole(membership.role), req),
                cluster: membership.cluster.map { Self.clusterName(CareBoardCluster($0), req) },
                validFrom: membership.validFrom.map { BrusselsTime.day(iso: $0, language: req.language) },
                validUntil: membership.validUntil.map { BrusselsTime.day(iso: $0, language: req.language) },
                ended: ended,
                editURL: mayManage ? BoardAdminRoute.membership(code: board.code, id: membership.id!).path : nil,
                endAction: mayManage && !ended ? BoardAdminRoute.endMembership(code: board.code, id: membership.id!).path : nil)
        }
        return try await req.view.render("board", BoardPage(
            page: PageContext(req, title: board.name, section: "boards"), notice: req.takeNotice(),
            board: BoardFacts(board, language: req.language),
            filters: BoardAdminRoute.MembershipFilter.allCases.map {
                FilterLink(label: req.t("boards.filter.\($0.rawValue)"), url: BoardAdminRoute.board(code: board.code, filter: $0).path,
                           current: $0 == filter)
            },
            rows: rows, hasRows: !rows.isEmpty, addURL: BoardAdminRoute.newMembership(code: board.code).path,
            exportURL: BoardAdminRoute.exportBoard(code: board.code).path, boardsURL: BoardAdminRoute.boards.path))
    }

    static func roleName(_ role: BoardRole, _ req: Request) -> String {
        role.isKnown ? req.t("boards.role.\(role.rawValue)") : role.rawValue
    }

    static func clusterName(_ cluster: CareBoardCluster, _ req: Request) -> String {
        let name = cluster.name(in: req.language)
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    // MARK: Adding and changing a membership

    struct MembershipFormPage: Encodable {
        let page: PageContext
        let heading: String
        let boardName: String
        let isNew: Bool
        /// The person, when changing an existing membership.
        let person: String?
        let action: String
        let email: FormField
        let role: FormField
        let cluster: FormField
        let validFrom: FormField
        let validUntil: FormField
        let roles: [Choice]
        let clusters: [Choice]
        let hasErrors: Bool
        let cancelURL: String
        let endAction: String?
    }

    struct MembershipForm: Content {
        var email: String?
        var role: String?
        var cluster: String?
        var validFrom: String?
        var validUntil: String?

        var input: MembershipInput {
            MembershipInput(email: email, role: role ?? "", cluster: cluster ?? "", validFrom: validFrom ?? "", validUntil: validUntil ?? "")
        }
    }

    private func renderForm(_ req: Request, board: CareBoard, permissions: BoardPermissions, input: MembershipInput,
                            problems: [FieldProblem], existing: (BoardMembership, User)?) async throws -> Response {
        let isNew = existing == nil
        let action = existing.map { BoardAdminRoute.membership(code: board.code, id: $0.0.id!).path }
            ?? BoardAdminRoute.newMembership(code: board.code).path
        let roleValue = input.role.lowercased()
        let clusterValue = input.cluster.lowercased()
        let context = MembershipFormPage(
            page: PageContext(req, title: req.t(isNew ? "boards.membership.new.title" : "boards.membership.edit.title"), section: "boards"),
            heading: req.t(isNew ? "boards.membership.new.title" : "boards.membership.edit.title"),
            boardName: board.name, isNew: isNew,
            person: existing.map { "\($0.1.name) (\($0.1.email))" },
            action: action,
            email: FormField("email", value: input.email ?? "", problems: problems, request: req),
            role: FormField("role", value: input.role, problems: problems, request: req),
            cluster: FormField("cluster", value: input.cluster, problems: problems, request: req),
            validFrom: FormField("validFrom", value: input.validFrom, problems: problems, request: req),
            validUntil: FormField("validUntil", value: input.validUntil, problems: problems, request: req),
            roles: permissions.grantableRoles(board: board.code).map {
                Choice(value: $0.rawValue, label: Self.roleName($0, req), selected: $0.rawValue == roleValue)
            },
            clusters: CareBoardCluster.known.map {
                Choice(value: $0.rawValue, label: Self.clusterName($0, req), selected: $0.rawValue == clusterValue)
            },
            hasErrors: !problems.isEmpty,
            cancelURL: BoardAdminRoute.board(code: board.code).path,
            endAction: existing.map { BoardAdminRoute.endMembership(code: board.code, id: $0.0.id!).path })
        return try await req.view.render("board-membership", context)
            .encodeResponse(status: problems.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    func newMembershipForm(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        return try await renderForm(req, board: board, permissions: permissions,
                                    input: MembershipInput(email: "", role: BoardRole.member.rawValue), problems: [], existing: nil)
    }

    func addMembership(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        var input = try req.content.decode(MembershipForm.self).input
        input.email = input.email ?? ""
        let checked = MembershipChange.check(input)
        var problems = checked.problems
        if let terms = checked.terms, !permissions.mayManage(board: board.code, role: terms.role) {
            throw Abort(.forbidden, reason: "boards-staff-role")
        }
        if let terms = checked.terms, let email = checked.email {
            do {
                let membership = try await MembershipDesk(database: req.db, actor: req.auth.get(User.self)).add(board: board, email: email, terms: terms)
                _ = membership
                req.notice = req.t("boards.notice.added", email.value, Self.roleName(terms.role, req))
                return req.redirect(to: .boards(.board(code: board.code)))
            } catch let refused as MembershipDesk.Refused {
                problems = refused.problems
            }
        }
        return try await renderForm(req, board: board, permissions: permissions, input: input, problems: problems, existing: nil)
    }

    func editMembershipForm(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        let (membership, user) = try await Self.membership(req, of: board)
        guard permissions.mayManage(board: board.code, role: BoardRole(membership.role)) else {
            throw Abort(.forbidden, reason: "boards-staff-role")
        }
        let input = MembershipInput(role: membership.role, cluster: membership.cluster ?? "",
                                    validFrom: membership.validFrom ?? "", validUntil: membership.validUntil ?? "")
        return try await renderForm(req, board: board, permissions: permissions, input: input, problems: [], existing: (membership, user))
    }

    func saveMembership(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        let (membership, user) = try await Self.membership(req, of: board)
        guard permissions.mayManage(board: board.code, role: BoardRole(membership.role)) else {
            throw Abort(.forbidden, reason: "boards-staff-role")
        }
        var input = try req.content.decode(MembershipForm.self).input
        input.email = nil
        let checked = MembershipChange.check(input)
        var problems = checked.problems
        if let terms = checked.terms {
            guard permissions.mayManage(board: board.code, role: terms.role) else { throw Abort(.forbidden, reason: "boards-staff-role") }
            do {
                try await MembershipDesk(database: req.db, actor: req.auth.get(User.self)).change(membership, to: terms)
                req.notice = req.t("boards.notice.changed", user.email)
                return req.redirect(to: .boards(.board(code: board.code)))
            } catch let refused as MembershipDesk.Refused {
                problems = refused.problems
            }
        }
        return try await renderForm(req, board: board, permissions: permissions, input: input, problems: problems,
                                    existing: (membership, user))
    }

    func endMembership(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        let (membership, user) = try await Self.membership(req, of: board)
        guard permissions.mayManage(board: board.code, role: BoardRole(membership.role)) else {
            throw Abort(.forbidden, reason: "boards-staff-role")
        }
        switch try await MembershipDesk(database: req.db, actor: req.auth.get(User.self)).end(membership) {
        case .lastDay(let day): req.notice = req.t("boards.notice.ended", user.email, BrusselsTime.day(iso: day.iso, language: req.language))
        case .remove: req.notice = req.t("boards.notice.removed", user.email)
        case .alreadyEnded: req.notice = req.t("boards.notice.already.ended", user.email)
        }
        return req.redirect(to: .boards(.board(code: board.code)))
    }

    // MARK: Import

    struct ImportPage: Encodable {
        let page: PageContext
        let error: String?
        let action: String
        let csv: String
        let columns: String
        let boardsURL: String
    }

    struct ImportReportRow: Encodable {
        let line: Int
        let outcome: String
        let kind: String
        let what: String
        let details: [String]
        var hasDetails: Bool { !details.isEmpty }

        enum CodingKeys: String, CodingKey { case line, outcome, kind, what, details, hasDetails }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(line, forKey: .line)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(kind, forKey: .kind)
            try container.encode(what, forKey: .what)
            try container.encode(details, forKey: .details)
            try container.encode(hasDetails, forKey: .hasDetails)
        }
    }

    struct ImportReportPage: Encodable {
        let page: PageContext
        let summary: String
        let refused: Bool
        let applied: Bool
        let rows: [ImportReportRow]
        let applyAction: String?
        let csv: String
        let againURL: String
        let boardsURL: String
    }

    struct ImportForm: Content {
        var csv: String?
        var file: File?
    }

    private func importAction(_ req: Request, _ route: BoardAdminRoute) -> String {
        // The token travels in the URL: a multipart body is not read by the CSRF check.
        route.path + "?" + CSRFMiddleware.fieldName + "=" + SiteRoute.escape(req.csrfToken)
    }

    private func renderImportForm(_ req: Request, csv: String, error: String?) async throws -> Response {
        try await req.view.render("board-import", ImportPage(
            page: PageContext(req, title: req.t("boards.import.title"), section: "boards"), error: error,
            action: importAction(req, .importMemberships), csv: csv, columns: MembershipCSV.columns.joined(separator: ","),
            boardsURL: BoardAdminRoute.boards.path))
        .encodeResponse(status: error == nil ? .ok : .unprocessableEntity, for: req)
    }

    func importForm(req: Request) async throws -> Response {
        guard try await Self.permissions(req).mayImport else { throw Abort(.forbidden, reason: "boards-admin-only") }
        return try await renderImportForm(req, csv: "", error: nil)
    }

    func checkImport(req: Request) async throws -> Response {
        try await runImport(req, dryRun: true)
    }

    func applyImport(req: Request) async throws -> Response {
        try await runImport(req, dryRun: false)
    }

    private func runImport(_ req: Request, dryRun: Bool) async throws -> Response {
        guard try await Self.permissions(req).mayImport else { throw Abort(.forbidden, reason: "boards-admin-only") }
        let form = try req.content.decode(ImportForm.self)
        var data = Data()
        if let file = form.file, file.data.readableBytes > 0 {
            data = Data(file.data.readableBytesView)
        } else if let csv = form.csv {
            data = Data(csv.utf8)
        }
        let csvText = String(decoding: data, as: UTF8.self)
        guard !data.isEmpty else { return try await renderImportForm(req, csv: "", error: req.t("boards.import.error.empty")) }
        let report: MembershipImport.Report
        do {
            report = try await MembershipImport(dryRun: dryRun, actor: req.auth.get(User.self), source: "upload").run(data, on: req.db)
        } catch let failure as CSVTable.Failure {
            let message = req.t("boards.import.error.file", failure.line.map(String.init) ?? "–", failure.message + (failure.hint.map { " (\($0))" } ?? ""))
            return try await renderImportForm(req, csv: String(data: data, encoding: .utf8) ?? "", error: message)
        }
        let rows = report.entries.map { entry in Self.reportRow(entry, req) }
        let summaryKey = report.refused > 0 ? "boards.import.summary.refused" : (report.applied ? "boards.import.summary.applied" : "boards.import.summary.dry")
        let summary = req.t(summaryKey, String(report.added), String(report.changed), String(report.unchanged), String(report.refused))
        if report.applied {
            req.notice = summary
            return req.redirect(to: .boards(.boards))
        }
        let context = ImportReportPage(
            page: PageContext(req, title: req.t("boards.import.report.title"), section: "boards"),
            summary: summary, refused: report.refused > 0, applied: report.applied, rows: rows,
            applyAction: report.refused == 0 && report.added + report.changed > 0 ? importAction(req, .applyImport) : nil,
            csv: csvText, againURL: BoardAdminRoute.importMemberships.path, boardsURL: BoardAdminRoute.boards.path)
        return try await req.view.render("board-import-report", context)
            .encodeResponse(status: report.refused > 0 ? .unprocessableEntity : .ok, for: req)
    }

    static func reportRow(_ entry: MembershipImport.Entry, _ req: Request) -> ImportReportRow {
        var what = ""
        if let record = entry.record {
            what = "\(record.email) · \(record.board) · \(roleName(record.role, req))"
            if let cluster = record.cluster { what += " · \(clusterName(cluster, req))" }
            if record.validFrom != nil || record.validUntil != nil {
                what += " · \(record.validFrom?.iso ?? "…") – \(record.validUntil?.iso ?? "…")"
            }
        }
        switch entry.outcome {
        case .added: return ImportReportRow(line: entry.line, outcome: req.t("boards.import.added"), kind: "added", what: what, details: [])
        case .unchanged: return ImportReportRow(line: entry.line, outcome: req.t("boards.import.unchanged"), kind: "unchanged", what: what, details: [])
        case .changed(let changes):
            return ImportReportRow(line: entry.line, outcome: req.t("boards.import.changed"), kind: "changed", what: what, details: changes)
        case .refused(let refusals):
            return ImportReportRow(line: entry.line, outcome: req.t("boards.import.refused"), kind: "refused", what: what,
                                   details: refusals.map { refusalText($0, req) })
        }
    }

    static func refusalText(_ refusal: MembershipCSV.Refusal, _ req: Request) -> String {
        switch refusal {
        case .missingValue(let column): req.t("boards.refusal.missing", column)
        case .notAnEmail(let text): req.t("boards.refusal.email", text)
        case .unknownUser(let email): req.t("boards.refusal.unknown.user", email)
        case .unknownBoard(let code): req.t("boards.refusal.unknown.board", code)
        case .badRole(let text): req.t("boards.refusal.role", text, BoardRole.known.map(\.rawValue).joined(separator: ", "))
        case .badCluster(let text): req.t("boards.refusal.cluster", text, CareBoardCluster.known.map(\.rawValue).joined(separator: ", "))
        case .badDate(let column, let value): req.t("boards.refusal.date", column, value)
        case .untilBeforeFrom(let from, let until): req.t("boards.refusal.until.before.from", until.iso, from.iso)
        case .duplicate(let line): req.t("boards.refusal.duplicate", String(line))
        case .tooManyFields(let count, let expected): req.t("boards.refusal.fields", String(count), String(expected))
        }
    }

    // MARK: Export

    func exportAll(req: Request) async throws -> Response {
        guard try await Self.permissions(req).mayExportAll else { throw Abort(.forbidden, reason: "boards-admin-only") }
        return Self.csvResponse(try await MembershipExport.records(on: req.db), fileName: "memberships.csv")
    }

    func exportBoard(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        let records = try await MembershipExport.records(on: req.db).filter { $0.board == board.code }
        return Self.csvResponse(records, fileName: "memberships-\(board.code.lowercased()).csv")
    }

    static func csvResponse(_ records: [MembershipCSV.Record], fileName: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        return Response(status: .ok, headers: headers, body: .init(string: MembershipCSV.write(records)))
    }
}
