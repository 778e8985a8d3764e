"""Ordered, named schema migrations, recorded in the workbook (sqlite-utils ``Migrations``).

Never edit a migration that has shipped: add a new one. A workbook that records a migration this
version does not know was written by a newer ctdesk and is refused, not modified.
"""

from pathlib import Path

from sqlite_utils import Database, Migrations

from ctdesk.db import attachments as attachments_db
from ctdesk.db import search_schema
from ctdesk.errors import WorkbookError

MIGRATION_SET = "ctdesk"
migrations = Migrations(MIGRATION_SET)


def _run(db: Database, *statements: str) -> None:
    for sql in statements:
        db.execute(sql)


@migrations(name="0001_scope")
def _scope(db: Database) -> None:
    _run(
        db,
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE inspections (
            id TEXT PRIMARY KEY, code TEXT NOT NULL, title TEXT NOT NULL, subject TEXT NOT NULL,
            year TEXT NOT NULL, status TEXT NOT NULL, status_note TEXT NOT NULL DEFAULT '',
            graded INTEGER NOT NULL DEFAULT 0, is_current INTEGER NOT NULL DEFAULT 0,
            fieldwork TEXT, published TEXT, report_title TEXT, recommendations INTEGER,
            description TEXT NOT NULL DEFAULT '', sort INTEGER NOT NULL)""",
        """CREATE TABLE areas (
            id TEXT PRIMARY KEY, inspection_id TEXT NOT NULL REFERENCES inspections(id),
            code TEXT NOT NULL, title TEXT NOT NULL, question TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '', sort INTEGER NOT NULL)""",
        """CREATE TABLE lines_of_enquiry (
            id TEXT PRIMARY KEY, area_id TEXT NOT NULL REFERENCES areas(id),
            text TEXT NOT NULL, sort INTEGER NOT NULL)""",
        """CREATE TABLE methodology (
            id TEXT PRIMARY KEY, inspection_id TEXT NOT NULL REFERENCES inspections(id),
            kind TEXT NOT NULL, slug TEXT NOT NULL, title TEXT NOT NULL,
            short TEXT NOT NULL DEFAULT '', sort INTEGER NOT NULL)""",
        "CREATE TABLE regions (id TEXT PRIMARY KEY, name TEXT NOT NULL, sort INTEGER NOT NULL)",
        """CREATE TABLE forces (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, short_name TEXT NOT NULL,
            nation TEXT NOT NULL, kind TEXT NOT NULL, region_id TEXT REFERENCES regions(id),
            region_confidence TEXT, aliases TEXT NOT NULL DEFAULT '[]',
            former_names TEXT NOT NULL DEFAULT '[]', note TEXT NOT NULL DEFAULT '',
            sort INTEGER NOT NULL)""",
        """CREATE TABLE force_inspections (
            force_id TEXT NOT NULL REFERENCES forces(id),
            inspection_id TEXT NOT NULL REFERENCES inspections(id),
            PRIMARY KEY (force_id, inspection_id))""",
    )


@migrations(name="0002_notes_and_revisions")
def _notes(db: Database) -> None:
    _run(
        db,
        """CREATE TABLE notes (
            id TEXT PRIMARY KEY, force_id TEXT NOT NULL REFERENCES forces(id),
            inspection_id TEXT NOT NULL REFERENCES inspections(id),
            title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', marking TEXT NOT NULL,
            author TEXT NOT NULL, workbook_id TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT,
            head TEXT NOT NULL)""",
        "CREATE INDEX notes_by_force ON notes (force_id, updated_at)",
        """CREATE TABLE note_areas (
            note_id TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
            area_id TEXT NOT NULL REFERENCES areas(id),
            PRIMARY KEY (note_id, area_id))""",
        "CREATE INDEX note_areas_by_area ON note_areas (area_id)",
        # One row per change to any fieldwork record; never updated or deleted.
        """CREATE TABLE revisions (
            hash TEXT PRIMARY KEY, record_id TEXT NOT NULL, kind TEXT NOT NULL,
            parents TEXT NOT NULL, op TEXT NOT NULL, author TEXT NOT NULL,
            workbook_id TEXT NOT NULL, created_at TEXT NOT NULL,
            content TEXT NOT NULL, content_hash TEXT NOT NULL)""",
        "CREATE INDEX revisions_by_record ON revisions (record_id, created_at)",
    )


_RECORD_COLUMNS = """marking TEXT NOT NULL, author TEXT NOT NULL, workbook_id TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT,
            head TEXT NOT NULL"""


@migrations(name="0003_fieldwork_records")
def _fieldwork(db: Database) -> None:
    _run(
        db,
        f"""CREATE TABLE activities (
            id TEXT PRIMARY KEY, force_id TEXT NOT NULL REFERENCES forces(id),
            inspection_id TEXT NOT NULL REFERENCES inspections(id),
            kind TEXT NOT NULL, title TEXT NOT NULL, participants TEXT NOT NULL DEFAULT '',
            planned_date TEXT, done_date TEXT, status TEXT NOT NULL, method_id TEXT,
            sort INTEGER NOT NULL DEFAULT 0, {_RECORD_COLUMNS})""",
        "CREATE INDEX activities_by_force ON activities (force_id, sort)",
        "ALTER TABLE notes ADD COLUMN activity_id TEXT REFERENCES activities(id)",
        """CREATE TABLE attachments (
            hash TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL,
            created_at TEXT NOT NULL)""",
        f"""CREATE TABLE documents (
            id TEXT PRIMARY KEY, force_id TEXT NOT NULL REFERENCES forces(id),
            inspection_id TEXT NOT NULL REFERENCES inspections(id),
            title TEXT NOT NULL, category TEXT NOT NULL, reference TEXT NOT NULL DEFAULT '',
            provided_by TEXT NOT NULL DEFAULT '', received_date TEXT,
            review_status TEXT NOT NULL, reviewer TEXT NOT NULL DEFAULT '',
            attachment_hash TEXT REFERENCES attachments(hash), attachment_name TEXT,
            attachment_size INTEGER, {_RECORD_COLUMNS})""",
        "CREATE INDEX documents_by_force ON documents (force_id, updated_at)",
        """CREATE TABLE document_areas (
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            area_id TEXT NOT NULL REFERENCES areas(id),
            PRIMARY KEY (document_id, area_id))""",
        f"""CREATE TABLE findings (
            id TEXT PRIMARY KEY, force_id TEXT REFERENCES forces(id),
            inspection_id TEXT NOT NULL REFERENCES inspections(id),
            area_id TEXT REFERENCES areas(id), kind TEXT NOT NULL, text TEXT NOT NULL,
            grade TEXT, {_RECORD_COLUMNS})""",
        "CREATE INDEX findings_by_force ON findings (force_id, area_id)",
        """CREATE TABLE finding_evidence (
            finding_id TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
            evidence_id TEXT NOT NULL, PRIMARY KEY (finding_id, evidence_id))""",
        "CREATE INDEX finding_evidence_by_evidence ON finding_evidence (evidence_id)",
        """CREATE TABLE finding_recommendations (
            finding_id TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
            recommendation_id TEXT NOT NULL REFERENCES findings(id),
            PRIMARY KEY (finding_id, recommendation_id))""",
    )


@migrations(name="0004_redaction_log")
def _redaction_log(db: Database) -> None:
    _run(
        db,
        """CREATE TABLE redactions (
            id TEXT PRIMARY KEY, record_kind TEXT NOT NULL, record_id TEXT NOT NULL,
            force_id TEXT, excerpt TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL, created_at TEXT NOT NULL)""",
        "CREATE INDEX redactions_by_record ON redactions (record_id)",
    )


@migrations(name="0005_search")
def _search(db: Database) -> None:
    _run(db, "ALTER TABLE attachments ADD COLUMN text TEXT")  # what search reads of a file
    attachments_db.fill_text(db)
    _run(db, *search_schema.statements())


@migrations(name="0006_live_notes_index")
def _live_notes(db: Database) -> None:
    # Coverage counts live notes per force and area without reading the notes' text.
    _run(
        db,
        """CREATE INDEX notes_live_by_force ON notes (inspection_id, force_id, id)
            WHERE deleted_at IS NULL""",
    )


@migrations(name="0007_conflicts")
def _conflicts(db: Database) -> None:
    # Derived from the revisions (see ctdesk.merge): records with more than one tip, so the
    # conflicts view need not walk every history.
    _run(
        db,
        """CREATE TABLE conflicts (
            record_id TEXT PRIMARY KEY, kind TEXT NOT NULL, tips TEXT NOT NULL)""",
    )


def known_names() -> list[str]:
    """Names of the migrations this version of ctdesk knows, in order."""
    return [m.name for m in migrations._migrations]


def refuse_newer(db: Database, path: Path) -> None:
    """Raise if the workbook records migrations this version does not know."""
    known = set(known_names())
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise WorkbookError(
            f"The workbook {path} was written by a newer version of ctdesk "
            f"(schema step '{unknown[-1]}'); update ctdesk to open it."
        )


_SCHEMA_SQL = """SELECT type, name, sql FROM sqlite_master
    WHERE name NOT LIKE 'sqlite_%' AND tbl_name != '_sqlite_migrations'"""
_expected: dict[tuple[str, ...], dict[tuple[str, str], str]] = {}


def _schema(db: Database) -> dict[tuple[str, str], str]:
    rows = [(r["type"], r["name"], r["sql"] or "") for r in db.query(_SCHEMA_SQL)]
    virtual = {name for kind, name, sql in rows if sql.upper().startswith("CREATE VIRTUAL")}
    # Full-text shadow tables are made by the SQLite library (their SQL varies by version).
    return {
        (kind, name): " ".join(sql.split())
        for kind, name, sql in rows
        if not any(name.startswith(f"{v}_") for v in virtual)
    }


def _expected_schema(names: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """The schema the migrations ``names`` make, built once in memory."""
    if names not in _expected:
        scratch = Database(memory=True)
        for migration in migrations._migrations:
            if migration.name in names:
                migration.fn(scratch)
        _expected[names] = _schema(scratch)
        scratch.close()
    return _expected[names]


def refuse_tampered(db: Database, path: Path) -> None:
    """Raise if the workbook's tables, indexes or triggers are not what its migrations made
    (changed outside ctdesk: a trigger could silently wipe history), or it lost its identity."""
    names = tuple(m.name for m in migrations.applied(db))
    if not names:
        raise WorkbookError(
            f"The workbook {path} has lost the record of its schema, so it is not opened; "
            "restore it from a backup ('ctdesk backups')."
        )
    found, expected = _schema(db), _expected_schema(names)
    changed = sorted(
        key for key in found.keys() | expected.keys() if found.get(key) != expected.get(key)
    )
    if changed:
        kind, name = changed[0]
        how = (
            "added"
            if name not in {n for _, n in expected}
            else ("removed" if (kind, name) not in found else "changed")
        )
        raise WorkbookError(
            f"The workbook {path} was changed outside ctdesk (its {kind} '{name}' is {how}), "
            "so it is not opened; restore it from a backup ('ctdesk backups')."
        )
    if not list(db.query("SELECT 1 FROM meta WHERE key = 'workbook_id'")):
        raise WorkbookError(
            f"The workbook {path} has lost its identity (an emptied meta table), so it is not "
            "opened; restore it from a backup ('ctdesk backups')."
        )


def pending(db: Database) -> bool:
    """Whether this version of ctdesk has migrations the workbook has not had."""
    return bool(migrations.pending(db))


def apply(db: Database) -> None:
    """Apply pending migrations, each in its own transaction."""
    migrations.apply(db)
