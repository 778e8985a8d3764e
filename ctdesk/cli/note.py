"""``ctdesk note add|list|show|edit``."""

import sys
from pathlib import Path

import click

from ctdesk.cli.records import add_record_verbs
from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import InvalidInput
from ctdesk.note import Note


def read_body(body: str | None, body_file: str | None) -> str | None:
    """The body from ``--body`` or ``--body-file`` (``-`` = stdin); at most one may be given."""
    if body is not None and body_file is not None:
        raise InvalidInput("Give the body with --body or with --body-file, not both.")
    if body_file is None:
        return body
    try:
        raw = sys.stdin.buffer.read() if body_file == "-" else Path(body_file).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read the body file {body_file}: {exc.strerror}.") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The body file {body_file} is not UTF-8 text; save it as UTF-8 and try again."
        ) from exc


@click.group("note")
def note_group() -> None:
    """Write and read fieldwork notes."""


add_record_verbs(note_group, "note")


@note_group.command("add")
@click.option("--force", "force", required=True, help="Force id or name.")
@click.option("--title", required=True, help="A few words saying what the note is about.")
@click.option("--body", help="The note text (Markdown).")
@click.option("--body-file", metavar="PATH", help="Read the note text from a file ('-' = stdin).")
@click.option("--area", "areas", multiple=True, help="Area it evidences (id or code); repeatable.")
@click.option("--marking", help="Protective marking (default from settings).")
@click.option("--activity", help="Id of the plan activity this note records.")
@click.option("--redaction-reason", default="", help="Why the [[redact]] spans are redacted.")
@json_option
@pass_context
def note_add(
    ctx: Context,
    force: str,
    title: str,
    body: str | None,
    body_file: str | None,
    areas: tuple[str, ...],
    marking: str | None,
    activity: str | None,
    redaction_reason: str,
    as_json: bool,
) -> None:
    """Add a note for a force; prints its id."""
    text = read_body(body, body_file) or ""
    note = ctx.open().notes.add(
        force=force,
        title=title,
        body=text,
        areas=areas,
        marking=marking,
        activity=activity,
        redaction_reason=redaction_reason,
    )
    if as_json:
        emit({"id": note.value.id})
    else:
        click.echo(note.value.id)


@note_group.command("list")
@click.option("--force", "force", help="Only this force's notes.")
@json_option
@pass_context
def note_list(ctx: Context, force: str | None, as_json: bool) -> None:
    """List notes, most recently changed first."""
    wb = ctx.open()
    notes = wb.notes.all(force=force)
    if as_json:
        emit([n.to_json() for n in notes])
        return
    for n in notes:
        areas = ",".join(wb.scope.area_by_id(a).code for a in n.areas) or "-"
        click.echo(
            f"{n.id[:8]}  {n.updated_at[:16].replace('T', ' ')}  {n.force_id:<20} "
            f"{areas:<8} {n.marking:<20} {n.title}"
        )


def _print_note(ctx: Context, n: Note) -> None:
    wb = ctx.open()
    force = wb.scope.force(n.force_id or "")
    areas = ", ".join(wb.scope.area_by_id(a).label for a in n.areas) or "none"
    click.echo(f"{n.marking}\n{n.title}\n")
    click.echo(f"id:       {n.id}")
    click.echo(f"force:    {force.name}")
    click.echo(f"areas:    {areas}")
    click.echo(f"author:   {n.author}")
    click.echo(f"created:  {n.created_at}")
    click.echo(f"updated:  {n.updated_at}\n")
    click.echo(n.body)


@note_group.command("show")
@click.argument("note_id")
@json_option
@pass_context
def note_show(ctx: Context, note_id: str, as_json: bool) -> None:
    """Show one note (id or the first characters of it)."""
    note = ctx.open().notes.get(note_id)
    if as_json:
        emit(note.to_json())
    else:
        _print_note(ctx, note)


@note_group.command("edit")
@click.argument("note_id")
@click.option("--title", help="New title.")
@click.option("--body", help="New text (Markdown).")
@click.option("--body-file", metavar="PATH", help="Read the new text from a file ('-' = stdin).")
@click.option("--area", "areas", multiple=True, help="Areas it evidences, replacing the old ones.")
@click.option("--no-areas", is_flag=True, help="Untie the note from every area.")
@click.option("--marking", help="New protective marking.")
@click.option("--activity", help="Plan activity it records ('' to untie it).")
@click.option("--redaction-reason", default="", help="Why the [[redact]] spans are redacted.")
@json_option
@pass_context
def note_edit(
    ctx: Context,
    note_id: str,
    title: str | None,
    body: str | None,
    body_file: str | None,
    areas: tuple[str, ...],
    no_areas: bool,
    marking: str | None,
    activity: str | None,
    redaction_reason: str,
    as_json: bool,
) -> None:
    """Change a note; what you do not give stays as it was. Every change is kept in history."""
    if areas and no_areas:
        raise InvalidInput("Give --area or --no-areas, not both.")
    result = ctx.open().notes.edit(
        note_id,
        title=title,
        body=read_body(body, body_file),
        areas=() if no_areas else (areas or None),
        marking=marking,
        activity=activity,
        redaction_reason=redaction_reason,
    )
    if as_json:
        emit(result.value.to_json())
    elif not result.changes:
        click.echo("Nothing changed.", err=True)
    else:
        click.echo(result.value.id)
