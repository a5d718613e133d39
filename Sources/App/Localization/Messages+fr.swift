let messagesFR: [String: String] = [:]
