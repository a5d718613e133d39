@testable import App
import Testing

@Suite struct CMIInteractionResponseTests {
    @Test(arguments: [
        ("choice", "a[,]b", true), ("choice", "", true), ("choice", "a[,]a", false), ("choice", "a b", false),
        ("sequencing", "s1[,]s2[,]s1", true), ("likert", "agree", true), ("likert", "", false),
        ("matching", "t1[.]d1[,]t2[.]d2", true), ("matching", "t1-d1", false),
        ("performance", "step1[.]42[,][.]done", true), ("performance", "[.]", false),
        ("fill-in", "{lang=nl}kat[,]hond", true), ("long-fill-in", String(repeating: "x", count: 4000), true),
        ("numeric", "3.5", true), ("numeric", "3,5", false), ("true-false", "true", true), ("true-false", "t", false),
        ("other", "anything at all", true),
    ])
    func learnerResponses(type: String, value: String, valid: Bool) {
        #expect(CMIInteractionResponse.isValid(value, type: type, isPattern: false) == valid)
    }

    @Test(arguments: [
        ("numeric", "1[:]5", true), ("numeric", "[:]5", true), ("numeric", "1[:]", true), ("numeric", "5[:]1", false),
        ("numeric", "3", false), ("fill-in", "{case_matters=true}{order_matters=false}Kat", true),
        ("fill-in", "{case_matters=yes}Kat", false), ("long-fill-in", "{case_matters=false}{lang=nl}tekst", true),
        ("long-fill-in", "{order_matters=true}x", false), ("performance", "{order_matters=true}s1[.]a", true),
    ])
    func correctResponsePatterns(type: String, value: String, valid: Bool) {
        #expect(CMIInteractionResponse.isValid(value, type: type, isPattern: true) == valid)
    }

    @Test func runtimeChecksResponsesAgainstTheInteractionType() {
        var state = ScormAttemptState(version: .scorm2004, launch: ScormLaunchContext(learnerID: "u", learnerName: "n"))
        state.initialize()
        state.setValue("cmi.interactions.0.id", "q1")
        state.setValue("cmi.interactions.0.type", "numeric")
        #expect(state.setValue("cmi.interactions.0.correct_responses.0.pattern", "10[:]20") == .noError)
        #expect(state.setValue("cmi.interactions.0.learner_response", "12.5") == .noError)
        #expect(state.setValue("cmi.interactions.0.learner_response", "twelve").rawValue == 406)
        state.setValue("cmi.interactions.1.id", "q2")
        state.setValue("cmi.interactions.1.type", "choice")
        #expect(state.setValue("cmi.interactions.1.correct_responses.0.pattern", "a[,]c") == .noError)
        #expect(state.setValue("cmi.interactions.1.correct_responses.1.pattern", "b") == .noError)
        #expect(state.setValue("cmi.interactions.1.learner_response", "a[,]a").rawValue == 406)
    }
}
