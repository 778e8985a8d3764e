"""The search index's tables and the triggers that keep it in step (migration 0005).

``search_keys`` has one row per live note, document and finding: what the filters need and the
row number of its text in ``search_text`` (FTS5: title, body, tags). ``tags`` holds one token per
filterable property (kind, force, marking), so those filters are FTS5 terms rather than a join.
Trashed records leave the index; restoring puts them back.
"""

# SQL expressions over a row ``r.`` (``new.`` in triggers) for what each table contributes.
_ATTACHMENT_TEXT = """COALESCE((SELECT CAST(a.data AS TEXT) FROM attachments a
            WHERE a.hash = r.attachment_hash AND a.size <= 1048576 AND instr(a.data, x'00') = 0
              AND (lower(r.attachment_name) LIKE '%.txt' OR lower(r.attachment_name) LIKE '%.md'
                OR lower(r.attachment_name) LIKE '%.csv' OR lower(r.attachment_name) LIKE '%.text')
        ), '')"""
SEARCHED: dict[str, tuple[str, str, str]] = {
    # table: (kind, title, body)
    "notes": ("note", "r.title", "r.body"),
    "documents": (
        "document",
        "r.title",
        "r.reference || ' ' || r.provided_by || ' ' || replace(r.category, '-', ' ') || ' '"
        " || COALESCE(r.attachment_name, '') || ' ' || " + _ATTACHMENT_TEXT,
    ),
    "findings": ("finding", "replace(r.kind, '-', ' ')", "r.text"),
}


def _token(expr: str) -> str:
    # Mirrors ctdesk.db.search.tag: lower case, no hyphens or spaces.
    return f"replace(replace(lower({expr}), '-', ''), ' ', '')"


# The marking's tier: OFFICIAL or OFFICIAL-SENSITIVE (what comes before any space).
_LABEL = """CASE WHEN instr(r.marking, ' ') > 0
    THEN substr(r.marking, 1, instr(r.marking, ' ') - 1) ELSE r.marking END"""


# Tags start with a private-use character (U+E010): no typed word can match one, so the
# inspector's words may search every column.
_TAG = "char(57360)"


def _tags(kind: str) -> str:
    force = _token("COALESCE(r.force_id, 'national')")
    return (
        f"{_TAG} || 'kind{kind} ' || {_TAG} || 'force' || {force}"
        f" || ' ' || {_TAG} || 'mark' || {_token(_LABEL)}"
        f" || ' ' || {_TAG} || 'full' || {_token('r.marking')}"
    )


def _index_all(table: str) -> tuple[str, str]:
    """Statements adding every live row of ``table`` to the index."""
    kind, title, body = SEARCHED[table]
    keys = f"""INSERT INTO search_keys (record_id, kind, force_id, marking, author, updated_at)
        SELECT r.id, '{kind}', r.force_id, r.marking, r.author, r.updated_at
        FROM {table} r WHERE r.deleted_at IS NULL"""
    text = f"""INSERT INTO search_text (rowid, title, body, tags)
        SELECT k.id, {title}, {body}, {_tags(kind)}
        FROM {table} r JOIN search_keys k ON k.record_id = r.id WHERE r.deleted_at IS NULL"""
    return keys, text


def _triggers(table: str) -> list[str]:
    kind, title, body = SEARCHED[table]

    def row(expr: str) -> str:
        return expr.replace("r.", "new.")

    unindex = """DELETE FROM search_text WHERE rowid =
            (SELECT id FROM search_keys WHERE record_id = old.id);
        DELETE FROM search_keys WHERE record_id = old.id;"""
    index = f"""INSERT INTO search_keys (record_id, kind, force_id, marking, author, updated_at)
            SELECT new.id, '{kind}', new.force_id, new.marking, new.author, new.updated_at
            WHERE new.deleted_at IS NULL;
        INSERT INTO search_text (rowid, title, body, tags)
            SELECT last_insert_rowid(), {row(title)}, {row(body)}, {row(_tags(kind))}
            WHERE new.deleted_at IS NULL;"""
    return [
        f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN {index} END",
        f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} BEGIN {unindex} {index} END",
        f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {unindex} END",
    ]


def statements() -> list[str]:
    """Everything migration 0005 runs: tables, the existing records indexed, triggers."""
    run = [
        """CREATE TABLE search_keys (
            id INTEGER PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
            force_id TEXT, marking TEXT NOT NULL, author TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        # Porter stemming: "referral" finds "referrals"; diacritics folded.
        """CREATE VIRTUAL TABLE search_text USING fts5(
            title, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')""",
        # A title match counts four times a body match; tags never count.
        "INSERT INTO search_text (search_text, rank) VALUES ('rank', 'bm25(4.0, 1.0, 0.0)')",
    ]
    for table in SEARCHED:
        run += [*_index_all(table), *_triggers(table)]
    return run
