import Vapor

/// What the player page needs to run one SCORM SCO: where to load it and where its API adapter posts.
/// UNFINISHED: the runtime endpoint and the adapter script are being written; this shape stays.
struct ScormFrame: Encodable, Sendable {
    let launchURL: String
    let runtimeURL: String
    /// "1.2" or "2004".
    let version: String

    static func make(req: Request, course: Course, version: CourseVersion, module: CourseModule,
                     enrolment: Enrolment) async throws -> ScormFrame {
        let launch = module.launch ?? ""
        return ScormFrame(launchURL: SiteRoute.content(slug: course.slug, version: version.number, path: launch).path,
                          runtimeURL: SiteRoute.scormRuntime(slug: course.slug, module: module.key).path,
                          version: version.standard == "scorm-2004" ? "2004" : "1.2")
    }
}
