"""The search index's tables and the triggers that keep it in step (migration 0005).

``search_keys`` has one row per live note, document and finding: what the filters need and the
row number of its text in ``search_text`` (FTS5: title, body, tags). ``tags`` holds one token per
filterable property (kind, force, marking), so those filters are FTS5 terms rather than a join.
Trashed records leave the index; restoring puts them back.
"""

TEXT_SUFFIXES = (".txt", ".text", ".md", ".csv")
# Only the start of a text file is searchable: FTS5 re-reads a hit's whole text to make its
# snippet, and a long log would make every search that finds it take seconds.
MAX_TEXT = 32 * 1024


def attachment_text(name: str | None, data: bytes) -> str | None:
    """The text an attached file gives the search index: the first ``MAX_TEXT`` bytes of a
    text file, decoded as UTF-8 or else Windows-1252 (what spreadsheets and older editors
    write); None for any other file."""
    if not name or not name.lower().endswith(TEXT_SUFFIXES):
        return None
    head = data[:MAX_TEXT]
    if b"\x00" in head:
        return None  # binary pretending to be text
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if len(data) > MAX_TEXT and exc.start >= len(head) - 3:  # cut inside a character
            return head[: exc.start].decode("utf-8-sig", errors="replace")
        return head.decode("cp1252", errors="replace")


# SQL expressions over a row ``r.`` (``new.`` in triggers) for what each table contributes.
_ATTACHMENT_TEXT = (
    "COALESCE((SELECT a.text FROM attachments a WHERE a.hash = r.attachment_hash), '')"
)
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
    # Mirrors ctdesk.db.search.tag: the value's UTF-8 bytes in hex, then "9" so that no
    # stemming rule can shorten it; letters and digits only, so the tokenizer keeps it whole.
    return f"hex({expr}) || '9'"


# The marking's tier: OFFICIAL or OFFICIAL-SENSITIVE (what comes before any space).
_LABEL = """CASE WHEN instr(r.marking, ' ') > 0
    THEN substr(r.marking, 1, instr(r.marking, ' ') - 1) ELSE r.marking END"""

# Tags start with a private-use character (U+E010): no typed word can match one, so the
# inspector's words may search every column.
_TAG = "char(57360)"


def _tags(kind: str) -> str:
    force = _token("COALESCE(r.force_id, 'national')")
    return (
        f"{_TAG} || 'kind' || {_token(repr(kind))} || ' ' || {_TAG} || 'force' || {force}"
        f" || ' ' || {_TAG} || 'mark' || {_token(_LABEL)}"
        f" || ' ' || {_TAG} || 'full' || {_token('r.marking')}"
    )


def _index_all() -> list[str]:
    """Statements adding every live record to the index, oldest change first (row numbers
    follow the order records were last written; see ``ctdesk.db.search.newest_rowid``)."""
    live = " UNION ALL ".join(
        f"SELECT id, '{kind}' AS kind, force_id, marking, author, updated_at FROM {table} "
        "WHERE deleted_at IS NULL"
        for table, (kind, _title, _body) in SEARCHED.items()
    )
    run = [
        f"""INSERT INTO search_keys (record_id, kind, force_id, marking, author, updated_at)
        SELECT * FROM ({live}) ORDER BY updated_at, id"""
    ]
    rows = " UNION ALL ".join(
        f"""SELECT k.id AS id, {title} AS title, {body} AS body, {_tags(kind)} AS tags
        FROM {table} r JOIN search_keys k ON k.record_id = r.id WHERE r.deleted_at IS NULL"""
        for table, (kind, title, body) in SEARCHED.items()
    )
    # In row order: FTS5 starts a new index segment whenever a row number goes backwards.
    run.append(f"INSERT INTO search_text (rowid, title, body, tags) {rows} ORDER BY id")
    run.append("INSERT INTO search_text (search_text) VALUES ('optimize')")
    return run


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
    """Everything migration 0005 runs: tables, the existing records indexed, triggers.

    Attachment text (``attachments.text``) is filled in by ``fill_attachment_text`` first.
    """
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
        *_index_all(),
    ]
    for table in SEARCHED:
        run += _triggers(table)
    return run
