"""``ctdesk evidence add|list|show|set|attach|detach|attachment`` (and delete, restore, history,
revert): the register of documents a force provides."""

from pathlib import Path
from typing import Any

import click

from ctdesk.cli.records import add_record_verbs
from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import InvalidInput
from ctdesk.evidence import STATUSES, Document, human_size
from ctdesk.slugs import pick
from ctdesk.workbook import Workbook


@click.group("evidence")
def evidence_group() -> None:
    """The evidence register: documents a force provides, their review and their files."""


add_record_verbs(evidence_group, "document")


def _category_name(wb: Workbook, doc: Document) -> str:
    return wb.documents.categories(doc.inspection_id).get(doc.category, doc.category)


def _line(wb: Workbook, doc: Document) -> str:
    status = STATUSES.get(doc.review_status, doc.review_status)
    received = doc.received_date or "-"
    return f"{doc.id[:8]}  {received:<10}  {status:<9}  {_category_name(wb, doc):<27} {doc.title}"


def _summary(registered: int, reviewed: int) -> str:
    noun = "document" if registered == 1 else "documents"
    return f"{registered} {noun} registered, {reviewed} reviewed."


@evidence_group.command("add")
@click.option("--force", "force", required=True, help="Force id or name.")
@click.option("--title", required=True, help="What the document is, e.g. 'Prevent strategy 2024'.")
@click.option(
    "--category",
    required=True,
    help="policy-strategy, referral-report, channel-document, briefing-material or other "
    "(slug or name).",
)
@click.option("--reference", default="", help="The force's reference for it.")
@click.option("--provided-by", default="", help="Who provided it.")
@click.option("--received", help="Date received (YYYY-MM-DD, DD/MM/YYYY or 'today').")
@click.option("--file", "file", metavar="PATH", help="Attach the file (at most 25 MB).")
@click.option("--area", "areas", multiple=True, help="Area it bears on (id or code); repeatable.")
@click.option("--marking", help="Protective marking, e.g. 'OFFICIAL-SENSITIVE PERSONAL DATA'.")
@json_option
@pass_context
def evidence_add(
    ctx: Context,
    force: str,
    title: str,
    category: str,
    reference: str,
    provided_by: str,
    received: str | None,
    file: str | None,
    areas: tuple[str, ...],
    marking: str | None,
    as_json: bool,
) -> None:
    """Register a document a force provided; prints its id."""
    result = ctx.open().documents.add(
        force=force,
        title=title,
        category=category,
        reference=reference,
        provided_by=provided_by,
        received=received,
        file=Path(file) if file is not None else None,
        areas=areas,
        marking=marking,
    )
    if as_json:
        emit({"id": result.value.id})
    else:
        click.echo(result.value.id)


@evidence_group.command("list")
@click.option("--force", "force", help="Only this force's documents.")
@click.option("--status", help="Only documents with this review status (to-review, reviewed).")
@click.option("--category", help="Only documents of this category (slug or name).")
@json_option
@pass_context
def evidence_list(
    ctx: Context, force: str | None, status: str | None, category: str | None, as_json: bool
) -> None:
    """List registered documents, most recently changed first."""
    wb = ctx.open()
    where: dict[str, Any] = {}
    if status is not None:
        where["review_status"] = pick(status, STATUSES, "review status")
    if category is not None:
        where["category"] = pick(category, wb.documents.categories(), "document category")
    docs = wb.documents.all(force=force, **where)
    if as_json:
        emit([d.to_json() for d in docs])
        return
    for doc in docs:
        click.echo(_line(wb, doc))
    click.echo(_summary(len(docs), sum(d.reviewed for d in docs)), err=True)


def _print_document(wb: Workbook, doc: Document) -> None:
    force = wb.scope.force(doc.force_id or "")
    areas = ", ".join(wb.scope.area_by_id(a).label for a in doc.areas) or "none"
    status = STATUSES.get(doc.review_status, doc.review_status)
    if doc.reviewer:
        status += f" (reviewer: {doc.reviewer})"
    attachment = (
        f"{doc.attachment_name} ({human_size(doc.attachment_size or 0)})"
        if doc.has_attachment
        else "none"
    )
    click.echo(f"{doc.marking}\n{doc.title}\n")
    for label, value in (
        ("id", doc.id),
        ("force", force.name),
        ("category", _category_name(wb, doc)),
        ("reference", doc.reference or "-"),
        ("provided by", doc.provided_by or "-"),
        ("received", doc.received_date or "not known"),
        ("status", status),
        ("areas", areas),
        ("file", attachment),
        ("author", doc.author),
        ("created", doc.created_at),
        ("updated", doc.updated_at),
    ):
        click.echo(f"{label + ':':<13}{value}")
    if doc.deleted:
        click.echo(f"\nIn the trash since {doc.deleted_at}.")


