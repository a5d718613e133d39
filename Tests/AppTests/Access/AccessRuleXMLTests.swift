import Foundation
import Testing
@testable import App

@Suite("Access rules in the course manifest (XML)")
struct AccessRuleXMLTests {
    static let fixtures = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/access")

    /// Wraps rule markup in a manifest root on line 1, so the markup's first line is line 2.
    func element(_ markup: String) throws -> ManifestElement {
        let xml = "<access xmlns=\"\(AccessRuleXML.namespace)\">\n\(markup)\n</access>"
        return try ManifestXMLReader().read(Data(xml.utf8))
    }

    func read(_ markup: String, vocabulary: AccessVocabulary? = AccessScenario.vocabulary) throws -> AccessRuleXML.Reading {
        AccessRuleXML.readRule(childrenOf: try element(markup), file: "course.xml", vocabulary: vocabulary)
    }

    @Test("reads the fixture manifest's access element")
    func fixture() throws {
        let root = try ManifestXMLReader().read(contentsOf: Self.fixtures.appendingPathComponent("course-access.xml"))
        let access = try #require(root.child("access"))

        let reading = AccessRuleXML.readRule(childrenOf: access, file: "course.xml", vocabulary: AccessScenario.vocabulary)

        #expect(reading.issues == [])
        #expect(reading.rule == .allOf([
            .anyOf([
                .allOf([.boardMember(roles: [.staff, .member], provinces: [.limburg, .oostVlaanderen]),
                        .completed("zorgraad-basis")]),
                .inGroup("vaccination-population-managers"),
                .platformRole(.admin),
            ]),
            .not(.boardMember(roles: [.chair], boards: ["ZR-BRU"])),
            .date(from: AccessScenario.day("2026-01-01"), until: AccessScenario.day("2026-12-31")),
        ]))
    }

    @Test("every element reads to the matching rule", arguments: [
        (#"<board-member/>"#, AccessRule.boardMember()),
        (#"<board-member clusters="care welfare" boards="ZR-OVL-GENT"/>"#, .boardMember(boards: ["ZR-OVL-GENT"], clusters: [.care, .welfare])),
        (#"<profession in="gp  home-nurse"/>"#, .profession("gp", "home-nurse")),
        (#"<has-registration-number/>"#, .hasRegistrationNumber),
        (#"<platform-role in="trainer"/>"#, .platformRole(.trainer)),
        (#"<date from="2026-03-29"/>"#, .date(from: AccessScenario.day("2026-03-29"))),
        (#"<date until="2026-10-25"/>"#, .date(until: AccessScenario.day("2026-10-25"))),
        (#"<completed courses="zorgraad-basis privacy-basis"/>"#, .completed("zorgraad-basis", "privacy-basis")),
        (#"<enrolment-key/>"#, .enrolmentKey),
        (#"<in-group groups="pilot-2026"/>"#, .inGroup("pilot-2026")),
        (#"<not><enrolment-key/></not>"#, .not(.enrolmentKey)),
        (#"<any-of><enrolment-key/><has-registration-number/></any-of>"#, .anyOf([.enrolmentKey, .hasRegistrationNumber])),
    ])
    func elements(markup: String, expected: AccessRule) throws {
        let reading = try read(markup)
        #expect(reading.issues == [])
        #expect(reading.rule == expected)
    }

    @Test("several rules in the container are an implicit all-of; XML and JSON give the same rule")
    func implicitAllOfMatchesJSON() throws {
        let reading = try read("<enrolment-key/>\n<profession in=\"gp\"/>")
        let rule = try #require(reading.rule)
        #expect(rule == .allOf([.enrolmentKey, .profession("gp")]))
        #expect(try AccessRule(jsonString: rule.jsonString()) == rule)
    }

    @Test("an unknown element is an error naming it, listing the valid ones, at its line")
    func unknownElement() throws {
        let reading = try read("""
        <any-of>
          <enrolment-key/>
          <province-member in="limburg"/>
        </any-of>
        """)

        #expect(reading.rule == nil)
        let issue = try #require(reading.issues.first)
        #expect(reading.issues.count == 1)
        #expect(issue.code == "access.element.unknown")
        #expect(issue.severity == .error)
        #expect(issue.file == "course.xml")
        #expect(issue.line == 4)
        #expect(issue.message.contains("<province-member>"))
        #expect(issue.hint?.contains("<board-member>") == true)
        #expect(issue.hint?.contains("<in-group>") == true)
        #expect(issue.location?.hasPrefix("course.xml:4") == true)
    }

    @Test("an element from another namespace is unknown")
    func foreignNamespace() throws {
        let reading = try read(#"<x:board-member xmlns:x="urn:other"/>"#)
        #expect(reading.rule == nil)
        #expect(reading.issues.map(\.code) == ["access.element.unknown"])
    }

    @Test("mistakes are errors with their line", arguments: [
        (#"<board-member province="limburg"/>"#, "access.attribute.unknown"),
        (#"<board-member provinces="limburgh"/>"#, "access.key.unknown"),
        (#"<board-member clusters="health"/>"#, "access.key.unknown"),
        (#"<board-member roles="boss"/>"#, "access.key.unknown"),
        (#"<board-member provinces=""/>"#, "access.attribute.empty"),
        (#"<board-member boards="ZR-NOPE"/>"#, "access.board.unknown"),
        (#"<profession/>"#, "access.attribute.missing"),
        (#"<profession in="astronaut"/>"#, "access.key.unknown"),
        (#"<platform-role in="owner"/>"#, "access.key.unknown"),
        (#"<date/>"#, "access.attribute.missing"),
        (#"<date from="2026-02-30"/>"#, "access.date.invalid"),
        (#"<date from="2026-12-31" until="2026-01-01"/>"#, "access.date.order"),
        (#"<in-group groups="no-such-group"/>"#, "access.group.unknown"),
        (#"<enrolment-key key="secret"/>"#, "access.attribute.unknown"),
        (#"<all-of/>"#, "access.children"),
        (#"<any-of></any-of>"#, "access.children"),
        (#"<not><enrolment-key/><has-registration-number/></not>"#, "access.children"),
        (#"<not/>"#, "access.children"),
        (#"<profession in="gp"><enrolment-key/></profession>"#, "access.children"),
        (#"<all-of>members only<enrolment-key/></all-of>"#, "access.text.unexpected"),
    ])
    func errors(markup: String, code: String) throws {
        let reading = try read(markup)
        #expect(reading.rule == nil)
        #expect(reading.issues.contains { $0.code == code && $0.severity == .error && $0.line == 2 },
                "\(reading.issues)")
    }

    @Test("an empty container is an error")
    func emptyContainer() throws {
        let reading = try read("")
        #expect(reading.rule == nil)
        #expect(reading.issues.map(\.code) == ["access.children"])
    }

    @Test("an unknown course is only a warning: the rule is kept and denies until the course exists")
    func unknownCourseWarns() throws {
        let reading = try read(#"<completed courses="coming-later"/>"#)
        #expect(reading.rule == .completed("coming-later"))
        #expect(reading.issues.map(\.severity) == [.warning])
        #expect(reading.issues.first?.code == "access.course.unknown")
    }

    @Test("without a vocabulary, board and group keys are not checked at import")
    func noVocabulary() throws {
        let reading = try read(#"<board-member boards="ZR-NEW"/>"#, vocabulary: nil)
        #expect(reading.issues == [])
        #expect(reading.rule == .boardMember(boards: ["ZR-NEW"]))
    }

    @Test("errors deep in a tree keep their own line and column; all are reported")
    func severalErrors() throws {
        let reading = try read("""
        <all-of>
          <any-of>
            <profession in="gp surgeon"/>
          </any-of>
          <date from="soon"/>
        </all-of>
        """)
        #expect(reading.rule == nil)
        #expect(reading.issues.map(\.code) == ["access.key.unknown", "access.date.invalid"])
        #expect(reading.issues.map(\.line) == [4, 6])
        #expect(reading.issues.allSatisfy { ($0.column ?? 0) > 1 })
        #expect(reading.issues[0].message.contains("surgeon"))
    }
}
