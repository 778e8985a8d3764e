"""Force summary as Markdown: marked at top and bottom, notes grouped by area."""

from ctdesk.export.force_summary import ForceSummary
from ctdesk.markdown_text import demote_headings, escape


def _cell(text: str) -> str:
    return escape(text).replace("\n", " ")


def render(summary: ForceSummary) -> str:
    """The summary as a Markdown document (UTF-8 text, trailing newline)."""
    s = summary
    force, insp = s.force, s.inspection
    codes = {a.id: a.code for a in insp.areas}
    region = f"{force.region_name} CT region" if force.region_name else "no CT region"
    out: list[str] = [
        f"**{s.marking}**",
        "",
        f"# {escape(force.name)}: {escape(insp.code)} force summary",
        "",
        "| | |",
        "|---|---|",
        f"| Inspection | {_cell(f'{insp.code} {insp.title} ({insp.year})')} |",
        f"| Force | {_cell(f'{force.name} ({force.nation}, {region})')} |",
        f"| Notes | {len(s.notes)} |",
        f"| Highest marking | {s.marking} |",
        f"| Exported | {_cell(f'{s.exported_at} by {s.author} with ctdesk {s.version}')} |",
        "",
    ]
    for section in s.sections:
        if section.area is None:
            out += ["## Notes not tied to an area", ""]
        else:
            out += [f"## {escape(section.area.label)}", ""]
            if section.area.question:
                out += [f"*{escape(section.area.question)}*", ""]
        if not section.notes:
            out += ["No notes yet.", ""]
        for note in section.notes:
            others = [
                codes.get(a, a) for a in note.areas if section.area is None or a != section.area.id
            ]
            also = f" · also evidences {', '.join(others)}" if others else ""
            out += [
                f"### {escape(note.title)}",
                "",
                f"*{note.marking} · {escape(note.author)} · {note.created_at[:10]}{also}*",
                "",
            ]
            body = demote_headings(note.body.strip(), 3)
            if body:
                out += [body, ""]
    out += [f"**{s.marking}**", ""]
    return "\n".join(out)
