"""Exchanging bundles, as properties: whatever workbooks do and in whatever order they swap
bundles, once they have all swapped they hold the same records and conflicts, and no edit is lost.

Two parts: a stateful test in which two or three workbooks add, edit, delete and restore notes,
resolve conflicts and swap unencrypted bundles at random; and plain properties of the pure merge
functions (``merge.derive``, ``merge.combine``) over random revision histories of one record.
"""

import json
import os
import random
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ctdesk import history, merge
from ctdesk.db import exchange as exchange_db
from ctdesk.errors import InvalidInput
from ctdesk.exchange import conflicts, export, importer, state
from ctdesk.export import build as build_export
from ctdesk.export import json as json_export
from ctdesk.export import resolve_scope
from ctdesk.settings import Settings
from ctdesk.workbook import Workbook

PLAIN = export.Encryption(none=True)
AUTHORS = ("Alex", "Bea", "Cal")
FORCES = ("kent", "essex")
# Few words, so that two sides sometimes write the very same value (edits that agree).
WORDS = ("Prevent", "lead", "panel", "Channel", "référral", "x")

titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
bodies = st.lists(st.sampled_from((*WORDS, "\n")), max_size=4).map(" ".join)


class Clock:
    """The time records and resolutions are stamped with, as the machine says: it moves on a
    little between steps (or not at all: ties), and each laptop's clock is off by its own skew."""

    START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __init__(self) -> None:
        self.reset([0])

    def reset(self, skews_ms: Sequence[int]) -> None:
        self.ms = 0
        self.skews = list(skews_ms)
        self.on = 0  # the workbook acting now
        self.ids = 0

    def new_id(self) -> str:
        """Ids in the order things are made, so that a failing example replays exactly."""
        self.ids += 1
        return f"00000000-0000-4000-8000-{self.ids:012d}"

    def now(self) -> str:
        at = self.START + timedelta(milliseconds=self.ms + self.skews[self.on])
        return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


CLOCK = Clock()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    for module in ("ctdesk.record", "ctdesk.exchange.conflicts", "ctdesk.exchange.export"):
        monkeypatch.setattr(f"{module}.now_iso", CLOCK.now)
    for module in ("ctdesk.record", "ctdesk.workbook"):
        monkeypatch.setattr(f"{module}.new_id", CLOCK.new_id)
    yield CLOCK
    CLOCK.reset([0])


def _open(path: Path, author: str) -> Workbook:
    wb = Workbook.create(path)
    wb.settings = Settings(author=author)
    return wb


def _receipt(r: importer.Receipt) -> tuple[int, int, int, int]:
    return (r.added, r.updated, r.deleted, r.conflicts)


def records(wb: Workbook) -> dict[str, set[tuple[Any, ...]]]:
    """Every record of every kind as another workbook should hold it."""
    return {
        kind: {
            (
                r.id,
                history.canonical(service.content(r)),
                r.created_at,
                r.updated_at,
                r.author,
                r.deleted_at,
            )
            for r in service.all(deleted=None)
        }
        for kind, service in wb.record_kinds().items()
    }


def open_conflicts(wb: Workbook) -> list[tuple[str, tuple[str, ...]]]:
    return sorted(
        (c.record_id, tuple(sorted(v.hash for v in c.versions)))
        for c in conflicts.list_conflicts(wb)
    )


def json_export_of(wb: Workbook) -> dict[str, Any]:
    """The whole-inspection JSON export, without what says when and by whom it was made."""
    scope = resolve_scope(wb, "inspection")
    data = json.loads(json_export.render(build_export(wb, scope)))
    data.pop("about")
    return data


