import Foundation

/// Reads what SCORM adds to an IMS item and its resource into `ScormItemData`, for the runtime and a later
/// sequencing engine. Element and attribute names are matched by local name in any letter case, because
/// tools mix SCORM 1.2 spellings (`masteryscore`) and SCORM 2004 spellings (`masteryScore`).
struct ScormItemReader {
    var standard: CoursePackage.Standard
    var file: String

    /// The resource's `adlcp:scormtype` (1.2) or `adlcp:scormType` (2004), lower-cased; `nil` when absent or blank.
    static func scormType(of resource: ManifestElement) -> String? {
        guard let value = resource.attributeIgnoringCase("scormtype"), !value.isEmpty else { return nil }
        return value.lowercased()
    }

    func read(item: ManifestElement, resource: ManifestElement?, report: inout PackageReport) -> ScormItemData {
        var data = ScormItemData()
        data.scormType = resource.flatMap(Self.scormType)
        data.isVisible = visibility(of: item, report: &report)
        data.dataFromLMS = item.childIgnoringCase("datafromlms")?.nonEmptyText
        data.timeLimitAction = item.childIgnoringCase("timelimitaction")?.nonEmptyText
        if let action = data.timeLimitAction, !Self.timeLimitActions.contains(action.lowercased()) {
            report.warning("scorm.timeLimitAction.unknown", file: file, at: item.childIgnoringCase("timelimitaction"),
                           "Item '\(key(item))' has timeLimitAction '\(action)', which is not a SCORM value; it is kept as written",
                           hint: "Use one of: exit,message; exit,no message; continue,message; continue,no message")
        }
        switch standard {
        case .scorm12:
            readSCORM12(item, into: &data, report: &report)
        case .scorm2004:
            readSCORM2004(item, into: &data, report: &report)
        default:
            break
        }
        return data
    }

    private func readSCORM12(_ item: ManifestElement, into data: inout ScormItemData, report: inout PackageReport) {
        data.prerequisites = item.childIgnoringCase("prerequisites")?.nonEmptyText
        data.maxTimeAllowed = item.childIgnoringCase("maxtimeallowed")?.nonEmptyText
        if let element = item.childIgnoringCase("masteryscore"), let text = element.nonEmptyText {
            if let score = Double(text), (0...100).contains(score) {
                data.masteryScore = score
            } else {
                report.warning("scorm.masteryscore.invalid", file: file, at: element,
                               "Item '\(key(item))' has masteryscore '\(text)', which is not a number from 0 to 100; it is ignored",
                               hint: "Write the mastery score as a number from 0 to 100, e.g. 80")
            }
        }
    }

    private func readSCORM2004(_ item: ManifestElement, into data: inout ScormItemData, report: inout PackageReport) {
        if let threshold = item.childIgnoringCase("completionThreshold") {
            // 2nd and 3rd edition give the value as text, 4th edition as minProgressMeasure.
            let text = threshold.nonEmptyText ?? threshold.attributeIgnoringCase("minProgressMeasure")
            if let text, !text.isEmpty {
                if let value = Double(text), (0...1).contains(value) {
                    data.completionThreshold = value
                } else {
                    report.warning("scorm.completionThreshold.invalid", file: file, at: threshold,
                                   "Item '\(key(item))' has completionThreshold '\(text)', which is not a number from 0 to 1; it is ignored",
                                   hint: "Write the threshold as a decimal from 0 to 1, e.g. 0.8")
                }
            }
        }
        if let sequencing = item.children.first(where: { $0.name == "sequencing" && $0.namespaceContains("imsss") })
            ?? item.childIgnoringCase("sequencing") {
            data.sequencingXML = sequencing.xmlText
            data.maxTimeAllowed = sequencing.childIgnoringCase("limitConditions")?.attributeIgnoringCase("attemptAbsoluteDurationLimit")
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        if let interface = item.path("presentation", "navigationInterface") {
            data.hideLMSUI = interface.childrenIgnoringCase("hideLMSUI").compactMap(\.nonEmptyText)
        }
    }

    private func visibility(of item: ManifestElement, report: inout PackageReport) -> Bool {
        guard let value = item.attributeIgnoringCase("isvisible") else { return true }
        switch value.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            report.warning("item.isvisible.invalid", file: file, at: item,
                           "Item '\(key(item))' has isvisible=\"\(value)\", which is not a boolean; the item is shown",
                           hint: "Write isvisible=\"true\" or isvisible=\"false\"")
            return true
        }
    }

    private func key(_ item: ManifestElement) -> String {
        item.attributeIgnoringCase("identifier") ?? "?"
    }

    static let timeLimitActions: Set<String> = ["exit,message", "exit,no message", "continue,message", "continue,no message"]
}
