import Fluent
import SQLKit

/// Where a record stands in the export order, so that partners polling with a cursor get every record
/// exactly once. PostgreSQL: the inserting transaction's id and a sequence; a reader only hands out rows
/// whose transaction id is below the oldest transaction still running, so a record committed late can
/// never fall behind a cursor already given out. SQLite has one writer at a time, so the rowid order is the
/// commit order: a trigger copies it into `export_seq` and `export_xid` is 0.
struct UpdateAccreditationRecordAddExportPosition: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        // Triggers, not defaults: the position is the database's to give, whatever an insert sends.
        if sql.dialect.name == "sqlite" {
            try await sql.raw("ALTER TABLE accreditation_records ADD COLUMN export_xid INTEGER").run()
            try await sql.raw("ALTER TABLE accreditation_records ADD COLUMN export_seq INTEGER").run()
            try await sql.raw("UPDATE accreditation_records SET export_xid = 0, export_seq = rowid").run()
            try await sql.raw("""
                CREATE TRIGGER accreditation_records_export_position AFTER INSERT ON accreditation_records
                BEGIN UPDATE accreditation_records SET export_xid = 0, export_seq = NEW.rowid WHERE rowid = NEW.rowid; END
                """).run()
        } else {
            try await sql.raw("CREATE SEQUENCE accreditation_records_export_seq").run()
            try await sql.raw("ALTER TABLE accreditation_records ADD COLUMN export_xid BIGINT").run()
            try await sql.raw("ALTER TABLE accreditation_records ADD COLUMN export_seq BIGINT").run()
            try await sql.raw("UPDATE accreditation_records SET export_xid = 0, export_seq = nextval('accreditation_records_export_seq')").run()
            try await sql.raw("""
                CREATE FUNCTION accreditation_records_export_position() RETURNS trigger AS $$
                BEGIN
                  NEW.export_xid := (pg_current_xact_id()::text)::bigint;
                  NEW.export_seq := nextval('accreditation_records_export_seq');
                  RETURN NEW;
                END $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER accreditation_records_export_position BEFORE INSERT ON accreditation_records
                FOR EACH ROW EXECUTE FUNCTION accreditation_records_export_position()
                """).run()
        }
        try await sql.raw("CREATE INDEX accreditation_records_export_position ON accreditation_records (export_xid, export_seq)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX accreditation_records_export_position").run()
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TRIGGER accreditation_records_export_position").run()
        } else {
            try await sql.raw("DROP TRIGGER accreditation_records_export_position ON accreditation_records").run()
            try await sql.raw("DROP FUNCTION accreditation_records_export_position()").run()
            try await sql.raw("DROP SEQUENCE accreditation_records_export_seq").run()
        }
        try await sql.raw("ALTER TABLE accreditation_records DROP COLUMN export_seq").run()
        try await sql.raw("ALTER TABLE accreditation_records DROP COLUMN export_xid").run()
    }
}
