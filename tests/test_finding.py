"""Findings: writing them, linking their evidence and recommendations, history, trash."""

from dataclasses import replace

import pytest

from ctdesk.errors import CtdeskError, InvalidInput, NotFound
from ctdesk.finding import Finding
from ctdesk.note import Note
from ctdesk.scope import Scope
from ctdesk.workbook import Workbook
from tests.conftest import AUTHOR

CONCERN = "A cause of concern should come with at least one recommendation."


def note(wb: Workbook, force: str = "kent", title: str = "Interview") -> Note:
    return wb.notes.add(force=force, title=title).value


def finding_revisions(wb: Workbook) -> int:
    sql = "SELECT count(*) FROM revisions WHERE kind = 'finding'"
    return int(wb.db.execute(sql).fetchone()[0])


def add(wb: Workbook, **kwargs: object) -> Finding:
    values: dict[str, object] = {"force": "kent", "area": "A1", "kind": "strength", "text": "t"}
    values.update(kwargs)
    return wb.findings.add(**values).value  # type: ignore[arg-type]


def test_add_and_read_back(workbook: Workbook) -> None:
    chief = note(workbook, title="Chief officer")
    focus = note(workbook, title="Focus group")
    result = workbook.findings.add(
        force="Kent Police",
        area="a2",
        kind="CAUSE OF CONCERN",
        text="  Referral forms differ between districts.\r\nTriage is inconsistent.\n",
        evidence=[focus.id[:8], chief.id, chief.id[:6]],
        marking="official-sensitive personal data",
    )
    found = workbook.findings.get(result.value.id[:8])
    assert found.force_id == "kent" and found.inspection_id == "ct4"
    assert found.area_id == "ct4.a2"
    assert found.kind == "cause-of-concern" and found.kind_name == "Cause of concern"
    assert found.text == "Referral forms differ between districts.\nTriage is inconsistent."
    assert found.first_line == "Referral forms differ between districts."
    assert found.evidence == tuple(sorted({chief.id, focus.id}))
    assert found.marking == "OFFICIAL-SENSITIVE PERSONAL DATA"
    assert found.grade is None and found.recommendations == ()
    assert found.author == AUTHOR and found.workbook_id == workbook.id
    assert result.changes.touches("finding") and found.id in result.changes.ids
    data = found.to_json(workbook.findings.warnings(found))
    assert data["force"] == "kent" and data["area"] == "ct4.a2"
    assert data["evidence"] == list(found.evidence)
    assert data["warnings"] == ["A cause of concern should come with at least one recommendation."]


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("strength", "strength"),
        ("Area for improvement", "area-for-improvement"),
        ("AREA-FOR-IMPROVEMENT", "area-for-improvement"),
        ("cause_of_concern", "cause-of-concern"),
        ("Recommendation", "recommendation"),
        ("notable practice", "notable-practice"),
        ("Innovative practice", "notable-practice"),
        ("PROMISING-PRACTICE", "notable-practice"),
    ],
)
def test_kinds_by_slug_or_name_any_case(workbook: Workbook, typed: str, kind: str) -> None:
    assert add(workbook, kind=typed).kind == kind


def test_edit_history_and_revert(workbook: Workbook) -> None:
    evidence = note(workbook)
    first = add(workbook, text="First wording", evidence=[evidence.id])
    workbook.findings.set(first.id, text="Second wording", kind="area for improvement")
    moved = workbook.findings.set(first.id, area="", evidence=[]).value
    assert (moved.text, moved.kind, moved.area_id, moved.evidence) == (
        "Second wording",
        "area-for-improvement",
        None,
        (),
    )
    assert not workbook.findings.set(first.id, text="Second wording").changes
    history = workbook.findings.history(first.id)
    assert [r.op for r in history] == ["create", "edit", "edit"]
    texts = [r.content["text"] for r in history]
    assert texts == ["First wording", "Second wording", "Second wording"]
    assert history[0].content["evidence"] == [evidence.id]
    assert history[2].parents == (history[1].hash,)

    reverted = workbook.findings.revert(first.id, history[0].hash[:10]).value
    assert (reverted.text, reverted.kind, reverted.area_id, reverted.evidence) == (
        "First wording",
        "strength",
        "ct4.a1",
        (evidence.id,),
    )
    assert workbook.findings.history(first.id)[-1].op == "revert"


