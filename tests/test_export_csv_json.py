"""The CSV and JSON renderers: one marked table with a record type, formulas neutralised;
JSON with its schema, marking and about facts."""

import csv
import io
import json
from dataclasses import replace

import pytest

from ctdesk.export import csv as csv_export
from ctdesk.export import json as json_export
from ctdesk.export.document import SCHEMA, Dataset
from ctdesk.export.progress import ExportCancelled, Progress
from tests.export_samples import SENTINEL, sample_document

CALC = "=cmd|' /C calc'!A0"


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_is_one_marked_table_with_a_record_type() -> None:
    doc = sample_document()
    lines = parse(csv_export.render(doc))
    assert lines[0] == ["OFFICIAL-SENSITIVE"] and lines[-1] == ["OFFICIAL-SENSITIVE"]
    header, records = lines[1], lines[2:-1]
    assert header == [
        "record_type",
        "id",
        "force",
        "areas",
        "title",
        "body",
        "marking",
        "author",
        "created_at",
        "category",
        "status",
        "area",
        "kind",
        "text",
        "evidence",
    ]
    rows = [dict(zip(header, r, strict=True)) for r in records]
    assert [(r["record_type"], r["id"]) for r in rows] == [("note", "n-1"), ("document", "d-1")]
    assert rows[0]["body"] == f"{SENTINEL} [REDACTED]"
    assert rows[1]["title"] == "Prevent delivery plan" and rows[1]["areas"] == ""
    assert rows[1]["category"] == "policy-strategy" and rows[0]["category"] == ""


def test_record_types_follow_the_dataset_names() -> None:
    names = ["Notes", "Evidence register", "Findings", "Fieldwork plan", "Recommendation list"]
    doc = replace(
        sample_document(), datasets=tuple(Dataset(n, ("id",), ((n[:3],),)) for n in names)
    )
    records = parse(csv_export.render(doc))[2:-1]
    assert [r[0] for r in records] == [
        "note",
        "document",
        "finding",
        "activity",
        "recommendation_list",
    ]


def test_csv_neutralises_formulas_and_keeps_numbers_and_line_breaks() -> None:
    values = (CALC, "+1+1", "-2", "@SUM(A1)", "\tx", "plain = text", 'multi\nline, with "quotes"')
    doc = replace(
        sample_document(marking="OFFICIAL"),
        datasets=(Dataset("Notes", ("text", "n"), tuple((v, -i) for i, v in enumerate(values))),),
    )
    records = parse(csv_export.render(doc))[2:-1]
    assert [r[1] for r in records] == [
        "'" + CALC,
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "plain = text",
        'multi\nline, with "quotes"',
    ]
    assert [r[2] for r in records] == [str(-i) for i in range(len(values))]  # numbers as they are


def test_csv_with_no_records_is_still_marked() -> None:
    lines = parse(csv_export.render(replace(sample_document(), datasets=())))
    assert lines == [["OFFICIAL-SENSITIVE"], ["record_type"], ["OFFICIAL-SENSITIVE"]]


def test_csv_cancelling_raises() -> None:
    with pytest.raises(ExportCancelled):
        csv_export.render(sample_document(), Progress(cancelled=lambda: True))


def test_json_parses_with_schema_marking_and_about() -> None:
    doc = sample_document()
    data = json_export.render(doc)
    assert data.endswith(b"\n")
    parsed = json.loads(data.decode("utf-8"))
    assert parsed["schema"] == SCHEMA
    assert parsed["marking"] == "OFFICIAL-SENSITIVE"
    assert parsed["title"] == doc.title
    assert parsed["about"]["Inspection"] == "CT4 Prevent inspection"
    assert parsed["notes"] == doc.data["notes"]
    assert "about" not in doc.data  # the document's own data is not changed


def test_json_fills_in_what_the_builder_left_out_and_keeps_what_it_gave() -> None:
    doc = replace(sample_document(), data={"notes": [{"title": "Café · «x»"}]})
    parsed = json.loads(json_export.render(doc))
    assert (parsed["schema"], parsed["marking"]) == (SCHEMA, "OFFICIAL-SENSITIVE")
    assert "Café · «x»".encode() in json_export.render(doc)  # UTF-8, not \\u escapes
    mine = replace(doc, data={"schema": "ctdesk.export/9", "marking": "OFFICIAL"})
    parsed = json.loads(json_export.render(mine))
    assert (parsed["schema"], parsed["marking"]) == ("ctdesk.export/9", "OFFICIAL")
