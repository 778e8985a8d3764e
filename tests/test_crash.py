"""Crash safety: every acknowledged change survives ``kill -9`` at any moment.

A writer process (``tests/crash_writer.py``) adds and edits notes in a loop, saying which write
it is about to make and acknowledging each once the service call has returned. The test kills
it with SIGKILL at random moments, round after round on the same file, and after each round
checks that:

- the database is whole (``PRAGMA integrity_check``, foreign keys, FTS5's own integrity check,
  the search index in step with every note);
- every acknowledged note is there with its last acknowledged body, its history holds every
  acknowledged body, and its head is its last revision;
- nothing else is there but, possibly, the one write in flight when the process died, whole.

Half the rounds check a copy of the file (with its write-ahead log), so the next writer itself
finds a log left by a killed process and must recover it. A kill only tests what the process
does (acknowledging before committing, a change split over two transactions, an index left out
of step); what the disk does on power loss is SQLite's ``synchronous = FULL``.
"""

import functools
import itertools
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ctdesk.workbook import Workbook
from tests.crash_writer import body_for as make_body
from tests.crash_writer import token

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = {"plain": 30, "encrypted": 20}
PASSPHRASES = {"plain": None, "encrypted": "correct horse battery staple"}
MAX_DELAY = 0.3  # seconds after the writer has opened the workbook
EARLY_KILLS = 0.2  # share of rounds killed counting from the start (may land while opening)

body_for = functools.cache(make_body)  # each body is compared after every round


@dataclass
class Expected:
    """What the acknowledged writes say the workbook holds."""

    last: dict[str, str] = field(default_factory=dict)  # note id -> key of its last body
    every: dict[str, list[str]] = field(default_factory=dict)  # note id -> acknowledged keys
    writes: int = 0

    def acknowledge(self, op: str, note_id: str, key: str) -> None:
        if op == "add":
            assert note_id not in self.last, f"add acknowledged twice for {note_id}"
        else:
            assert note_id in self.last, f"edit of a note never acknowledged: {note_id}"
        self.last[note_id] = key
        self.every.setdefault(note_id, []).append(key)
        self.writes += 1


@dataclass(frozen=True)
class InFlight:
    op: str
    note_id: str | None  # None for an add (the id is made inside the call)
    key: str


def run_and_kill(
    path: Path, round_no: int, rng: random.Random, passphrase: str | None
) -> tuple[list[str], float]:
    """Start a writer, kill it at a random moment; its complete output lines and the delay."""
    env = {**os.environ, "CRASH_PASSPHRASE": passphrase or ""}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_writer", str(path), str(round_no)],
        cwd=ROOT,
        bufsize=0,  # unbuffered: reading the first line must not swallow the ones after it
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stdout is not None and child.stderr is not None
    early = rng.random() < EARLY_KILLS
    delay = rng.uniform(0.1, 0.35) if early else rng.uniform(0, MAX_DELAY)
    if not early:
        first = child.stdout.readline()
        if first != b"OPEN\n":
            child.kill()
            child.wait()
            pytest.fail(f"the writer did not start: {first!r} {child.stderr.read()!r}")
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    rest, errors = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, errors.decode()
    assert b"Traceback" not in errors, errors.decode()
    text = ("" if early else "OPEN\n") + rest.decode()
    # A line cut short by the kill was never read whole: it acknowledges nothing.
    return text.split("\n")[:-1], delay


def parse(lines: list[str], expected: Expected) -> InFlight | None:
    """Record the acknowledged writes; the write in flight when the writer died, if any."""
    pending: InFlight | None = None
    for line in lines:
        parts = line.split()
        if parts[0] == "WILL":
            assert pending is None, f"two writes in flight: {line}"
            if parts[1] == "add":
                pending = InFlight("add", None, parts[2])
            else:
                pending = InFlight("edit", parts[2], parts[3])
        elif parts[0] == "ACK":
            assert pending is not None, f"acknowledged nothing: {line}"
            assert pending.note_id in (None, parts[1])
            expected.acknowledge(pending.op, parts[1], pending.key)
            pending = None
        else:
            assert parts == ["OPEN"], line
    return pending