def test_delete_and_restore(workbook: Workbook) -> None:
    kept = add(workbook, text="Kept")
    binned = add(workbook, text="Binned")
    deleted = workbook.findings.delete(binned.id[:8])
    assert deleted.value.deleted and deleted.changes.touches("finding")
    assert [f.id for f in workbook.findings.matching(force="kent")] == [kept.id]
    assert [f.id for f in workbook.findings.all(deleted=True)] == [binned.id]
    assert not workbook.findings.delete(binned.id).changes  # twice changes nothing
    restored = workbook.findings.restore(binned.id).value
    assert not restored.deleted and restored.text == "Binned"
    assert {f.id for f in workbook.findings.matching(force="kent")} == {kept.id, binned.id}
    assert [r.op for r in workbook.findings.history(binned.id)] == ["create", "delete", "restore"]


def test_grade_refused_for_ungraded_ct4_and_nothing_written(workbook: Workbook) -> None:
    with pytest.raises(InvalidInput, match=r"^CT4 is not graded; leave the grade out\.$"):
        add(workbook, grade="good")
    assert workbook.findings.all() == [] and finding_revisions(workbook) == 0
    kept = add(workbook, grade="")  # an empty grade is no grade
    with pytest.raises(InvalidInput, match="not graded"):
        workbook.findings.set(kept.id, grade="Outstanding")
    assert workbook.findings.get(kept.id).grade is None


def graded(scope: Scope) -> Scope:
    inspections = [replace(i, graded=True) if i.id == "ct4" else i for i in scope.inspections]
    return Scope(scope.programme, inspections, scope.regions, scope.forces)


def test_grade_in_a_graded_inspection(workbook: Workbook) -> None:
    workbook.scope = graded(workbook.scope)
    found = add(workbook, grade="Requires Improvement")
    assert found.grade == "requires-improvement" and found.grade_name == "Requires improvement"
    assert workbook.findings.set(found.id, grade="").value.grade is None
    with pytest.raises(InvalidInput, match="'excellent' is not a grade"):
        workbook.findings.set(found.id, grade="excellent")


def test_national_finding_may_cite_several_forces(workbook: Workbook) -> None:
    kent, essex = note(workbook, "kent"), note(workbook, "essex")
    national = workbook.findings.add(
        force=None, area=None, kind="notable practice", text="Shared", evidence=[kent.id, essex.id]
    ).value
    assert national.force_id is None and national.national and national.area_id is None
    assert set(national.evidence) == {kent.id, essex.id}
    assert [f.id for f in workbook.findings.matching(national=True)] == [national.id]
    assert workbook.findings.matching(force="kent") == []


def test_evidence_of_another_force_is_refused_and_nothing_written(workbook: Workbook) -> None:
    essex = note(workbook, "essex")
    with pytest.raises(InvalidInput) as caught:
        add(workbook, evidence=[essex.id[:8]])
    assert str(caught.value) == (
        f"Evidence {essex.id[:8]} is a note of Essex Police, not Kent Police; "
        "link only this force's notes and documents."
    )
    assert workbook.findings.all() == [] and finding_revisions(workbook) == 0

    found = add(workbook)
    with pytest.raises(InvalidInput, match="Essex Police"):
        workbook.findings.link(found.id, [essex.id])
    assert workbook.findings.get(found.id) == found
    assert len(workbook.findings.history(found.id)) == 1


def test_documents_are_evidence_too(workbook: Workbook) -> None:
    policy = workbook.documents.add(
        force="kent", title="Prevent policy", category="policy-strategy"
    ).value
    other = workbook.documents.add(
        force="essex", title="Essex policy", category="Prevent policy and strategy"
    ).value
    interview = note(workbook)
    found = add(workbook, evidence=[policy.id[:8], interview.id])
    assert found.evidence == tuple(sorted({policy.id, interview.id}))
    assert [(r.noun if r else None) for r in workbook.findings.cited(found)] == [
        "document" if e == policy.id else "note" for e in found.evidence
    ]
    with pytest.raises(InvalidInput, match="is a document of Essex Police, not Kent Police"):
        workbook.findings.link(found.id, [other.id])
    assert workbook.findings.citing(policy.id) == [workbook.findings.get(found.id)]


