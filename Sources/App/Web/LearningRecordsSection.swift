import Fluent
import Vapor

/// The part of "My learning" about finished courses: each with its certificate and points, and the points
/// added up per year and accreditation body, as a GP checks them for the accreditation cycle.
struct LearningRecordsSection: Encodable {
    struct Completed: Encodable {
        let title: String
        let completedOn: String
        let points: String?
        let certificateURL: String
        /// "Cyclus 2" for a completion of a later accreditation cycle.
        var cycleLabel: String? = nil
        /// Until when its records count, when they have a validity period.
        var validity: String? = nil
    }

    struct Points: Encodable {
        let year: Int
        let body: String
        let total: String
        /// "rubriek 6: 1,5 CP · rubriek 2: 1 CP"
        let rubrics: String?
    }

    let completed: [Completed]
    let hasCompleted: Bool
    let points: [Points]
    let hasPoints: Bool
    /// Some accredited completion has no records because the registration number is missing.
    let waitingForRegistrationNumber: Bool
    let profileURL: String
    let downloadJSON = SiteRoute.myRecords(format: .json).path
    let downloadCSV = SiteRoute.myRecords(format: .csvExcel).path
    /// Signed credentials: every standing badge in one file, and a CLR transcript per year with points.
    let downloadBadges = CredentialRoute.badges.path
    let transcripts: [Transcript]
    /// Whether the registration number goes into shared credentials, and the form that changes it.
    let sharesRegistrationNumber: Bool
    let hasRegistrationNumber: Bool
    let sharingAction = CredentialRoute.sharing.path

    struct Transcript: Encodable {
        let year: String
        let url: String
    }

    static func load(_ req: Request, user: User) async throws -> LearningRecordsSection {
        let userID = try user.requireID()
        let lang = req.language
        // Completions and records that stayed on an account merged into this one are this person's too.
        let accountIDs = try await MergedAccounts.ids(of: userID, on: req.db)
        let completions = try await CourseCompletion.query(on: req.db).filter(\.$user.$id ~~ accountIDs)
            .with(\.$version).sort(\.$completedAt, .descending).all()
        let records = try await AccreditationRecord.query(on: req.db).filter(\.$user.$id ~~ accountIDs).sort(\.$createdAt).all()
        let standing = CertificateController.current(records)
        let byCompletion = Dictionary(grouping: standing, by: { $0.$completion.id })
        var waiting = false
        let completed = try completions.map { completion -> Completed in
            let own = byCompletion[try completion.requireID()] ?? []
            if own.isEmpty && !completion.version.accreditations.isEmpty && (user.registrationNumber ?? "").isEmpty {
                waiting = true
            }
            let points = own.isEmpty ? nil : own.map {
                CreditPoints.text($0.points, unit: $0.unit, language: lang)
            }.joined(separator: " · ")
            return Completed(title: completion.version.title.text(in: lang.rawValue) ?? "",
                             completedOn: BrusselsTime.day(completion.completedAt, language: lang),
                             points: points,
                             certificateURL: SiteRoute.certificate(id: try completion.requireID()).path,
                             cycleLabel: completion.cycle > 1 ? req.t("cycle.label", String(completion.cycle)) : nil,
                             validity: own.compactMap { $0.validUntil.flatMap(CalendarDay.init(iso:)) }.min()
                                 .map { LearningController.validity($0, today: CalendarDay(Date()), req: req) })
        }
        let tally = PointsTally(standing.map {
            PointsTally.Entry(body: $0.body, unit: $0.unit, rubric: $0.rubric, points: $0.points, completedOn: $0.completedOn)
        })
        let points = tally.rows.map { row in
            Points(year: row.year, body: req.t("accreditation.body.\(row.body)"),
                   total: CreditPoints.text(row.total, unit: row.unit, language: lang),
                   rubrics: row.byRubric.isEmpty ? nil : row.byRubric.map {
                       req.t("records.rubric", $0.rubric, CreditPoints.text($0.points, unit: row.unit, language: lang))
                   }.joined(separator: " · "))
        }
        let years = Set(points.map(\.year)).sorted(by: >)
        return LearningRecordsSection(completed: completed, hasCompleted: !completed.isEmpty, points: points,
                                      hasPoints: !points.isEmpty, waitingForRegistrationNumber: waiting,
                                      profileURL: SiteRoute.profile.path,
                                      transcripts: years.map { Transcript(year: String($0), url: CredentialRoute.transcript(year: $0).path) },
                                      sharesRegistrationNumber: user.shareRegistrationNumber ?? false,
                                      hasRegistrationNumber: !(user.registrationNumber ?? "").isEmpty)
    }
}
