"""Shared pieces of the CLI commands: the context object, JSON output, common options."""

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from ctdesk import backups, paths, storage_place
from ctdesk import passphrase as passphrase_mod
from ctdesk.errors import (
    CtdeskError,
    InvalidInput,
    PassphraseNeeded,
    WorkbookError,
    WrongPassphrase,
)
from ctdesk.workbook import Workbook


class Context:
    """What the global options decided, shared by every command."""

    def __init__(self, workbook: str | None, passphrase_file: str | None = None) -> None:
        self.workbook_path = paths.workbook_from_env(workbook)
        self.passphrase_file = passphrase_file
        self._workbook: Workbook | None = None
        self._passphrase: str | None = None

    def passphrase(self, prompt: str = "Passphrase") -> str:
        """The passphrase given (file, environment), else typed at a terminal."""
        if self._passphrase is None:
            if self.passphrase_file:
                self._passphrase = passphrase_mod.read_file(self.passphrase_file)
            else:
                self._passphrase = passphrase_mod.from_environment()
        if self._passphrase is None:
            if not sys.stdin.isatty():
                raise InvalidInput(
                    "This needs a passphrase; give it with --passphrase-file PATH or "
                    f"{passphrase_mod.ENV}."
                )
            self._passphrase = str(click.prompt(prompt, hide_input=True, err=True))
        return self._passphrase

    def open(self, *, backup: bool = True) -> Workbook:
        """The workbook, opened once; the first open backs it up (at most one an hour) unless
        ``backup`` is False. A backup that fails is told on stderr; the command goes on."""
        if self._workbook is None:
            path = self.workbook_path
            key = self.passphrase() if passphrase_mod.is_encrypted(path) else None
            try:
                self._workbook = Workbook.open(path, passphrase=key)
            except (PassphraseNeeded, WrongPassphrase):
                raise
            except WorkbookError as exc:
                found = backups.backups_for_path(path) if path.exists() else []
                if not found:
                    raise
                raise WorkbookError(
                    f"{str(exc).rstrip('.')}; its newest backup can be put back with "
                    f"'ctdesk restore {found[0].path}'."
                ) from exc
            storage_place.warn(path, lambda text: click.echo(f"ctdesk: {text}", err=True))
            if backup:
                try:
                    backups.backup_on_open(self._workbook)
                except CtdeskError as exc:
                    click.echo(
                        f"ctdesk: the workbook was not backed up on opening: {exc}", err=True
                    )
        return self._workbook

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


pass_context = click.make_pass_decorator(Context)


def emit(data: Any) -> None:
    """Print machine-readable output: JSON on stdout, nothing else."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")(f)
