"""``ctdesk redactions``: the log of what was marked for redaction, by whom, when and why."""

from pathlib import Path

import click

from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.export.files import write_atomically
from ctdesk.redaction_log import to_csv


@click.command("redactions")
@click.option("--force", "force", help="Only this force's entries.")
@click.option("--csv", "csv_path", metavar="PATH", help="Write the log as CSV to PATH.")
@json_option
@pass_context
def redactions_cmd(ctx: Context, force: str | None, csv_path: str | None, as_json: bool) -> None:
    """Show (or export) the redaction log."""
    entries = ctx.open().redactions.entries(force)
    if csv_path:
        write_atomically(Path(csv_path), to_csv(entries))
        click.echo(f"Wrote {len(entries)} entries to {csv_path}.", err=True)
        return
    if as_json:
        emit([e.to_json() for e in entries])
        return
    for e in entries:
        why = f" — {e.reason}" if e.reason else ""
        click.echo(
            f"{e.created_at[:16].replace('T', ' ')}  {e.author:<16} {e.record_kind} "
            f"{e.record_id[:8]}  “{e.excerpt[:50]}”{why}"
        )
