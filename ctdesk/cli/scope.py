"""``ctdesk init``, ``ctdesk scope`` and ``ctdesk forces``."""

import sys
from typing import Any

import click

from ctdesk import passphrase as passphrase_mod
from ctdesk import storage_place
from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.scope import Inspection
from ctdesk.workbook import Workbook


@click.command("init")
@click.option(
    "--encrypt",
    is_flag=True,
    help="Protect the workbook with a passphrase (from --passphrase-file, CTDESK_PASSPHRASE, "
    "or typed twice).",
)
@json_option
@pass_context
def init_cmd(ctx: Context, encrypt: bool, as_json: bool) -> None:
    """Create a workbook with the inspection scope loaded (never overwrites a file)."""
    key = new_passphrase(ctx) if encrypt else None
    storage_place.warn(ctx.workbook_path, lambda text: click.echo(f"ctdesk: {text}", err=True))
    with Workbook.create(ctx.workbook_path, passphrase=key) as wb:
        if as_json:
            emit({"path": str(wb.path), "id": wb.id, "inspection": wb.scope.current.id})
        else:
            click.echo(
                f"Created the workbook {wb.path} for {wb.scope.current.code} "
                f"({len(wb.scope.forces_in(wb.scope.current))} forces in scope).",
                err=True,
            )


def new_passphrase(ctx: Context) -> str:
    """A new passphrase: given (file, environment) or typed twice at a terminal."""
    if ctx.passphrase_file or passphrase_mod.from_environment() or not sys.stdin.isatty():
        return passphrase_mod.check_new(ctx.passphrase())
    typed = click.prompt(
        "New passphrase", hide_input=True, confirmation_prompt="Repeat it", err=True
    )
    return passphrase_mod.check_new(str(typed))


def inspection_json(insp: Inspection) -> dict[str, Any]:
    return {
        "id": insp.id,
        "code": insp.code,
        "title": insp.title,
        "subject": insp.subject,
        "year": insp.year,
        "status": insp.status,
        "status_note": insp.status_note,
        "graded": insp.graded,
        "current": insp.current,
        "fieldwork": insp.fieldwork,
        "published": insp.published,
        "recommendations": insp.recommendations,
        "areas": [
            {
                "id": a.id,
                "code": a.code,
                "title": a.title,
                "question": a.question,
                "lines_of_enquiry": [loe.text for loe in a.lines_of_enquiry],
            }
            for a in insp.areas
        ],
        "methodology": {
            kind: [m.title for m in insp.method(kind)]
            for kind in ("partner", "interview", "focus-group", "document-category")
        }
        if insp.methodology
        else None,
    }


@click.command("scope")
@json_option
@pass_context
def scope_cmd(ctx: Context, as_json: bool) -> None:
    """Show the programme: inspections, their areas and lines of enquiry."""
    scope = ctx.open().scope
    if as_json:
        emit(
            {
                "programme": {
                    "title": scope.programme.title,
                    "commissioned": scope.programme.commissioned,
                },
                "inspections": [inspection_json(i) for i in scope.inspections],
            }
        )
        return
    click.echo(scope.programme.title)
    for insp in scope.inspections:
        mark = " (current)" if insp.current else ""
        click.echo(f"\n{insp.code}  {insp.title} — {insp.year}{mark}")
        click.echo(f"    {insp.status_note}")
        for area in insp.areas:
            click.echo(f"  {area.code}  {area.title}  [{area.id}]")
            for loe in area.lines_of_enquiry:
                click.echo(f"        - {loe.text}")
        if insp.methodology:
            click.echo("  Methodology:")
            for kind, label in (
                ("interview", "Interviews"),
                ("focus-group", "Focus groups"),
                ("document-category", "Documents"),
                ("partner", "Worked with"),
            ):
                click.echo(f"    {label}: " + "; ".join(m.title for m in insp.method(kind)))


@click.command("forces")
@json_option
@pass_context
def forces_cmd(ctx: Context, as_json: bool) -> None:
    """List the forces with their nation, kind and CT region."""
    scope = ctx.open().scope
    if as_json:
        emit([f.to_json() for f in scope.forces])
        return
    width = max(len(f.id) for f in scope.forces)
    for f in scope.forces:
        region = f.region_name or "-"
        if f.region_confidence and f.region_confidence != "confirmed":
            region += f" ({f.region_confidence})"
        click.echo(f"{f.id:<{width}}  {f.name:<42} {f.nation:<15} {f.kind:<12} {region}")