class Exchanging(RuleBasedStateMachine):
    """Workbooks that each change notes and swap bundles with the others at random."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="ctdesk-exchange-"))
        # Backups taken before each import go in this example's folder, removed with it.
        os.environ["CTDESK_DATA_DIR"] = str(self.tmp / "data")
        self.wbs: list[Workbook] = []
        self.bundles: list[tuple[Path, int]] = []  # (bundle, workbook it was imported into)
        self.written: dict[str, dict[str, set[str]]] = {}  # note id -> field -> values
        self.serial = 0

    # ---- helpers --------------------------------------------------------------------------
    def _remember(self, note_id: str, field: str, value: str) -> None:
        self.written.setdefault(note_id, {"title": set(), "body": set()})[field].add(value)

    def _bundle_of(self, src: int) -> Path:
        self.serial += 1
        out = self.tmp / f"{self.serial:04d}-{AUTHORS[src]}.ctbundle"
        export.export_bundle(self.wbs[src], out, PLAIN)
        return out

    def _send(self, src: int, dst: int) -> importer.Receipt:
        out = self._bundle_of(src)
        receipt = importer.import_bundle(self.wbs[dst], out)
        self.bundles.append((out, dst))
        return receipt

    def _has_notes(self) -> bool:
        return any(wb.notes.all(deleted=None) for wb in self.wbs)

    def _history(self, i: int, note_id: str | None) -> list[history.Revision]:
        return state.outcome_revisions(self.wbs[i], note_id) if note_id else []

    def _has_conflicts(self) -> bool:
        return any(exchange_db.conflicts(wb.db) for wb in self.wbs)

    # ---- rules ----------------------------------------------------------------------------
    @initialize(
        data=st.data(),
        skews=st.lists(st.sampled_from((0, 0, 1, -3, 250, -60_000)), min_size=2, max_size=3),
        shared=st.integers(0, 2),
    )
    def make_workbooks(self, data: st.DataObject, skews: list[int], shared: int) -> None:
        """Two or three workbooks whose clocks are off by ``skews`` (ms); most examples start
        from a few notes every workbook has, so that both sides change them from the start."""
        CLOCK.reset(skews)
        self.wbs = [_open(self.tmp / f"{AUTHORS[i]}.ctdesk", AUTHORS[i]) for i in range(len(skews))]
        for _ in range(shared):
            self._add(0, data, "kent", "Prevent lead", "start")
        if shared:
            for j in range(1, len(self.wbs)):
                self._send(0, j)

    def _at(self, i: int, data: st.DataObject, note_id: str | None = None) -> Workbook:
        """Workbook ``i``, acting now: the clock moves on by 0 to 2 milliseconds.

        A change to a note is never stamped at or before the note's creation, however skewed
        this laptop's clock: that case is the known bug of
        ``test_an_edit_stamped_before_the_creation_is_not_the_creation``, kept out of here so
        that the machine can find others."""
        CLOCK.ms += data.draw(st.integers(0, 2), label="ms later")
        CLOCK.on = i
        made = [r.created_at for r in self._history(i, note_id) if r.op == "create"]
        while made and CLOCK.now() <= max(made):
            CLOCK.ms += 1
        return self.wbs[i]

    def _add(self, i: int, data: st.DataObject, force: str, title: str, body: str) -> None:
        wb = self._at(i, data)
        area_ids = [a.id for a in wb.scope.current.areas]
        areas = data.draw(st.lists(st.sampled_from(area_ids), max_size=3), label="areas")
        added = wb.notes.add(force=force, title=title, body=body, areas=areas).value
        assert (added.title, added.body) == (title, body)  # values already clean
        self._remember(added.id, "title", title)
        self._remember(added.id, "body", body)

    @rule(data=st.data(), force=st.sampled_from(FORCES), title=titles, body=bodies)
    def add_note(self, data: st.DataObject, force: str, title: str, body: str) -> None:
        i = data.draw(st.integers(0, len(self.wbs) - 1), label="workbook")
        self._add(i, data, force, title, body)

    def _edit(self, i: int, target: str, data: st.DataObject) -> None:
        """Edit note ``target`` in workbook ``i``: its title, body and areas, some or all."""
        wb = self._at(i, data, target)
        title = data.draw(st.none() | titles, label="title")
        body = data.draw(st.none() | bodies, label="body")
        area_ids = [a.id for a in wb.scope.current.areas]
        areas = data.draw(st.none() | st.lists(st.sampled_from(area_ids), max_size=3))
        wb.notes.edit(target, title=title, body=body, areas=areas)
        if title is not None:
            self._remember(target, "title", title)
        if body is not None:
            self._remember(target, "body", body)

    @precondition(_has_notes)
    @rule(data=st.data())
    def edit_note(self, data: st.DataObject) -> None:
        i = data.draw(
            st.sampled_from([i for i, wb in enumerate(self.wbs) if wb.notes.all(deleted=None)]),
            label="workbook",
        )
        target = data.draw(
            st.sampled_from(sorted(n.id for n in self.wbs[i].notes.all(deleted=None)))
        )
        self._edit(i, target, data)

    def _shared(self) -> list[str]:
        held = [{n.id for n in wb.notes.all(deleted=None)} for wb in self.wbs]
        return sorted(x for x in set().union(*held) if sum(x in h for h in held) >= 2)

    @precondition(lambda self: bool(self._shared()))
    @rule(data=st.data())
    def change_on_two_sides(self, data: st.DataObject) -> None:
        """Two workbooks change the same note before they next swap: each edits it, or
        deletes or restores it (when it is not in conflict there)."""
        target = data.draw(st.sampled_from(self._shared()), label="note")
        holders = [i for i, wb in enumerate(self.wbs) if wb.notes.exists(target)]
        for i in data.draw(st.permutations(holders), label="workbooks")[:2]:
            wb = self.wbs[i]
            if data.draw(st.booleans(), label="edit") or exchange_db.is_conflicted(wb.db, target):
                self._edit(i, target, data)
            elif wb.notes.get(target).deleted:
                self._at(i, data, target).notes.restore(target)
            else:
                self._at(i, data, target).notes.delete(target)

    def _notes(self, deleted: bool, conflicted: bool = False) -> list[tuple[int, str]]:
        return sorted(
            (i, n.id)
            for i, wb in enumerate(self.wbs)
            for n in wb.notes.all(deleted=None)
            if n.deleted == deleted and exchange_db.is_conflicted(wb.db, n.id) == conflicted
        )

    @precondition(lambda self: bool(self._notes(deleted=False)))
    @rule(data=st.data())
    def delete_note(self, data: st.DataObject) -> None:
        i, target = data.draw(st.sampled_from(self._notes(deleted=False)), label="workbook, note")
        self._at(i, data, target).notes.delete(target)

    @precondition(lambda self: bool(self._notes(deleted=False, conflicted=True)))
    @rule(data=st.data())
    def delete_a_note_in_conflict(self, data: st.DataObject) -> None:
        """Refused: the conflict is resolved first (an edit would win over the delete)."""
        choices = self._notes(deleted=False, conflicted=True)
        i, target = data.draw(st.sampled_from(choices), label="workbook, note")
        wb = self._at(i, data, target)
        before = records(wb)
        with pytest.raises(InvalidInput, match="resolve the conflict first"):
            wb.notes.delete(target)
        assert records(wb) == before

    @precondition(lambda self: bool(self._notes(deleted=True)))
    @rule(data=st.data())
    def restore_note(self, data: st.DataObject) -> None:
        i, target = data.draw(st.sampled_from(self._notes(deleted=True)), label="workbook, note")
        self._at(i, data, target).notes.restore(target)

    @rule(data=st.data())
    def exchange(self, data: st.DataObject) -> None:
        n = len(self.wbs)
        src = data.draw(st.integers(0, n - 1), label="from")
        dst = data.draw(st.sampled_from([j for j in range(n) if j != src]), label="to")
        self._at(src, data)
        receipt = self._send(src, dst)
        if receipt.conflicts:
            event("an import opened a conflict")
        if receipt.updated:
            event("an import updated a note")
        if data.draw(st.booleans(), label="import it again"):
            out, into = self.bundles[-1]
            again = importer.import_bundle(self.wbs[into], out)
            assert _receipt(again) == (0, 0, 0, 0), again

    @precondition(lambda self: bool(self.bundles))
    @rule(data=st.data())
    def import_an_earlier_bundle_again(self, data: st.DataObject) -> None:
        out, into = data.draw(st.sampled_from(self.bundles), label="bundle")
        again = importer.import_bundle(self.wbs[into], out)
        assert _receipt(again) == (0, 0, 0, 0), again

    @precondition(_has_conflicts)
    @rule(data=st.data(), keep=st.sampled_from(conflicts.KEEPS))
    def resolve_a_conflict(self, data: st.DataObject, keep: conflicts.Keep) -> None:
        open_ = [
            (i, row["record_id"])
            for i, wb in enumerate(self.wbs)
            for row in exchange_db.conflicts(wb.db)
        ]
        i, record_id = data.draw(st.sampled_from(sorted(open_)), label="workbook, record")
        wb = self._at(i, data, record_id)
        conflicts.resolve(wb, record_id, keep)
        event(f"resolved, keeping {keep}")
        assert not exchange_db.is_conflicted(wb.db, record_id)
        resolved = wb.notes.get(record_id)
        self._remember(record_id, "title", resolved.title)
        self._remember(record_id, "body", resolved.body)

    # ---- invariants -----------------------------------------------------------------------
    @invariant()
    def rows_are_what_the_revisions_make(self) -> None:
        """At rest, each note's row, links and conflict are exactly ``merge.derive`` of the
        revisions its workbook holds, with no merge revision left to make."""
        for wb in self.wbs:
            stored = exchange_db.conflict_tips(wb.db, [n.id for n in wb.notes.all(deleted=None)])
            for n in wb.notes.all(deleted=None):
                known = {r.hash: r for r in state.outcome_revisions(wb, n.id)}
                outcome = merge.derive(known.values())
                assert outcome.made is None, n.id
                assert outcome.content == wb.notes.content(n), n.id
                assert n.head == outcome.head.hash
                assert n.deleted_at == outcome.deleted_since
                assert list(outcome.conflict) == stored.get(n.id, [])
                if any(
                    not merge._deleted(merge.effective(known, known[t])) for t in outcome.conflict
                ):
                    assert not n.deleted, "an edit lost to a delete"

    # ---- the end --------------------------------------------------------------------------
    def teardown(self) -> None:
        try:
            if self.wbs:
                self._converge_and_check()
        finally:
            for wb in self.wbs:
                wb.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _converge_and_check(self) -> None:
        n = len(self.wbs)
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        for _ in range(2):
            for i, j in pairs:
                self._send(i, j)
        first = self.wbs[0]
        how_many = ("none", "one", "several")[min(len(open_conflicts(first)), 2)]
        event(f"open conflicts at the end: {how_many}")
        # (a) the same records, with the same times and authors, and the same open conflicts
        for wb in self.wbs[1:]:
            mine, theirs = records(first), records(wb)
            for kind in mine:
                only = (sorted(mine[kind] - theirs[kind]), sorted(theirs[kind] - mine[kind]))
                assert mine[kind] == theirs[kind], (first.author, wb.author, kind, *only)
            assert open_conflicts(wb) == open_conflicts(first)
        # (b) nothing written anywhere is lost: every title and body ever written is in some
        # revision of its note in every workbook, and every conflict version is readable
        for wb in self.wbs:
            for note_id, fields in self.written.items():
                revisions = state.outcome_revisions(wb, note_id)
                for field, values in fields.items():
                    kept = {r.content.get(field) for r in revisions}
                    assert values <= kept, (wb.author, note_id, field, values - kept)
            for c in conflicts.list_conflicts(wb):
                by_hash = {r.hash: r for r in state.outcome_revisions(wb, c.record_id)}
                assert len(c.versions) >= 2
                record = wb.notes.get(c.record_id)
                assert sum(v.current for v in c.versions) == 1
                assert c.current.hash == record.head
                assert c.current.content == wb.notes.content(record)
                for v in c.versions:
                    assert v.content == merge.effective(by_hash, by_hash[v.hash])
                if any(not v.deleted for v in c.versions):
                    assert not record.deleted
        # (c) every final bundle, and every earlier one, imported anywhere, changes nothing
        finals = [self._bundle_of(i) for i in range(n)]
        earlier = [out for out, _ in self.bundles]
        for out in finals + earlier[:: max(1, len(earlier) // 10)]:
            for wb in self.wbs:
                again = importer.import_bundle(wb, out)
                assert _receipt(again) == (0, 0, 0, 0), (wb.author, out.name, again)
        # (d) the JSON exports of the whole inspection agree
        for wb in self.wbs[1:]:
            assert json_export_of(wb) == json_export_of(first)


def test_workbooks_swapping_bundles_converge_and_lose_nothing(clock: Clock) -> None:
    run_state_machine_as_test(
        Exchanging,
        settings=settings(
            # CTDESK_EXCHANGE_EXAMPLES=500 CTDESK_EXCHANGE_STEPS=60 for a longer hunt
            max_examples=int(os.environ.get("CTDESK_EXCHANGE_EXAMPLES", "60")),
            stateful_step_count=int(os.environ.get("CTDESK_EXCHANGE_STEPS", "30")),
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


# ---- the pure merge functions --------------------------------------------------------------

TIMES = tuple(f"2026-03-0{d}T09:00:00.000Z" for d in range(1, 4))  # few: ties happen
SMALL = st.sampled_from(("a", "b", "c"))
AREAS = st.lists(st.sampled_from(("ct4.a1", "ct4.a2")), max_size=2, unique=True).map(sorted)


def _start() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "force": st.just("kent"),
            "inspection": st.just("ct4"),
            "deleted": st.just(False),
            "title": SMALL,
            "body": SMALL,
            "marking": st.just("OFFICIAL"),
            "activity_id": st.none(),
            "areas": AREAS,
        }
    )


def _rev(
    content: Mapping[str, Any], parents: Sequence[str], op: str, who: int, at: str
) -> history.Revision:
    return history.make(
        kind="note",
        record_id="11111111-2222-3333-4444-555555555555",
        content=content,
        parents=parents,
        op=op,
        author=AUTHORS[who],
        workbook_id=f"wb-{who}",
        created_at=at,
    )


@st.composite
def histories(draw: st.DrawFn, purges: bool = True) -> list[history.Revision]:
    """A record's revisions as several workbooks might hold them between them: a create, then
    edits, deletes and restores on any earlier revision, resolutions of the tips, and (when
    ``purges``) emptied trash."""
    who = st.integers(0, 2)
    at = st.sampled_from(TIMES)
    revs = [_rev(draw(_start()), (), "create", draw(who), draw(at))]
    for _ in range(draw(st.integers(0, 7))):
        known = {r.hash: r for r in revs}
        ops = ["edit", "delete", "restore", "resolve"] + (["purge"] if purges else [])
        op = draw(st.sampled_from(ops))
        if op == "resolve":
            ends = merge.tips(known)
            if len(ends) < 2:
                continue
            parents = ends
        else:
            parents = [draw(st.sampled_from(revs))]
        base = merge.effective(known, parents[0])
        if base is None:
            continue
        content = dict(base)
        if op == "purge":
            if not base.get("deleted"):
                continue
            forgotten = sorted(merge._ancestors(known, parents[0].hash))
            content = {
                "force": base["force"],
                "inspection": base["inspection"],
                "deleted": True,
                "purged": True,
                "forgotten": forgotten,
            }
        elif op == "delete":
            content["deleted"] = True
        elif op == "restore":
            content["deleted"] = False
        else:  # an edit, or a resolution keeping one side with changes
            for field in draw(st.sets(st.sampled_from(("title", "body", "areas")), min_size=1)):
                content[field] = draw(AREAS if field == "areas" else SMALL)
        revs.append(_rev(content, [p.hash for p in parents], op, draw(who), draw(at)))
    return revs


def _summary(outcome: merge.Outcome) -> tuple[Any, ...]:
    return (
        outcome.head.hash,
        outcome.content,
        outcome.made.hash if outcome.made else None,
        outcome.conflict,
        outcome.created,
        outcome.deleted_since,
    )


@settings(max_examples=300, deadline=None)
@given(revs=histories(), seed=st.randoms(use_true_random=False))
def test_derive_does_not_depend_on_the_order_revisions_arrive_in(
    revs: list[history.Revision], seed: random.Random
) -> None:
    shuffled = list(revs)
    seed.shuffle(shuffled)
    assert _summary(merge.derive(shuffled)) == _summary(merge.derive(revs))
    # and holding a revision twice is holding it once
    assert _summary(merge.derive(revs + shuffled[:2])) == _summary(merge.derive(revs))


@settings(max_examples=300, deadline=None)
@given(revs=histories())
def test_deriving_again_with_the_merge_revision_changes_nothing(
    revs: list[history.Revision],
) -> None:
    first = merge.derive(revs)
    again = merge.derive([*revs, first.made] if first.made else revs)
    assert again.made is None
    assert again.head.hash == first.head.hash
    assert again.content == first.content
    assert again.conflict == first.conflict
    assert again.deleted_since == first.deleted_since
    if first.made is not None:
        assert not first.conflict
        assert set(first.made.parents) == {r.hash for r in merge.tips({r.hash: r for r in revs})}


@settings(max_examples=300, deadline=None)
@given(revs=histories(purges=False))
def test_derive_never_lets_a_delete_beat_an_edit(revs: list[history.Revision]) -> None:
    known = {r.hash: r for r in revs}
    ends = merge.tips(known)
    outcome = merge.derive(revs)
    assume(len(ends) > 1)
    live = [r for r in ends if not r.content.get("deleted")]
    if outcome.conflict:
        # the version shown while a conflict is open is an edit whenever there is one
        assert bool(outcome.content and outcome.content.get("deleted")) == (not live)
        return
    if outcome.content is not None and outcome.content.get("deleted"):
        # merged into a delete: then no live tip changed anything since the common revision
        base = merge._base(known, ends)
        assert base is not None
        for tip in live:
            changed = {
                k
                for k in set(tip.content) | set(base.content)
                if k != "deleted" and tip.content.get(k) != base.content.get(k)
            }
            assert not changed, (tip.content, base.content)


@settings(max_examples=300, deadline=None)
@given(
    base=_start(),
    edit=st.fixed_dictionaries({}, optional={"title": SMALL, "body": SMALL, "areas": AREAS}),
    also_edited_by_deleter=st.fixed_dictionaries({}, optional={"title": SMALL}),
)
def test_combine_never_lets_a_delete_beat_an_edit(
    base: dict[str, Any], edit: dict[str, Any], also_edited_by_deleter: dict[str, Any]
) -> None:
    edited = {**base, **edit}
    deleted = {**base, **also_edited_by_deleter, "deleted": True}
    for versions in ([edited, deleted], [deleted, edited]):
        merged = merge.combine(base, versions)
        if edited != base:
            assert merged is None, (base, versions)
        else:
            assert merged == deleted


@pytest.mark.parametrize("delete_later", [True, False])
def test_a_later_delete_against_an_edit_shows_the_edit(delete_later: bool) -> None:
    start = {
        "force": "kent",
        "inspection": "ct4",
        "deleted": False,
        "title": "T",
        "body": "start",
        "marking": "OFFICIAL",
        "activity_id": None,
        "areas": [],
    }
    create = _rev(start, (), "create", 0, TIMES[0])
    edit = _rev({**start, "body": "kept"}, [create.hash], "edit", 1, TIMES[1])
    gone = _rev(
        {**start, "deleted": True}, [create.hash], "delete", 0, TIMES[2 if delete_later else 1]
    )
    outcome = merge.derive([create, gone, edit])
    assert outcome.content is not None and outcome.content["body"] == "kept"
    assert not outcome.content["deleted"] and outcome.deleted_since is None
    assert outcome.conflict == tuple(sorted((edit.hash, gone.hash)))


def test_a_new_note_has_the_same_creation_time_everywhere(tmp_path, monkeypatch):
    ticks = iter(f"2026-03-02T09:00:00.{ms:03d}Z" for ms in range(1, 1000))
    monkeypatch.setattr("ctdesk.record.now_iso", lambda: next(ticks))
    a, b = _open(tmp_path / "a.ctdesk", "Alex"), _open(tmp_path / "b.ctdesk", "Bea")
    note_id = a.notes.add(force="kent", title="Interview").value.id
    out = tmp_path / "a.ctbundle"
    export.export_bundle(a, out, PLAIN)
    importer.import_bundle(b, out)
    mine, theirs = a.notes.get(note_id), b.notes.get(note_id)
    assert a.notes.history(note_id)[0].created_at == mine.created_at  # .002Z != .001Z
    assert theirs.created_at == mine.created_at
    a.close()
    b.close()


def test_an_edit_stamped_before_the_creation_is_not_the_creation() -> None:
    start = {
        "force": "kent",
        "inspection": "ct4",
        "deleted": False,
        "title": "T",
        "body": "start",
        "marking": "OFFICIAL",
        "activity_id": None,
        "areas": [],
    }
    create = _rev(start, (), "create", 0, TIMES[1])
    # Bea's laptop is a day behind: her later edit carries an earlier time
    edit = _rev({**start, "body": "more"}, [create.hash], "edit", 1, TIMES[0])
    outcome = merge.derive([create, edit])
    assert outcome.created.created_at == create.created_at
    assert outcome.created.author == "Alex"


def test_a_note_edited_on_a_laptop_whose_clock_is_behind_keeps_its_author(tmp_path, monkeypatch):
    now = {"at": "2026-03-02T09:00:00.000Z"}
    monkeypatch.setattr("ctdesk.record.now_iso", lambda: now["at"])
    a, b = _open(tmp_path / "a.ctdesk", "Alex"), _open(tmp_path / "b.ctdesk", "Bea")
    note_id = a.notes.add(force="kent", title="Interview", body="start").value.id
    out = tmp_path / "x.ctbundle"
    export.export_bundle(a, out, PLAIN)
    importer.import_bundle(b, out)
    now["at"] = "2026-03-02T08:55:00.000Z"  # Bea's clock is five minutes behind
    b.notes.edit(note_id, body="Bea added this")
    export.export_bundle(b, out, PLAIN)
    importer.import_bundle(a, out)
    export.export_bundle(a, out, PLAIN)
    importer.import_bundle(b, out)
    mine, theirs = a.notes.get(note_id), b.notes.get(note_id)
    assert (theirs.author, theirs.created_at) == ("Alex", "2026-03-02T09:00:00.000Z")
    assert (mine.author, mine.created_at) == (theirs.author, theirs.created_at)  # Bea, 08:55
    a.close()
    b.close()


def _ticking(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clock moving on a millisecond each time it is read."""
    ticks = iter(range(1, 1000))
    monkeypatch.setattr("ctdesk.record.now_iso", lambda: f"2026-03-02T09:00:00.{next(ticks):03d}Z")


