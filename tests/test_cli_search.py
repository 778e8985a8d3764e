"""``ctdesk search`` through the real entry point."""

import json
from pathlib import Path

import pytest

from tests.test_cli import fails, ok


@pytest.fixture
def wb(tmp_path: Path) -> str:
    path = tmp_path / "search.ctdesk"
    ok("--workbook", str(path), "init")
    return str(path)


def add_note(path: str, force: str, title: str, body: str, *extra: str) -> str:
    out = ok(
        "--workbook",
        path,
        "note",
        "add",
        "--force",
        force,
        "--title",
        title,
        "--body",
        body,
        *extra,
        "--json",
    )
    return str(json.loads(out)["id"])


def test_search_json_has_total_and_results(wb: str) -> None:
    kent = add_note(wb, "kent", "Referral forms", "Schools send referrals by email.")
    add_note(wb, "surrey", "Training", "Prevent training is mandatory.")
    out = json.loads(ok("--workbook", wb, "search", "referral", "--json"))
    assert out["total"] == 1
    (hit,) = out["results"]
    assert {"id", "kind", "force", "title", "snippet"} <= set(hit)
    assert (hit["id"], hit["kind"], hit["force"], hit["title"]) == (
        kent,
        "note",
        "kent",
        "Referral forms",
    )
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower().startswith("referral")


def test_search_filters_and_limit(wb: str) -> None:
    for n in range(3):
        add_note(wb, "kent", f"Hub {n}", "hub visit", "--area", "A1")
    add_note(wb, "surrey", "Hub", "hub visit", "--marking", "OFFICIAL")
    out = json.loads(ok("--workbook", wb, "search", "hub", "--limit", "2", "--json"))
    assert out["total"] == 4 and len(out["results"]) == 2
    out = json.loads(ok("--workbook", wb, "search", "hub", "--force", "Surrey", "--json"))
    assert [r["force"] for r in out["results"]] == ["surrey"]
    args = ("--area", "A1", "--marking", "official", "--kind", "note", "--json")
    assert json.loads(ok("--workbook", wb, "search", "hub", *args))["total"] == 0
    args = ("--region", "south east", "--since", "2000-01-01", "--until", "today", "--json")
    assert json.loads(ok("--workbook", wb, "search", "hub", *args))["total"] == 4


def test_search_prints_readable_lines(wb: str) -> None:
    add_note(wb, "kent", "Referral forms", "Schools send referrals by email.")
    out = ok("--workbook", wb, "search", "referrals")
    assert "Referral forms" in out and "Schools send referrals by email." in out


def test_hostile_query_is_not_an_error(wb: str) -> None:
    out = json.loads(ok("--workbook", wb, "search", "NEAR( \" AND * '; DROP TABLE notes", "--json"))
    assert out == {"total": 0, "ranked": 0, "results": []}


def test_bad_filters_fail_with_one_sentence(wb: str) -> None:
    fails("--workbook", wb, "search", "hub", "--force", "atlantis", words="atlantis")
    fails("--workbook", wb, "search", "hub", "--since", "yesterday-ish", words="YYYY-MM-DD")
    fails("--workbook", wb, "search", "hub", "--kind", "memo", words="kind of record")
    fails("--workbook", wb, "search", "hub", "--limit", "0", words="--limit")
