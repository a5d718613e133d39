import Fluent
import SQLKit
import Vapor

/// The small xAPI 1.0.3 endpoint cmi5 AUs talk to (/xapi/): about, statements, the State API and the
/// cmi5LearnerPreferences agent profile. Called by content with `Authorization: Basic <auth-token>` from the
/// fetch URL, never with the session cookie; the token is good for its own registration and learner only.
/// Answers are JSON with `X-Experience-API-Version: 1.0.3`; refusals say what is wrong: {"error": ..., "message": ...}.
///
/// The statement query (GET without statementId) pages through this registration's statements by verb,
/// activity, since/until and order (`XAPIStatementQuery`). AUs served from another origin (absolute AU URLs)
/// may call every route here: CORS answers any origin without credentials, since the token travels in the
/// Authorization header, never in a cookie.
///
/// Voiding statements are refused (an AU may not void, cmi5 6.3, and the academy rejects what it would
/// otherwise have to void), so no stored statement is ever voided. UNFINISHED: attachments and
/// related_activities/related_agents are refused with a clear message.
struct XAPIController: RouteCollection {
    static let version = "1.0.3"
    static let maxBody = ByteCount(value: 1024 * 1024)
    static let cors = CORSMiddleware(configuration: .init(
        allowedOrigin: .all,
        allowedMethods: [.GET, .PUT, .POST, .DELETE, .OPTIONS],
        allowedHeaders: [.authorization, .contentType, .ifMatch, .ifNoneMatch, "X-Experience-API-Version"],
        allowCredentials: false,
        cacheExpiration: 600,
        exposedHeaders: [.eTag, .lastModified, "X-Experience-API-Version", "X-Experience-API-Consistent-Through"]))

    func boot(routes: any RoutesBuilder) throws {
        let xapi = routes.grouped("xapi").grouped(Self.cors)
        // The preflight of a cross-origin call: CORSMiddleware answers it once a route matches.
        xapi.on(.OPTIONS, "**") { _ in Response(status: .noContent) }
        xapi.get("about", use: about)
        xapi.get("statements", use: getStatements)
        xapi.on(.PUT, "statements", body: .collect(maxSize: Self.maxBody), use: putStatement)
        xapi.on(.POST, "statements", body: .collect(maxSize: Self.maxBody), use: postStatements)
        xapi.get("activities", "state", use: getState)
        xapi.on(.PUT, "activities", "state", body: .collect(maxSize: Self.maxBody), use: putState)
        xapi.on(.POST, "activities", "state", body: .collect(maxSize: Self.maxBody), use: postState)
        xapi.delete("activities", "state", use: deleteState)
        xapi.get("agents", "profile", use: getProfile)
        xapi.on(.PUT, "agents", "profile", body: .collect(maxSize: Self.maxBody), use: refuseProfileWrite)
        xapi.on(.POST, "agents", "profile", body: .collect(maxSize: Self.maxBody), use: refuseProfileWrite)
        xapi.delete("agents", "profile", use: refuseProfileWrite)
    }

    struct Refused: Error {
        let status: HTTPResponseStatus
        let message: String
        init(_ status: HTTPResponseStatus, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    // MARK: Plumbing

    static func runtime(_ req: Request) -> Cmi5Runtime {
        Cmi5Runtime(database: req.db, baseURL: req.application.academySettings.baseURL)
    }

    /// Checks the version header and the token, runs `body`, and turns refusals into xAPI-style JSON answers.
    func handle(_ req: Request, authorised: Bool = true, _ body: (Cmi5Session?) async throws -> Response) async throws -> Response {
        do {
            guard let version = req.headers.first(name: "X-Experience-API-Version") else {
                throw Refused(.badRequest, "The X-Experience-API-Version header is missing; send 1.0.3.")
            }
            guard version == "1.0" || version.hasPrefix("1.0.") else {
                throw Refused(.badRequest, "X-Experience-API-Version \(version) is not supported; this endpoint speaks 1.0.3.")
            }
            var session: Cmi5Session?
            if authorised {
                do {
                    session = try await Self.runtime(req).session(authorization: req.headers.first(name: .authorization))
                } catch let refused as Cmi5Runtime.Refused {
                    throw Refused(HTTPResponseStatus(statusCode: refused.status), refused.message)
                }
            }
            let response = try await body(session)
            Self.stamp(response)
            return response
        } catch let refused as Refused {
            return Self.refusal(refused.status, refused.message)
        } catch let refused as Cmi5Runtime.Refused {
            return Self.refusal(HTTPResponseStatus(statusCode: refused.status), refused.message)
        }
    }

    static func refusal(_ status: HTTPResponseStatus, _ message: String) -> Response {
        let body = JSONValue.object(["error": .string(status.reasonPhrase), "message": .string(message)])
        let response = json(body, status: status)
        if status == .unauthorized { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Basic realm=\"xAPI\"") }
        stamp(response)
        return response
    }