def _swap(a: Workbook, b: Workbook, tmp_path: Path) -> list[importer.Receipt]:
    receipts = []
    for src, dst in ((a, b), (b, a)):
        out = tmp_path / f"{src.author}.ctbundle"
        export.export_bundle(src, out, PLAIN)
        receipts.append(importer.import_bundle(dst, out))
    return receipts


def test_a_note_emptied_from_two_trashes_is_not_in_conflict(tmp_path, monkeypatch):
    _ticking(monkeypatch)
    a, b = _open(tmp_path / "a.ctdesk", "Alex"), _open(tmp_path / "b.ctdesk", "Bea")
    note_id = a.notes.add(force="kent", title="Wrongly recorded").value.id
    a.notes.delete(note_id)
    _swap(a, b, tmp_path)
    a.empty_trash()
    b.empty_trash()
    receipts = _swap(a, b, tmp_path)
    try:
        for wb in (a, b):
            assert not wb.notes.exists(note_id)
            for keep in conflicts.KEEPS:  # whatever is listed can be resolved
                for c in conflicts.list_conflicts(wb):
                    conflicts.resolve(wb, c.record_id, keep)
        assert [r.conflicts for r in receipts] == [0, 0]  # they say "1 in conflict"
    finally:
        a.close()
        b.close()


