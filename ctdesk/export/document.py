"""The format-neutral content of an export: what every renderer (Markdown, HTML, PDF, DOCX,
XLSX, CSV, JSON) turns into a file.

The builder (``ctdesk.export.build``) has already applied the maximum marking and redaction:
renderers never see text that must not leave, so no format can leak it. Every string here is
user text unless said otherwise, and must be escaped for the target format.
"""

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "ctdesk.export/1"  # version of the JSON export's shape


@dataclass(frozen=True)
class Run:
    """A piece of inline text with its formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    redacted: bool = False  # text is the fixed token "[REDACTED]", shown distinctly


@dataclass(frozen=True)
class Heading:
    level: int  # 1 (document title) to 4
    text: str
    anchor: str  # unique within the document, for the contents page


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: str = "body"  # body | meta (small grey line: marking · author · date) | quote


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Contents:
    """A contents page: the headings of levels 2 and 3, in order."""

    entries: tuple[tuple[int, str, str], ...]  # (level, text, anchor)


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | BulletList | Table | Contents | PageBreak


@dataclass(frozen=True)
class Dataset:
    """One table of records for spreadsheets and CSV: one row per record."""

    name: str  # sheet name: "Notes", "Evidence register", "Findings", "Fieldwork plan"
    columns: tuple[str, ...]
    rows: tuple[tuple[str | int | None, ...], ...]


@dataclass(frozen=True)
class ExportDocument:
    """Everything an export file holds."""

    title: str  # e.g. "Kent Police: CT4 force summary"
    marking: str  # the banner for the top and bottom of every page, e.g. "OFFICIAL-SENSITIVE"
    about: tuple[tuple[str, str], ...]  # what it is: scope, inspection, date, author, version ...
    blocks: tuple[Block, ...]
    datasets: tuple[Dataset, ...]
    data: dict[str, Any] = field(default_factory=dict)  # the JSON export (has "schema")
    file_stem: str = "ctdesk-export"  # suggested file name without extension


def plain(runs: tuple[Run, ...]) -> str:
    """The text of some runs, without formatting."""
    return "".join(r.text for r in runs)
