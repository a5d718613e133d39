import Foundation
import Vapor

/// A headless Chromium steered through chromedriver's W3C WebDriver HTTP API, for tests that run the
/// player's JavaScript for real. Debian's `chromium` and `chromium-driver` packages provide both
/// (.ci/run installs them); without them `isAvailable` is false and such tests are skipped.
final class WebDriverSession: @unchecked Sendable {
    static let driverPath = "/usr/bin/chromedriver"
    static let browserPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: driverPath) && browserPath != nil }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let driver: Process
    private let client: any Client
    private let base: String
    private(set) var sessionID = ""

    private init(driver: Process, client: any Client, base: String) {
        self.driver = driver
        self.client = client
        self.base = base
    }

    /// Starts chromedriver on a free port and opens a headless browser session.
    static func start(client: any Client) async throws -> WebDriverSession {
        let port = try freePort()
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: driverPath)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let session = WebDriverSession(driver: driver, client: client, base: "http://127.0.0.1:\(port)")
        do {
            var ready = false
            for _ in 0..<100 where !ready {
                let probe = try? await client.get(URI(string: session.base + "/status"))
                if let status = probe, status.status == .ok {
                    ready = true
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            guard ready else { throw Failure(description: "chromedriver did not start on port \(port)") }
            let created = try await session.call(.POST, "/session", [
                "capabilities": ["alwaysMatch": [
                    "goog:chromeOptions": [
                        "binary": browserPath ?? "",
                        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                    ] as [String: Any],
                ]],
            ])
            guard let id = (created as? [String: Any])?["sessionId"] as? String else {
                throw Failure(description: "chromedriver answered no session: \(String(describing: created))")
            }
            session.sessionID = id
            return session
        } catch {
            kill(driver.processIdentifier, SIGKILL)
            throw error
        }
    }

    func navigate(to url: String) async throws {
        _ = try await call(.POST, "/session/\(sessionID)/url", ["url": url])
    }

    func addCookie(name: String, value: String) async throws {
        _ = try await call(.POST, "/session/\(sessionID)/cookie", ["cookie": ["name": name, "value": value, "path": "/"]])
    }

    /// Where the browser is and what the page says, for a failing test's message.
    func describePage() async -> String {
        let url = (try? await call(.GET, "/session/\(sessionID)/url", nil)) as? String ?? "?"
        let text = (try? await execute("return document.body ? document.body.innerText : ''")) as? String ?? "?"
        let state = (try? await execute(
            "var c = document.querySelector('[data-scorm-runtime]'); return c ? c.getAttribute('data-scorm-state') : 'no adapter container'"
        )) as? String ?? "?"
        return "page \(url), adapter state \(state), text: \(text.prefix(600))"
    }

    /// Runs `script` (a function body) in the page and returns its result.
    func execute(_ script: String) async throws -> Any? {
        try await call(.POST, "/session/\(sessionID)/execute/sync", ["script": script, "args": [Any]()])
    }

    /// Ends the browser session and chromedriver (which ignores SIGTERM here: it gets /shutdown, then SIGKILL).
    func quit() async {
        if !sessionID.isEmpty { _ = try? await call(.DELETE, "/session/\(sessionID)", nil) }
        _ = try? await client.get(URI(string: base + "/shutdown"))
        await Self.stop(driver)
    }

    private static func stop(_ driver: Process) async {
        for _ in 0..<30 where driver.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
    }

    /// One WebDriver command; returns the answer's `value`.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        var request = ClientRequest(method: method, url: URI(string: base + path), headers: ["Content-Type": "application/json"])
        if let data { request.body = ByteBuffer(data: data) }
        let response = try await client.send(request)
        let bytes = response.body.map { Data($0.readableBytesView) } ?? Data()
        let answer = (try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])) as? [String: Any]
        guard response.status == .ok else {
            throw Failure(description: "WebDriver \(method) \(path): \(response.status) \(String(decoding: bytes, as: UTF8.self))")
        }
        let value = answer?["value"]
        return value is NSNull ? nil : value
    }

    /// A port nobody listens on right now (bound and released at once).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
