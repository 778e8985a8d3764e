"""Reading the shipped scope definitions (``resources/scope/*.toml``) into store rows."""

import hashlib
import json
import tomllib
from importlib import resources
from typing import Any

Row = dict[str, Any]
SCOPE_FILES = ("programme.toml", "forces.toml")


def _read() -> tuple[dict[str, Any], str]:
    folder = resources.files("ctdesk.resources").joinpath("scope")
    digest = hashlib.sha256()
    data: dict[str, Any] = {}
    for name in SCOPE_FILES:
        raw = folder.joinpath(name).read_bytes()
        digest.update(raw)
        data[name] = tomllib.loads(raw.decode("utf-8"))
    return data, digest.hexdigest()[:16]


def scope_version() -> str:
    """A short hash of the shipped scope files; stored in a workbook to know when to refresh."""
    return _read()[1]


def scope_rows() -> tuple[dict[str, list[Row]], dict[str, str]]:
    """Rows for each scope table, and the meta values (programme facts, scope version)."""
    data, version = _read()
    programme, forces = data["programme.toml"], data["forces.toml"]
    tables: dict[str, list[Row]] = {
        "inspections": [],
        "areas": [],
        "lines_of_enquiry": [],
        "methodology": [],
        "regions": [],
        "forces": [],
        "force_inspections": [],
    }
    for i, insp in enumerate(programme["inspection"]):
        tables["inspections"].append(
            {
                "id": insp["id"],
                "code": insp["code"],
                "title": insp["title"],
                "subject": insp["subject"],
                "year": insp["year"],
                "status": insp["status"],
                "status_note": insp.get("status_note", ""),
                "graded": int(insp.get("graded", False)),
                "is_current": int(insp.get("current", False)),
                "fieldwork": insp.get("fieldwork"),
                "published": insp.get("published"),
                "report_title": insp.get("report_title"),
                "recommendations": insp.get("recommendations"),
                "description": insp.get("description", ""),
                "sort": i,
            }
        )
        for j, area in enumerate(insp.get("area", [])):
            tables["areas"].append(
                {
                    "id": area["id"],
                    "inspection_id": insp["id"],
                    "code": area["code"],
                    "title": area["title"],
                    "question": area.get("question", ""),
                    "description": area.get("description", ""),
                    "sort": j,
                }
            )
            for k, text in enumerate(area.get("lines_of_enquiry", [])):
                tables["lines_of_enquiry"].append(
                    {"id": f"{area['id']}.l{k + 1}", "area_id": area["id"], "text": text, "sort": k}
                )
        method = insp.get("methodology")
        if method:
            sort = 0
            for kind, key in (
                ("partner", "partners"),
                ("interview", "interview_roles"),
                ("focus-group", "focus_groups"),
                ("document-category", "document_categories"),
            ):
                for item in method.get(key, []):
                    tables["methodology"].append(
                        {
                            "id": f"{insp['id']}.{kind}.{item['id']}",
                            "inspection_id": insp["id"],
                            "kind": kind,
                            "slug": item["id"],
                            "title": item.get("title") or item["name"],
                            "short": item.get("short", ""),
                            "sort": sort,
                        }
                    )
                    sort += 1
    for region in forces["region"]:
        tables["regions"].append(
            {"id": region["id"], "name": region["name"], "sort": region["sort"]}
        )
    for i, force in enumerate(forces["force"]):
        tables["forces"].append(
            {
                "id": force["id"],
                "name": force["name"],
                "short_name": force["short_name"],
                "nation": force["nation"],
                "kind": force["kind"],
                "region_id": force.get("region"),
                "region_confidence": force.get("region_confidence"),
                "aliases": json.dumps(force.get("aliases", [])),
                "former_names": json.dumps(force.get("former_names", [])),
                "note": force.get("note", ""),
                "sort": i,
            }
        )
        for insp_id in force.get("inspections", []):
            tables["force_inspections"].append({"force_id": force["id"], "inspection_id": insp_id})
    meta = {
        "scope_version": version,
        "programme_title": programme["programme"]["title"],
        "programme_description": programme["programme"]["description"],
        "programme_commissioned": str(programme["programme"]["commissioned"]),
    }
    for insp in programme["inspection"]:
        method = insp.get("methodology")
        if method:
            meta[f"{insp['id']}.methodology_summary"] = method.get("summary", "")
            meta[f"{insp['id']}.documents_target"] = str(method.get("documents_target", 0))
    return tables, meta
