import Testing
@testable import App

@Suite("Package paths")
struct PackagePathTests {
    @Test("absolute URLs are told from package paths and Windows drives", arguments: [
        ("https://example.org/a.html", true),
        ("//cdn.example.org/a.js", true),
        ("mailto:info@example.org", true),
        ("index.html", false),
        ("content/a:b.html", false),
        ("C:\\Courses\\index.html", false),
        ("./index.html", false),
    ])
    func absoluteURL(reference: String, isAbsolute: Bool) {
        #expect(PackagePath.isAbsoluteURL(reference) == isAbsolute)
    }

    @Test("xml:base joins with and without a trailing slash", arguments: [
        ("course", "index.html", "course/index.html"),
        ("course/", "index.html", "course/index.html"),
        ("", "index.html", "index.html"),
        ("course\\lesson", "index.html", "course/lesson/index.html"),
        ("https://cdn.example.org/tests", "final.html", "https://cdn.example.org/tests/final.html"),
        ("course/", "https://example.org/x.html", "https://example.org/x.html"),
    ])
    func join(base: String, href: String, joined: String) {
        #expect(PackagePath.join(base: base, href) == joined)
    }

    @Test("item parameters join the launch URL as SCORM describes", arguments: [
        ("a.html", "?x=1", "a.html?x=1"),
        ("a.html", "&x=1", "a.html?x=1"),
        ("a.html", "x=1", "a.html?x=1"),
        ("a.html?y=2", "x=1", "a.html?y=2&x=1"),
        ("a.html?y=2", "?x=1", "a.html?y=2&x=1"),
        ("a.html?", "x=1", "a.html?x=1"),
        ("a.html", "#page-2", "a.html#page-2"),
        ("a.html?y=2", "#page-2", "a.html?y=2"),
        ("a.html#top", "#page-2", "a.html#top"),
        ("a.html#top", "x=1", "a.html?x=1#top"),
        ("a.html", "  ", "a.html"),
    ])
    func parameters(url: String, parameters: String, launch: String) {
        #expect(PackagePath.appendingParameters(parameters, to: url) == launch)
    }

    @Test("paths are normalized; climbing out of the package is refused")
    func normalize() {
        #expect(PackagePath.normalize("./content/./a/../b.html") == "content/b.html")
        #expect(PackagePath.normalize("content\\quiz.html") == "content/quiz.html")
        #expect(PackagePath.normalize("content//a.html") == "content/a.html")
        #expect(PackagePath.normalize("lesson/") == "lesson/")
        #expect(PackagePath.normalize("index.html") == "index.html")
        #expect(PackagePath.normalize("../other/index.html") == nil)
        #expect(PackagePath.normalize("a/../../b") == nil)
    }

    @Test("a reference names its file: slashes turned, decoded, query and fragment dropped")
    func filePath() {
        #expect(PackagePath.filePath(of: "content\\My%20Page.html?x=1#top") == "content/My Page.html")
        #expect(PackagePath.filePath(of: "  ./index.html ") == "index.html")
        #expect(PackagePath.filePath(of: "100%.html") == "100%.html")
        #expect(PackagePath.filePath(of: "https://example.org/a.html") == nil)
        #expect(PackagePath.filePath(of: "C:\\course\\a.html") == nil)
        #expect(PackagePath.filePath(of: "%2e%2e/secret.html") == nil)
    }

    @Test("launch references keep their query, fragment and encoding")
    func normalizedLaunch() {
        #expect(PackagePath.normalizedLaunch("./content/Page%20One.html?x=1#top") == "content/Page%20One.html?x=1#top")
        #expect(PackagePath.normalizedLaunch("lesson\\index.html") == "lesson/index.html")
        #expect(PackagePath.normalizedLaunch("./") == "./")
        #expect(PackagePath.normalizedLaunch("../x.html") == nil)
    }
}
