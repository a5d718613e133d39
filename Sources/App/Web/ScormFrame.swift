import Vapor

/// What the player page needs to run one SCORM SCO (templates/partials/scorm-frame.leaf): where to load it,
/// where its API adapter (templates/static/js/scorm-runtime.js) posts, and the CSRF token for those posts.
/// The adapter loads the SCO into the frame only once the runtime endpoint has answered, so that the
/// SCO's first LMSInitialize/GetValue already finds the data.
struct ScormFrame: Encodable, Sendable {
    let launchURL: String
    let runtimeURL: String
    /// "1.2" or "2004".
    let version: String
    /// Sent as X-CSRF-Token with every runtime post.
    let csrfToken: String
    /// The adapter script's address.
    let scriptURL: String

    static func make(req: Request, course: Course, version: CourseVersion, module: CourseModule,
                     enrolment: Enrolment) async throws -> ScormFrame {
        ScormFrame(launchURL: launchURL(slug: course.slug, version: version.number, launch: module.launch ?? ""),
                   runtimeURL: SiteRoute.scormRuntime(slug: course.slug, module: module.key).path,
                   version: ScormRuntimeController.scormVersion(standard: version.standard).rawValue,
                   csrfToken: req.csrfToken,
                   scriptURL: "/js/scorm-runtime.js")
    }

    /// The launch file under /content, its path escaped per component, with the item's parameters
    /// ("index.html?lesson=1", "a.html#p2") kept as they are: escaping them would make them part of the
    /// file name. A launch that is an absolute URL is used as it is.
    static func launchURL(slug: String, version: Int, launch: String) -> String {
        if PackagePath.isAbsoluteURL(launch) { return launch }
        let (path, suffix) = PackagePath.splitSuffix(launch)
        return SiteRoute.content(slug: slug, version: version, path: PackagePath.percentDecoded(path)).path + suffix
    }
}
