"""``ctdesk finding add|list|show|set|link|unlink|delete|restore|history``."""

import click

from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import InvalidInput
from ctdesk.finding import Finding
from ctdesk.workbook import Workbook

_EVIDENCE_HELP = "Id (or first characters) of a note or document that evidences it; repeatable."
_KINDS_HELP = (
    "strength, area-for-improvement, cause-of-concern, recommendation or notable-practice "
    "(slug or name, any case)."
)


@click.group("finding")
def finding_group() -> None:
    """Record findings (strengths, areas for improvement, causes of concern, recommendations,
    notable practice) and link them to the notes and documents that evidence them."""


def _area_code(wb: Workbook, area_id: str | None) -> str:
    return wb.scope.area_by_id(area_id).code if area_id else "-"


def _emit_finding(wb: Workbook, finding: Finding) -> None:
    emit(finding.to_json(wb.findings.warnings(finding)))


def _report(wb: Workbook, finding: Finding, as_json: bool, changed: bool) -> None:
    """What a write command prints: the finding as JSON, or its id (and any warnings) on stderr."""
    if as_json:
        _emit_finding(wb, finding)
        return
    if changed:
        click.echo(finding.id)
    else:
        click.echo("Nothing changed.", err=True)
    for warning in wb.findings.warnings(finding):
        click.echo(f"⚠ {warning}", err=True)


@finding_group.command("add")
@click.option("--force", "force", help="Force id or name.")
@click.option("--national", is_flag=True, help="A national or cross-force finding (no force).")
@click.option("--area", help="Area it is about (id or code); leave out if it spans areas.")
@click.option("--kind", required=True, help=f"Kind of finding: {_KINDS_HELP}")
@click.option("--text", required=True, help="What was found.")
@click.option("--evidence", "evidence", multiple=True, metavar="ID", help=_EVIDENCE_HELP)
@click.option(
    "--recommendation",
    "recommendations",
    multiple=True,
    metavar="ID",
    help="Id of a recommendation finding that answers it (for a cause of concern); repeatable.",
)
@click.option("--grade", help="Grade, only for graded inspections (CT4 is ungraded).")
@click.option("--marking", help="Protective marking (default from settings).")
@json_option
@pass_context
def finding_add(
    ctx: Context,
    force: str | None,
    national: bool,
    area: str | None,
    kind: str,
    text: str,
    evidence: tuple[str, ...],
    recommendations: tuple[str, ...],
    grade: str | None,
    marking: str | None,
    as_json: bool,
) -> None:
    """Record a finding for a force (or nationally); prints its id."""
    if force and national:
        raise InvalidInput("Give --force or --national, not both.")
    if not force and not national:
        raise InvalidInput("Give --force F, or --national for a national or cross-force finding.")
    wb = ctx.open()
    result = wb.findings.add(
        force=force,
        area=area,
        kind=kind,
        text=text,
        evidence=evidence,
        recommendations=recommendations,
        grade=grade,
        marking=marking,
    )
    _report(wb, result.value, as_json, changed=True)


@finding_group.command("list")
@click.option("--force", "force", help="Only this force's findings.")
@click.option("--national", is_flag=True, help="Only national and cross-force findings.")
@click.option("--area", help="Only findings about this area (id or code).")
@click.option("--kind", help="Only findings of this kind.")
@json_option
@pass_context
def finding_list(
    ctx: Context,
    force: str | None,
    national: bool,
    area: str | None,
    kind: str | None,
    as_json: bool,
) -> None:
    """List findings by area and kind, each with the ids of its evidence and any warnings."""
    if force and national:
        raise InvalidInput("Give --force or --national, not both.")
    wb = ctx.open()
    findings = wb.findings.matching(force=force, area=area, kind=kind, national=national)
    if as_json:
        emit([f.to_json(wb.findings.warnings(f)) for f in findings])
        return
    for f in findings:
        where = f.force_id or "national"
        count = f"{len(f.evidence)} evidence"
        click.echo(
            f"{f.id[:8]}  {where:<16} {_area_code(wb, f.area_id):<3} {f.kind_name:<21} "
            f"{count:<11} {f.first_line}"
        )
        if f.evidence:
            click.echo(f"          evidence: {', '.join(e[:8] for e in f.evidence)}")
        for warning in wb.findings.warnings(f):
            click.echo(f"          ⚠ {warning}")


