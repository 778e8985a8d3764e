"""``ctdesk export``."""

from pathlib import Path

import click

from ctdesk import export
from ctdesk.cli.support import Context, emit, json_option, pass_context


@click.command("export")
@click.option("--force", "force", required=True, help="Force id or name.")
@click.option(
    "--format", "fmt", type=click.Choice(sorted(export.FORMATS)), default="md", show_default=True
)
@click.option("--out", metavar="PATH", help="File to write (default: a name from the scope).")
@json_option
@pass_context
def export_cmd(ctx: Context, force: str, fmt: str, out: str | None, as_json: bool) -> None:
    """Export a force's summary."""
    wb = ctx.open()
    path = Path(out) if out else Path(export.suggested_name(wb, force, fmt))
    written = export.export_force(wb, force, fmt, path)
    if as_json:
        emit({"path": str(written), "format": fmt})
    else:
        click.echo(f"Wrote {written}.", err=True)
