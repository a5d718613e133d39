@testable import App
import Foundation
import Testing

@Suite struct MessageCatalogueTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates")

    @Test func everyLanguageHasEveryKeyAndTheSamePlaceholders() {
        let dutch = MessageCatalogue.keys(.nl)
        for language in Language.allCases {
            #expect(MessageCatalogue.keys(language) == dutch, "\(language) differs from nl")
            for key in dutch {
                let placeholders = { (text: String) in Set(text.matches(of: /\{\d\}/).map { String($0.output) }) }
                #expect(placeholders(MessageCatalogue.text(key, language)) == placeholders(MessageCatalogue.text(key, .nl)),
                        "\(language) \(key)")
            }
        }
    }

    @Test func everyKeyTheTemplatesUseExists() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.templates, includingPropertiesForKeys: nil)
            + FileManager.default.contentsOfDirectory(at: Self.templates.appendingPathComponent("layouts"), includingPropertiesForKeys: nil)
        var used: Set<String> = []
        for file in files where file.pathExtension == "leaf" {
            let text = try String(contentsOf: file, encoding: .utf8)
            used.formUnion(text.matches(of: /#t\("([^"]+)"/).map { String($0.output.1) })
        }
        #expect(used.count > 50)
        #expect(used.subtracting(MessageCatalogue.keys(.nl)).isEmpty)
    }

    @Test func themesAndProfessionsHaveLabels() {
        for theme in Theme.allCases { #expect(MessageCatalogue.has("theme.\(theme.rawValue)", .nl)) }
        for profession in Profession.allCases { #expect(MessageCatalogue.has("profession.\(profession.rawValue)", .nl)) }
        for kind in PackageModule.Kind.allCases { #expect(MessageCatalogue.has("module.kind.\(kind.rawValue)", .nl)) }
    }

    @Test func templatesHoldNoDutchOrEnglishProse() throws {
        // Every user-facing text comes from the catalogue: outside tags and Leaf expressions a template
        // holds only markup and punctuation.
        let files = try FileManager.default.contentsOfDirectory(at: Self.templates, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "leaf" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let withoutLeaf = text.replacing(/#[a-zA-Z]*\((?:[^()]|\([^()]*\))*\):?/, with: " ")
                .replacing(/#(end[a-z]+|else:)/, with: " ")
            let withoutTags = withoutLeaf.replacing(/<[^>]*>/, with: " ")
            let words = withoutTags.matches(of: /[A-Za-zÀ-ÿ]{4,}/).map { String($0.output) }
            #expect(words.isEmpty, "\(file.lastPathComponent) has literal text: \(words.prefix(5))")
        }
    }

    @Test func acceptLanguageHonoursQualityValues() {
        #expect(Language.negotiate(acceptLanguage: "fr-BE,fr;q=0.9,nl;q=0.8") == .fr)
        #expect(Language.negotiate(acceptLanguage: "de-DE,en;q=0.3,nl;q=0.7") == .nl)
        #expect(Language.negotiate(acceptLanguage: "de-DE") == nil)
        #expect(Language.negotiate(acceptLanguage: "en;q=0, fr;q=0.1") == .fr)
    }
}

@Suite struct SiteRouteTests {
    /// Links are built from SiteRoute; each must reach a handler the app registered.
    @Test func everyLinkReachesARegisteredRoute() async throws {
        try await withAcademy(.sqlite) { app in
            let registered = app.routes.all.map { ($0.method, $0.path) }
            let samples: [SiteRoute] = [.catalogue(), .course(slug: "x"), .enrol(slug: "x"), .unenrol(slug: "x"), .login(), .logout, .register,
                                        .forgotPassword, .resetPassword(token: "t"), .profile, .myLearning,
                                        .language(.fr, returnTo: "/"),
                                        .player(slug: "x"), .player(slug: "x", module: "m"), .moduleProgress(slug: "x", module: "m"),
                                        .scormRuntime(slug: "x", module: "m"), .cmi5Fetch(token: "t"),
                                        .cmi5Closed(slug: "x", module: "m")]
            for route in samples {
                let path = route.path.split(separator: "?").first.map(String.init) ?? "/"
                let parts = path.split(separator: "/").map(String.init)
                let matches = registered.contains { _, pattern in
                    pattern.count == parts.count && zip(pattern, parts).allSatisfy { component, part in
                        if case .parameter = component { return true }
                        return component.description == part
                    }
                }
                #expect(matches, "\(route) -> \(path) has no route")
            }
        }
    }
}