def _print_finding(wb: Workbook, f: Finding) -> None:
    scope = wb.scope
    area = scope.area_by_id(f.area_id).label if f.area_id else "not tied to an area"
    click.echo(f"{f.marking}\n{f.kind_name}\n")
    click.echo(f"id:       {f.id}")
    click.echo(f"force:    {scope.force(f.force_id).name if f.force_id else 'national'}")
    click.echo(f"area:     {area}")
    if f.grade_name:
        click.echo(f"grade:    {f.grade_name}")
    click.echo(f"author:   {f.author}")
    click.echo(f"created:  {f.created_at}")
    click.echo(f"updated:  {f.updated_at}")
    if f.deleted:
        click.echo(f"in trash: since {f.deleted_at}")
    click.echo(f"\n{f.text}\n")
    click.echo("Evidence:" if f.evidence else "Evidence: none")
    for evidence_id, ref in zip(f.evidence, wb.findings.cited(f), strict=True):
        if ref is None:
            click.echo(f"  {evidence_id[:8]}  (no longer exists)")
            continue
        title = getattr(ref.record, "title", "")
        trash = "  (in the trash)" if ref.record.deleted else ""
        click.echo(f"  {evidence_id[:8]}  {ref.noun:<8}  {title}{trash}")
    if f.recommendations:
        click.echo("Recommendations:")
        for rec_id in f.recommendations:
            line = wb.findings.get(rec_id).first_line if wb.findings.exists(rec_id) else ""
            click.echo(f"  {rec_id[:8]}  {line}")
    for warning in wb.findings.warnings(f):
        click.echo(f"⚠ {warning}")


@finding_group.command("show")
@click.argument("finding_id")
@json_option
@pass_context
def finding_show(ctx: Context, finding_id: str, as_json: bool) -> None:
    """Show one finding (id or the first characters of it) with its evidence and warnings."""
    wb = ctx.open()
    finding = wb.findings.get(finding_id)
    if as_json:
        _emit_finding(wb, finding)
    else:
        _print_finding(wb, finding)


@finding_group.command("set")
@click.argument("finding_id")
@click.option("--kind", help=f"New kind: {_KINDS_HELP}")
@click.option("--text", help="New text.")
@click.option("--area", help="Area it is about (id or code).")
@click.option("--no-area", is_flag=True, help="Untie it from its area.")
@click.option("--grade", help="New grade (graded inspections only).")
@click.option("--no-grade", is_flag=True, help="Remove the grade.")
@click.option("--evidence", "evidence", multiple=True, metavar="ID", help="Replace the evidence.")
@click.option("--no-evidence", is_flag=True, help="Unlink all evidence.")
@click.option(
    "--recommendation",
    "recommendations",
    multiple=True,
    metavar="ID",
    help="Replace the linked recommendations.",
)
@click.option("--no-recommendations", is_flag=True, help="Unlink all recommendations.")
@click.option("--marking", help="New protective marking.")
@json_option
@pass_context
def finding_set(
    ctx: Context,
    finding_id: str,
    kind: str | None,
    text: str | None,
    area: str | None,
    no_area: bool,
    grade: str | None,
    no_grade: bool,
    evidence: tuple[str, ...],
    no_evidence: bool,
    recommendations: tuple[str, ...],
    no_recommendations: bool,
    marking: str | None,
    as_json: bool,
) -> None:
    """Change a finding; what you do not give stays as it was. Every change is kept in history."""
    for given, cleared, name in (
        (area, no_area, "area"),
        (grade, no_grade, "grade"),
        (evidence, no_evidence, "evidence"),
        (recommendations, no_recommendations, "recommendations"),
    ):
        if given and cleared:
            raise InvalidInput(f"Give --{name.rstrip('s')} or --no-{name}, not both.")
    wb = ctx.open()
    result = wb.findings.set(
        finding_id,
        kind=kind,
        text=text,
        area="" if no_area else area,
        grade="" if no_grade else grade,
        evidence=() if no_evidence else (evidence or None),
        recommendations=() if no_recommendations else (recommendations or None),
        marking=marking,
    )
    _report(wb, result.value, as_json, changed=bool(result.changes))


