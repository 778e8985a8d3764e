"""``ctdesk coverage``: evidence per force and area, and fieldwork progress."""

import click

from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.coverage import AreaCounts, Coverage, Tally, coverage

NONE = "none"  # a cell with nothing in it: a word, so a gap reads as one in any terminal


def cell(counts: AreaCounts) -> str:
    """``3n 1d 0f`` (notes, documents, findings), or ``none``."""
    if not counts.total:
        return NONE
    return f"{counts.notes}n {counts.documents}d {counts.findings}f"


def _cells(label: str, tally: Tally, area_ids: list[str]) -> list[str]:
    return [
        label,
        *(cell(tally.areas[a]) for a in area_ids),
        f"{tally.activities_done}/{tally.activities_planned}",
        f"{tally.documents}/{tally.documents_reviewed}",
    ]


def coverage_text(cov: Coverage) -> list[str]:
    """The plain-text table and progress lines ``ctdesk coverage`` prints."""
    area_ids = [a.id for a in cov.areas]
    rows = [["Force", *(a.code for a in cov.areas), "Activities", "Documents"]]
    for group in cov.groups:
        rows.append(_cells(group.name, group.totals, area_ids))
        rows += [_cells("  " + f.short_name, f, area_ids) for f in group.forces]
    rows.append(_cells("Total", cov.totals, area_ids))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "Evidence per force and area: n notes, d documents, f findings; none = nothing yet.",
        "Areas: " + "; ".join(a.label for a in cov.areas) + ".",
        "Activities: done/planned. Documents: registered/reviewed.",
        "",
    ]
    lines += [
        "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append("")
    lines += progress_lines(cov)
    return lines


def progress_lines(cov: Coverage) -> list[str]:
    """Fieldwork and document progress, and national findings, as sentences."""
    t = cov.totals
    met = "met" if cov.documents_target_met else "not yet met"
    lines = [
        f"Fieldwork: {t.activities_done} of {t.activities_planned} activities done "
        f"({t.activities_percent}%).",
        f"Documents: {t.documents} registered, {t.documents_reviewed} reviewed "
        f"(target: over {cov.documents_target} reviewed, {met}).",
    ]
    national = sum(cov.national_findings.values())
    if national:
        codes = {a.id: a.code for a in cov.areas}
        parts = ", ".join(
            f"{codes.get(area_id, 'no area')} {n}" for area_id, n in cov.national_findings.items()
        )
        lines.append(f"National findings (in no force's row): {national} ({parts}).")
    return lines


@click.command("coverage")
@json_option
@pass_context
def coverage_cmd(ctx: Context, as_json: bool) -> None:
    """Evidence per force and area (notes, documents, findings) and fieldwork progress."""
    cov = coverage(ctx.open())
    if as_json:
        emit(cov.as_json())
        return
    for line in coverage_text(cov):
        click.echo(line)
