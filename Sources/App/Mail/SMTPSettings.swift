import Foundation

/// How the academy reaches its mail server, from ACADEMY_SMTP_URL:
/// `smtp://user:password@host:587` (STARTTLS, required), `smtps://user:password@host:465` (TLS from the
/// first byte), `smtp+plain://host:25` (no encryption: only for a relay on the same host or network).
struct SMTPSettings: Sendable, Equatable {
    enum Security: String, Sendable {
        case startTLS, implicitTLS, none
    }

    enum Problem: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case unknownScheme(String)
        case missingHost

        var description: String {
            switch self {
            case .unreadable(let text):
                return "ACADEMY_SMTP_URL is not a URL (\(text)); write it as smtp://user:password@host:587"
            case .unknownScheme(let scheme):
                return "ACADEMY_SMTP_URL starts with \(scheme)://; use smtp:// (STARTTLS), smtps:// (TLS) or smtp+plain:// (no encryption)"
            case .missingHost:
                return "ACADEMY_SMTP_URL names no host; write it as smtp://user:password@host:587"
            }
        }
    }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    /// Extra trusted certificate authorities (PEM), for a server with a private CA; the system's otherwise.
    var trustedCertificatesFile: String?
    /// The name the academy greets the server with (EHLO).
    var clientName = "localhost"

    init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
         trustedCertificatesFile: String? = nil) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificatesFile = trustedCertificatesFile
    }

    init(url text: String, trustedCertificatesFile: String? = nil) throws(Problem) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .unreadable(text.replacingOccurrences(of: #"//[^@/]*@"#, with: "//…@", options: .regularExpression))
        }
        let security: Security
        let defaultPort: Int
        switch scheme {
        case "smtp": (security, defaultPort) = (.startTLS, 587)
        case "smtps": (security, defaultPort) = (.implicitTLS, 465)
        case "smtp+plain": (security, defaultPort) = (.none, 25)
        default: throw .unknownScheme(scheme)
        }
        guard let host = components.host, !host.isEmpty else { throw .missingHost }
        self.init(host: host, port: components.port ?? defaultPort, security: security,
                  username: components.user?.removingPercentEncoding, password: components.password?.removingPercentEncoding,
                  trustedCertificatesFile: trustedCertificatesFile)
    }
}
