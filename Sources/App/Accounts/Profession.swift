import Foundation

/// The professions the academy trains, by stable key; labels come from the message catalogue
/// ("profession.<key>").
public enum Profession: String, CaseIterable, Codable, Sendable {
    case gp
    case pharmacist
    case homeNurse = "home-nurse"
    case physiotherapist
    case socialWorker = "social-worker"
    case careBoardStaff = "care-board-staff"
    case informalCareExpert = "informal-care-expert"
    case dentist
    case midwife
    case other

    /// Professions registered with RIZIV/INAMI, for whom accreditation needs the number.
    public var hasRegistrationNumber: Bool {
        switch self {
        case .gp, .pharmacist, .homeNurse, .physiotherapist, .dentist, .midwife: true
        default: false
        }
    }
}

/// Themes of the catalogue, by stable key; labels are "theme.<key>" in the message catalogue.
public enum Theme: String, CaseIterable, Codable, Sendable {
    case careBoardGovernance = "care-board-governance"
    case finance
    case hr
    case digitalHealth = "digital-health"
    case privacy
    case populationHealth = "population-health"
    case personCentredCare = "person-centred-care"
    case communication
    case vaccination
    case socialMap = "social-map"
}
