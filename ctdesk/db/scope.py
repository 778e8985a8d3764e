"""Queries for the inspection scope: programme, inspections, areas, methodology, forces."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

Row = dict[str, Any]

SCOPE_TABLES = {
    "inspections": "id",
    "areas": "id",
    "lines_of_enquiry": "id",
    "methodology": "id",
    "regions": "id",
    "forces": "id",
}


def upsert_scope(
    db: Database, tables: Mapping[str, Iterable[Row]], meta: Mapping[str, str]
) -> None:
    """Insert or update scope rows (never deletes: notes may refer to them), in one transaction."""
    with db.atomic():
        for table, pk in SCOPE_TABLES.items():
            rows = list(tables.get(table, ()))
            if rows:
                db.table(table).upsert_all(rows, pk=pk)
        links = list(tables.get("force_inspections", ()))
        if links:
            db.table("force_inspections").upsert_all(links, pk=("force_id", "inspection_id"))
        set_meta(db, meta)


def set_meta(db: Database, values: Mapping[str, str]) -> None:
    """Set workbook-wide key/value facts (workbook id, scope version, ...)."""
    if values:
        db.table("meta").upsert_all([{"key": k, "value": v} for k, v in values.items()], pk="key")


def get_meta(db: Database) -> dict[str, str]:
    """All workbook-wide key/value facts."""
    return {row["key"]: row["value"] for row in db.query("SELECT key, value FROM meta")}


def all_rows(db: Database, table: str) -> list[Row]:
    """Every row of a scope table in display order."""
    if table not in SCOPE_TABLES and table != "force_inspections":
        raise ValueError(f"not a scope table: {table}")
    order = "" if table == "force_inspections" else " ORDER BY sort, id"
    return list(db.query(f"SELECT * FROM {table}{order}"))
