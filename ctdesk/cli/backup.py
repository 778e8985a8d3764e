"""``ctdesk backup``, ``ctdesk backups``, ``ctdesk restore`` and ``ctdesk check``."""

import sys
from pathlib import Path

import click

from ctdesk import backups
from ctdesk import check as check_mod
from ctdesk import passphrase as passphrase_mod
from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import CtdeskError, InvalidInput, WorkbookError


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _when(backup: backups.Backup) -> str:
    return backup.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC")


@click.command("backup")
@click.option(
    "--out",
    metavar="PATH",
    help="Write the copy exactly there (never overwrites a file); it is not rotated.",
)
@json_option
@pass_context
def backup_cmd(ctx: Context, out: str | None, as_json: bool) -> None:
    """Back up the workbook now (encrypted like it), into its backup folder or to --out."""
    wb = ctx.open(backup=False)
    made = backups.backup_to(wb, Path(out).expanduser()) if out else backups.backup(wb, "manual")
    if as_json:
        emit({"path": str(made), "size": made.stat().st_size, "encrypted": wb.encrypted})
    else:
        click.echo(f"Backed up the workbook to {made}.", err=True)


@click.command("backups")
@json_option
@pass_context
def backups_cmd(ctx: Context, as_json: bool) -> None:
    """List the workbook's backups, newest first, with when, why, size and encryption."""
    path = ctx.workbook_path
    if not path.exists():
        raise WorkbookError(
            f"There is no workbook at {path}; the backups of every workbook are in folders "
            f"under {backups.root()}, and 'ctdesk restore BACKUP' puts one back."
        )
    wb = ctx.open(backup=False)
    found = backups.backups_of(wb)
    if as_json:
        emit({"folder": str(backups.folder_for(wb.id)), "backups": [b.to_json() for b in found]})
        return
    if not found:
        click.echo("This workbook has no backups yet; 'ctdesk backup' takes one.", err=True)
        return
    click.echo(f"Backups of {path} in {backups.folder_for(wb.id)}:", err=True)
    for b in found:
        lock = "encrypted" if b.encrypted else "not encrypted"
        click.echo(f"{_when(b)}  {b.reason:<18} {_size(b.size):>10}  {lock:<13}  {b.path}")


@click.command("restore")
@click.argument("backup", metavar="BACKUP")
@click.option("--yes", is_flag=True, help="Do it without asking.")
@click.option(
    "--backup-passphrase-file",
    metavar="PATH",
    help="Read the backup's passphrase from PATH, when it is not the workbook's.",
)
@pass_context
def restore_cmd(ctx: Context, backup: str, yes: bool, backup_passphrase_file: str | None) -> None:
    """Put a backup in place of the workbook, after backing the workbook up (before-restore).

    The backup must open and pass 'ctdesk check', or nothing is changed. Close the workbook in
    the window first.
    """
    path = ctx.workbook_path
    source = Path(backup).expanduser()
    if not source.is_file():
        raise WorkbookError(
            f"There is no backup at {source}; run 'ctdesk backups' to see the backups."
        )
    current_key = ctx.passphrase() if passphrase_mod.is_encrypted(path) else None
    backup_key = None
    if backup_passphrase_file:
        backup_key = passphrase_mod.read_file(backup_passphrase_file)
    elif passphrase_mod.is_encrypted(source):
        backup_key = ctx.passphrase("Passphrase of the backup")
    if not yes:
        if not sys.stdin.isatty():
            raise InvalidInput(
                "Restoring replaces the workbook (it is backed up first); add --yes if you "
                "are sure."
            )
        click.confirm(
            f"Replace the workbook {path} by the backup {source.name}? It is backed up first.",
            abort=True,
            err=True,
        )
    before = backups.restore(path, source, current_key, backup_passphrase=backup_key)
    kept = f"; the workbook as it was is backed up in {before}" if before else ""
    click.echo(f"Restored {path} from {source}{kept}.", err=True)


@click.command("check")
@json_option
@pass_context
def check_cmd(ctx: Context, as_json: bool) -> None:
    """Check the workbook: the file, its encryption, links, search index and history.

    Prints one line per problem and exits with status 1 if there is any.
    """
    path = ctx.workbook_path
    key = ctx.passphrase() if passphrase_mod.is_encrypted(path) else None
    problems = check_mod.check_file(path, key)
    if as_json:
        emit({"path": str(path), "ok": not problems, "problems": [p.to_json() for p in problems]})
    else:
        for problem in problems:
            click.echo(problem.text)
    if problems:
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        raise CtdeskError(f"The check found {count} in the workbook {path}.")
    if not as_json:
        click.echo(f"The workbook {path} passed every check.", err=True)
