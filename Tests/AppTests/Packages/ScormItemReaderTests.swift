import Foundation
import Testing
@testable import App

@Suite("SCORM item data")
struct ScormItemReaderTests {
    @Test("SCORM 1.2 item elements: masteryscore, datafromlms, maxtimeallowed, timelimitaction, prerequisites")
    func scorm12() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm12-quirks/imsmanifest.xml", report: &report))

        let intro = try #require(package.module(keyed: "intro")?.scorm)
        #expect(intro.scormType == "sco")
        #expect(intro.masteryScore == 80)
        #expect(intro.dataFromLMS == "mode=review")
        #expect(intro.maxTimeAllowed == "00:30:00")
        #expect(intro.timeLimitAction == "exit,message")
        #expect(intro.isVisible)
        #expect(package.module(keyed: "page-one")?.scorm?.prerequisites == "intro & chapter 1")
        #expect(package.module(keyed: "\u{201C}quiz\u{201D}")?.scorm?.isVisible == false)
        #expect(package.module(keyed: "handout")?.scorm?.scormType == "asset")
        #expect(package.module(keyed: "chapter 1")?.scorm?.scormType == nil)
    }

    @Test("SCORM 2004 item elements: completionThreshold (4th and 3rd edition forms), dataFromLMS, hideLMSUI, time limit")
    func scorm2004() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm2004-xmlbase/imsmanifest.xml", report: &report))

        let lesson = try #require(package.module(keyed: "lesson-1")?.scorm)
        #expect(lesson.scormType == "sco")
        #expect(lesson.completionThreshold == 0.75)
        #expect(lesson.dataFromLMS == "level=1")
        #expect(lesson.timeLimitAction == "continue,no message")
        #expect(lesson.maxTimeAllowed == "PT1H")
        #expect(lesson.hideLMSUI == ["continue", "previous"])
        #expect(lesson.masteryScore == nil)
        #expect(package.module(keyed: "lesson-2")?.scorm?.completionThreshold == 0.5)
    }

    @Test("imsss:sequencing is kept as XML that reads back with its namespaces, also on folders")
    func sequencingKept() throws {
        var report = PackageReport()
        let package = try #require(try PackageFixtures.parse("scorm2004-xmlbase/imsmanifest.xml", report: &report))
        let xml = try #require(package.module(keyed: "lesson-1")?.scorm?.sequencingXML)

        let element = try ManifestXMLReader().read(Data(xml.utf8))

        #expect(element.name == "sequencing")
        #expect(element.namespace == "http://www.imsglobal.org/xsd/imsss")
        #expect(element.children.map(\.name) == ["limitConditions", "deliveryControls", "rollupConsiderations"])
        #expect(element.children[2].namespace == "http://www.adlnet.org/xsd/adlseq_v1p3")
        #expect(element.children[0].attribute("attemptAbsoluteDurationLimit") == "PT1H")
        #expect(package.module(keyed: "module-1")?.scorm?.sequencingXML?.contains("<imsss:controlMode choice=\"true\" flow=\"true\"/>") == true)
        #expect(package.module(keyed: "lesson-2")?.scorm?.sequencingXML == nil)
    }

    @Test("values out of range and malformed booleans are warnings; the item still imports")
    func tolerated() throws {
        let xml = PackageFixtures.scorm12("""
          <organizations default="O"><organization identifier="O"><title>T</title>
            <item identifier="i" identifierref="r" isvisible="">
              <title>I</title>
              <adlcp:masteryscore>eighty</adlcp:masteryscore>
              <adlcp:timelimitaction>stop</adlcp:timelimitaction>
            </item></organization></organizations>
          <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>
        """)
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, report: &report))

        let data = try #require(package.module(keyed: "i")?.scorm)
        #expect(data.isVisible)
        #expect(data.masteryScore == nil)
        #expect(data.timeLimitAction == "stop")
        #expect(Set(report.warnings.map(\.code)) == ["item.isvisible.invalid", "scorm.masteryscore.invalid", "scorm.timeLimitAction.unknown"])
        #expect(report.errors.isEmpty)
    }
}
