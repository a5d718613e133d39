import Foundation

/// What the player needs to run one module, beyond its title and kind: taken from the package at import.
struct ModuleRuntime: Sendable, Codable, Equatable {
    var completion: ModuleCompletion?
    var quiz: PackageQuiz?
    var scorm: ScormItemData?
    var cmi5: Cmi5AUData?
    /// Package-relative files the module needs.
    var files: [String]

    init(completion: ModuleCompletion? = nil, quiz: PackageQuiz? = nil, scorm: ScormItemData? = nil,
         cmi5: Cmi5AUData? = nil, files: [String] = []) {
        self.completion = completion
        self.quiz = quiz
        self.scorm = scorm
        self.cmi5 = cmi5
        self.files = files
    }

    init(_ module: PackageModule) {
        self.init(completion: module.completion, quiz: module.quiz, scorm: module.scorm, cmi5: module.cmi5,
                  files: module.files)
    }

    var isEmpty: Bool { completion == nil && quiz == nil && scorm == nil && cmi5 == nil && files.isEmpty }
}

extension CourseModule {
    var runtime: ModuleRuntime {
        guard let runtimeJSON else { return ModuleRuntime() }
        return (try? JSONDecoder().decode(ModuleRuntime.self, from: Data(runtimeJSON.utf8))) ?? ModuleRuntime()
    }

    var moduleKind: PackageModule.Kind? { PackageModule.Kind(rawValue: kind) }
}
