"""Coverage: evidence per force and area and fieldwork progress, counted from a known workbook."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctdesk.cli.coverage import coverage_cmd
from ctdesk.cli.support import Context
from ctdesk.coverage import AreaCounts, Coverage, coverage
from ctdesk.workbook import Workbook

A1, A2, A3 = "ct4.a1", "ct4.a2", "ct4.a3"


@pytest.fixture
def known(workbook: Workbook) -> Workbook:
    """Kent and Cumbria with evidence (some of it in the trash), a national finding, plan changes.

    Every other force, Dorset among them, has nothing but its generated plan of six.
    """
    wb = workbook
    wb.notes.add(force="kent", title="Chief officer", areas=["A1", "A3"])
    wb.notes.add(force="kent", title="Focus group", areas=["A1"])
    wb.notes.add(force="kent", title="No area yet")
    gone = wb.notes.add(force="kent", title="Deleted", areas=["A2"]).value
    wb.notes.delete(gone.id)
    wb.notes.add(force="cumbria", title="Partners", areas=["A3"])

    plan = wb.documents.add(force="kent", title="Plan", category="policy-strategy", areas=["A1"])
    wb.documents.set(plan.value.id, status="reviewed")
    wb.documents.add(force="kent", title="Referrals", category="referral-report", areas=["A3"])
    wb.documents.add(force="kent", title="Briefing", category="briefing-material")
    dropped = wb.documents.add(force="kent", title="Dup", category="other", areas=["A1"]).value
    wb.documents.delete(dropped.id)
    minutes = wb.documents.add(force="cumbria", title="Minutes", category="other", areas=["A2"])
    wb.documents.set(minutes.value.id, status="reviewed")

    wb.findings.add(force="kent", area="A1", kind="strength", text="Training is mandatory.")
    wb.findings.add(force="kent", area="A3", kind="cause-of-concern", text="Data not shared.")
    wb.findings.add(force="kent", area=None, kind="strength", text="A force-wide strength.")
    withdrawn = wb.findings.add(force="kent", area="A2", kind="strength", text="Withdrawn.")
    wb.findings.delete(withdrawn.value.id)
    wb.findings.add(force=None, area="A2", kind="recommendation", text="All forces should…")

    kent_plan = wb.activities.plan("kent")
    wb.activities.set(kent_plan[0].id, status="done")
    wb.activities.set(kent_plan[1].id, status="done")
    wb.activities.set(kent_plan[2].id, status="cancelled")
    wb.activities.add(force="cumbria", kind="reality-testing", title="Visit to the MASH")
    wb.activities.delete(wb.activities.plan("surrey")[0].id)
    return wb


def test_counts_match_the_hand_built_workbook(known: Workbook) -> None:
    cov = coverage(known)
    kent = cov.force("kent")
    assert kent.areas == {
        A1: AreaCounts(notes=2, documents=1, findings=1),
        A2: AreaCounts(),  # its note and finding are in the trash
        A3: AreaCounts(notes=1, documents=1, findings=1),
    }
    assert (kent.documents, kent.documents_reviewed) == (3, 1)
    assert (kent.activities_done, kent.activities_planned) == (2, 5)
    assert (kent.region_id, kent.group_id, kent.name) == ("south-east", "south-east", "Kent Police")

    cumbria = cov.force("cumbria")
    assert cumbria.areas == {
        A1: AreaCounts(),
        A2: AreaCounts(documents=1),
        A3: AreaCounts(notes=1),
    }
    assert (cumbria.documents, cumbria.documents_reviewed) == (1, 1)
    assert (cumbria.activities_done, cumbria.activities_planned) == (0, 7)
    assert cov.force("surrey").activities_planned == 5

    dorset = cov.force("dorset")  # nothing recorded: still there, with zeros
    assert all(counts == AreaCounts() and counts.total == 0 for counts in dorset.areas.values())
    assert (dorset.documents, dorset.documents_reviewed, dorset.activities_planned) == (0, 0, 6)

    t = cov.totals
    assert t.areas == {
        A1: AreaCounts(2, 1, 1),
        A2: AreaCounts(0, 1, 0),  # the national finding is not in any force's row
        A3: AreaCounts(2, 1, 1),
    }
    assert t.evidence == AreaCounts(4, 3, 2) and t.evidence.total == 9
    assert (t.activities_done, t.activities_planned) == (2, 46 * 6 - 1 + 1 - 1)
    assert (t.documents, t.documents_reviewed) == (4, 2)
    assert t.activities_percent == 1
    assert dict(cov.national_findings) == {A2: 1}
    assert cov.documents_target == 300 and not cov.documents_target_met


def test_every_force_in_scope_grouped_as_the_navigator_groups_them(known: Workbook) -> None:
    cov = coverage(known)
    scope = known.scope
    assert len(cov.forces) == len(scope.forces_in(scope.current)) == 46
    assert "scotland" not in {f.force_id for f in cov.forces}  # not in CT4's scope
    assert [g.id for g in cov.groups] == [r.id for r in scope.regions] + ["special"]
    assert [g.name for g in cov.groups][:2] == ["North East", "North West"]
    south_east = next(g for g in cov.groups if g.id == "south-east")
    assert [f.force_id for f in south_east.forces] == [
        f.id for f in scope.forces_of_region("south-east")
    ]
    assert south_east.totals.areas[A1] == AreaCounts(2, 1, 1)
    assert south_east.totals.activities_planned == 5 * 6 - 1 - 1  # Kent cancelled, Surrey deleted
    special = cov.groups[-1]
    assert special.name == "Special forces"
    assert {f.region_id for f in special.forces} == {None}


def test_area_counts_in_words() -> None:
    assert AreaCounts(12, 3, 1).describe() == "12 notes, 3 documents, 1 finding"
    assert AreaCounts(1, 0, 2).describe() == "1 note, 0 documents, 2 findings"
    assert AreaCounts().describe() == "nothing"
    assert AreaCounts(1, 2, 3) + AreaCounts(1, 1, 1) == AreaCounts(2, 3, 4)


def test_json_shape(known: Workbook) -> None:
    data = coverage(known).as_json()
    assert data["inspection"] == "ct4" and data["documents_target"] == 300
    assert data["areas"][2] == {
        "id": A3,
        "code": "A3",
        "title": "Information sharing and communication",
    }
    kent = next(f for f in data["forces"] if f["id"] == "kent")
    assert kent == {
        "id": "kent",
        "name": "Kent Police",
        "region": "south-east",
        "group": "south-east",
        "areas": {
            A1: {"notes": 2, "documents": 1, "findings": 1},
            A2: {"notes": 0, "documents": 0, "findings": 0},
            A3: {"notes": 1, "documents": 1, "findings": 1},
        },
        "activities_done": 2,
        "activities_planned": 5,
        "documents": 3,
        "documents_reviewed": 1,
        "findings_without_area": 1,
    }
    assert data["totals"]["documents"] == 4 and data["totals"]["areas"][A2]["documents"] == 1
    assert data["national_findings"] == {A2: 1}
    json.dumps(data)  # plain JSON all through


def run_coverage(path: Path, *args: str) -> str:
    # Through click, as ``ctdesk --workbook PATH coverage`` runs it.
    context = Context(str(path))
    try:
        result = CliRunner().invoke(coverage_cmd, list(args), obj=context, catch_exceptions=False)
    finally:
        context.close()
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_json(known: Workbook, workbook_path: Path) -> None:
    data = json.loads(run_coverage(workbook_path, "--json"))
    assert data == json.loads(json.dumps(coverage(known).as_json()))
    assert [f["id"] for f in data["forces"]][:2] == ["cleveland", "durham"]


def test_cli_plain_text(known: Workbook, workbook_path: Path) -> None:
    lines = run_coverage(workbook_path).splitlines()
    header = next(line for line in lines if line.startswith("Force"))
    assert header.split() == ["Force", "A1", "A2", "A3", "Activities", "Documents"]

    def cells(start: str) -> str:
        line = next(line for line in lines if line.startswith(start))
        return " ".join(line.removeprefix(start).split())

    assert cells("South East") == "2n 1d 1f none 1n 1d 1f 2/28 3/1"
    assert cells("  Kent ") == "2n 1d 1f none 1n 1d 1f 2/5 3/1"
    assert cells("  Dorset ") == "none none none 0/6 0/0"
    assert cells("Total") == "2n 1d 1f 0n 1d 0f 2n 1d 1f 2/275 4/2"
    assert "Fieldwork: 2 of 275 activities done (1%)." in lines
    assert "Documents: 4 registered, 2 reviewed (target: over 300 reviewed, not yet met)." in lines
    assert "National findings (in no force's row): 1 (A2 1)." in lines


def test_an_empty_workbook_has_every_force_at_zero(workbook: Workbook) -> None:
    cov: Coverage = coverage(workbook)
    assert cov.totals.evidence.total == 0
    assert cov.totals.activities_planned == 46 * 6 and cov.totals.activities_done == 0
    assert cov.national_findings == {}


def test_findings_tied_to_no_area_are_counted_beside_the_matrix(workbook: Workbook) -> None:
    workbook.findings.add(force="kent", area=None, kind="strength", text="Across the board.")
    workbook.findings.add(force="kent", area="A1", kind="strength", text="On capability.")
    kent = coverage(workbook).force("kent")
    assert kent.findings_without_area == 1
    assert kent.evidence.findings == 1
    assert kent.to_json()["findings_without_area"] == 1
