"""An ExportDocument as JSON: ``doc.data``, with what makes it self-describing guaranteed.

The output is one UTF-8 JSON object (non-ASCII characters kept as they are, indented by two,
ending with a newline) holding everything in ``doc.data``, plus, where the builder did not
provide them, ``schema`` (the export schema version, ``ctdesk.export/1``), ``title``,
``marking`` (the highest marking of the content) and ``about`` (the facts of what the export
is, as an object of label → value). The builder's own values always win. Nothing is read from
or written back to ``doc``.
"""

import json
from typing import Any

from ctdesk.export.document import SCHEMA, ExportDocument
from ctdesk.export.progress import NO_PROGRESS, Progress


def render(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> bytes:
    """The document's data as the bytes of a .json file."""
    progress.update(0, 1)
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "title": doc.title,
        "marking": doc.marking,
        "about": dict(doc.about),
    }
    data.update(doc.data)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    progress.update(1, 1)
    return text.encode("utf-8", "replace")  # "replace": a lone surrogate becomes "?"