def test_evidence_in_the_trash_is_refused_then_flagged_once_linked(workbook: Workbook) -> None:
    binned, kept = note(workbook, title="binned"), note(workbook, title="kept")
    workbook.notes.delete(binned.id)
    with pytest.raises(InvalidInput, match="in the trash"):
        add(workbook, evidence=[binned.id])
    assert finding_revisions(workbook) == 0

    found = add(workbook, evidence=[kept.id])
    workbook.notes.delete(kept.id)
    assert workbook.findings.warnings(found) == [
        "None of the evidence this finding cites is live; link notes or documents that are "
        "not in the trash.",
        f"Evidence {kept.id[:8]} is a note in the trash; restore it or unlink it.",
    ]
    # Evidence trashed after it was linked does not block other edits.
    edited = workbook.findings.set(found.id, text="Still fine", evidence=[kept.id]).value
    assert edited.text == "Still fine" and edited.evidence == (kept.id,)
    workbook.notes.restore(kept.id)
    assert workbook.findings.warnings(edited) == []


def test_evidence_from_another_inspection_is_refused(workbook: Workbook) -> None:
    old = workbook.notes.add(force="kent", title="CT2 visit", inspection="ct2").value
    with pytest.raises(InvalidInput, match="from CT2, not CT4"):
        add(workbook, evidence=[old.id])


def test_warnings_for_missing_evidence_and_recommendation(workbook: Workbook) -> None:
    concern = add(workbook, kind="cause-of-concern")
    assert workbook.findings.warnings(concern) == [
        "A cause of concern should come with at least one recommendation.",
        "This finding cites no evidence.",
    ]
    assert [f.short for f in workbook.findings.flags(concern)] == [
        "no recommendation",
        "no evidence",
    ]
    rec = add(workbook, kind="recommendation", text="The force should")
    linked = workbook.findings.set(concern.id, recommendations=[rec.id[:8]]).value
    linked = workbook.findings.link(linked.id, [note(workbook).id]).value
    assert linked.recommendations == (rec.id,)
    assert workbook.findings.warnings(linked) == []

    workbook.findings.delete(rec.id)
    assert workbook.findings.warnings(linked) == [
        "A cause of concern should come with at least one recommendation.",
        f"Recommendation {rec.id[:8]} is in the trash; restore it or unlink it.",
    ]
    strength = add(workbook, kind="strength", evidence=[note(workbook).id])
    assert workbook.findings.warnings(strength) == []


def test_recommendations_must_be_live_recommendations_of_the_force(workbook: Workbook) -> None:
    concern = add(workbook, kind="cause-of-concern")
    strength = add(workbook, kind="strength")
    essex_rec = add(workbook, force="essex", kind="recommendation")
    national_rec = workbook.findings.add(
        force=None, area=None, kind="recommendation", text="All forces should"
    ).value
    with pytest.raises(InvalidInput, match="is a strength, not a recommendation"):
        workbook.findings.set(concern.id, recommendations=[strength.id])
    with pytest.raises(InvalidInput, match="for Essex Police, not Kent Police"):
        workbook.findings.set(concern.id, recommendations=[essex_rec.id])
    with pytest.raises(InvalidInput, match="its own recommendation"):
        workbook.findings.set(concern.id, recommendations=[concern.id])
    assert len(workbook.findings.history(concern.id)) == 1
    ok = workbook.findings.set(concern.id, recommendations=[national_rec.id]).value
    assert ok.recommendations == (national_rec.id,)
    assert {r.id for r in workbook.findings.recommendations_for("kent", "ct4")} == {national_rec.id}


