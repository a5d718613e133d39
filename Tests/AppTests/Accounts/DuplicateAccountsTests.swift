@testable import App
import Foundation
import Testing

/// Which accounts the admins' duplicate list puts together, and why.
@Suite struct DuplicateAccountsTests {
    let a = UUID(), b = UUID(), c = UUID(), d = UUID(), e = UUID()

    @Test func subAddressesAndGmailDotsNameOneMailbox() {
        #expect(DuplicateAccounts.mailboxKey(" An.Peeters+vivel@GoogleMail.com ") == "anpeeters@gmail.com")
        #expect(DuplicateAccounts.mailboxKey("an.peeters+x@praktijk.be") == "an.peeters@praktijk.be", "dots count outside Gmail")
        #expect(DuplicateAccounts.mailboxKey("+tag@praktijk.be") == "+tag@praktijk.be", "a local part that is only a tag stays")
    }

    @Test func accountsSharingAMailboxOrANumberFormGroupsWithTheirReasons() {
        let groups = DuplicateAccounts.groups([
            .init(id: a, email: "an.peeters@gmail.com"),
            .init(id: b, email: "jan@praktijk.be", registrationNumber: "12345625003"),
            .init(id: c, email: "anpeeters+werk@gmail.com"),
            .init(id: d, email: "j.janssens@wgc.be", registrationNumber: "1-23456-25-003"),
            .init(id: e, email: "someone@else.be", registrationNumber: "99999999999"),
        ])

        #expect(groups == [
            .init(accounts: [a, c], reasons: [.sameMailbox]),
            .init(accounts: [b, d], reasons: [.sameRegistrationNumber]),
        ])
    }

    @Test func aNewQualificationCodeIsStillTheSamePersonAndChainsJoinOneGroup() {
        let groups = DuplicateAccounts.groups([
            .init(id: a, email: "an@praktijk.be", registrationNumber: "12345625003"),
            .init(id: b, email: "an.peeters@wgc.be", registrationNumber: "12345625004"),
            .init(id: c, email: "AN@praktijk.be "),
        ])

        #expect(groups.count == 1)
        #expect(groups.first?.accounts == [a, b, c])
        #expect(groups.first?.reasons == [.sameAddress, .samePerson])
    }

    @Test func accountsWithoutAPartnerOrWithoutANumberAreLeftOut() {
        let groups = DuplicateAccounts.groups([
            .init(id: a, email: "an@praktijk.be", registrationNumber: ""),
            .init(id: b, email: "jan@praktijk.be", registrationNumber: ""),
            .init(id: c, email: "piet@praktijk.be", registrationNumber: "123"),
            .init(id: d, email: "mieke@praktijk.be", registrationNumber: "123"),
        ])

        #expect(groups.isEmpty, "empty and malformed numbers name nobody")
    }
}
