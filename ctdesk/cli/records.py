"""The verbs every record kind shares on the command line: delete, restore, history, revert."""

from typing import Any

import click

from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.history import Revision
from ctdesk.record import Records
from ctdesk.workbook import Workbook


def revision_line(rev: Revision) -> str:
    content = rev.content
    what = content.get("title") or (content.get("text") or "").split("\n")[0]
    state = " (in trash)" if content.get("deleted") else ""
    return (
        f"{rev.hash[:12]}  {rev.created_at[:19].replace('T', ' ')}  {rev.op:<8} "
        f"{rev.author:<20} {what[:60]}{state}"
    )


def add_record_verbs(group: click.Group, kind: str) -> None:
    """Add ``delete``, ``restore``, ``history`` and ``revert`` for one record kind to ``group``."""

    def service(wb: Workbook) -> Records[Any]:
        return wb.record_kinds()[kind]

    @group.command("delete")
    @click.argument("record_id")
    @json_option
    @pass_context
    def delete(ctx: Context, record_id: str, as_json: bool) -> None:
        """Move it to the trash (restorable with 'restore')."""
        result = service(ctx.open()).delete(record_id)
        if as_json:
            emit({"id": result.value.id, "deleted": True})
        else:
            click.echo(f"Moved {kind} {result.value.id[:8]} to the trash.", err=True)

    @group.command("restore")
    @click.argument("record_id")
    @json_option
    @pass_context
    def restore(ctx: Context, record_id: str, as_json: bool) -> None:
        """Bring it back from the trash."""
        result = service(ctx.open()).restore(record_id)
        if as_json:
            emit({"id": result.value.id, "deleted": False})
        else:
            click.echo(f"Restored {kind} {result.value.id[:8]}.", err=True)

    @group.command("history")
    @click.argument("record_id")
    @json_option
    @pass_context
    def history(ctx: Context, record_id: str, as_json: bool) -> None:
        """Every revision, oldest first (hash, time, operation, author)."""
        revisions = service(ctx.open()).history(record_id)
        if as_json:
            emit([r.to_json() for r in revisions])
            return
        for rev in revisions:
            click.echo(revision_line(rev))

    @group.command("revert")
    @click.argument("record_id")
    @click.option(
        "--to", "revision", required=True, help="Revision hash (or its first characters)."
    )
    @json_option
    @pass_context
    def revert(ctx: Context, record_id: str, revision: str, as_json: bool) -> None:
        """Make an earlier revision current again (kept as a new revision; nothing is lost)."""
        result = service(ctx.open()).revert(record_id, revision)
        if as_json:
            emit({"id": result.value.id, "head": result.value.head})
        else:
            click.echo(f"Restored {kind} {result.value.id[:8]} to revision {revision}.", err=True)
