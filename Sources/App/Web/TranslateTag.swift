import Leaf
import Vapor

/// `#t("key")` or `#t("key", argument, ...)`: a message from the catalogue in the request's language.
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else {
            throw Abort(.internalServerError, reason: "#t() needs a message key as its first parameter")
        }
        let language = ctx.request?.language ?? .default
        let arguments = ctx.parameters.dropFirst().map { $0.string ?? "" }
        return .string(MessageCatalogue.text(key, language, Array(arguments)))
    }
}
