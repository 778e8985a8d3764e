"""A hand-made ExportDocument with every kind of block, for renderer tests."""

from ctdesk.export.document import (
    SCHEMA,
    BulletList,
    Contents,
    Dataset,
    ExportDocument,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
)

SENTINEL = "SENTINEL-VISIBLE-7731"  # text that must appear in every format
HOSTILE = "<script>alert('x')</script> & \"quotes\" <b>not bold</b>"


def sample_document(*, long: bool = False, marking: str = "OFFICIAL-SENSITIVE") -> ExportDocument:
    """A small document; ``long=True`` repeats the notes enough to fill many pages."""
    blocks: list = [
        Heading(1, "Kent Police: CT4 force summary", "top"),
        Contents(
            ((2, "Fieldwork plan", "plan"), (2, "A1 Capability", "a1"), (3, "Interview", "n1"))
        ),
        PageBreak(),
        Heading(2, "Fieldwork plan", "plan"),
        Paragraph((Run("5 of 6 activities done."),)),
        Table(
            ("Activity", "Status", "Done on"),
            (
                ("Interview: Chief officer", "Done", "2018-10-15"),
                ("Document review", "Planned", ""),
            ),
        ),
        Heading(2, "A1 Capability", "a1"),
        Heading(3, "Interview", "n1"),
        Paragraph((Run("OFFICIAL-SENSITIVE · A. Inspector · 2018-10-15"),), style="meta"),
        Paragraph(
            (
                Run("Training is "),
                Run("mandatory", bold=True),
                Run(" and "),
                Run("tracked", italic=True),
                Run("; see "),
                Run("TRN-01", code=True),
                Run(". The source said "),
                Run("[REDACTED]", redacted=True),
                Run(f". {SENTINEL}. {HOSTILE}"),
            )
        ),
        BulletList(((Run("first point"),), (Run("second "), Run("point", bold=True))), False),
        BulletList(((Run("step one"),), (Run("step two"),)), True),
        Paragraph((Run("A quoted line."),), style="quote"),
    ]
    if long:
        for i in range(120):
            blocks.append(Heading(3, f"Note {i}", f"n{i + 2}"))
            blocks.append(Paragraph((Run(f"Body of note {i}. " + "Words of fieldwork. " * 40),)))
    datasets = (
        Dataset(
            "Notes",
            ("id", "force", "areas", "title", "body", "marking", "author", "created_at"),
            (
                (
                    "n-1",
                    "kent",
                    "ct4.a1",
                    "Interview",
                    f"{SENTINEL} [REDACTED]",
                    marking,
                    "A. Inspector",
                    "2018-10-15T10:00:00.000Z",
                ),
            ),
        ),
        Dataset(
            "Evidence register",
            ("id", "force", "title", "category", "status", "marking"),
            (("d-1", "kent", "Prevent delivery plan", "policy-strategy", "reviewed", "OFFICIAL"),),
        ),
        Dataset("Findings", ("id", "force", "area", "kind", "text", "evidence", "marking"), ()),
    )
    return ExportDocument(
        title="Kent Police: CT4 force summary",
        marking=marking,
        about=(
            ("Scope", "Force: Kent Police"),
            ("Inspection", "CT4 Prevent inspection"),
            ("Exported", "2026-11-29 10:00 UTC by A. Inspector"),
            ("ctdesk", "0.1.0"),
            ("Highest marking", marking),
            ("Left out", "2 records above OFFICIAL-SENSITIVE"),
        ),
        blocks=tuple(blocks),
        datasets=datasets,
        data={
            "schema": SCHEMA,
            "title": "Kent Police: CT4 force summary",
            "marking": marking,
            "notes": [{"id": "n-1", "body": f"{SENTINEL} [REDACTED]"}],
        },
        file_stem="ct4-kent-summary",
    )
