import Fluent
import Vapor

/// Care boards and memberships as JSON under /api/v1/care-boards, with the pages' permissions
/// (`BoardPermissions`): admins every board, a board's staff the members and chairs of their own board.
///
/// Authentication: the signed-in session, or a person's own API token with the scope `boards`
/// (`Authorization: Bearer vivel_...`, issued with `academy token create --scope boards`), which carries that
/// person's current rights (a token of someone who is no longer staff gets 403). Because a session cookie
/// rides along with any request the browser makes, writes must be JSON (a cross-site form cannot send that
/// without a CORS preflight, which this server never grants) and, when the browser says where it comes
/// from, from this site.
struct CareBoardAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let boards = routes.grouped("api", "v1", "care-boards")
            .grouped(UserTokenAuthenticator(scope: UserAPIToken.boardsScope, optional: true, trainersOnly: false))
            .grouped(SessionAPIGuard())
        boards.get(use: list)
        boards.get(":code", use: detail)
        boards.post(":code", "memberships", use: add)
        boards.patch(":code", "memberships", ":id", use: change)
    }

    // MARK: Documents

    struct BoardSummary: Content {
        var code: String
        var name: String
        var zone: String
        var province: String
        var email: String?
        var phone: String?
        /// People holding a current member or chair membership.
        var members: Int
        var staff: Int
    }

    struct BoardList: Content {
        var items: [BoardSummary]
    }

    struct MembershipDocument: Content {
        var id: UUID
        var email: String
        var name: String
        var role: String
        var cluster: String?
        var validFrom: String?
        var validUntil: String?
        /// Valid today or starting later (not ended).
        var current: Bool
    }

    struct BoardDetail: Content {
        var board: BoardSummary
        var memberships: [MembershipDocument]
    }

    struct NewMembership: Content {
        var email: String?
        var role: String?
        var cluster: String?
        var validFrom: String?
        var validUntil: String?
    }

    /// Fields left out keep their value; an empty string clears cluster or a validity day.
    /// `end: true` ends the membership today (its last day becomes yesterday).
    struct MembershipPatch: Content {
        var role: String?
        var cluster: String?
        var validFrom: String?
        var validUntil: String?
        var end: Bool?
    }

    // MARK: Handlers

    func list(req: Request) async throws -> BoardList {
        let permissions = try await Self.permissions(req)
        let boards = try await CareBoard.query(on: req.db).sort(\.$code).all().filter { permissions.mayView(board: $0.code) }
        let today = CalendarDay(Date())
        let memberships = try await BoardMembership.query(on: req.db).filter(\.$board.$id ~~ boards.compactMap(\.id)).all()
        let byBoard = Dictionary(grouping: memberships, by: { $0.$board.id })
        return BoardList(items: boards.map { Self.summary($0, memberships: byBoard[$0.id!] ?? [], today: today) })
    }

    func detail(req: Request) async throws -> BoardDetail {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        let today = CalendarDay(Date())
        let roster = try await MembershipDesk.roster(of: board.id!, on: req.db)
        return BoardDetail(board: Self.summary(board, memberships: roster.map(\.membership), today: today),
                           memberships: roster.map { Self.document($0.membership, user: $0.user, today: today) })
    }

    func add(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        let body = try Self.decode(NewMembership.self, req)
        let checked = MembershipChange.check(MembershipInput(email: body.email ?? "", role: body.role ?? "", cluster: body.cluster ?? "",
                                                             validFrom: body.validFrom ?? "", validUntil: body.validUntil ?? ""))
        guard let terms = checked.terms, let email = checked.email else { throw Self.invalid(checked.problems, req) }
        guard permissions.mayManage(board: board.code, role: terms.role) else {
            throw Abort(.forbidden, reason: req.t("error.reason.boards-staff-role"))
        }
        do {
            let membership = try await MembershipDesk(database: req.db, actor: req.auth.get(TokenHolder.self)?.user ?? req.auth.get(User.self)).add(board: board, email: email, terms: terms)
            let user = try await membership.$user.get(on: req.db)
            let response = Response(status: .created)
            try response.content.encode(Self.document(membership, user: user, today: CalendarDay(Date())), as: .json)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/care-boards/\(SiteRoute.escape(board.code))")
            return response
        } catch let refused as MembershipDesk.Refused {
            throw Self.invalid(refused.problems, req)
        }
    }

    func change(req: Request) async throws -> Response {
        let permissions = try await Self.permissions(req)
        let board = try await Self.board(req, permissions)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let membership = try await BoardMembership.query(on: req.db).filter(\.$id == id).filter(\.$board.$id == board.id!)
                .with(\.$user).first() else {
            throw Abort(.notFound, reason: "No membership of \(board.code) has the id '\(req.parameters.get("id") ?? "")'")
        }
        guard permissions.mayManage(board: board.code, role: BoardRole(membership.role)) else {
            throw Abort(.forbidden, reason: req.t("error.reason.boards-staff-role"))
        }
        let patch = try Self.decode(MembershipPatch.self, req)
        let desk = MembershipDesk(database: req.db, actor: req.auth.get(TokenHolder.self)?.user ?? req.auth.get(User.self))
        if patch.end == true {
            if try await desk.end(membership) == .remove { return Response(status: .noContent) }
        } else {
            let checked = MembershipChange.check(MembershipInput(
                role: patch.role ?? membership.role, cluster: patch.cluster ?? membership.cluster ?? "",
                validFrom: patch.validFrom ?? membership.validFrom ?? "", validUntil: patch.validUntil ?? membership.validUntil ?? ""))
            guard let terms = checked.terms else { throw Self.invalid(checked.problems, req) }
            guard permissions.mayManage(board: board.code, role: terms.role) else {
                throw Abort(.forbidden, reason: req.t("error.reason.boards-staff-role"))
            }
            do {
                try await desk.change(membership, to: terms)
            } catch let refused as MembershipDesk.Refused {
                throw Self.invalid(refused.problems, req)
            }
        }
        let response = Response(status: .ok)
        try response.content.encode(Self.document(membership, user: membership.user, today: CalendarDay(Date())), as: .json)
        return response
    }

    // MARK: Helpers

    static func permissions(_ req: Request) async throws -> BoardPermissions {
        guard let user = req.auth.get(TokenHolder.self)?.user ?? req.auth.get(User.self) else {
            throw Abort(.unauthorized, reason: "Sign in on the academy first, or send a personal API token with the scope boards (academy token create --scope boards); this API serves administrators and a care board's staff.")
        }
        let permissions = try await MembershipDesk.permissions(for: user, on: req.db)
        guard permissions.mayUseBoards else { throw Abort(.forbidden, reason: req.t("error.reason.boards-staff-only")) }
        return permissions
    }

    static func board(_ req: Request, _ permissions: BoardPermissions) async throws -> CareBoard {
        let code = (req.parameters.get("code") ?? "").uppercased()
        guard let board = try await CareBoard.query(on: req.db).filter(\.$code == code).first() else {
            throw Abort(.notFound, reason: "No care board has the code '\(code)'")
        }
        guard permissions.mayView(board: board.code) else { throw Abort(.forbidden, reason: req.t("error.reason.boards-other-board")) }
        return board
    }

    static func decode<T: Decodable>(_ type: T.Type, _ req: Request) throws -> T {
        do {
            return try req.content.decode(T.self)
        } catch {
            throw Abort(.badRequest, reason: "The body must be a JSON object with the documented fields (text values): \(error)")
        }
    }

    static func invalid(_ problems: [FieldProblem], _ req: Request) -> APIValidationError {
        APIValidationError(reason: "The membership has invalid fields",
                           problems: problems.map { .init(field: $0.field, message: MessageCatalogue.text($0.key, req.language, $0.arguments)) })
    }

    static func summary(_ board: CareBoard, memberships: [BoardMembership], today: CalendarDay) -> BoardSummary {
        let current = memberships.filter { !MembershipChange.isEnded(validUntil: $0.validUntil.flatMap(CalendarDay.init(iso:)), today: today) }
        return BoardSummary(code: board.code, name: board.name, zone: board.zone, province: board.province, email: board.email,
                            phone: board.phone,
                            members: Set(current.filter { $0.role != BoardRole.staff.rawValue }.map { $0.$user.id }).count,
                            staff: current.filter { $0.role == BoardRole.staff.rawValue }.count)
    }

    static func document(_ membership: BoardMembership, user: User, today: CalendarDay) -> MembershipDocument {
        MembershipDocument(id: membership.id!, email: user.email, name: user.name, role: membership.role, cluster: membership.cluster,
                           validFrom: membership.validFrom, validUntil: membership.validUntil,
                           current: !MembershipChange.isEnded(validUntil: membership.validUntil.flatMap(CalendarDay.init(iso:)), today: today))
    }
}

/// Writes to a session-authenticated API must come as JSON and, when the browser names the page they
/// come from, from this site: the double-submit CSRF token does not apply under /api/.
struct SessionAPIGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            guard request.headers.contentType?.type == "application", request.headers.contentType?.subType == "json" else {
                throw Abort(.unsupportedMediaType, reason: "Send the body as application/json.")
            }
            if let origin = request.headers.first(name: .origin), let host = request.headers.first(name: .host),
               URLComponents(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true {
                throw Abort(.forbidden, reason: "Requests from another site are refused.")
            }
        }
        return try await next.respond(to: request)
    }
}