def test_link_and_unlink(workbook: Workbook) -> None:
    a, b = note(workbook, title="a"), note(workbook, title="b")
    found = add(workbook)
    found = workbook.findings.link(found.id, [a.id[:8]]).value
    found = workbook.findings.link(found.id, [b.id, a.id]).value
    assert found.evidence == tuple(sorted({a.id, b.id}))
    found = workbook.findings.unlink(found.id, [a.id[:8]]).value
    assert found.evidence == (b.id,)
    with pytest.raises(NotFound, match="does not cite evidence"):
        workbook.findings.unlink(found.id, [a.id])
    assert [r.op for r in workbook.findings.history(found.id)] == ["create", "edit", "edit", "edit"]


def test_citing(workbook: Workbook) -> None:
    cited, other = note(workbook), note(workbook)
    first = add(workbook, text="one", evidence=[cited.id])
    second = add(workbook, text="two", evidence=[cited.id, other.id])
    binned = add(workbook, text="binned", evidence=[cited.id])
    workbook.findings.delete(binned.id)
    add(workbook, text="unrelated", evidence=[other.id])
    assert {f.id for f in workbook.findings.citing(cited.id)} == {first.id, second.id}
    assert {f.id for f in workbook.findings.citing(cited.id[:8])} == {first.id, second.id}
    with pytest.raises(NotFound, match="no note or document"):
        workbook.findings.citing("zzzzzzzz")


def test_matching_filters_and_report_order(workbook: Workbook) -> None:
    untied = add(workbook, area=None, text="untied")
    a2_rec = add(workbook, area="A2", kind="recommendation", text="rec")
    a2_strength = add(workbook, area="A2", kind="strength", text="strength")
    a1 = add(workbook, area="A1", kind="notable-practice", text="a1")
    add(workbook, force="essex", area="A1", text="essex")
    kent = workbook.findings.matching(force="kent")
    assert [f.id for f in kent] == [a1.id, a2_strength.id, a2_rec.id, untied.id]
    assert [f.id for f in workbook.findings.matching(force="kent", area="a2")] == [
        a2_strength.id,
        a2_rec.id,
    ]
    assert [f.id for f in workbook.findings.matching(kind="Recommendation")] == [a2_rec.id]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"kind": "opinion"}, InvalidInput, "'opinion' is not a kind of finding"),
        ({"text": "  \n "}, InvalidInput, "A finding needs its text: say what was found."),
        ({"area": "A7"}, NotFound, "no area 'A7'"),
        ({"force": "Atlantis"}, NotFound, "no force called 'Atlantis'"),
        ({"force": "scotland"}, InvalidInput, "not in the scope of CT4"),
        ({"marking": "SECRET"}, CtdeskError, "SECRET"),
        ({"marking": "PURPLE"}, CtdeskError, "PURPLE"),
        ({"evidence": ["deadbeef"]}, NotFound, "no note or document with id 'deadbeef'"),
        ({"recommendations": ["deadbeef"]}, NotFound, "no finding with id 'deadbeef'"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    workbook: Workbook, kwargs: dict[str, object], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        add(workbook, **kwargs)
    assert workbook.findings.all(deleted=None) == []
    assert finding_revisions(workbook) == 0


def test_purging_a_linked_recommendation_unlinks_it_with_history(workbook: Workbook) -> None:
    rec = add(workbook, kind="recommendation", text="The force should")
    concern = add(workbook, kind="cause-of-concern", recommendations=[rec.id])
    workbook.findings.delete(rec.id)
    changes = workbook.findings.purge(rec.id)
    assert not workbook.findings.exists(rec.id)
    assert {rec.id, concern.id} <= changes.ids
    after = workbook.findings.get(concern.id)
    assert after.recommendations == ()
    assert [r.op for r in workbook.findings.history(concern.id)] == ["create", "edit"]
    assert workbook.findings.history(concern.id)[0].content["recommendations"] == [rec.id]
    assert CONCERN in workbook.findings.warnings(after)
    assert not workbook.empty_trash()  # nothing left in the trash


def test_emptying_the_trash_with_linked_findings(workbook: Workbook) -> None:
    rec = add(workbook, kind="recommendation", text="The force should")
    concern = add(workbook, kind="cause-of-concern", recommendations=[rec.id])
    workbook.findings.delete(concern.id)
    workbook.findings.delete(rec.id)
    workbook.empty_trash()
    assert workbook.findings.all(deleted=None) == []
