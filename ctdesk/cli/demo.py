"""``ctdesk demo``: fill a workbook with synthetic fieldwork."""

import sys

import click

from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.demo import generate
from ctdesk.errors import InvalidInput
from ctdesk.workbook import Workbook


@click.command("demo")
@click.option("--notes", "count", type=int, default=2000, show_default=True, help="How many notes.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@json_option
@pass_context
def demo_cmd(ctx: Context, count: int, seed: int, as_json: bool) -> None:
    """Fill the workbook (created if missing) with realistic synthetic fieldwork."""
    if not 0 <= count <= 2_000_000:
        raise InvalidInput("--notes must be between 0 and 2,000,000.")
    path = ctx.workbook_path
    wb = ctx.open() if path.exists() else Workbook.create(path)
    show = sys.stderr.isatty() and not as_json

    def progress(stage: str, done: int, total: int) -> None:
        if show:
            click.echo(f"\r{stage}: {done:,} of {total:,}", nl=False, err=True)

    try:
        summary = generate(wb, notes=count, seed=seed, progress=progress)
    finally:
        if wb is not ctx._workbook:
            wb.close()
    if show:
        click.echo("", err=True)
    data = {
        "path": str(path),
        "notes": summary.notes,
        "documents": summary.documents,
        "findings": summary.findings,
        "activities_done": summary.activities_done,
    }
    if as_json:
        emit(data)
    else:
        click.echo(
            f"Added {summary.notes:,} notes, {summary.documents:,} documents and "
            f"{summary.findings:,} findings to {path}.",
            err=True,
        )
