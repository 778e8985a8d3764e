"""One ctdesk writes to a workbook at a time; others read, or wait briefly and say who has it."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ctdesk import workbook as workbook_mod
from ctdesk.errors import WorkbookError
from ctdesk.workbook import Workbook


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_mod, "WRITE_WAIT_S", 0.2)


def test_a_second_writer_waits_then_is_told_who_has_it(workbook_path: Path) -> None:
    first = Workbook.create(workbook_path)
    first.notes.add(force="kent", title="Mine")
    second = Workbook.open(workbook_path)
    assert [n.title for n in second.notes.all()] == ["Mine"]  # reading needs no lock
    with pytest.raises(
        WorkbookError, match=f"open for writing in ctdesk on .*process {os.getpid()}"
    ):
        second.notes.add(force="kent", title="Theirs")
    assert [n.title for n in second.notes.all()] == ["Mine"]  # nothing half-written
    first.close()
    second.notes.add(force="kent", title="Theirs")
    assert len(second.notes.all()) == 2
    second.close()


def test_the_window_claims_at_once_and_learns_who_else_has_it(workbook_path: Path) -> None:
    first = Workbook.create(workbook_path)
    other = Workbook.open(workbook_path)
    holder = other.claim()
    assert holder is not None and holder.pid == os.getpid()
    other.close()
    first.close()
    again = Workbook.open(workbook_path)
    assert again.claim() is None
    again.close()


def test_a_read_only_workbook_reads_and_refuses_every_write(workbook_path: Path) -> None:
    with Workbook.create(workbook_path) as wb:
        note = wb.notes.add(force="kent", title="Kept").value
    ro = Workbook.open(workbook_path, read_only=True)
    assert ro.notes.get(note.id).title == "Kept"
    assert ro.search("kept").total == 1
    with pytest.raises(WorkbookError, match="read-only"):
        ro.notes.edit(note.id, title="Changed")
    with pytest.raises(WorkbookError, match="read-only"):
        ro.empty_trash()
    ro.close()
    with Workbook.open(workbook_path) as wb:
        assert wb.notes.get(note.id).title == "Kept"


def test_a_killed_holder_lets_go(workbook_path: Path) -> None:
    Workbook.create(workbook_path).close()
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from ctdesk.workbook import Workbook\n"
        "wb = Workbook.open(Path(sys.argv[1]))\n"
        "assert wb.claim() is None\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(workbook_path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    wb = Workbook.open(workbook_path)
    holder = wb.claim()
    assert holder is not None and holder.pid == child.pid
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 5
    while wb.claim() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert wb.claim() is None
    wb.notes.add(force="kent", title="After the crash")
    wb.close()


def test_cli_writes_fail_with_a_sentence_while_reads_work(workbook_path: Path) -> None:
    holder = Workbook.create(workbook_path)
    holder.notes.add(force="kent", title="Open in the window")
    env = {**os.environ}
    run = [sys.executable, "-m", "ctdesk", "--workbook", str(workbook_path)]
    listed = subprocess.run([*run, "note", "list"], capture_output=True, text=True, env=env)
    assert listed.returncode == 0 and "Open in the window" in listed.stdout
    start = time.monotonic()
    added = subprocess.run(
        [*run, "note", "add", "--force", "kent", "--title", "From the CLI"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert added.returncode == 1
    assert "open for writing in ctdesk" in added.stderr and "Traceback" not in added.stderr
    assert added.stderr.count("\n") == 1
    assert time.monotonic() - start >= workbook_mod.WRITE_WAIT_S  # the CLI's own wait, 3 s
    holder.close()


def test_sibling_writes_from_a_thread_under_the_same_lock(workbook):
    workbook.notes.add(force="kent", title="first")
    assert workbook.owner.held
    errors = []

    def work():
        try:
            other = workbook.sibling()
            other.notes.add(force="kent", title="from the worker")
            other.close()
        except Exception as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert errors == []
    assert {n.title for n in workbook.notes.all()} == {"first", "from the worker"}
    assert workbook.owner.held  # closing the sibling left the window's lock alone
