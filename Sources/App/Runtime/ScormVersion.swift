/// SCORM versions and their runtime error codes.
/// Follows SCORM 1.2 Run-Time Environment §3.3.3 (LMSGetLastError error codes) and
/// SCORM 2004 4th Edition Run-Time Environment §3.1.7 (API implementation error codes, Table 3.1.7a).
import Foundation

public enum ScormVersion: String, Sendable, Codable, CaseIterable {
    case scorm12 = "1.2"
    case scorm2004 = "2004"
}

/// A runtime error code as the API adapter reports it through GetLastError.
public struct ScormErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ code: Int) { self.rawValue = code }
    public var description: String { String(rawValue) }
    public var isError: Bool { rawValue != 0 }

    public static let noError = ScormErrorCode(0)
    public static let generalException = ScormErrorCode(101)

    // SCORM 1.2 only
    public static let invalidArgument12 = ScormErrorCode(201)
    public static let elementCannotHaveChildren12 = ScormErrorCode(202)
    public static let elementNotAnArray12 = ScormErrorCode(203)
    public static let notInitialized12 = ScormErrorCode(301)
    public static let notImplemented12 = ScormErrorCode(401)
    public static let elementIsKeyword12 = ScormErrorCode(402)
    public static let elementIsReadOnly12 = ScormErrorCode(403)
    public static let elementIsWriteOnly12 = ScormErrorCode(404)
    public static let incorrectDataType12 = ScormErrorCode(405)

    // SCORM 2004 only
    public static let generalInitializationFailure = ScormErrorCode(102)
    public static let alreadyInitialized = ScormErrorCode(103)
    public static let contentInstanceTerminated = ScormErrorCode(104)
    public static let generalTerminationFailure = ScormErrorCode(111)
    public static let terminationBeforeInitialization = ScormErrorCode(112)
    public static let terminationAfterTermination = ScormErrorCode(113)
    public static let retrieveDataBeforeInitialization = ScormErrorCode(122)
    public static let retrieveDataAfterTermination = ScormErrorCode(123)
    public static let storeDataBeforeInitialization = ScormErrorCode(132)
    public static let storeDataAfterTermination = ScormErrorCode(133)
    public static let commitBeforeInitialization = ScormErrorCode(142)
    public static let commitAfterTermination = ScormErrorCode(143)
    public static let generalArgumentError = ScormErrorCode(201)
    public static let generalGetFailure = ScormErrorCode(301)
    public static let generalSetFailure = ScormErrorCode(351)
    public static let generalCommitFailure = ScormErrorCode(391)
    public static let undefinedDataModelElement = ScormErrorCode(401)
    public static let unimplementedDataModelElement = ScormErrorCode(402)
    public static let valueNotInitialized = ScormErrorCode(403)
    public static let elementIsReadOnly = ScormErrorCode(404)
    public static let elementIsWriteOnly = ScormErrorCode(405)
    public static let typeMismatch = ScormErrorCode(406)
    public static let valueOutOfRange = ScormErrorCode(407)
    public static let dependencyNotEstablished = ScormErrorCode(408)
}

extension ScormVersion {
    /// The codes this version defines; GetErrorString returns "" for any other.
    public var errorCodes: [ScormErrorCode] {
        switch self {
        case .scorm12: return [0, 101, 201, 202, 203, 301, 401, 402, 403, 404, 405].map { ScormErrorCode($0) }
        case .scorm2004:
            return [0, 101, 102, 103, 104, 111, 112, 113, 122, 123, 132, 133, 142, 143,
                    201, 301, 351, 391, 401, 402, 403, 404, 405, 406, 407, 408].map { ScormErrorCode($0) }
        }
    }

    /// The standard's error string (LMSGetErrorString / GetErrorString); "" for an unknown code.
    public func errorString(for code: ScormErrorCode) -> String {
        switch self {
        case .scorm12:
            switch code.rawValue {
            case 0: return "No error"
            case 101: return "General exception"
            case 201: return "Invalid argument error"
            case 202: return "Element cannot have children"
            case 203: return "Element not an array - cannot have count"
            case 301: return "Not initialized"
            case 401: return "Not implemented error"
            case 402: return "Invalid set value, element is a keyword"
            case 403: return "Element is read only"
            case 404: return "Element is write only"
            case 405: return "Incorrect data type"
            default: return ""
            }
        case .scorm2004:
            switch code.rawValue {
            case 0: return "No Error"
            case 101: return "General Exception"
            case 102: return "General Initialization Failure"
            case 103: return "Already Initialized"
            case 104: return "Content Instance Terminated"
            case 111: return "General Termination Failure"
            case 112: return "Termination Before Initialization"
            case 113: return "Termination After Termination"
            case 122: return "Retrieve Data Before Initialization"
            case 123: return "Retrieve Data After Termination"
            case 132: return "Store Data Before Initialization"
            case 133: return "Store Data After Termination"
            case 142: return "Commit Before Initialization"
            case 143: return "Commit After Termination"
            case 201: return "General Argument Error"
            case 301: return "General Get Failure"
            case 351: return "General Set Failure"
            case 391: return "General Commit Failure"
            case 401: return "Undefined Data Model Element"
            case 402: return "Unimplemented Data Model Element"
            case 403: return "Data Model Element Value Not Initialized"
            case 404: return "Data Model Element Is Read Only"
            case 405: return "Data Model Element Is Write Only"
            case 406: return "Data Model Element Type Mismatch"
            case 407: return "Data Model Element Value Out Of Range"
            case 408: return "Data Model Dependency Not Established"
            default: return ""
            }
        }
    }
}
