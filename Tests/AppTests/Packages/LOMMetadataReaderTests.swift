import Foundation
import Testing
@testable import App

@Suite("LOM metadata")
struct LOMMetadataReaderTests {
    @Test("durations as ISO 8601 and as clock times; zero means not set", arguments: [
        ("PT1H30M", 90), ("P0DT0H20M0S", 20), ("PT45S", 1), ("PT1H0M0S", 60), ("PT0.5H", 30),
        ("01:30:00", 90), ("0000:45:00.00", 45), ("1:30", 90),
    ])
    func duration(text: String, minutes: Int) {
        #expect(DurationText.minutes(text) == minutes)
    }

    @Test("unreadable and zero durations give nothing", arguments: ["PT0H0M0S", "00:00:00", "an hour", "P", "PT5X", "90"])
    func noDuration(text: String) {
        #expect(DurationText.minutes(text) == nil)
    }

    @Test("language tags reduce to their primary subtag; non-languages give nothing")
    func language() {
        #expect(LanguageCode.primary("nl-BE") == "nl")
        #expect(LanguageCode.primary(" FR ") == "fr")
        #expect(LanguageCode.primary("zh-Hant") == "zh")
        #expect(LanguageCode.primary("x-none") == nil)
        #expect(LanguageCode.primary("und") == nil)
        #expect(LanguageCode.primary("") == nil)
    }

    @Test("IEEE LOM with string/language and IMS MD with langstring/xml:lang read alike")
    func bindings() throws {
        let ieee = try ManifestXMLReader().read(Data("""
        <lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>
          <title><string language="fr">Plaies</string><string language="nl">Wonden</string></title>
          <keyword><string language="nl">wonde</string></keyword>
        </general><educational><typicalLearningTime><duration>PT20M</duration></typicalLearningTime></educational></lom>
        """.utf8))
        let imsmd = try ManifestXMLReader().read(Data("""
        <metadata><lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><general>
          <title><langstring xml:lang="x-none">Wonden</langstring></title>
          <keyword><langstring>wonde</langstring></keyword>
        </general><educational><typicallearningtime><datetime>00:20:00</datetime></typicallearningtime></educational></lom></metadata>
        """.utf8))

        let fromIEEE = LOMMetadataReader.read(ieee, fallbackLanguage: nil)
        let fromIMSMD = LOMMetadataReader.read(imsmd, fallbackLanguage: "nl")

        #expect(fromIEEE.title == ["fr": "Plaies", "nl": "Wonden"])
        #expect(fromIMSMD.title == ["nl": "Wonden"])
        #expect(fromIEEE.keywords == ["wonde"])
        #expect(fromIMSMD.keywords == ["wonde"])
        #expect(fromIEEE.typicalLearningTimeMinutes == 20)
        #expect(fromIMSMD.typicalLearningTimeMinutes == 20)
    }
}
