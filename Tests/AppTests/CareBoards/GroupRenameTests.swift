@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Admins rename a group; its key stays, rules keep working, and the audit trail keeps before and after.
@Suite struct GroupRenameTests {
    @Test(arguments: TestDatabase.all)
    func anAdminRenamesAGroupAndTheChangeIsAudited(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await AccessGroup(key: "vaccinatiecentra", names: ["nl": "Vaccinatiecentra", "en": "Vaccination centres"]).save(on: app.db)
            let admin = try await BoardAdminPageTests.admin(app)
            _ = try await BoardAdminPageTests.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let learner = try await BoardAdminPageTests.signIn(app, "jan@zorgraad.be")

            let forbidden = try await learner.post("/admin/groups/vaccinatiecentra/rename", form: ["name_nl": "Gekaapt"])
            let empty = try await admin.post("/admin/groups/vaccinatiecentra/rename", form: ["name_nl": " ", "name_en": "Kept"])
            let renamed = try await admin.post("/admin/groups/vaccinatiecentra/rename",
                                               form: ["name_nl": "Populatiemanagers vaccinatiecentra", "name_fr": "", "name_en": "Population managers"])
            let page = try await admin.get("/admin/groups/vaccinatiecentra").body.string

            #expect(forbidden.status == .forbidden)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Vul de Nederlandse naam in.") && empty.body.string.contains("value=\"Kept\""))
            #expect(renamed.status == .seeOther && renamed.headers.first(name: .location) == "/admin/groups/vaccinatiecentra")
            #expect(page.contains("De groep heet nu ‘Populatiemanagers vaccinatiecentra’"))
            let group = try #require(try await AccessGroup.query(on: app.db).filter(\.$key == "vaccinatiecentra").first())
            #expect(group.names == ["nl": "Populatiemanagers vaccinatiecentra", "en": "Population managers"])
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "group.rename").all()
            #expect(events.count == 1)
            #expect(events.first?.subjectID == "vaccinatiecentra")
            #expect(events.first?.beforeJSON == #"{"en":"Vaccination centres","nl":"Vaccinatiecentra"}"#)
            #expect(events.first?.afterJSON == #"{"en":"Population managers","nl":"Populatiemanagers vaccinatiecentra"}"#)
            #expect(events.first?.actorName.contains("admin@vivel.test") == true)
        }
    }
}
