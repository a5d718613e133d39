import Foundation

// Display names of the keys rules use, in the interface languages.

extension Province {
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.antwerpen, .nl): "Antwerpen"
        case (.antwerpen, .fr): "Anvers"
        case (.antwerpen, .en): "Antwerp"
        case (.limburg, .fr): "Limbourg"
        case (.limburg, _): "Limburg"
        case (.oostVlaanderen, .nl): "Oost-Vlaanderen"
        case (.oostVlaanderen, .fr): "Flandre orientale"
        case (.oostVlaanderen, .en): "East Flanders"
        case (.vlaamsBrabant, .nl): "Vlaams-Brabant"
        case (.vlaamsBrabant, .fr): "Brabant flamand"
        case (.vlaamsBrabant, .en): "Flemish Brabant"
        case (.westVlaanderen, .nl): "West-Vlaanderen"
        case (.westVlaanderen, .fr): "Flandre occidentale"
        case (.westVlaanderen, .en): "West Flanders"
        case (.brussel, .nl): "Brussel"
        case (.brussel, .fr): "Bruxelles"
        case (.brussel, .en): "Brussels"
        default: rawValue
        }
    }

    /// Where something lies: "in Limburg", "en Flandre orientale", "à Bruxelles".
    func locative(in language: Language) -> String {
        switch language {
        case .nl: "in \(name(in: .nl))"
        case .en: "in \(name(in: .en))"
        case .fr:
            switch self {
            case .brussel: "à Bruxelles"
            case .antwerpen: "en province d’Anvers"
            default: "en \(name(in: .fr))"
            }
        }
    }
}

extension CareBoardCluster {
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.localAuthorities, .nl): "lokale besturen"
        case (.localAuthorities, .fr): "pouvoirs locaux"
        case (.localAuthorities, .en): "local authorities"
        case (.care, .nl): "zorg"
        case (.care, .fr): "soins"
        case (.care, .en): "care"
        case (.welfare, .nl): "welzijn"
        case (.welfare, .fr): "bien-être"
        case (.welfare, .en): "welfare"
        case (.careUsers, .nl): "personen met een zorgnood"
        case (.careUsers, .fr): "personnes ayant un besoin de soins"
        case (.careUsers, .en): "people with a care need"
        default: rawValue
        }
    }
}

extension BoardRole {
    /// Plural, as in "medewerkers en leden van een zorgraad".
    func plural(in language: Language) -> String {
        switch (self, language) {
        case (.staff, .nl): "medewerkers"
        case (.staff, .fr): "le personnel"
        case (.staff, .en): "staff"
        case (.member, .nl): "leden"
        case (.member, .fr): "les membres"
        case (.member, .en): "members"
        case (.chair, .nl): "voorzitters"
        case (.chair, .fr): "les présidents"
        case (.chair, .en): "chairs"
        default: rawValue
        }
    }
}

extension PlatformRole {
    func plural(in language: Language) -> String {
        switch (self, language) {
        case (.learner, .nl): "cursisten"
        case (.learner, .fr): "les apprenants"
        case (.learner, .en): "learners"
        case (.trainer, .nl): "lesgevers"
        case (.trainer, .fr): "les formateurs"
        case (.trainer, .en): "trainers"
        case (.admin, .nl): "beheerders"
        case (.admin, .fr): "les administrateurs"
        case (.admin, .en): "administrators"
        default: rawValue
        }
    }
}

extension ProfessionKey {
    func plural(in language: Language) -> String {
        guard let profession else { return rawValue }
        switch language {
        case .nl:
            switch profession {
            case .gp: return "huisartsen"
            case .pharmacist: return "apothekers"
            case .homeNurse: return "thuisverpleegkundigen"
            case .physiotherapist: return "kinesitherapeuten"
            case .socialWorker: return "maatschappelijk werkers"
            case .careBoardStaff: return "zorgraadmedewerkers"
            case .informalCareExpert: return "ervaringsdeskundigen mantelzorg"
            case .dentist: return "tandartsen"
            case .midwife: return "vroedvrouwen"
            case .other: return "andere beroepen"
            }
        case .fr:
            switch profession {
            case .gp: return "les médecins généralistes"
            case .pharmacist: return "les pharmaciens"
            case .homeNurse: return "les infirmiers à domicile"
            case .physiotherapist: return "les kinésithérapeutes"
            case .socialWorker: return "les assistants sociaux"
            case .careBoardStaff: return "le personnel des conseils de soins"
            case .informalCareExpert: return "les experts du vécu en aidance proche"
            case .dentist: return "les dentistes"
            case .midwife: return "les sages-femmes"
            case .other: return "les autres professions"
            }
        case .en:
            switch profession {
            case .gp: return "GPs"
            case .pharmacist: return "pharmacists"
            case .homeNurse: return "home nurses"
            case .physiotherapist: return "physiotherapists"
            case .socialWorker: return "social workers"
            case .careBoardStaff: return "care board staff"
            case .informalCareExpert: return "informal care experts"
            case .dentist: return "dentists"
            case .midwife: return "midwives"
            case .other: return "other professions"
            }
        }
    }
}

extension AccessKeyKind {
    func name(in language: Language) -> String {
        switch (self, language) {
        case (.board, .nl): "zorgraad"
        case (.board, .fr): "conseil de soins"
        case (.board, .en): "care board"
        case (.group, .nl): "groep"
        case (.group, .fr): "groupe"
        case (.group, .en): "group"
        case (.course, .nl): "cursus"
        case (.course, .fr): "formation"
        case (.course, .en): "course"
        case (.province, .nl): "provincie"
        case (.province, .fr): "province"
        case (.province, .en): "province"
        case (.cluster, _): "cluster"
        case (.boardRole, .nl): "rol in een zorgraad"
        case (.boardRole, .fr): "rôle dans un conseil de soins"
        case (.boardRole, .en): "care board role"
        case (.profession, .nl): "beroep"
        case (.profession, .fr): "profession"
        case (.profession, .en): "profession"
        case (.platformRole, .nl): "rol op het platform"
        case (.platformRole, .fr): "rôle sur la plateforme"
        case (.platformRole, .en): "platform role"
        }
    }
}
