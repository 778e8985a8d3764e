"""``ctdesk search``: find notes, evidence and findings by their words."""

import click

from ctdesk import search as search_mod
from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import InvalidInput


def _highlighted(hit: search_mod.Hit) -> str:
    """The snippet with matches in bold (plain text when not writing to a terminal)."""
    parts, at = [], 0
    for start, end in hit.spans:
        parts.append(hit.snippet[at:start])
        parts.append(click.style(hit.snippet[start:end], bold=True))
        at = end
    parts.append(hit.snippet[at:])
    return "".join(parts)


@click.command("search")
@click.argument("query")
@click.option("--force", help="Only this force (id or name; 'national' for no force).")
@click.option("--region", help="Only forces of this CT region (id or name).")
@click.option("--area", help="Only records tagged with this area (id or code).")
@click.option("--kind", help="Only notes, documents (evidence) or findings.")
@click.option("--marking", help="Only this marking (OFFICIAL, OFFICIAL-SENSITIVE, or a full one).")
@click.option("--author", help="Only records by this author (part of the name will do).")
@click.option("--since", metavar="DATE", help="Only records changed on or after DATE.")
@click.option("--until", metavar="DATE", help="Only records changed on or before DATE.")
@click.option("--limit", default=search_mod.DEFAULT_LIMIT, show_default=True, help="At most N.")
@json_option
@pass_context
def search_cmd(
    ctx: Context,
    query: str,
    force: str | None,
    region: str | None,
    area: str | None,
    kind: str | None,
    marking: str | None,
    author: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search notes, evidence and findings. QUERY: words (all must match), "a phrase",
    prefix*, -excluded, and OR between two words."""
    if limit < 1:
        raise InvalidInput("--limit must be at least 1.")
    wb = ctx.open()
    filters = search_mod.filters_for(
        wb.scope,
        force=force,
        region=region,
        area=area,
        kind=kind,
        marking=marking,
        author=author,
        since=since,
        until=until,
    )
    results = wb.search(query, filters, limit)
    if as_json:
        emit(results.as_json())
        return
    for hit in results.hits:
        where = hit.force_id or "national"
        click.echo(f"{hit.kind:<8} {hit.record_id[:8]}  {where}  {hit.title}  [{hit.marking}]")
        click.echo(f"    {_highlighted(hit)}")
    shown = len(results.hits)
    more = f" (showing the best {shown})" if shown < results.total else ""
    if results.windowed:
        more = f" (showing the best {shown} of the {results.ranked:,} most recently written)"
    click.echo(f"{results.total} match{'es' if results.total != 1 else ''}{more}.", err=True)
