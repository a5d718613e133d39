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
          { "name": "format", "in": "query", "schema": { "type": "string", "enum": ["json", "ndjson", "csv", "csv-excel", "xapi"] }, "description": "Overrides the Accept header; csv-excel uses semicolons, decimal commas and a byte order mark; xapi gives xAPI 1.0.3 statements" }
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
      "partnerToken": { "type": "http", "scheme": "bearer", "description": "A partner's API token (academy partner token-create)" }
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
