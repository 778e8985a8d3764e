"""An ExportDocument as one CSV table (UTF-8 with a byte-order mark, so Excel reads it right).

Layout, top to bottom:

1. the marking banner, alone in the first cell of the first line (e.g. ``OFFICIAL-SENSITIVE``);
2. the header: ``record_type`` and then the union of the datasets' columns, each column where it
   first appears (datasets in order, columns in order), so the order is stable;
3. one line per record of every dataset, in order. ``record_type`` says which kind of record it
   is: ``note`` (Notes), ``document`` (Evidence register), ``finding`` (Findings), ``activity``
   (Fieldwork plan); any other dataset name in lower case with underscores. Columns that a
   record's dataset does not have are empty;
4. the marking banner again, alone on the last line.

So a reader that wants the bare table skips the first and the last line. Lines end in CRLF
(RFC 4180); values holding commas, quotes or line breaks are quoted.

Formula injection: a text value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a single quote in front (``'=1+1``), as OWASP advises, so a spreadsheet shows it as
text instead of running it. Integers are written as numbers, ``None`` as an empty value.

The about facts are not in the file (one table has no place for them): the other formats carry
them. ``progress.update(done, total)`` is called every few thousand records and raises
``ExportCancelled`` when the user cancels.
"""

import csv
import io

from ctdesk.export.document import Dataset, ExportDocument
from ctdesk.export.progress import NO_PROGRESS, Progress

RECORD_TYPES = {
    "Notes": "note",
    "Evidence register": "document",
    "Findings": "finding",
    "Fieldwork plan": "activity",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 5_000


def render(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> bytes:
    """The document as the bytes of a .csv file; see the module docstring for the layout."""
    total = sum(len(d.rows) for d in doc.datasets)
    progress.update(0, total)
    columns = union_of_columns(doc.datasets)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    banner = [neutralise(doc.marking.upper())]
    writer.writerow(banner)
    writer.writerow(["record_type", *columns])
    done = 0
    for dataset in doc.datasets:
        kind = record_type(dataset.name)
        position = {c: i for i, c in enumerate(columns)}
        where = [position.get(c, -1) for c in dataset.columns]  # -1: a "record_type" column
        for row in dataset.rows:
            if done % PROGRESS_EVERY == 0:
                progress.update(done, total)
            line: list[str | int] = [""] * len(columns)
            for i, value in zip(where, row, strict=False):
                if value is not None and i >= 0:
                    line[i] = neutralise(value) if isinstance(value, str) else value
            writer.writerow([kind, *line])
            done += 1
    writer.writerow(banner)
    progress.update(total, total)
    return out.getvalue().encode("utf-8", "replace")


def union_of_columns(datasets: tuple[Dataset, ...]) -> list[str]:
    """Every column of every dataset once, in the order of first appearance."""
    return list(dict.fromkeys(c for d in datasets for c in d.columns if c != "record_type"))


def record_type(dataset_name: str) -> str:
    """What one record of a dataset is: ``note``, ``document``, ``finding``, ``activity``..."""
    known = RECORD_TYPES.get(dataset_name)
    return known if known else "_".join(dataset_name.lower().split())


def neutralise(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
