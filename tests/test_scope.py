"""The shipped scope, as loaded into a new workbook."""

from collections import Counter

import pytest

from ctdesk.errors import NotFound
from ctdesk.workbook import Workbook

REGION_COUNTS = {
    "north-east": 7,
    "north-west": 5,
    "west-midlands": 4,
    "east-midlands": 5,
    "eastern": 6,
    "south-east": 5,
    "south-west": 5,
    "wales": 4,
    "london": 2,
}


def test_forces_43_territorial_3_special_and_police_scotland(workbook: Workbook) -> None:
    kinds = Counter(f.kind for f in workbook.scope.forces)
    assert kinds == {"territorial": 43, "special": 3, "scotland": 1}
    assert len({f.id for f in workbook.scope.forces}) == 47


def test_regions_per_reference(workbook: Workbook) -> None:
    counts = Counter(f.region_id for f in workbook.scope.forces if f.kind == "territorial")
    assert counts == REGION_COUNTS
    scope = workbook.scope
    assert scope.force("kent").region_id == "south-east"
    assert scope.force("dyfed-powys").region_name == "Wales (WECTU)"
    assert scope.force("metropolitan").region_id == "london"
    assert scope.force("west yorkshire police").region_id == "north-east"
    assert scope.force("staffordshire").region_confidence == "inferred"
    assert scope.force("northumbria").region_confidence == "likely"
    assert scope.force("kent").region_confidence == "confirmed"
    for special in ("british-transport", "civil-nuclear", "ministry-of-defence", "scotland"):
        assert scope.force(special).region_id is None


def test_special_forces_in_ct4_and_scotland_only_in_ct2_ct3(workbook: Workbook) -> None:
    ct4 = workbook.scope.inspection("ct4")
    in_ct4 = workbook.scope.forces_in(ct4)
    assert len(in_ct4) == 46
    assert workbook.scope.force("Police Scotland").inspections == ("ct2", "ct3")
    assert "ct4" in workbook.scope.force("British Transport Police").inspections


def test_force_lookup_by_name_alias_and_former_name(workbook: Workbook) -> None:
    scope = workbook.scope
    assert scope.force("KENT POLICE").id == "kent"
    assert scope.force("  kent   police ").id == "kent"
    assert scope.force("Avon and Somerset Police").id == "avon-and-somerset"
    assert scope.force("Hampshire Constabulary").id == "hampshire"
    assert scope.force("hampshire").former_names[0].name == "Hampshire Constabulary"
    with pytest.raises(NotFound, match="no force called 'Atlantis'"):
        scope.force("Atlantis")


def test_programme_ct1_to_ct4(workbook: Workbook) -> None:
    scope = workbook.scope
    codes = [i.code for i in scope.inspections]
    assert codes == ["CT1", "CT2", "CT3", "CT4"]
    for code in ("ct1", "ct2", "ct3"):
        assert scope.inspection(code).status == "not-published"
        assert "national security" in scope.inspection(code).status_note
    ct4 = scope.current
    assert ct4.id == "ct4"
    assert ct4.status == "published-redacted"
    assert ct4.published == "2020-03-09"
    assert ct4.fieldwork == "October 2018 – February 2019"
    assert ct4.recommendations == 8
    assert not ct4.graded


def test_ct4_three_areas_with_lines_of_enquiry(workbook: Workbook) -> None:
    ct4 = workbook.scope.current
    assert [(a.id, a.code) for a in ct4.areas] == [
        ("ct4.a1", "A1"),
        ("ct4.a2", "A2"),
        ("ct4.a3", "A3"),
    ]
    assert ct4.areas[0].title == "Capability"
    assert all(len(a.lines_of_enquiry) >= 3 for a in ct4.areas)
    assert workbook.scope.area("a2").id == "ct4.a2"
    assert workbook.scope.area("CT4.A3").code == "A3"
    with pytest.raises(NotFound, match="no area 'A9'"):
        workbook.scope.area("A9")


def test_ct4_methodology(workbook: Workbook) -> None:
    ct4 = workbook.scope.current
    roles = [m.title for m in ct4.method("interview")]
    assert roles == [
        "Chief officer responsible for Prevent",
        "Strategic lead for Prevent",
        "Head of safeguarding",
    ]
    assert len(ct4.method("focus-group")) == 2
    categories = {m.slug for m in ct4.method("document-category")}
    assert {"policy-strategy", "referral-report", "channel-document", "briefing-material"} <= (
        categories
    )
    assert {m.short for m in ct4.method("partner")} >= {"NCTPHQ", "OSCT"}
    assert ct4.documents_target == 300


def test_scope_rows_are_not_duplicated_on_reopen(workbook_path, workbook: Workbook) -> None:
    workbook.close()
    with Workbook.open(workbook_path) as wb:
        assert len(wb.scope.forces) == 47
        assert len(wb.scope.current.areas) == 3
