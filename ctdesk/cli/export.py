"""``ctdesk export``: summaries of a force, an area, a region or the whole inspection."""

import sys
from pathlib import Path

import click

from ctdesk import export
from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import InvalidInput


@click.command("export")
@click.option("--force", "force", help="One force's summary (id or name).")
@click.option("--area", "area", help="One area across all forces (e.g. A2).")
@click.option("--region", "region", help="The forces of one CT region side by side.")
@click.option("--inspection", "inspection", help="The whole inspection (e.g. ct4).")
@click.option(
    "--format", "fmt", type=click.Choice(sorted(export.FORMATS)), default="md", show_default=True
)
@click.option("--out", metavar="PATH", help="File to write (default: a name from the scope).")
@click.option("--max-marking", help="Leave out records above this marking (e.g. OFFICIAL).")
@click.option("--redacted", is_flag=True, help="Replace text marked for redaction by [REDACTED].")
@click.option(
    "--public-release", is_flag=True, help="Mark a redacted OFFICIAL export FOR PUBLIC RELEASE."
)
@click.option("--progress-lines", is_flag=True, hidden=True, help="Progress for a parent process.")
@json_option
@pass_context
def export_cmd(
    ctx: Context,
    force: str | None,
    area: str | None,
    region: str | None,
    inspection: str | None,
    fmt: str,
    out: str | None,
    max_marking: str | None,
    redacted: bool,
    public_release: bool,
    progress_lines: bool,
    as_json: bool,
) -> None:
    """Export a summary, marked on every page, optionally limited and redacted."""
    given = [
        (k, v)
        for k, v in (
            ("force", force),
            ("area", area),
            ("region", region),
            ("inspection", inspection),
        )
        if v
    ]
    if len(given) != 1:
        raise InvalidInput(
            "Say what to export with exactly one of --force, --area, --region or --inspection."
        )
    wb = ctx.open()
    scope = export.resolve_scope(wb, *given[0])
    options = export.ExportOptions(max_marking, redacted, public_release)
    path = Path(out) if out else Path(export.suggested_name(wb, scope, fmt, redacted))
    show = sys.stderr.isatty() and not as_json

    def report(done: int, total: int) -> None:
        if progress_lines:
            click.echo(f"PROGRESS {done} {total}", err=True)
        elif show and total:
            click.echo(
                f"\rExporting {scope.label}… {min(100, 100 * done // total)}%", nl=False, err=True
            )

    result = export.export(wb, scope, fmt, path, options, export.Progress(report))
    if show:
        click.echo("", err=True)
    if as_json:
        emit(
            {
                "path": str(result.path),
                "format": fmt,
                "marking": result.marking,
                "left_out": result.left_out,
            }
        )
        return
    left = sum(result.left_out.values())
    note = f"; left out {left} record(s) above {max_marking}" if left else ""
    click.echo(f"Wrote {result.path} ({result.marking}{note}).", err=True)