def check_database(wb: Workbook) -> None:
    db = wb.db
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # FTS5 checks its index against its own content; raises if they disagree.
    db.execute("INSERT INTO search_text (search_text) VALUES ('integrity-check')")
    live = db.execute("SELECT count(*) FROM notes WHERE deleted_at IS NULL").fetchone()[0]
    keyed = db.execute("SELECT count(*) FROM search_keys WHERE kind = 'note'").fetchone()[0]
    assert keyed == live
    out_of_step = db.execute(
        """SELECT n.id FROM notes n
           LEFT JOIN search_keys k ON k.record_id = n.id
           LEFT JOIN search_text t ON t.rowid = k.id
           WHERE n.deleted_at IS NULL AND (t.body IS NULL OR t.body != n.body
                 OR t.title != n.title)"""
    ).fetchall()
    assert out_of_step == []


def check_notes(
    wb: Workbook, expected: Expected, in_flight: InFlight | None, this_round: list[str]
) -> None:
    """Every acknowledged write is there; only the write in flight may be there besides.

    Updates ``expected`` with the write in flight when it turns out to have been committed.
    """
    notes = {note.id: note for note in wb.notes.all()}
    missing = set(expected.last) - set(notes)
    assert not missing, f"acknowledged notes lost: {sorted(missing)}"
    unknown = set(notes) - set(expected.last)
    if unknown:
        assert in_flight is not None and in_flight.op == "add", f"phantom notes: {unknown}"
        assert len(unknown) == 1, f"phantom notes: {unknown}"
        (new_id,) = unknown
        assert notes[new_id].body == body_for(in_flight.key)
        expected.acknowledge("add", new_id, in_flight.key)
    for note_id, key in list(expected.last.items()):
        body = notes[note_id].body
        if body == body_for(key):
            continue
        # Committed, but killed before it could say so: the in-flight edit, whole.
        assert in_flight is not None and in_flight.op == "edit", f"{note_id}: wrong body"
        assert in_flight.note_id == note_id and body == body_for(in_flight.key), note_id
        expected.acknowledge("edit", note_id, in_flight.key)
    for note_id in set(this_round) | set(unknown):
        history = wb.notes.history(note_id)
        assert history[-1].hash == notes[note_id].head
        assert history[-1].content["body"] == notes[note_id].body
        bodies = {revision.content["body"] for revision in history}
        assert {body_for(key) for key in expected.every[note_id]} <= bodies
        for parent, child in itertools.pairwise(history):
            assert child.parents == (parent.hash,)
    # The search service finds what was written this round, by a word only its body has.
    for note_id in this_round[-3:]:
        hits = wb.search(token(expected.last[note_id])).hits
        assert [hit.record_id for hit in hits] == [note_id]


def copy_workbook(path: Path, folder: Path) -> Path:
    """A copy of a closed workbook with its write-ahead log, as a killed process left them."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for suffix in ("", "-wal"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            shutil.copyfile(source, folder / f"{path.name}{suffix}")
    return folder / path.name


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
def test_every_acknowledged_write_survives_kill_9(tmp_path: Path, kind: str) -> None:
    passphrase = PASSPHRASES[kind]
    path = tmp_path / "crash.ctdesk"
    Workbook.create(path, passphrase=passphrase).close()
    rng = random.Random(f"crash-{kind}")
    expected = Expected()
    started = time.monotonic()
    mid_write = 0
    for round_no in range(1, ROUNDS[kind] + 1):
        before = expected.writes
        lines, _delay = run_and_kill(path, round_no, rng, passphrase)
        in_flight = parse(lines, expected)
        mid_write += in_flight is not None
        this_round = [line.split()[1] for line in lines if line.startswith("ACK")]
        # Every other round looks at a copy, leaving the killed writer's log to the next one.
        target = copy_workbook(path, tmp_path / "copy") if round_no % 2 else path
        with Workbook.open(target, passphrase=passphrase) as wb:
            check_database(wb)
            check_notes(wb, expected, in_flight, this_round)
        assert expected.writes >= before
    elapsed = time.monotonic() - started
    print(
        f"{kind}: {ROUNDS[kind]} kills, {expected.writes} writes acknowledged, "
        f"{len(expected.last)} notes, {mid_write} kills with a write in flight, {elapsed:.1f} s"
    )
    assert expected.writes > ROUNDS[kind]  # the writer got going in most rounds
    assert mid_write >= ROUNDS[kind] // 3  # and most kills landed in the middle of a write
