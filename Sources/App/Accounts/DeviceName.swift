import Foundation

/// The browser and system a User-Agent names, coarse enough to recognise a device again and to show
/// it to its owner ("Firefox op Windows"), never more.
struct DeviceName: Sendable, Equatable {
    enum Browser: String, Sendable, CaseIterable {
        case edge, opera, firefox, chrome, safari
        var title: String {
            switch self {
            case .edge: "Edge"
            case .opera: "Opera"
            case .firefox: "Firefox"
            case .chrome: "Chrome"
            case .safari: "Safari"
            }
        }
    }

    enum System: String, Sendable, CaseIterable {
        case iOS = "ios", android, windows, macOS = "macos", chromeOS = "chromeos", linux
        var title: String {
            switch self {
            case .iOS: "iPhone/iPad"
            case .android: "Android"
            case .windows: "Windows"
            case .macOS: "macOS"
            case .chromeOS: "ChromeOS"
            case .linux: "Linux"
            }
        }
    }

    var browser: Browser?
    var system: System?

    init(browser: Browser?, system: System?) {
        self.browser = browser
        self.system = system
    }

    /// Order matters: Edge and Opera also say Chrome, Chrome also says Safari, Android also says Linux.
    init(userAgent: String?) {
        let agent = userAgent ?? ""
        func has(_ text: String) -> Bool { agent.range(of: text, options: .caseInsensitive) != nil }
        if has("Edg/") || has("EdgA/") || has("EdgiOS/") { browser = .edge }
        else if has("OPR/") || has("Opera") { browser = .opera }
        else if has("Firefox/") || has("FxiOS/") { browser = .firefox }
        else if has("Chrome/") || has("CriOS/") || has("Chromium/") { browser = .chrome }
        else if has("Safari/") { browser = .safari }
        else { browser = nil }
        if has("iPhone") || has("iPad") || has("iPod") { system = .iOS }
        else if has("Android") { system = .android }
        else if has("Windows") { system = .windows }
        else if has("CrOS") { system = .chromeOS }
        else if has("Macintosh") || has("Mac OS X") { system = .macOS }
        else if has("Linux") { system = .linux }
        else { system = nil }
    }

    func text(_ language: Language) -> String {
        switch (browser, system) {
        case let (browser?, system?): MessageCatalogue.text("sessions.device", language, [browser.title, system.title])
        case let (browser?, nil): browser.title
        case let (nil, system?): system.title
        case (nil, nil): MessageCatalogue.text("sessions.device.unknown", language)
        }
    }
}
