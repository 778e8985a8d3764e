"""Whatever an inspector does to a record, every revision stays retrievable and the chain holds."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctdesk import history
from ctdesk.workbook import Workbook

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=40,
)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("body"), texts),
        st.tuples(
            st.just("title"),
            st.text(
                alphabet=st.characters(whitelist_categories=("L", "N", "P", "Zs")), min_size=1
            ).filter(lambda t: t.strip() != ""),
        ),
        st.tuples(st.just("areas"), st.lists(st.sampled_from(["A1", "A2", "A3"]), max_size=3)),
        st.tuples(st.just("marking"), st.sampled_from(["OFFICIAL", "OFFICIAL-SENSITIVE"])),
        st.tuples(st.just("delete"), st.none()),
        st.tuples(st.just("restore"), st.none()),
        st.tuples(st.just("revert"), st.integers(min_value=0, max_value=50)),
    ),
    max_size=15,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=actions)
def test_every_revision_stays_retrievable(tmp_path: Path, steps: list[tuple[str, object]]) -> None:
    path = tmp_path / f"h{abs(hash(tuple(map(str, steps))))}.ctdesk"
    path.unlink(missing_ok=True)
    with Workbook.create(path) as wb:
        notes = wb.notes
        note_id = notes.add(force="kent", title="Start", body="first").value.id
        seen: list[str] = [notes.get(note_id).head]
        contents: dict[str, dict[str, object]] = {seen[0]: notes.content(notes.get(note_id))}
        for action, value in steps:
            if action == "body":
                notes.edit(note_id, body=str(value))
            elif action == "title":
                notes.edit(note_id, title=str(value))
            elif action == "areas":
                notes.edit(note_id, areas=list(value))  # type: ignore[call-overload]
            elif action == "marking":
                notes.edit(note_id, marking=str(value))
            elif action == "delete":
                notes.delete(note_id)
            elif action == "restore":
                notes.restore(note_id)
            else:
                target = seen[int(value) % len(seen)]  # type: ignore[call-overload]
                notes.revert(note_id, target)
                assert notes.content(notes.get(note_id)) | {"deleted": None} == (
                    contents[target] | {"deleted": None}
                )
            current = notes.get(note_id)
            if current.head not in contents:
                seen.append(current.head)
                contents[current.head] = notes.content(current)

        revisions = notes.history(note_id)
        by_hash = {r.hash: r for r in revisions}
        # every state we ever saw is still in history, with exactly the content it had
        for head, content in contents.items():
            assert by_hash[head].content == content
        # each revision's hash matches its content, and the chain is unbroken
        for i, rev in enumerate(revisions):
            remade = history.make(
                kind=rev.kind,
                record_id=rev.record_id,
                content=rev.content,
                parents=rev.parents,
                op=rev.op,
                author=rev.author,
                workbook_id=rev.workbook_id,
                created_at=rev.created_at,
            )
            assert remade.hash == rev.hash
            if i > 0:
                assert rev.parents == (revisions[i - 1].hash,)
        assert notes.get(note_id).head == revisions[-1].hash
