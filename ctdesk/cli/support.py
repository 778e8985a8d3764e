"""Shared pieces of the CLI commands: the context object, JSON output, common options."""

import json
from collections.abc import Callable
from typing import Any

import click

from ctdesk import paths
from ctdesk.workbook import Workbook


class Context:
    """What the global options decided, shared by every command."""

    def __init__(self, workbook: str | None) -> None:
        self.workbook_path = paths.workbook_from_env(workbook)
        self._workbook: Workbook | None = None

    def open(self) -> Workbook:
        if self._workbook is None:
            self._workbook = Workbook.open(self.workbook_path)
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
