let messagesEN: [String: String] = [:]
