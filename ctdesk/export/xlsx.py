"""An ExportDocument as an Excel workbook (XLSX), built with openpyxl in write-only mode.

Contract of :func:`render`:

- The first sheet, "About", holds the title, the marking and the "about" facts (what the export
  is: scope, inspection, date, author, ctdesk version, highest marking, records left out).
- Then one sheet per ``Dataset``, in order, one row per record: row 1 is the dataset's columns
  (bold, frozen, with an autofilter), no banner row above it, so the sheet stays a clean table
  for sorting, filtering and import. Sheet names are the dataset names made legal for Excel
  (no ``[]:*?/\\``, at most 31 characters, not "History") and unique ("Notes (2)").
- Every sheet carries the marking (capitals, bold) centred in its page header and footer
  (odd, even and first pages), and prints landscape, one page wide, repeating row 1.
- Strings are stored as text, never as formulas: a value such as ``=1+1`` or
  ``=HYPERLINK(...)`` is a string cell that shows exactly those characters (this guards against
  formula injection; openpyxl would otherwise write any string starting with "=" as a formula).
  Integers stay numbers; ``None`` is an empty cell. Characters a spreadsheet cannot hold
  (control characters) are dropped; a value longer than Excel's limit of 32,767 characters is
  cut there and ends with a note saying so.
- ``progress.update(done, total)`` is called every few thousand rows; it raises
  ``ExportCancelled`` when the user cancels, and then no bytes are returned.
- openpyxl spools each sheet's XML through a file in the system's temporary folder while it
  writes; the files are deleted when the workbook is saved, and here also when the export is
  cancelled or fails.
"""

import contextlib
import re
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ctdesk.export.document import Dataset, ExportDocument
from ctdesk.export.progress import NO_PROGRESS, Progress

MAX_CELL = 32_767  # Excel's limit on the characters in one cell
TRUNCATED = " … [cut: Excel holds at most 32,767 characters in a cell]"
PROGRESS_EVERY = 2_000
ABOUT = "About"

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)


def render(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> bytes:
    """The document as the bytes of an .xlsx file; see the module docstring for the contract."""
    total = sum(len(d.rows) for d in doc.datasets)
    progress.update(0, total)
    book: Any = Workbook(write_only=True)
    marking = clean(doc.marking.upper())
    used: set[str] = set()
    try:
        _about_sheet(book, doc, marking, used)
        done = 0
        for dataset in doc.datasets:
            done = _dataset_sheet(book, dataset, marking, used, progress, done, total)
        progress.update(total, total)
        out = BytesIO()
        book.properties.title = clean(doc.title)
        book.properties.category = marking
        book.properties.creator = "ctdesk"
        book.save(out)  # removes openpyxl's temporary files as it goes
    except BaseException:
        _discard(book)
        raise
    return out.getvalue()


def _discard(book: Any) -> None:
    """Finish and delete the temporary files openpyxl spools each sheet's rows into, so a
    cancelled or failed export leaves no partial copy of the records in the temp folder."""
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def clean(text: str) -> str:
    """``text`` without the characters a spreadsheet cannot hold, cut to Excel's cell limit."""
    text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - len(TRUNCATED)] + TRUNCATED
    return text


def text_cell(ws: Any, value: str, *, bold: bool = False) -> Any:
    """A cell that holds ``value`` as text, whatever its first character."""
    cell = WriteOnlyCell(ws, value=clean(value))
    cell.data_type = "s"  # "=..." would otherwise be stored as a formula
    if bold:
        cell.font = _BOLD
    return cell


def sheet_name(name: str, used: set[str]) -> str:
    """A legal, unique (ignoring case) Excel sheet name for ``name``; adds it to ``used``."""
    base = _SHEET_ILLEGAL.sub("-", clean(name)).strip().strip("'") or "Sheet"
    if base.casefold() == "history":  # reserved by Excel
        base = "History (records)"
    base = base[:31]
    candidate, n = base, 1
    while candidate.casefold() in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def _about_sheet(book: Any, doc: ExportDocument, marking: str, used: set[str]) -> None:
    ws = book.create_sheet(sheet_name(ABOUT, used))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80
    _print_setup(ws, marking, repeat_header=False)
    title = text_cell(ws, doc.title)
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([text_cell(ws, "Marking", bold=True), text_cell(ws, marking, bold=True)])
    ws.append([])
    wrap = Alignment(wrap_text=True, vertical="top")
    for label, value in doc.about:
        value_cell = text_cell(ws, value)
        value_cell.alignment = wrap
        ws.append([text_cell(ws, label, bold=True), value_cell])
    ws.append([])
    ws.append([text_cell(ws, "Sheets", bold=True)])
    for dataset in doc.datasets:
        ws.append([text_cell(ws, dataset.name), len(dataset.rows)])


def _dataset_sheet(
    book: Any,
    dataset: Dataset,
    marking: str,
    used: set[str],
    progress: Progress,
    done: int,
    total: int,
) -> int:
    ws = book.create_sheet(sheet_name(dataset.name, used))
    ncols = len(dataset.columns)
    for i, width in enumerate(_column_widths(dataset), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if ncols:
        ws.freeze_panes = "A2"
        last = get_column_letter(ncols)
        ws.auto_filter.ref = f"A1:{last}{len(dataset.rows) + 1}"
    _print_setup(ws, marking, repeat_header=ncols > 0)
    ws.append([text_cell(ws, c, bold=True) for c in dataset.columns])
    for row in dataset.rows:
        if done % PROGRESS_EVERY == 0:
            progress.update(done, total)
        ws.append([_value(ws, v) for v in row])
        done += 1
    return done


def _value(ws: Any, value: str | int | None) -> Any:
    if isinstance(value, str):
        value = clean(value)
        # Plain strings take openpyxl's fast path, which makes formulas only of "=...".
        return text_cell(ws, value) if value.startswith("=") else value
    return value


def _column_widths(dataset: Dataset) -> list[float]:
    """Widths from the header and the first rows: 8 to 60 characters."""
    widths = []
    for i, name in enumerate(dataset.columns):
        longest = len(name)
        for row in dataset.rows[:200]:
            if i < len(row) and row[i] is not None:
                longest = max(longest, len(str(row[i])))
        widths.append(float(min(max(longest + 2, 8), 60)))
    return widths


def _print_setup(ws: Any, marking: str, *, repeat_header: bool) -> None:
    """The marking in every page header and footer; landscape, one page wide."""
    text = marking.replace("&", "&&")  # "&" starts a code in Excel's header language
    for header, footer in (
        (ws.oddHeader, ws.oddFooter),
        (ws.evenHeader, ws.evenFooter),
        (ws.firstHeader, ws.firstFooter),
    ):
        for part in (header.center, footer.center):
            part.text = text
            part.font = "Arial,Bold"
        footer.right.text = "Page &P of &N"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_header:
        ws.print_title_rows = "1:1"
