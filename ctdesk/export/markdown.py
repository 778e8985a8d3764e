"""Markdown export: the marking in bold at the top and the bottom, all user text escaped."""

from ctdesk.export.document import (
    BulletList,
    Contents,
    ExportDocument,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from ctdesk.export.progress import NO_PROGRESS, Progress
from ctdesk.markdown_text import escape


def _cell(text: str) -> str:
    return escape(text).replace("\n", " ")


def _run(run: Run) -> str:
    if run.code:
        fence = "``" if "`" in run.text else "`"
        return f"{fence}{run.text}{fence}"
    text = escape(run.text)
    if run.redacted:
        return f"**{text}**"
    if not text.strip():
        return text
    # Emphasis markers must touch the words, so keep surrounding spaces outside them.
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    core = text.strip()
    if run.bold:
        core = f"**{core}**"
    if run.italic:
        core = f"*{core}*"
    return f"{lead}{core}{trail}"


def _runs(runs: tuple[Run, ...]) -> str:
    return "".join(_run(r) for r in runs).replace("\n", "  \n")


def render(doc: ExportDocument, progress: Progress = NO_PROGRESS) -> bytes:
    """The document as Markdown (UTF-8, trailing newline)."""
    out: list[str] = [f"**{escape(doc.marking)}**", ""]
    total = len(doc.blocks)
    for i, block in enumerate(doc.blocks):
        if i % 500 == 0:
            progress.update(i, total)
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {escape(block.text)}", ""]
            if block.level == 1:
                out += ["| | |", "|---|---|"]
                out += [f"| {_cell(k)} | {_cell(v)} |" for k, v in doc.about]
                out.append("")
        elif isinstance(block, Paragraph):
            text = _runs(block.runs)
            if block.style == "meta":
                text = f"*{text}*" if "*" not in text else text
            elif block.style == "quote":
                text = "> " + text.replace("\n", "\n> ")
            out += [text, ""]
        elif isinstance(block, BulletList):
            for n, item in enumerate(block.items, 1):
                out.append(f"{n}. {_runs(item)}" if block.ordered else f"- {_runs(item)}")
            out.append("")
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_cell(c) for c in block.columns) + " |")
            out.append("|" + "---|" * len(block.columns))
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Contents):
            out += ["**Contents**", ""]
            out += [f"{'  ' * (lvl - 2)}- {escape(text)}" for lvl, text, _ in block.entries]
            out.append("")
        elif isinstance(block, PageBreak):
            continue
    out += [f"**{escape(doc.marking)}**", ""]
    return "\n".join(out).encode("utf-8")