def test_emptying_the_trash_keeps_who_made_a_note_and_when(tmp_path, monkeypatch):
    _ticking(monkeypatch)
    a, b = _open(tmp_path / "a.ctdesk", "Alex"), _open(tmp_path / "b.ctdesk", "Bea")
    note_id = a.notes.add(force="kent", title="Interview", body="start").value.id
    _swap(a, b, tmp_path)
    a.notes.delete(note_id)
    a.empty_trash()
    b.notes.edit(note_id, body="Bea kept working on it")
    _swap(a, b, tmp_path)
    _swap(a, b, tmp_path)
    mine, theirs = a.notes.get(note_id), b.notes.get(note_id)
    assert (theirs.author, theirs.body) == ("Alex", "Bea kept working on it")
    try:
        assert (mine.author, mine.created_at) == (theirs.author, theirs.created_at)
    finally:
        a.close()
        b.close()


def test_a_note_emptied_from_the_trash_twice_stays_gone(tmp_path, monkeypatch):
    _ticking(monkeypatch)
    a, b = _open(tmp_path / "a.ctdesk", "Alex"), _open(tmp_path / "b.ctdesk", "Bea")
    note_id = a.notes.add(force="kent", title="Wrongly recorded", body="x").value.id
    first = tmp_path / "first.ctbundle"
    export.export_bundle(a, first, PLAIN)
    importer.import_bundle(b, first)
    b.notes.delete(note_id)
    b.empty_trash()
    assert _receipt(importer.import_bundle(b, first)) == (0, 0, 0, 0)  # stays gone
    a.notes.edit(note_id, body="Alex worked on")
    _swap(a, b, tmp_path)  # back in b, in conflict with b's emptied trash
    conflicts.resolve(b, note_id, "theirs")
    b.notes.delete(note_id)
    b.empty_trash()
    assert not b.notes.exists(note_id)
    try:
        again = importer.import_bundle(b, first)
        assert not b.notes.exists(note_id)  # it is back, in conflict
        assert _receipt(again) == (0, 0, 0, 0)
    finally:
        a.close()
        b.close()
