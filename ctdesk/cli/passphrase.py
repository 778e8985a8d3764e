"""``ctdesk passphrase set|change|remove``: encryption of the workbook at rest."""

import sys

import click

from ctdesk import passphrase as passphrase_mod
from ctdesk.cli.scope import new_passphrase
from ctdesk.cli.support import Context, pass_context
from ctdesk.errors import InvalidInput

NEW_FILE = click.option(
    "--new-passphrase-file", metavar="PATH", help="Read the new passphrase from PATH."
)


@click.group("passphrase")
def passphrase_group() -> None:
    """Put, change or take off the workbook's passphrase (it is re-written, atomically)."""


def _typed_new(new_file: str | None) -> str:
    if new_file:
        return passphrase_mod.check_new(passphrase_mod.read_file(new_file))
    if not sys.stdin.isatty():
        raise InvalidInput("Give the new passphrase with --new-passphrase-file PATH.")
    typed = click.prompt(
        "New passphrase", hide_input=True, confirmation_prompt="Repeat it", err=True
    )
    return passphrase_mod.check_new(str(typed))


def _left_over(left: int) -> None:
    if left:
        click.echo(
            f"ctdesk: {left} older backup(s) are under another passphrase and were left as "
            "they are; they still open with that one ('ctdesk backups' lists them).",
            err=True,
        )


@passphrase_group.command("set")
@NEW_FILE
@pass_context
def set_cmd(ctx: Context, new_passphrase_file: str | None) -> None:
    """Encrypt the workbook under a passphrase (--new-passphrase-file, --passphrase-file,
    CTDESK_PASSPHRASE, or typed twice)."""
    new = _typed_new(new_passphrase_file) if new_passphrase_file else new_passphrase(ctx)
    left = passphrase_mod.set_passphrase(ctx.workbook_path, new)
    click.echo(f"The workbook {ctx.workbook_path} is now encrypted.", err=True)
    _left_over(left)


@passphrase_group.command("change")
@NEW_FILE
@pass_context
def change_cmd(ctx: Context, new_passphrase_file: str | None) -> None:
    """Re-encrypt the workbook under a new passphrase (the current one opens it)."""
    old = ctx.passphrase("Current passphrase")
    left = passphrase_mod.change_passphrase(ctx.workbook_path, old, _typed_new(new_passphrase_file))
    click.echo(f"The passphrase of {ctx.workbook_path} is changed.", err=True)
    _left_over(left)


@passphrase_group.command("remove")
@click.option("--yes", is_flag=True, help="Do it without asking.")
@pass_context
def remove_cmd(ctx: Context, yes: bool) -> None:
    """Decrypt the workbook: anyone with the file can then read it."""
    old = ctx.passphrase("Current passphrase")
    if not yes:
        click.confirm(
            "Anyone with the file will be able to read it. Remove the passphrase?",
            abort=True,
            err=True,
        )
    left = passphrase_mod.remove_passphrase(ctx.workbook_path, old)
    click.echo(f"The workbook {ctx.workbook_path} is no longer encrypted.", err=True)
    _left_over(left)
