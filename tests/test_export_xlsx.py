"""The XLSX renderer: Excel's reader opens it, one sheet per dataset, text stays text, the
marking in every sheet's header and footer, nothing but the document's own text."""

import re
import tempfile
import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ctdesk.export import xlsx
from ctdesk.export.document import Dataset, ExportDocument
from ctdesk.export.progress import ExportCancelled, Progress
from tests.export_samples import SENTINEL, sample_document

INJECTIONS = (
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-1+1",
    "@SUM(A1)",
)


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(BytesIO(data))


def values(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


@pytest.fixture(scope="module")
def sample() -> ExportDocument:
    return sample_document()


@pytest.fixture(scope="module")
def book(sample: ExportDocument) -> Any:
    return load(xlsx.render(sample))


def test_about_sheet_then_one_sheet_per_dataset(book: Any, sample: ExportDocument) -> None:
    assert book.sheetnames == ["About", "Notes", "Evidence register", "Findings"]
    about = values(book["About"])
    assert about[0][0] == sample.title
    assert about[1] == ("Marking", "OFFICIAL-SENSITIVE")
    assert [row for row in about if row[0] in dict(sample.about)] == list(sample.about)
    assert ("Notes", 1) in about and ("Findings", 0) in about


def test_header_row_as_given_bold_frozen_filtered_and_one_row_per_record(
    book: Any, sample: ExportDocument
) -> None:
    for dataset in sample.datasets:
        ws = book[dataset.name]
        rows = values(ws)
        assert rows[0] == dataset.columns
        assert rows[1:] == [tuple(v if v != "" else None for v in r) for r in dataset.rows]
        assert all(cell.font.b for cell in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(dataset.columns)).column_letter}" + str(
            len(dataset.rows) + 1
        )
        assert ws.print_title_rows == "$1:$1"
    assert SENTINEL in book["Notes"]["E2"].value


def test_marking_in_every_sheets_page_header_and_footer() -> None:
    book = load(xlsx.render(sample_document(marking="official-sensitive")))
    for ws in book.worksheets:
        for part in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
            assert part.center.text == "OFFICIAL-SENSITIVE", ws.title
            assert "Bold" in (part.center.font or "")
        assert ws.oddFooter.right.text == "Page &P of &N"
        assert ws.page_setup.orientation == "landscape"


def test_ampersand_in_a_marking_is_escaped_in_the_header() -> None:
    data = xlsx.render(sample_document(marking="OFFICIAL-SENSITIVE HR & MANAGEMENT"))
    assert "OFFICIAL-SENSITIVE HR && MANAGEMENT" in load(data)["Notes"].oddHeader.center.text


def test_formulas_are_stored_as_text_never_as_formulas() -> None:
    doc = replace(
        sample_document(),
        datasets=(
            Dataset("Notes", ("title", "n"), tuple((v, i) for i, v in enumerate(INJECTIONS))),
        ),
    )
    data = xlsx.render(doc)
    ws = load(data)["Notes"]
    cells = [ws.cell(r, 1) for r in range(2, len(INJECTIONS) + 2)]
    assert [c.value for c in cells] == list(INJECTIONS)
    assert {c.data_type for c in cells} == {"s"}
    assert [ws.cell(r, 2).value for r in range(2, len(INJECTIONS) + 2)] == list(
        range(len(INJECTIONS))
    )
    with zipfile.ZipFile(BytesIO(data)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)


def test_integers_stay_numbers_and_none_is_empty() -> None:
    doc = replace(
        sample_document(), datasets=(Dataset("Counts", ("a", "b", "c"), ((3, None, "x"),)),)
    )
    ws = load(xlsx.render(doc))["Counts"]
    assert (ws["A2"].value, ws["A2"].data_type) == (3, "n")
    assert ws["B2"].value is None and ws["C2"].value == "x"


def test_sheet_names_are_legal_short_and_unique() -> None:
    used: set[str] = {"about"}
    names = [
        xlsx.sheet_name(n, used)
        for n in ("About", "Notes", "notes", "a/b:c*d?[e]\\f", "x" * 40, "x" * 40, "History", "")
    ]
    assert names[0] == "About (2)" and names[1] == "Notes" and names[2] == "notes (2)"
    assert names[3] == "a-b-c-d--e--f"
    assert names[4] == "x" * 31 and names[5] == "x" * 27 + " (2)"
    assert names[6] != "History" and names[7] == "Sheet"
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    doc = replace(sample_document(), datasets=(Dataset("Notes", ("a",), ()),) * 2)
    assert load(xlsx.render(doc)).sheetnames == ["About", "Notes", "Notes (2)"]


def test_control_characters_dropped_and_long_text_cut_to_excels_limit() -> None:
    long = "y" * 40_000
    doc = replace(
        sample_document(), datasets=(Dataset("Notes", ("a", "b"), (("a\x00b\x1bc\nd", long),)),)
    )
    ws = load(xlsx.render(doc))["Notes"]
    assert ws["A2"].value == "abc\nd"
    assert len(ws["B2"].value) == xlsx.MAX_CELL and ws["B2"].value.endswith(xlsx.TRUNCATED)


def test_the_cells_hold_only_the_documents_text_and_fixed_labels(sample: ExportDocument) -> None:
    data = xlsx.render(sample)
    book = load(data)
    allowed = {sample.title, sample.marking, "Marking", "Sheets"}
    allowed |= {x for pair in sample.about for x in pair}
    for dataset in sample.datasets:
        allowed |= {dataset.name, *dataset.columns, *(v for r in dataset.rows for v in r)}
    written = {v for ws in book.worksheets for row in values(ws) for v in row if v is not None}
    assert {v for v in written if not isinstance(v, int)} <= allowed
    with zipfile.ZipFile(BytesIO(data)) as z:
        assert not any(b"SECRET-WORD-99" in z.read(n) for n in z.namelist())
        core = z.read("docProps/core.xml").decode()
    assert re.search(r"<dc:title[^>]*>Kent Police: CT4 force summary</dc:title>", core)
    assert book.properties.title == sample.title


def test_cancelling_raises_and_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with pytest.raises(ExportCancelled):
        xlsx.render(sample_document(), Progress(cancelled=lambda: True))
    rows = tuple((f"n-{i}", "text") for i in range(5000))
    doc = replace(sample_document(), datasets=(Dataset("Notes", ("id", "title"), rows),))
    calls: list[tuple[int, int]] = []
    xlsx.render(doc, Progress(report=lambda d, t: calls.append((d, t))))
    assert calls[0] == (0, 5000) and calls[-1] == (5000, 5000) and len(calls) >= 4
    asked = iter(range(100))
    with pytest.raises(ExportCancelled):  # part-way through the rows
        xlsx.render(doc, Progress(cancelled=lambda: next(asked) >= 2))
    assert list(temp.iterdir()) == []
    xlsx.render(doc)
    assert list(temp.iterdir()) == []