_EVIDENCE_REQUIRED = click.option(
    "--evidence", "evidence", multiple=True, required=True, metavar="ID", help=_EVIDENCE_HELP
)


@finding_group.command("link")
@click.argument("finding_id")
@_EVIDENCE_REQUIRED
@json_option
@pass_context
def finding_link(ctx: Context, finding_id: str, evidence: tuple[str, ...], as_json: bool) -> None:
    """Add notes or documents to the evidence a finding cites."""
    wb = ctx.open()
    result = wb.findings.link(finding_id, evidence)
    _report(wb, result.value, as_json, changed=bool(result.changes))


@finding_group.command("unlink")
@click.argument("finding_id")
@_EVIDENCE_REQUIRED
@json_option
@pass_context
def finding_unlink(ctx: Context, finding_id: str, evidence: tuple[str, ...], as_json: bool) -> None:
    """Stop a finding citing some of its evidence."""
    wb = ctx.open()
    result = wb.findings.unlink(finding_id, evidence)
    _report(wb, result.value, as_json, changed=bool(result.changes))


@finding_group.command("delete")
@click.argument("finding_id")
@json_option
@pass_context
def finding_delete(ctx: Context, finding_id: str, as_json: bool) -> None:
    """Move a finding to the trash (restore brings it back)."""
    wb = ctx.open()
    finding = wb.findings.delete(finding_id).value
    if as_json:
        _emit_finding(wb, finding)
    else:
        short = finding.id[:8]
        click.echo(
            f"Finding {short} is in the trash; 'ctdesk finding restore {short}' brings it back.",
            err=True,
        )


@finding_group.command("restore")
@click.argument("finding_id")
@json_option
@pass_context
def finding_restore(ctx: Context, finding_id: str, as_json: bool) -> None:
    """Bring a finding back from the trash."""
    wb = ctx.open()
    finding = wb.findings.restore(finding_id).value
    if as_json:
        _emit_finding(wb, finding)
    else:
        click.echo(f"Finding {finding.id[:8]} is back.", err=True)


@finding_group.command("history")
@click.argument("finding_id")
@json_option
@pass_context
def finding_history(ctx: Context, finding_id: str, as_json: bool) -> None:
    """Every change to a finding, oldest first."""
    revisions = ctx.open().findings.history(finding_id)
    if as_json:
        emit([r.to_json() for r in revisions])
        return
    for r in revisions:
        first = next((ln for ln in str(r.content.get("text", "")).splitlines() if ln.strip()), "")
        click.echo(
            f"{r.hash[:12]}  {r.created_at[:19].replace('T', ' ')}  {r.op:<8} {r.author:<16} "
            f"{first[:60]}"
        )


@finding_group.command("revert")
@click.argument("finding_id")
@click.argument("revision")
@json_option
@pass_context
def finding_revert(ctx: Context, finding_id: str, revision: str, as_json: bool) -> None:
    """Make an earlier revision (first characters of its hash, see history) current again."""
    wb = ctx.open()
    result = wb.findings.revert(finding_id, revision)
    _report(wb, result.value, as_json, changed=bool(result.changes))
