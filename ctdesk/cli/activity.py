"""``ctdesk activity list|add|set`` (and delete, restore, history, revert): the fieldwork plan."""

import click

from ctdesk.activity import KINDS, STATUSES, Activity
from ctdesk.cli.records import add_record_verbs
from ctdesk.cli.support import Context, emit, json_option, pass_context


@click.group("activity")
def activity_group() -> None:
    """The fieldwork plan of a force: interviews, focus groups, document review, visits."""


add_record_verbs(activity_group, "activity")


def _line(a: Activity) -> str:
    box = {"done": "[x]", "cancelled": "[-]"}.get(a.status, "[ ]")
    when = a.done_date or a.planned_date or ""
    return f"{box} {a.id[:8]}  {a.kind_name:<22} {when:<10}  {a.title}"


@activity_group.command("list")
@click.option("--force", "force", required=True, help="Force id or name.")
@json_option
@pass_context
def activity_list(ctx: Context, force: str, as_json: bool) -> None:
    """The force's plan in order, with progress."""
    wb = ctx.open()
    plan = wb.activities.plan(force)
    progress = wb.activities.progress(force)
    if as_json:
        emit(
            {
                "force": wb.scope.force(force).id,
                "done": progress.done,
                "planned": progress.planned,
                "activities": [a.to_json() for a in plan],
            }
        )
        return
    for a in plan:
        click.echo(_line(a))
    click.echo(f"{progress}.", err=True)


@activity_group.command("add")
@click.option("--force", "force", required=True, help="Force id or name.")
@click.option("--kind", required=True, help=f"One of: {', '.join(KINDS)}.")
@click.option("--title", required=True, help="What it is, e.g. 'Visit to the MASH'.")
@click.option("--participants", default="", help="Who takes part (free text).")
@click.option("--date", "planned", help="Planned date (YYYY-MM-DD).")
@click.option("--marking", help="Protective marking (default from settings).")
@json_option
@pass_context
def activity_add(
    ctx: Context,
    force: str,
    kind: str,
    title: str,
    participants: str,
    planned: str | None,
    marking: str | None,
    as_json: bool,
) -> None:
    """Add an activity to a force's plan; prints its id."""
    result = ctx.open().activities.add(
        force=force,
        kind=kind,
        title=title,
        participants=participants,
        planned_date=planned,
        marking=marking,
    )
    if as_json:
        emit({"id": result.value.id})
    else:
        click.echo(result.value.id)


@activity_group.command("set")
@click.argument("activity_id")
@click.option("--status", help=f"One of: {', '.join(STATUSES)}.")
@click.option("--date", "planned", help="Planned date (YYYY-MM-DD; '' clears it).")
@click.option("--done-date", help="Date it was done (YYYY-MM-DD); sets the status to done.")
@click.option("--title", help="New title.")
@click.option("--kind", help="New kind.")
@click.option("--participants", help="Who takes part.")
@click.option("--marking", help="New protective marking.")
@json_option
@pass_context
def activity_set(
    ctx: Context,
    activity_id: str,
    status: str | None,
    planned: str | None,
    done_date: str | None,
    title: str | None,
    kind: str | None,
    participants: str | None,
    marking: str | None,
    as_json: bool,
) -> None:
    """Change an activity: mark it done, reschedule it, rename it."""
    result = ctx.open().activities.set(
        activity_id,
        status=status,
        planned_date=planned,
        done_date=done_date,
        title=title,
        kind=kind,
        participants=participants,
        marking=marking,
    )
    if as_json:
        emit(result.value.to_json())
    else:
        click.echo(_line(result.value))
