"""Descriptions of scope items: the programme, an inspection, an area, the methodology."""

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from ctdesk.scope import Scope

_STATUS = {"not-published": "Not published", "published-redacted": "Published (redacted)"}


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def scope_html(scope: Scope, kind: str, key: str) -> str:
    """HTML describing one scope item; all text escaped."""
    if kind == "programme":
        p = scope.programme
        rows = "".join(
            f"<li><b>{escape(i.code)}</b> ({escape(i.year)}) {escape(i.subject)}"
            f" <i>{escape(_STATUS.get(i.status, i.status))}.</i></li>"
            for i in scope.inspections
        )
        return (
            f"<h1>{escape(p.title)}</h1><p>Commissioned {escape(p.commissioned)}.</p>"
            f"<p>{escape(p.description)}</p><h2>Inspections</h2><ul>{rows}</ul>"
        )
    if kind == "inspection":
        i = scope.inspection(key)
        facts = [
            ("Year", i.year),
            ("Status", f"{_STATUS.get(i.status, i.status)}. {i.status_note}"),
            ("Fieldwork", i.fieldwork or ""),
            ("Report", i.report_title or ""),
            (
                "Recommendations",
                f"{i.recommendations} (wording to be filled in)" if i.recommendations else "",
            ),
            ("Graded", "Yes" if i.graded else "No (thematic, ungraded)"),
        ]
        table = "".join(
            f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts if v
        )
        areas = "".join(f"<li><b>{escape(a.label)}</b>: {escape(a.question)}</li>" for a in i.areas)
        return (
            f"<h1>{escape(i.code)}: {escape(i.title)}</h1><p>{escape(i.subject)}</p>"
            f"<p>{escape(i.description)}</p><table cellpadding='3'>{table}</table>"
            + (f"<h2>Principal areas</h2><ul>{areas}</ul>" if areas else "")
        )
    if kind in ("area", "loe"):
        area = scope.area_by_id(key if kind == "area" else key.rsplit(".", 1)[0])
        return (
            f"<h1>{escape(area.label)}</h1><p><i>{escape(area.question)}</i></p>"
            f"<p>{escape(area.description)}</p><h2>Lines of enquiry</h2>"
            + _list([loe.text for loe in area.lines_of_enquiry])
        )
    if kind == "methodology":
        i = scope.inspection(key)
        parts = [f"<h1>{escape(i.code)} methodology</h1><p>{escape(i.methodology_summary)}</p>"]
        for mkind, title in (
            ("interview", "Interviews in each force"),
            ("focus-group", "Focus groups"),
            ("document-category", f"Documents reviewed (target: over {i.documents_target})"),
            ("partner", "Worked with"),
        ):
            parts.append(f"<h2>{escape(title)}</h2>")
            parts.append(_list([m.title for m in i.method(mkind)]))
        return "".join(parts)
    return ""


class ScopePage(QTextBrowser):
    """Read-only description of the scope item picked in the navigator."""

    def __init__(self, scope: Scope, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scope = scope
        self.setAccessibleName("Scope description")
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.show_item("programme", "programme")

    def show_item(self, kind: str, key: str) -> None:
        self.setHtml(scope_html(self._scope, kind, key))
