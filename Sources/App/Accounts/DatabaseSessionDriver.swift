import Fluent
import Vapor

/// Sessions in the database, written only when their data changed during the request.
/// Vapor's sessions middleware saves the session after every request that carried its cookie, which made
/// every page a signed-in person opened a database write (on SQLite, a write serialised with all others).
struct DatabaseSessionDriver: SessionDriver {
    let base: any SessionDriver

    private struct ReadData: StorageKey {
        typealias Value = SessionData
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        base.createSession(data, for: request)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        base.readSession(sessionID, for: request).map { data in
            request.storage[ReadData.self] = data
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if let read = request.storage[ReadData.self], read == data {
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        return base.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        base.deleteSession(sessionID, for: request)
    }
}
