"""``ctdesk trash``: what has been deleted, and emptying it."""

import click

from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import InvalidInput


def _label(record: object) -> str:
    title = getattr(record, "title", None) or getattr(record, "text", "")
    return str(title).split("\n")[0][:70]


@click.group("trash", invoke_without_command=True)
@json_option
@click.pass_context
def trash_group(click_ctx: click.Context, as_json: bool) -> None:
    """List what is in the trash (restore with '<kind> restore ID')."""
    if click_ctx.invoked_subcommand is not None:
        return
    wb = click_ctx.find_object(Context).open()  # type: ignore[union-attr]
    items = wb.trash()
    if as_json:
        emit(
            [
                {
                    "kind": kind,
                    "id": r.id,
                    "force": r.force_id,
                    "title": _label(r),
                    "deleted_at": r.deleted_at,
                    "marking": r.marking,
                }
                for kind, r in items
            ]
        )
        return
    if not items:
        click.echo("The trash is empty.", err=True)
    for kind, r in items:
        when = (r.deleted_at or "")[:16].replace("T", " ")
        click.echo(f"{r.id[:8]}  {when}  {kind:<9} {r.force_id or '-':<20} {_label(r)}")


@trash_group.command("empty")
@click.option("--yes", is_flag=True, help="Confirm: remove everything in the trash for good.")
@json_option
@pass_context
def trash_empty(ctx: Context, yes: bool, as_json: bool) -> None:
    """Remove everything in the trash for good (asks for --yes)."""
    if not yes:
        raise InvalidInput(
            "Emptying the trash removes its records for good; add --yes if you are sure."
        )
    wb = ctx.open()
    count = len(wb.trash())
    wb.empty_trash()
    if as_json:
        emit({"purged": count})
    else:
        click.echo(f"Removed {count} record(s) from the trash for good.", err=True)