    /// The version every answer carries.
    static func stamp(_ response: Response) {
        response.headers.replaceOrAdd(name: "X-Experience-API-Version", value: version)
    }

    static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: value.canonicalText))
    }

    static func bodyJSON(_ req: Request) throws -> JSONValue {
        guard let buffer = req.body.data, buffer.readableBytes > 0 else { throw Refused(.badRequest, "The request body is empty.") }
        guard let value = JSONValue.parse(Data(buffer.readableBytesView)) else {
            throw Refused(.badRequest, "The request body is not JSON.")
        }
        return value
    }

    // MARK: About

    func about(req: Request) async throws -> Response {
        let response = Self.json(.object(["version": .array([.string(Self.version)])]))
        Self.stamp(response)
        return response
    }

    // MARK: Statements

    func putStatement(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            guard let idText = req.query[String.self, at: "statementId"], let id = UUID(uuidString: idText) else {
                throw Refused(.badRequest, "PUT /xapi/statements needs the statementId parameter (a UUID).")
            }
            guard case .object(var statement) = try Self.bodyJSON(req) else {
                throw Refused(.badRequest, "PUT /xapi/statements takes one statement, a JSON object.")
            }
            if let given = statement["id"]?.string {
                guard UUID(uuidString: given) == id else {
                    throw Refused(.badRequest, "The statement's id \(given) differs from the statementId parameter \(idText).")
                }
            } else {
                statement["id"] = .string(idText.lowercased())
            }
            try await record([.object(statement)], session: session, req: req)
            return Response(status: .noContent)
        }
    }

    func postStatements(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            let body = try Self.bodyJSON(req)
            let statements: [JSONValue]
            switch body {
            case .object: statements = [body]
            case .array(let list) where !list.isEmpty: statements = list
            default: throw Refused(.badRequest, "POST /xapi/statements takes a statement or a non-empty list of statements.")
            }
            let ids = try await record(statements, session: session, req: req)
            return Self.json(.array(ids.map { .string($0.uuidString.lowercased()) }))
        }
    }

    @discardableResult
    func record(_ statements: [JSONValue], session: Cmi5Session, req: Request) async throws -> [UUID] {
        let recorded = try await Self.runtime(req).record(statements, session: session)
        // After the commit, never inside it: the recorder runs its own transactions.
        if recorded.attemptChanged {
            try await req.completionRecorder().attemptChanged(enrolmentID: recorded.enrolmentID)
        }
        return recorded.ids
    }

    func getStatements(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            let registration = session.$registration.id
            if let idText = req.query[String.self, at: "statementId"] {
                guard let id = UUID(uuidString: idText), let record = try await XAPIStatementRecord.find(id, on: req.db),
                      record.registrationID == registration else {
                    throw Refused(.notFound, "No statement \(idText) in this registration.")
                }
                return Self.json(Self.output(record))
            }
            let parameters: XAPIStatementQuery
            do {
                parameters = try XAPIStatementQuery { req.query[String.self, at: $0] }
            } catch let invalid as XAPIStatementQuery.Invalid {
                throw Refused(.badRequest, invalid.message)
            }
            if let given = parameters.registration, given != registration {
                throw Refused(.forbidden, "The registration \(given.uuidString.lowercased()) is not the registration of this launch.")
            }
            if let agentText = parameters.agent {
                guard let agent = JSONValue.parse(Data(agentText.utf8)), let key = XAPIAgentKey.of(agent) else {
                    throw Refused(.badRequest, "The agent parameter is not an xAPI agent (JSON).")
                }
                guard key == XAPIAgentKey.of(session.actorValue) else {
                    throw Refused(.forbidden, "The agent is not the learner of this launch: use the \"actor\" launch parameter.")
                }
            }
            var query = XAPIStatementRecord.query(on: req.db).filter(\.$registrationID == registration)
            if let verb = parameters.verb { query = query.filter(\.$verbID == verb) }
            if let activity = parameters.activity { query = query.filter(\.$objectID == activity) }
            if let since = parameters.since { query = query.filter(\.$storedAt > since) }
            if let until = parameters.until { query = query.filter(\.$storedAt <= until) }
            if let afterID = parameters.after {
                guard let last = try await XAPIStatementRecord.find(afterID, on: req.db), last.registrationID == registration else {
                    throw Refused(.badRequest, "The after parameter names no statement of this registration; follow the \"more\" link as it is.")
                }
                // Compared with the row's own stored time inside the database: a time read into a Date and
                // bound again can differ in its last bits (SQLite keeps seconds since 1970, Date since 2001).
                let comparison = parameters.ascending ? ">" : "<"
                query = query.filter(.custom(SQLQueryString(
                    "(\(ident: "stored_at"), \(ident: "id")) \(unsafeRaw: comparison) (SELECT \(ident: "stored_at"), \(ident: "id") FROM \(ident: XAPIStatementRecord.schema) WHERE \(ident: "id") = \(bind: afterID))")))
            }
            let direction: DatabaseQuery.Sort.Direction = parameters.ascending ? .ascending : .descending
            let records = try await query.sort(\.$storedAt, direction).sort(\.$id, direction)
                .limit(parameters.limit + 1).all()
            let page = Array(records.prefix(parameters.limit))
            var more = ""
            if records.count > parameters.limit, let last = page.last?.id {
                more = "/xapi/statements?" + parameters.more(after: last)
            }
            let response = Self.json(.object(["statements": .array(page.map(Self.output)), "more": .string(more)]))
            // Every statement is stored inside the request that sent it: the store is consistent up to now.
            response.headers.replaceOrAdd(name: "X-Experience-API-Consistent-Through", value: XAPITime.format(Date()))
            return response
        }
    }

    static func output(_ record: XAPIStatementRecord) -> JSONValue {
        guard case .object(var statement) = JSONValue.parse(Data(record.body.utf8)) ?? .null else { return .null }
        statement["stored"] = .string(XAPITime.format(record.storedAt))
        if statement["version"] == nil { statement["version"] = .string(version) }
        return .object(statement)
    }

    // MARK: State API

    struct StateKey {
        let activityID: String
        let agentKey: String
        let registration: String
        let stateID: String?
    }

    /// The state parameters, checked against the session: its learner, its registration (or none).
    func stateKey(_ req: Request, session: Cmi5Session) throws -> StateKey {
        guard let activityID = req.query[String.self, at: "activityId"], !activityID.isEmpty else {
            throw Refused(.badRequest, "The activityId parameter is missing.")
        }
        guard let agentText = req.query[String.self, at: "agent"], let agent = JSONValue.parse(Data(agentText.utf8)),
              let agentKey = XAPIAgentKey.of(agent) else {
            throw Refused(.badRequest, "The agent parameter is missing or is not an xAPI agent (JSON).")
        }
        guard agentKey == XAPIAgentKey.of(session.actorValue) else {
            throw Refused(.forbidden, "The agent is not the learner of this launch: use the \"actor\" launch parameter.")
        }
        var registration = ""
        if let given = req.query[String.self, at: "registration"] {
            guard UUID(uuidString: given) == session.$registration.id else {
                throw Refused(.forbidden, "The registration \(given) is not the registration of this launch.")
            }
            registration = given.lowercased()
        }
        return StateKey(activityID: activityID, agentKey: agentKey, registration: registration,
                        stateID: req.query[String.self, at: "stateId"])
    }

    func documents(_ key: StateKey, on db: any Database) -> QueryBuilder<XAPIStateDocument> {
        XAPIStateDocument.query(on: db).filter(\.$activityID == key.activityID).filter(\.$agentKey == key.agentKey)
            .filter(\.$registration == key.registration)
    }

    func getState(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            let key = try stateKey(req, session: session)
            guard let stateID = key.stateID else {
                let ids = try await documents(key, on: req.db).all().map { JSONValue.string($0.stateID) }
                return Self.json(.array(ids))
            }
            guard let document = try await documents(key, on: req.db).filter(\.$stateID == stateID).first() else {
                throw Refused(.notFound, "No state document \(stateID).")
            }
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: document.contentType)
            headers.replaceOrAdd(name: .eTag, value: "\"\(Cmi5Runtime.hash(String(decoding: document.content, as: UTF8.self)))\"")
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return Response(status: .ok, headers: headers, body: .init(data: document.content))
        }
    }

    func writableStateID(_ key: StateKey) throws -> String {
        guard let stateID = key.stateID, !stateID.isEmpty else { throw Refused(.badRequest, "The stateId parameter is missing.") }
        if stateID == Cmi5Vocabulary.launchDataStateID {
            throw Refused(.forbidden, "LMS.LaunchData is written by the LMS; an AU must not change or delete it (cmi5 10.2.1).")
        }
        return stateID
    }

    func putState(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            let key = try stateKey(req, session: session)
            let stateID = try writableStateID(key)
            let content = req.body.data.map { Data($0.readableBytesView) } ?? Data()
            try await Cmi5Runtime.putState(activityID: key.activityID, agentKey: key.agentKey, registration: key.registration,
                                           stateID: stateID, contentType: req.headers.first(name: .contentType) ?? "application/octet-stream",
                                           content: content, on: req.db, now: Date())
            return Response(status: .noContent)
        }
    }

    /// xAPI 1.0.3 POST: merges the top-level properties of two JSON objects; anything else is refused.
    func postState(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            let key = try stateKey(req, session: session)
            let stateID = try writableStateID(key)
            guard case .object(let incoming) = try Self.bodyJSON(req) else {
                throw Refused(.badRequest, "POST merges JSON objects: the body must be a JSON object (use PUT for other content).")
            }
            var merged = incoming
            if let existing = try await documents(key, on: req.db).filter(\.$stateID == stateID).first() {
                guard case .object(let old) = JSONValue.parse(existing.content) ?? .null else {
                    throw Refused(.badRequest, "The stored document \(stateID) is not a JSON object, so POST cannot merge into it; use PUT.")
                }
                merged = old.merging(incoming) { _, new in new }
            }
            try await Cmi5Runtime.putState(activityID: key.activityID, agentKey: key.agentKey, registration: key.registration,
                                           stateID: stateID, contentType: "application/json",
                                           content: Data(JSONValue.object(merged).canonicalText.utf8), on: req.db, now: Date())
            return Response(status: .noContent)
        }
    }

    func deleteState(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            let key = try stateKey(req, session: session)
            if key.stateID != nil {
                let stateID = try writableStateID(key)
                try await documents(key, on: req.db).filter(\.$stateID == stateID).delete()
            } else {
                try await documents(key, on: req.db).filter(\.$stateID != Cmi5Vocabulary.launchDataStateID).delete()
            }
            return Response(status: .noContent)
        }
    }

    // MARK: Agent profile (cmi5 11)

    func getProfile(req: Request) async throws -> Response {
        try await handle(req) { session in
            guard let session else { throw Refused(.unauthorized, "No session.") }
            guard let agentText = req.query[String.self, at: "agent"], let agent = JSONValue.parse(Data(agentText.utf8)),
                  XAPIAgentKey.of(agent) == XAPIAgentKey.of(session.actorValue) else {
                throw Refused(.forbidden, "The agent parameter must be the learner of this launch (the \"actor\" launch parameter).")
            }
            guard let profileID = req.query[String.self, at: "profileId"] else {
                return Self.json(.array([.string(Cmi5Vocabulary.learnerPreferencesProfileID)]))
            }
            guard profileID == Cmi5Vocabulary.learnerPreferencesProfileID else { throw Refused(.notFound, "No profile \(profileID).") }
            var user: User?
            if let enrolment = try await Enrolment.find(session.$enrolment.id, on: req.db) {
                user = try await User.find(enrolment.$user.id, on: req.db)
            }
            return Self.json(.object([
                "languagePreference": .string(Self.languagePreference(user?.preferredLanguage ?? "nl")),
                "audioPreference": .string("on"),
            ]))
        }
    }

    /// The learner's language first, as spoken in Belgium, then the bare language (cmi5 11.1: RFC 5646 tags).
    static func languagePreference(_ language: String) -> String {
        language == "en" ? "en" : "\(language)-BE,\(language)"
    }

    /// cmi5 11: the LMS may refuse the AU's changes to the learner preferences with 403.
    func refuseProfileWrite(req: Request) async throws -> Response {
        try await handle(req) { _ in
            throw Refused(.forbidden, "The learner's preferences are kept by the academy; they cannot be changed here.")
        }
    }
}
