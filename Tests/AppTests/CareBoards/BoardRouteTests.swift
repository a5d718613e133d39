@testable import App
import Testing
import VaporTesting

/// Every link built from `BoardAdminRoute` reaches a route the app registered.
@Suite struct BoardRouteTests {
    @Test func everyBoardLinkReachesARegisteredRoute() async throws {
        try await withAcademy(.sqlite) { app in
            let registered = app.routes.all.map(\.path)
            let id = UUID()
            let samples: [BoardAdminRoute] = [
                .boards, .board(code: "ZR-GENT"), .board(code: "ZR-GENT", filter: .ended), .newMembership(code: "ZR-GENT"),
                .membership(code: "ZR-GENT", id: id), .endMembership(code: "ZR-GENT", id: id), .importMemberships, .applyImport,
                .exportMemberships, .exportBoard(code: "ZR-GENT"), .groups, .group(key: "g"), .addGroupMembers(key: "g"),
                .removeGroupMember(key: "g", userID: id), .enrolments(slug: "x"), .checkEnrolments(slug: "x"),
                .applyEnrolments(slug: "x"), .withdrawEnrolment(slug: "x"),
            ]
            for route in samples {
                let path = SiteRoute.boards(route).path.split(separator: "?").first.map(String.init) ?? "/"
                let parts = path.split(separator: "/").map(String.init)
                let matches = registered.contains { pattern in
                    pattern.count == parts.count && zip(pattern, parts).allSatisfy { component, part in
                        if case .parameter = component { return true }
                        return component.description == part
                    }
                }
                #expect(matches, "\(path) has a handler")
            }
        }
    }
}
