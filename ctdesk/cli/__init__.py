"""The ``ctdesk`` command: the GUI when given no command, CLI commands otherwise.

Every command uses the same services as the GUI. Data goes to stdout (JSON with ``--json``);
messages go to stderr. A user error is one sentence and exit status 1; a bug is logged.
"""

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from ctdesk import __version__
from ctdesk.cli.activity import activity_group
from ctdesk.cli.backup import backup_cmd, backups_cmd, check_cmd, restore_cmd
from ctdesk.cli.coverage import coverage_cmd
from ctdesk.cli.demo import demo_cmd
from ctdesk.cli.evidence import evidence_group
from ctdesk.cli.exchange import (
    bundle_group,
    conflicts_group,
    key_group,
    sync_cmd,
    team_group,
)
from ctdesk.cli.export import export_cmd
from ctdesk.cli.finding import finding_group
from ctdesk.cli.note import note_group
from ctdesk.cli.passphrase import passphrase_group
from ctdesk.cli.redactions import redactions_cmd
from ctdesk.cli.scope import forces_cmd, init_cmd, scope_cmd
from ctdesk.cli.search import search_cmd
from ctdesk.cli.settings import settings_cmd
from ctdesk.cli.support import Context
from ctdesk.cli.trash import trash_group
from ctdesk.crashlog import write_crash_log
from ctdesk.db import connection
from ctdesk.errors import CtdeskError

log = logging.getLogger("ctdesk")


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workbook",
    metavar="PATH",
    help="Workbook file to use (default: $CTDESK_WORKBOOK, else the one in the data folder).",
)
@click.option(
    "--passphrase-file",
    metavar="PATH",
    help="Read the workbook's passphrase from the first line of PATH ('-' = stdin).",
)
@click.option(
    "--screenshot",
    metavar="PNG",
    type=click.Path(dir_okay=False),
    help="Render the main window to a PNG file and exit.",
)
@click.version_option(__version__, prog_name="ctdesk")
@click.pass_context
def cli(
    ctx: click.Context, workbook: str | None, passphrase_file: str | None, screenshot: str | None
) -> None:
    """ctdesk: offline inspection workbook for counter-terrorism policing inspections.

    Run with no command to open the window.
    """
    ctx.obj = Context(workbook, passphrase_file)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        _launch_gui(
            ctx.obj.workbook_path,
            explicit=bool(workbook or os.environ.get("CTDESK_WORKBOOK")),
            screenshot=screenshot,
        )


def _launch_gui(path: Path, *, explicit: bool, screenshot: str | None) -> None:
    if screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    reason = no_display_reason()
    if reason:
        raise CtdeskError(reason)
    from ctdesk.ui.app import run  # Qt is imported only for the GUI

    shot = Path(screenshot) if screenshot else None
    sys.exit(run(path, create_if_missing=not explicit, screenshot_to=shot))


def no_display_reason() -> str | None:
    """Why the GUI cannot start here, or None when it can."""
    if not sys.platform.startswith("linux"):
        return None
    env = os.environ
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "There is no display to open the ctdesk window on; use the command line "
        "(ctdesk --help), or set QT_QPA_PLATFORM=offscreen to run the window without a screen."
    )


for command in (
    init_cmd,
    scope_cmd,
    forces_cmd,
    note_group,
    activity_group,
    evidence_group,
    finding_group,
    trash_group,
    export_cmd,
    settings_cmd,
    demo_cmd,
    redactions_cmd,
    search_cmd,
    coverage_cmd,
    passphrase_group,
    backup_cmd,
    backups_cmd,
    restore_cmd,
    check_cmd,
    bundle_group,
    key_group,
    conflicts_group,
    team_group,
    sync_cmd,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point: run the CLI, turning errors into one sentence and an exit status."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None, prog_name="ctdesk", standalone_mode=False
        )
    except CtdeskError as exc:
        _fail(str(exc))
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message(), err=True)
        sys.exit(1)
    except click.UsageError as exc:
        hint = (
            f" (see 'ctdesk {exc.ctx.command_path.partition(' ')[2]} --help')." if exc.ctx else "."
        )
        _fail(exc.format_message().rstrip(".") + hint.replace(" ( see", " (see").replace("  ", " "))
    except click.ClickException as exc:
        _fail(exc.format_message())
    except click.exceptions.Abort:
        _fail("Cancelled.")
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _fail("Interrupted.")
    except connection.Error as exc:
        message = connection.explain(exc)
        if message is not None:
            _fail(message)
        _internal_error(exc)
    except Exception as exc:
        _internal_error(exc)
    sys.exit(0)


def _fail(message: str) -> NoReturn:
    click.echo(f"ctdesk: {message}", err=True)
    sys.exit(1)


def _internal_error(exc: BaseException) -> NoReturn:
    where = write_crash_log(exc)
    click.echo(
        f"ctdesk: internal error ({type(exc).__name__}: {exc}); this is a bug, "
        f"details are in {where}.",
        err=True,
    )
    sys.exit(2)
