@testable import App
import Fluent
import Testing
import VaporTesting

/// Runs `test` against a fully configured academy on `database`, migrated and empty.
func withAcademy(_ database: TestDatabase, _ test: (Application) async throws -> Void) async throws {
    try await withAcademy(database, settings: { _ in }, test)
}

/// The same, with settings changed first (`{ $0.staffTwoFactor = true }`).
func withAcademy(_ database: TestDatabase, settings adjust: (inout AcademySettings) -> Void,
                 _ test: (Application) async throws -> Void) async throws {
    var settings = AcademySettings.testing
    adjust(&settings)
    var postgresURL: String?
    if database == .postgres {
        guard let server = TestDatabase.postgresURL else { return }
        do {
            let url = try await PostgresTestDatabases.shared.makeDatabase(serverURL: server)
            postgresURL = url
            settings.database = .postgres(url: url)
        } catch {
            throw DescribedError(error)
        }
    }
    let app = try await Application.make(.testing)
    do {
        try await configure(app, settings: settings)
        try await app.autoMigrate()
        try await test(app)
    } catch {
        try? await app.asyncShutdown()
        if let postgresURL { try? await PostgresTestDatabases.shared.dropDatabase(url: postgresURL) }
        throw DescribedError(error)
    }
    try await app.asyncShutdown()
    if let postgresURL { try await PostgresTestDatabases.shared.dropDatabase(url: postgresURL) }
}

/// A browser session for tests: keeps cookies between requests, as a browser would.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    /// Sent with every request (a User-Agent, say).
    var headers: HTTPHeaders = [:]

    init(_ app: Application) {
        self.app = app
    }

    var csrf: String { cookies["academy-csrf"] ?? "" }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: nil)
    }

    /// Posts a form as the page would, with the CSRF token unless `csrf` is false.
    @discardableResult
    func post(_ path: String, form: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
        if cookies["academy-csrf"] == nil { try await get("/") }
        var fields = form
        if csrf { fields["_csrf"] = self.csrf }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: body)
    }

    /// Uploads a file as a `multipart/form-data` form would, with `fields` as further parts. The CSRF token
    /// goes where the upload page puts it, in the query string, unless `csrf` is false.
    @discardableResult
    func upload(_ path: String, field: String, fileName: String, data: Data, fields: [String: String] = [:],
                csrf: Bool = true) async throws -> TestingHTTPResponse {
        if cookies["academy-csrf"] == nil { try await get("/") }
        let boundary = "----AcademyTestBoundary\(UUID().uuidString)"
        var buffer = ByteBufferAllocator().buffer(capacity: data.count + 1024)
        for (name, value) in fields {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(fileName)\"\r\n")
        buffer.writeString("Content-Type: application/zip\r\n\r\n")
        buffer.writeBytes(data)
        buffer.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let target = csrf ? path + (path.contains("?") ? "&" : "?") + "_csrf=\(Self.encode(self.csrf))" : path
        return try await send(.POST, target, headers: headers, buffer: buffer)
    }

    private func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: String?) async throws -> TestingHTTPResponse {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        if let body { buffer.writeString(body) }
        return try await send(method, path, headers: headers, buffer: buffer)
    }

    private func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, buffer: ByteBuffer) async throws -> TestingHTTPResponse {
        var headers = headers
        for (name, value) in self.headers where !headers.contains(name: name) { headers.add(name: name, value: value) }
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: buffer)
        for (name, value) in response.headers.setCookie?.all ?? [:] {
            if value.maxAge == 0 || value.string.isEmpty { cookies[name] = nil } else { cookies[name] = value.string }
        }
        return response
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// PostgreSQL errors print as an opaque PSQLError; tests report what the server said.
struct DescribedError: Error, CustomStringConvertible {
    let description: String
    init(_ error: any Error) {
        description = (error as? DescribedError)?.description ?? String(reflecting: error)
    }
}
