/// The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json. A test checks it against the
/// registered routes and against real responses.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "VIVEL Academy API",
    "version": "1.0.0",
    "description": "Courses of the VIVEL Academy, the learning platform of and for primary care in Flanders and Brussels. Errors are RFC 9457 problem documents."
  },
  "servers": [{ "url": "/" }],
  "paths": {
    "/api/v1/courses": {
      "get": {
        "operationId": "listCourses",
        "summary": "Published courses visible to the caller, with the catalogue's search and filters",
        "parameters": [
          { "name": "q", "in": "query", "schema": { "type": "string", "maxLength": 200 }, "description": "Words to find in title, summary and keywords (case and accents ignored)" },
          { "name": "theme", "in": "query", "schema": { "type": "string" } },
          { "name": "profession", "in": "query", "schema": { "type": "string" } },
          { "name": "accredited", "in": "query", "schema": { "type": "string", "enum": ["1", "true"] } },
          { "name": "language", "in": "query", "schema": { "type": "string" }, "description": "Content language, e.g. nl" },
          { "name": "open", "in": "query", "schema": { "type": "string", "enum": ["1", "true"] }, "description": "Only courses the caller may take" },
          { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
        ],
        "responses": {
          "200": { "description": "A page of courses", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CourseList" } } } },
          "422": { "description": "Invalid parameters", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/v1/courses/{slug}": {
      "get": {
        "operationId": "getCourse",
        "summary": "One published course with its modules",
        "parameters": [{ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } }],
        "responses": {
          "200": { "description": "The course", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CourseDetail" } } } },
          "404": { "description": "No such published course", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/v1/courses/{slug}/audience": {
      "get": {
        "operationId": "getCourseAudience",
        "summary": "Who can take a course: its rules in words and how many learners, board members, boards and enrolled learners in progress pass them",
        "description": "For the course's owners, co-owners and admins. 'enrol' counts who passes every visibility and enrolment rule, 'see' who passes the visibility rules; each with totals, per care board and per province. Counted over active accounts and memberships valid today (Europe/Brussels); admins always pass; an enrolment key counts only for people who already gave it.",
        "security": [{ "trainerToken": [] }],
        "parameters": [{ "name": "slug", "in": "path", "required": true, "schema": { "type": "string" } }],
        "responses": {
          "200": { "description": "The rules and the counts", "content": { "application/json": { "schema": { "type": "object", "required": ["course", "rules", "enrol", "see"] } } } },
          "401": { "description": "No token, or an unknown, expired or revoked one", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "403": { "description": "The token lacks the courses:read scope, or its holder does not manage the course", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "404": { "description": "No such course", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/v1/accreditation-records": {
      "get": {
        "operationId": "listAccreditationRecords",
        "summary": "Accreditation records in the calling partner's scope, after a cursor, oldest first",
        "description": "Send the value of the Academy-Next-Cursor header as `since` on the next call: every record arrives exactly once, also records whose transaction committed late. Corrections and revocations are records of their own that name the record they supersede. The body streams.",
        "security": [{ "partnerToken": [] }],
        "parameters": [
          { "name": "since", "in": "query", "schema": { "type": "string" }, "description": "Opaque cursor from the last response; leave out to start at the first record" },
          { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 1000000 } },
          { "name": "course", "in": "query", "schema": { "type": "string" }, "description": "Course slug or id" },
          { "name": "body", "in": "query", "schema": { "type": "string" }, "description": "Accreditation body key, e.g. riziv-inami" },
          { "name": "from", "in": "query", "schema": { "type": "string", "format": "date" }, "description": "First completion day" },
          { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" }, "description": "Last completion day" },
          { "name": "format", "in": "query", "schema": { "type": "string", "enum": ["json", "ndjson", "csv", "csv-excel", "xapi", "ob3", "ob3-ndjson"] }, "description": "Overrides the Accept header; csv-excel uses semicolons, decimal commas and a byte order mark; xapi gives xAPI 1.0.3 statements; ob3 and ob3-ndjson give per record its Open Badges 3.0 credential signed as a VC-JWT (ES256, keys at /.well-known/jwks.json), and for corrections and revocations the revoked credential and its status list entry" }
        ],
        "responses": {
          "200": {
            "description": "The records",
            "headers": { "Academy-Next-Cursor": { "schema": { "type": "string" }, "description": "Send as `since` next time" } },
            "content": {
              "application/json": { "schema": { "$ref": "#/components/schemas/AccreditationRecordPage" } },
              "application/x-ndjson": { "schema": { "$ref": "#/components/schemas/AccreditationRecord" } },
              "text/csv": { "schema": { "type": "string" } }
            }
          },
          "400": { "description": "A parameter is wrong; the detail says which and how to fix it", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "401": { "description": "No token, or an unknown, expired or revoked one", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "403": { "description": "The token lacks the records:read scope", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/v1/packages": {
      "post": {
        "operationId": "importPackage",
        "summary": "Publish a course package (SCORM 1.2/2004, cmi5, IMS CP or course.xml zip) as a new course or a new version",
        "description": "The body is the zip itself, streamed (up to 2 GiB). A package whose identifier matches an existing course becomes its next version; only the course's owners and admins may add one. Identical content changes nothing. Without publish=true the version is a draft. Every finding keeps message and hint in English and adds localizedMessage and localizedHint in the report's language: the best of nl, fr and en in Accept-Language, else the token holder's preferred language, else nl (also sent as Content-Language).",
        "security": [{ "trainerToken": [] }],
        "parameters": [
          { "name": "dry_run", "in": "query", "schema": { "type": "boolean" }, "description": "Check the package and say what importing would do; write nothing" },
          { "name": "publish", "in": "query", "schema": { "type": "boolean" }, "description": "Make the imported version the course's current one" },
          { "name": "Accept-Language", "in": "header", "schema": { "type": "string" }, "description": "The language of localizedMessage and localizedHint (nl, fr or en); without it, the token holder's preferred language" }
        ],
        "requestBody": { "required": true, "content": { "application/zip": { "schema": { "type": "string", "format": "binary" } } } },
        "responses": {
          "201": { "description": "A new version was stored", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ImportReport" } } } },
          "200": { "description": "A dry run, or content identical to a stored version", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ImportReport" } } } },
          "400": { "description": "An empty body or a wrong parameter", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "401": { "description": "No token, or an unknown, expired or revoked one", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "403": { "description": "The token lacks the packages:write scope, or its holder is no longer a trainer", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "413": { "description": "The package is larger than 2 GiB", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "422": { "description": "The package was refused; the report says why, where and how to fix it. Nothing was written.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ImportReport" } } } }
        }
      }
    },
    "/api/v1/care-boards": {
      "get": {
        "operationId": "listCareBoards",
        "summary": "Care boards the caller manages: every board for administrators, their own for a board's staff",
        "security": [{ "session": [] }, { "boardsToken": [] }],
        "responses": {
          "200": { "description": "The boards", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CareBoardList" } } } },
          "401": { "description": "Not signed in", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "403": { "description": "Neither an administrator nor a board's staff", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/v1/care-boards/{code}": {
      "get": {
        "operationId": "getCareBoard",
        "summary": "One care board with all its memberships, past, current and future",
        "security": [{ "session": [] }, { "boardsToken": [] }],
        "parameters": [{ "name": "code", "in": "path", "required": true, "schema": { "type": "string" }, "description": "Board code, e.g. ZR-HERKENRODE" }],
        "responses": {
          "200": { "description": "The board", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CareBoardDetail" } } } },
          "401": { "description": "Not signed in", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "403": { "description": "Another board's staff", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "404": { "description": "No such board", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/v1/care-boards/{code}/memberships": {
      "post": {
        "operationId": "addBoardMembership",
        "summary": "Add a membership for a person who has an account (by e-mail address)",
        "description": "A person who held the same role in the board before, now ended, gets that membership back with the new terms. Board staff may add members and chairs of their own board; only administrators give the staff role. Writes must be sent as application/json.",
        "security": [{ "session": [] }, { "boardsToken": [] }],
        "parameters": [{ "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }],
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewBoardMembership" } } } },
        "responses": {
          "201": { "description": "The membership", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/BoardMembership" } } } },
          "400": { "description": "The body is not a JSON object of the documented fields", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "401": { "description": "Not signed in", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "403": { "description": "Not allowed for this board or role", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "404": { "description": "No such board", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "415": { "description": "The body is not application/json", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "422": { "description": "Invalid fields, an unknown person or a duplicate; errors says which field and why", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/v1/care-boards/{code}/memberships/{id}": {
      "patch": {
        "operationId": "changeBoardMembership",
        "summary": "Change role, cluster or validity of a membership, or end it today",
        "description": "Fields left out keep their value; an empty string clears cluster, validFrom or validUntil. With end: true the last day becomes yesterday, so access that depended on the membership ends at once; a membership that had not begun yet is removed (204).",
        "security": [{ "session": [] }, { "boardsToken": [] }],
        "parameters": [
          { "name": "code", "in": "path", "required": true, "schema": { "type": "string" } },
          { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }
        ],
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/BoardMembershipPatch" } } } },
        "responses": {
          "200": { "description": "The membership as it is now", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/BoardMembership" } } } },
          "204": { "description": "Ended before it began: removed" },
          "400": { "description": "The body is not a JSON object of the documented fields", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "401": { "description": "Not signed in", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "403": { "description": "Not allowed for this board or role", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "404": { "description": "No such board, or no such membership in it", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "415": { "description": "The body is not application/json", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "422": { "description": "Invalid fields", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      }
    },
    "/api/openapi.json": {
      "get": {
        "operationId": "getOpenAPIDocument",
        "summary": "This document",
        "responses": { "200": { "description": "OpenAPI 3.1 document", "content": { "application/json": { "schema": { "type": "object" } } } } }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "session": { "type": "apiKey", "in": "cookie", "name": "academy-session", "description": "The signed-in session of an administrator or of a care board's staff (sign in on the site first)" },
      "partnerToken": { "type": "http", "scheme": "bearer", "description": "A partner's API token (academy partner token-create)" },
      "trainerToken": { "type": "http", "scheme": "bearer", "description": "A trainer's own API token with the packages:write scope (/trainer/api-tokens, or academy token create), or courses:read for a course's audience (academy token create --scope courses:read)" },
      "boardsToken": { "type": "http", "scheme": "bearer", "description": "A person's own API token with the boards scope (academy token create --scope boards); it carries that person's current rights: admins every board, a board's staff their own board" }
    },
    "schemas": {
      "AccreditationRecordPage": {
        "type": "object",
        "required": ["records", "next"],
        "properties": {
          "records": { "type": "array", "items": { "$ref": "#/components/schemas/AccreditationRecord" } },
          "next": { "type": "string", "description": "The cursor to send as `since` next time" }
        }
      },
      "AccreditationRecord": {
        "type": "object",
        "required": ["id", "kind", "learnerID", "registrationNumber", "learnerName", "activityNumber", "body", "courseID", "courseTitle", "courseVersion", "completedOn", "completedAt", "points", "unit", "verificationCode", "recordedAt", "cursor"],
        "properties": {
          "id": { "type": "string", "format": "uuid" },
          "kind": { "type": "string", "enum": ["issued", "correction", "revocation"] },
          "supersedes": { "type": "string", "format": "uuid", "description": "The record this correction or revocation replaces" },
          "reason": { "type": "string" },
          "learnerID": { "type": "string", "format": "uuid" },
          "registrationNumber": { "type": "string", "description": "RIZIV/INAMI number, 11 digits" },
          "learnerName": { "type": "string" },
          "profession": { "type": "string" },
          "organiserNumber": { "type": "string" },
          "activityNumber": { "type": "string" },
          "body": { "type": "string" },
          "courseID": { "type": "string", "format": "uuid" },
          "courseTitle": { "type": "string" },
          "courseVersion": { "type": "integer" },
          "completedOn": { "type": "string", "format": "date", "description": "Day of completion in Europe/Brussels" },
          "completedAt": { "type": "string", "format": "date-time" },
          "points": { "type": "number" },
          "unit": { "type": "string" },
          "rubric": { "type": "string" },
          "validUntil": { "type": "string", "format": "date" },
          "verificationCode": { "type": "string" },
          "recordedAt": { "type": "string", "format": "date-time" },
          "cursor": { "type": "string", "description": "The cursor just after this record" }
        }
      },
      "LocalizedText": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Text keyed by language code (nl, fr, en)" },
      "Accreditation": {
        "type": "object",
        "required": ["body", "number", "points", "unit"],
        "properties": {
          "body": { "type": "string", "description": "Accreditation body key, e.g. riziv-inami" },
          "number": { "type": "string" },
          "points": { "type": "number" },
          "unit": { "type": "string" },
          "rubric": { "type": "string" },
          "validFrom": { "type": "string", "format": "date" },
          "validUntil": { "type": "string", "format": "date" }
        }
      },
      "CourseSummary": {
        "type": "object",
        "required": ["slug", "url", "title", "summary", "language", "themes", "professions", "accreditations", "restricted", "access", "version"],
        "properties": {
          "slug": { "type": "string" },
          "url": { "type": "string" },
          "title": { "$ref": "#/components/schemas/LocalizedText" },
          "summary": { "$ref": "#/components/schemas/LocalizedText" },
          "language": { "type": "string" },
          "themes": { "type": "array", "items": { "type": "string" } },
          "professions": { "type": "array", "items": { "type": "string" } },
          "durationMinutes": { "type": "integer" },
          "accreditations": { "type": "array", "items": { "$ref": "#/components/schemas/Accreditation" } },
          "restricted": { "type": "boolean", "description": "Whether rules limit who may see or take the course" },
          "access": { "type": "string", "enum": ["open", "locked"] },
          "version": { "type": "integer" }
        }
      },
      "CourseList": {
        "type": "object",
        "required": ["items", "total", "page", "pageCount"],
        "properties": {
          "items": { "type": "array", "items": { "$ref": "#/components/schemas/CourseSummary" } },
          "total": { "type": "integer" },
          "page": { "type": "integer" },
          "pageCount": { "type": "integer" },
          "next": { "type": "string" },
          "previous": { "type": "string" }
        }
      },
      "ModuleSummary": {
        "type": "object",
        "required": ["key", "title", "kind", "depth", "required"],
        "properties": {
          "key": { "type": "string" },
          "title": { "$ref": "#/components/schemas/LocalizedText" },
          "kind": { "type": "string" },
          "durationMinutes": { "type": "integer" },
          "depth": { "type": "integer" },
          "required": { "type": "boolean" }
        }
      },
      "CourseDetail": {
        "type": "object",
        "required": ["course", "description", "learningGoals", "keywords", "modules"],
        "properties": {
          "course": { "$ref": "#/components/schemas/CourseSummary" },
          "description": { "$ref": "#/components/schemas/LocalizedText" },
          "learningGoals": { "type": "array", "items": { "$ref": "#/components/schemas/LocalizedText" } },
          "keywords": { "type": "array", "items": { "type": "string" } },
          "modules": { "type": "array", "items": { "$ref": "#/components/schemas/ModuleSummary" } },
          "publishedAt": { "type": "string", "format": "date-time" }
        }
      },
      "ImportReport": {
        "type": "object",
        "required": ["status", "language", "published", "files", "bytes", "errors", "warnings"],
        "properties": {
          "status": { "type": "string", "enum": ["refused", "dry-run", "created", "unchanged"] },
          "language": { "type": "string", "enum": ["nl", "fr", "en"], "description": "The language of every localizedMessage and localizedHint" },
          "slug": { "type": "string" },
          "version": { "type": "integer" },
          "published": { "type": "boolean", "description": "The version is the course's current published one" },
          "plan": {
            "type": "object",
            "required": ["action", "slug", "version"],
            "properties": {
              "action": { "type": "string", "enum": ["new-course", "new-version", "identical"] },
              "slug": { "type": "string" },
              "version": { "type": "integer" }
            }
          },
          "contentHash": { "type": "string" },
          "files": { "type": "integer" },
          "bytes": { "type": "integer" },
          "errors": { "type": "array", "items": { "$ref": "#/components/schemas/PackageIssue" } },
          "warnings": { "type": "array", "items": { "$ref": "#/components/schemas/PackageIssue" } }
        }
      },
      "PackageIssue": {
        "type": "object",
        "required": ["code", "message", "localizedMessage", "arguments", "hintArguments"],
        "properties": {
          "code": { "type": "string", "description": "Stable machine-readable code, e.g. item.identifierref.unknown" },
          "file": { "type": "string", "description": "Package-relative file, e.g. imsmanifest.xml" },
          "line": { "type": "integer" },
          "column": { "type": "integer" },
          "message": { "type": "string", "description": "What is wrong, in English" },
          "hint": { "type": "string", "description": "How to fix it, in English" },
          "localizedMessage": { "type": "string", "description": "The message in the report's language (English where no translation exists)" },
          "localizedHint": { "type": "string", "description": "The hint in the report's language" },
          "arguments": { "type": "array", "items": { "$ref": "#/components/schemas/IssueArgument" }, "description": "The values filling {0}, {1}, ... of the message's text" },
          "hintArguments": { "type": "array", "items": { "$ref": "#/components/schemas/IssueArgument" }, "description": "The values filling {0}, {1}, ... of the hint's text" },
          "wording": { "type": "string", "description": "Which text of the code is used, when a code has several; absent: the code's own" }
        }
      },
      "IssueArgument": {
        "description": "A plain value (identifier, path, number), or a phrase that is translated too",
        "oneOf": [
          { "type": "string" },
          {
            "type": "object",
            "required": ["value"],
            "properties": {
              "value": { "type": "string", "description": "The phrase in English" },
              "phrase": { "type": "string", "description": "The phrase's text key, e.g. import.phrase.module" },
              "arguments": { "type": "array", "items": { "$ref": "#/components/schemas/IssueArgument" } },
              "capitalized": { "type": "boolean" }
            }
          }
        ]
      },
      "CareBoard": {
        "type": "object",
        "required": ["code", "name", "zone", "province", "members", "staff"],
        "properties": {
          "code": { "type": "string", "description": "The stable key rules and files use, e.g. ZR-HERKENRODE" },
          "name": { "type": "string" },
          "zone": { "type": "string", "description": "The primary care zone" },
          "province": { "type": "string", "enum": ["antwerpen", "limburg", "oost-vlaanderen", "vlaams-brabant", "west-vlaanderen", "brussel"] },
          "email": { "type": "string" },
          "phone": { "type": "string" },
          "members": { "type": "integer", "description": "People with a current member or chair membership" },
          "staff": { "type": "integer", "description": "Current staff memberships" }
        }
      },
      "CareBoardList": {
        "type": "object",
        "required": ["items"],
        "properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/CareBoard" } } }
      },
      "CareBoardDetail": {
        "type": "object",
        "required": ["board", "memberships"],
        "properties": {
          "board": { "$ref": "#/components/schemas/CareBoard" },
          "memberships": { "type": "array", "items": { "$ref": "#/components/schemas/BoardMembership" } }
        }
      },
      "BoardMembership": {
        "type": "object",
        "required": ["id", "email", "name", "role", "current"],
        "properties": {
          "id": { "type": "string", "format": "uuid" },
          "email": { "type": "string" },
          "name": { "type": "string" },
          "role": { "type": "string", "enum": ["staff", "member", "chair"] },
          "cluster": { "type": "string", "enum": ["local-authorities", "care", "welfare", "care-users"] },
          "validFrom": { "type": "string", "format": "date", "description": "First day, Europe/Brussels, included" },
          "validUntil": { "type": "string", "format": "date", "description": "Last day, Europe/Brussels, included" },
          "current": { "type": "boolean", "description": "Not ended: valid today or starting later" }
        }
      },
      "NewBoardMembership": {
        "type": "object",
        "required": ["email", "role"],
        "properties": {
          "email": { "type": "string" },
          "role": { "type": "string", "enum": ["staff", "member", "chair"] },
          "cluster": { "type": "string", "enum": ["local-authorities", "care", "welfare", "care-users"] },
          "validFrom": { "type": "string", "format": "date" },
          "validUntil": { "type": "string", "format": "date" }
        }
      },
      "BoardMembershipPatch": {
        "type": "object",
        "properties": {
          "role": { "type": "string", "enum": ["staff", "member", "chair"] },
          "cluster": { "type": "string", "description": "A cluster key, or an empty string for none" },
          "validFrom": { "type": "string", "description": "YYYY-MM-DD, or an empty string for none" },
          "validUntil": { "type": "string", "description": "YYYY-MM-DD, or an empty string for none" },
          "end": { "type": "boolean", "description": "End the membership today" }
        }
      },
      "Problem": {
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
          "type": { "type": "string" },
          "title": { "type": "string" },
          "status": { "type": "integer" },
          "detail": { "type": "string" },
          "errors": { "type": "array", "items": { "type": "object", "required": ["field", "message"], "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } }
        }
      }
    }
  }
}
"""#
}