@evidence_group.command("show")
@click.argument("document_id")
@json_option
@pass_context
def evidence_show(ctx: Context, document_id: str, as_json: bool) -> None:
    """Show one document (id or the first characters of it)."""
    wb = ctx.open()
    doc = wb.documents.get(document_id)
    if as_json:
        emit(doc.to_json())
    else:
        _print_document(wb, doc)


@evidence_group.command("set")
@click.argument("document_id")
@click.option("--status", help="to-review or reviewed.")
@click.option("--reviewer", help="Who reviewed it (default when marking reviewed: you).")
@click.option("--title", help="New title.")
@click.option("--category", help="New category (slug or name).")
@click.option("--reference", help="New reference.")
@click.option("--provided-by", help="Who provided it.")
@click.option("--received", help="Date received (YYYY-MM-DD; '' clears it).")
@click.option("--area", "areas", multiple=True, help="Areas it bears on, replacing the old ones.")
@click.option("--no-areas", is_flag=True, help="Untie the document from every area.")
@click.option("--marking", help="New protective marking.")
@json_option
@pass_context
def evidence_set(
    ctx: Context,
    document_id: str,
    status: str | None,
    reviewer: str | None,
    title: str | None,
    category: str | None,
    reference: str | None,
    provided_by: str | None,
    received: str | None,
    areas: tuple[str, ...],
    no_areas: bool,
    marking: str | None,
    as_json: bool,
) -> None:
    """Change a document: mark it reviewed, correct its details. Every change is kept."""
    if areas and no_areas:
        raise InvalidInput("Give --area or --no-areas, not both.")
    wb = ctx.open()
    result = wb.documents.set(
        document_id,
        status=status,
        reviewer=reviewer,
        title=title,
        category=category,
        reference=reference,
        provided_by=provided_by,
        received=received,
        areas=() if no_areas else (areas or None),
        marking=marking,
    )
    if as_json:
        emit(result.value.to_json())
    elif not result.changes:
        click.echo("Nothing changed.", err=True)
    else:
        click.echo(_line(wb, result.value))


@evidence_group.command("attach")
@click.argument("document_id")
@click.argument("path")
@json_option
@pass_context
def evidence_attach(ctx: Context, document_id: str, path: str, as_json: bool) -> None:
    """Store a file (at most 25 MB) with a document, replacing any other it had."""
    doc = ctx.open().documents.attach(document_id, Path(path)).value
    if as_json:
        emit(doc.to_json())
    else:
        click.echo(
            f"Attached {doc.attachment_name} ({human_size(doc.attachment_size or 0)}) "
            f"to document {doc.id[:8]}.",
            err=True,
        )


@evidence_group.command("detach")
@click.argument("document_id")
@json_option
@pass_context
def evidence_detach(ctx: Context, document_id: str, as_json: bool) -> None:
    """Take the attached file off a document (it stays in the document's history)."""
    result = ctx.open().documents.detach(document_id)
    if as_json:
        emit(result.value.to_json())
    elif not result.changes:
        click.echo("The document had no attached file; nothing changed.", err=True)
    else:
        click.echo(f"Took the attached file off document {result.value.id[:8]}.", err=True)


@evidence_group.command("attachment")
@click.argument("document_id")
@click.option(
    "--out", required=True, metavar="PATH", help="File to write (or a folder to save it in)."
)
@json_option
@pass_context
def evidence_attachment(ctx: Context, document_id: str, out: str, as_json: bool) -> None:
    """Save a document's attached file."""
    written = ctx.open().documents.save_attachment(document_id, Path(out))
    if as_json:
        emit({"path": str(written), "size": written.stat().st_size})
    else:
        click.echo(f"Saved {written}.", err=True)
