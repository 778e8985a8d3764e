"""The window on a 100,000-note workbook: launch, force switch, coverage, typing, memory.

Every measurement runs in a fresh child process of this script (so the parent's work, such as
generating the demo workbook, does not colour it), on a copy of the workbook in a temporary
folder, with temporary settings (an author is saved so the first-run dialog does not appear),
under the offscreen Qt platform on a 1366×768 screen (the tests' screen). Each figure is printed
beside a baseline measured in the same run:

1. Launch to painted window. The parent measures wall-clock time from spawning a child to the
   child printing "painted", which it does once the first Paint event of its top-level window
   (or of one of its children) has been processed. ctdesk: the real `ctdesk --workbook PATH`
   entry point (`ctdesk.cli.main`), with fresh UI state, and again remembering the biggest force
   (as a relaunch does). Baseline: `QApplication` and a bare `QMainWindow` holding a label.
   Median and worst of several launches each, alternated.
2. Switching to a force with about 2,000 notes: `navigator.select_force` plus processing events
   and repainting the window, alternating between the two forces whose live-note counts are
   closest to 2,000. Baseline: a bare `sqlite3` SELECT of that force's live notes (id, title,
   marking, updated_at, body) into a list.
3. Coverage: `ctdesk.coverage.coverage(workbook)` (skipped if the module does not exist yet).
   Baseline: a bare `SELECT count(*) FROM note_areas`.
4. Typing a search: in the search page, queries typed one key every 80 ms (searches wait for
   the pause) and every 200 ms (they run while the typing goes on), then waiting for the
   results, while a 5 ms timer on the UI thread records the longest gap between its ticks
   beyond its interval (an event-loop stall). Baseline: the same timer while the same
   characters are typed at the same pace into a plain `QLineEdit` connected to nothing, for
   the same duration.
5. Memory: VmRSS and VmHWM of a GUI process after opening the workbook, painting, switching to
   the biggest force and running one search. Baseline: the bare window child's VmRSS.

Without --workbook, a workbook is generated with `ctdesk demo`'s generator (seed 1) in a
temporary folder; with it, the workbook is copied there first (opening applies migrations),
so the original is never touched. Nothing is cached in the repository.

Run: .venv/bin/python -m benchmarks.bench_gui [--workbook PATH] [--notes 100000]
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

TARGETS = {"launch": 3.0, "switch": 100.0, "coverage": 100.0, "stall": 100.0, "memory": 400.0}
LAUNCHES = 5
SWITCHES = 10
COVERAGE_RUNS = 10
QUERIES = ("referral form", "information sharing", "safeguard")
# 80 ms per key: the search waits for the pause (it is debounced by 150 ms). 200 ms per key: a
# slow typist, so searches run and their results arrive while the typing goes on.
KEY_INTERVALS_MS = (80, 200)
TICK_MS = 5
SCREEN = Path(__file__).resolve().parent.parent / "tests" / "offscreen_screen.json"
CHILD_TIMEOUT = 300.0  # seconds; a child that hangs (a dialog nobody answers) is killed


# ---------------------------------------------------------------------------------------------
# Helpers shared by parent and children


def memory_mib() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and at its peak (VmHWM), in MiB."""
    values: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024  # kB
    return values


def live_note_counts(path: Path) -> dict[str, int]:
    """Live notes per force, by bare SQL on the workbook."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT force_id, count(*) FROM notes WHERE deleted_at IS NULL GROUP BY force_id"
        )
        return dict(rows.fetchall())
    finally:
        conn.close()


def median_worst(values: Sequence[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def _report(line: str, payload: dict[str, Any]) -> None:
    print(line, json.dumps(payload), flush=True)


# ---------------------------------------------------------------------------------------------
# Children (hidden --child argument)

_keep: list[object] = []  # Python objects Qt must not outlive


def _exit_on_first_paint(is_ours: Callable[[Any], bool]) -> None:
    """Print "painted" and this process's memory once a window of ours has been painted."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    class PaintWatch(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and is_ours(watched.window())
            ):
                self.seen = True
                # Runs once this paint pass (the window and its children) has been processed.
                QTimer.singleShot(0, done)
            return False

    def done() -> None:
        _report("painted", memory_mib())
        os._exit(0)  # the parent's clock stopped at "painted"; skip the teardown

    app = QApplication.instance()
    assert app is not None
    watch = PaintWatch(app)
    app.installEventFilter(watch)
    _keep.append(watch)


def child_bare() -> None:
    """A bare PySide6 window: QApplication, QMainWindow with a label, shown."""
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("A bare window", window))
    window.resize(1280, 800)
    _exit_on_first_paint(lambda w: w is window)
    window.show()
    app.exec()


def child_ctdesk(path: Path) -> None:
    """What `ctdesk --workbook PATH` does: the CLI entry point, which opens the window."""
    from ctdesk.cli import main
    from ctdesk.ui.app import application
    from ctdesk.ui.main_window import MainWindow

    application()  # the one `run()` would make; made first only to watch it for paints
    _exit_on_first_paint(lambda w: isinstance(w, MainWindow))
    main(["--workbook", str(path)])
    raise SystemExit("ctdesk returned without painting its window")


class _Gui:
    """The main window on the workbook, shown and painted, for the in-window measurements."""

    def __init__(self, path: Path) -> None:
        from ctdesk.ui.app import application, build_window
        from ctdesk.workbook import Workbook

        self.app = application()
        self.window = build_window(Workbook.open(path))
        self.results: Any = None  # the search results last put on screen
        self.window.search_page.results_shown.connect(self._results_shown)
        self.window.show()
        self.settle()

    def _results_shown(self, results: Any) -> None:
        self.results = results

    def showing(self, text: str) -> bool:
        """Whether the search page shows the results for ``text``."""
        return self.results is not None and self.results.text == text

    def settle(self) -> None:
        """Process pending events and paint the whole window now."""
        self.app.processEvents()
        self.window.repaint()

    def switch(self, force_id: str) -> float:
        """Milliseconds to switch the navigator to a force and paint its page."""
        start = time.perf_counter()
        self.window.navigator.select_force(force_id)
        self.settle()
        elapsed = (time.perf_counter() - start) * 1000
        page = self.window.force_page
        assert page.force is not None and page.force.id == force_id, "the force did not show"
        return elapsed

    def search(self, text: str, timeout: float = 30.0) -> None:
        """Search for ``text`` at once and wait for its results to be shown."""
        page = self.window.search_page
        self.window.show_search(text)
        page.run_now()
        deadline = time.monotonic() + timeout
        while not self.showing(text):
            if time.monotonic() > deadline:
                raise SystemExit(f"no results for {text!r} after {timeout:.0f} s")
            self.app.processEvents()
            time.sleep(0.001)
        self.settle()

    def close(self) -> None:
        self.window.search_page.shutdown()
        self.window.session.close()


def measure_switch(gui: _Gui, path: Path, counts: dict[str, int]) -> dict[str, Any]:
    """Switching between the two forces closest to 2,000 live notes; bare SELECT baseline."""
    near = sorted(counts, key=lambda f: (abs(counts[f] - 2000), f))
    first, second = near[0], near[1]
    start_on = min(counts, key=lambda f: (counts[f], f))  # a small force, neither of the two
    gui.switch(start_on)
    times = [gui.switch(first if i % 2 == 0 else second) for i in range(SWITCHES)]

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    bare = []
    for i in range(SWITCHES):
        force_id = first if i % 2 == 0 else second
        start = time.perf_counter()
        rows = conn.execute(
            "SELECT id, title, marking, updated_at, body FROM notes "
            "WHERE force_id = ? AND deleted_at IS NULL",
            (force_id,),
        ).fetchall()
        bare.append((time.perf_counter() - start) * 1000)
        assert len(rows) == counts[force_id]
    conn.close()
    return {
        "forces": [[first, counts[first]], [second, counts[second]]],
        "times": times,
        "bare": bare,
    }


def measure_coverage(gui: _Gui, path: Path) -> dict[str, Any] | None:
    """`coverage(workbook)` on the window's workbook; bare count(*) of note_areas baseline."""
    try:
        from ctdesk.coverage import coverage
    except ImportError:
        return None
    workbook = gui.window.session.workbook
    times = []
    for _ in range(COVERAGE_RUNS):
        start = time.perf_counter()
        coverage(workbook)
        times.append((time.perf_counter() - start) * 1000)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    bare = []
    for _ in range(COVERAGE_RUNS):
        start = time.perf_counter()
        conn.execute("SELECT count(*) FROM note_areas").fetchone()
        bare.append((time.perf_counter() - start) * 1000)
    conn.close()
    return {"times": times, "bare": bare}


class _StallClock:
    """A 5 ms timer on the UI thread that records the longest gap beyond its interval."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.worst = max(self.worst, now - self.last - TICK_MS)
        self.last = now

    def start(self) -> None:
        self.clock.start()
        self.last = 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()  # a stall just before stopping counts too
        return max(0.0, self.worst)


def type_text(
    box: Any, text: str, pace: int, after: Callable[[], bool] | None, hold_ms: float = 0.0
) -> tuple[float, float]:
    """Type ``text`` into ``box`` one key every ``pace`` ms inside the event loop, then wait until
    ``after()`` is true (or ``hold_ms`` if no condition). Returns the longest stall (ms) and the
    time from the last key to the end of the wait (ms)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    box.setFocus(Qt.FocusReason.OtherFocusReason)
    box.selectAll()
    QTest.keyClick(box, Qt.Key.Key_Backspace)  # start from an empty box
    loop = QEventLoop()
    stall = _StallClock()
    keys = list(text)
    last_key = [0.0]

    def finish_check() -> None:
        waited = (time.perf_counter() - last_key[0]) * 1000
        if (after is not None and after()) or (after is None and waited >= hold_ms):
            loop.quit()
        elif waited > 30_000:
            raise SystemExit(f"the results for {text!r} never came")
        else:
            QTimer.singleShot(1, finish_check)

    def next_key() -> None:
        QTest.keyClicks(box, keys.pop(0))  # one key: press and release
        if keys:
            QTimer.singleShot(pace, next_key)
        else:
            last_key[0] = time.perf_counter()
            QTimer.singleShot(1, finish_check)

    stall.start()
    QTimer.singleShot(pace, next_key)
    loop.exec()
    worst = stall.stop()
    return worst, (time.perf_counter() - last_key[0]) * 1000


def measure_typing(gui: _Gui) -> dict[str, Any]:
    """Longest stall while typing searches in the window; a plain QLineEdit baseline."""
    from PySide6.QtWidgets import QLineEdit

    page = gui.window.search_page
    gui.window.show_search()
    gui.settle()
    runs = []
    for pace in KEY_INTERVALS_MS:
        for query in QUERIES:
            stall, wait = type_text(page.box, query, pace, partial(gui.showing, query))
            total = gui.results.total
            runs.append(
                {"query": query, "pace": pace, "stall": stall, "results_after": wait, "hits": total}
            )

    plain = QLineEdit()
    plain.resize(600, 30)
    plain.show()
    gui.app.processEvents()
    for run in runs:
        run["bare"], _ = type_text(plain, run["query"], run["pace"], None, run["results_after"])
    plain.close()
    return {"runs": runs}


def child_gui(path: Path) -> None:
    """Measurements 2–4 in one window, printed as one JSON line."""
    counts = live_note_counts(path)
    gui = _Gui(path)
    result = {
        "switch": measure_switch(gui, path, counts),
        "coverage": measure_coverage(gui, path),
        "typing": measure_typing(gui),
    }
    gui.close()
    _report("result", result)
    os._exit(0)


def child_memory(path: Path) -> None:
    """Memory after opening, painting, switching to the biggest force and one search."""
    counts = live_note_counts(path)
    biggest = max(counts, key=lambda f: (counts[f], f))
    gui = _Gui(path)
    opened = memory_mib()
    gui.switch(biggest)
    gui.search("information sharing")
    result = {"opened": opened, "after": memory_mib(), "force": [biggest, counts[biggest]]}
    gui.close()
    _report("result", result)
    os._exit(0)


# ---------------------------------------------------------------------------------------------
# Parent


def run_child(args: list[str], wanted: str) -> tuple[float, dict[str, Any]]:
    """Spawn this module as a child; seconds until it prints ``wanted``, and what it printed."""
    cmd = [sys.executable, "-m", "benchmarks.bench_gui", *args]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
        assert proc.stdout is not None
        payload: dict[str, Any] | None = None
        elapsed = 0.0
        for line in proc.stdout:
            if line.startswith(wanted + " "):
                elapsed = time.perf_counter() - start
                payload = json.loads(line[len(wanted) + 1 :])
                break
        try:
            proc.wait(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if payload is None:
            err.seek(0)
            message = err.read().decode(errors="replace")[-3000:]
            raise SystemExit(
                f"child {' '.join(args)} failed (status {proc.returncode}):\n{message}"
            )
    return elapsed, payload


def prepare(folder: Path, given: Path | None, notes: int) -> Path:
    """A workbook in ``folder``: a copy of the given one, or a freshly generated demo."""
    from ctdesk.workbook import Workbook

    path = folder / "bench.ctdesk"
    if given is not None:
        if not given.exists():
            raise SystemExit(f"There is no workbook at {given}.")
        for suffix in ("", "-wal"):
            source = Path(f"{given}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{path}{suffix}")
        print(f"copied {given} to {path}", file=sys.stderr)
    else:
        from ctdesk.demo import generate

        print(f"generating a {notes:,}-note demo workbook…", file=sys.stderr)
        with Workbook.create(path) as wb:
            generate(wb, notes=notes, seed=1)
    start = time.perf_counter()
    Workbook.open(path).close()  # applies pending migrations once, outside every measurement
    print(f"first open (migrations): {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def isolate(folder: Path) -> Path:
    """Temporary settings, data and log folders (with an author saved), and the Qt platform."""
    from ctdesk.settings import Settings

    os.environ["CTDESK_CONFIG_DIR"] = str(folder / "config")
    os.environ["CTDESK_DATA_DIR"] = str(folder / "data")
    os.environ["CTDESK_LOG_DIR"] = str(folder / "log")
    os.environ.pop("CTDESK_WORKBOOK", None)
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
    Settings(author="Benchmark Inspector").save(folder / "config")
    reopen = folder / "config-reopen"
    Settings(author="Benchmark Inspector").save(reopen)
    return reopen


def measure_launch(path: Path, reopen_config: Path, biggest: str) -> dict[str, list[float]]:
    """Launch-to-painted times (s) of the bare window and ctdesk, fresh and reopening."""
    (reopen_config / "ui-state.ini").write_text(f"[General]\nlastForce={biggest}\n")
    times: dict[str, list[float]] = {"bare": [], "ctdesk": [], "reopen": [], "bare_rss": []}
    fresh_config = os.environ["CTDESK_CONFIG_DIR"]
    for _ in range(LAUNCHES):
        elapsed, memory = run_child(["--child", "bare"], "painted")
        times["bare"].append(elapsed)
        times["bare_rss"].append(memory["VmRSS"])
        elapsed, _ = run_child(["--child", "ctdesk", "--workbook", str(path)], "painted")
        times["ctdesk"].append(elapsed)
        os.environ["CTDESK_CONFIG_DIR"] = str(reopen_config)
        try:
            elapsed, _ = run_child(["--child", "ctdesk", "--workbook", str(path)], "painted")
        finally:
            os.environ["CTDESK_CONFIG_DIR"] = fresh_config
        times["reopen"].append(elapsed)
    return times


def verdict(median: float, target: float, worst: float | None = None) -> str:
    if median > target:
        return "**missed**"
    if worst is not None and worst > target:
        return "met by the median; the worst is over"
    return "met"


def ms(value: float) -> str:
    """Milliseconds, with decimals only where they say something."""
    if value >= 10:
        return f"{value:.0f} ms"
    return f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def table(
    notes: int,
    launch: dict[str, list[float]],
    gui: dict[str, Any],
    memory: dict[str, Any],
) -> str:
    """The results as a Markdown table for docs/benchmarks.md."""
    rows = [
        "| what | ctdesk (median / worst) | baseline (median / worst) | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    bare_m, bare_w = median_worst(launch["bare"])
    for key, label in (
        ("ctdesk", "Launch to painted window (fresh UI state)"),
        ("reopen", "Launch to painted window, reopening the biggest force"),
    ):
        m, w = median_worst(launch[key])
        rows.append(
            f"| {label} ({LAUNCHES} launches) | {m:.2f} s / {w:.2f} s | bare PySide6 window: "
            f"{bare_m:.2f} s / {bare_w:.2f} s | {m / bare_m:.1f}× | ≤ 3× bare | "
            f"{verdict(m / bare_m, TARGETS['launch'], w / bare_m)} |"
        )
    switch = gui["switch"]
    (a, na), (b, nb) = switch["forces"]
    m, w = median_worst(switch["times"])
    bm, bw = median_worst(switch["bare"])
    rows.append(
        f"| Switch to a force with ~2,000 notes ({a} {na:,}, {b} {nb:,}; {SWITCHES} switches) | "
        f"{ms(m)} / {ms(w)} | bare SELECT of its notes: {ms(bm)} / {ms(bw)} | "
        f"{m / bm:.0f}× | ≤ 100 ms | {verdict(m, TARGETS['switch'], w)} |"
    )
    cov = gui["coverage"]
    if cov is None:
        rows.append("| Coverage | skipped: ctdesk.coverage does not exist yet | | | ≤ 100 ms | |")
    else:
        m, w = median_worst(cov["times"])
        bm, bw = median_worst(cov["bare"])
        rows.append(
            f"| Coverage of all forces × areas ({COVERAGE_RUNS} runs) | {ms(m)} / {ms(w)} | "
            f"bare `count(*)` of note_areas: {ms(bm)} / {ms(bw)} | {m / bm:.0f}× | "
            f"≤ 100 ms | {verdict(m, TARGETS['coverage'], w)} |"
        )
    runs = gui["typing"]["runs"]
    worst_stall = max(r["stall"] for r in runs)
    worst_bare = max(r["bare"] for r in runs)
    queries = ", ".join(f'"{q}"' for q in QUERIES)
    paces = " and ".join(str(p) for p in KEY_INTERVALS_MS)
    rows.append(
        f"| Longest UI stall while typing {queries} ({paces} ms per key, until the results "
        f"show) | {ms(worst_stall)} | plain QLineEdit: {ms(worst_bare)} | | "
        f"≤ 100 ms | {verdict(worst_stall, TARGETS['stall'])} |"
    )
    after = memory["after"]
    bare_rss = statistics.median(launch["bare_rss"])
    force, count = memory["force"]
    rows.append(
        f"| Memory after opening, painting, {force} ({count:,} notes) and one search | "
        f"RSS {after['VmRSS']:.0f} MiB, peak {after['VmHWM']:.0f} MiB | bare window RSS: "
        f"{bare_rss:.0f} MiB | {after['VmRSS'] / bare_rss:.1f}× | ≤ 400 MB | "
        f"{verdict(after['VmRSS'], TARGETS['memory'])} |"
    )
    details = [
        "",
        f"Workbook: {notes:,} live notes. Per query (longest stall; results shown after the "
        "last key; matches):",
    ]
    for r in runs:
        details.append(
            f'- "{r["query"]}" at {r["pace"]} ms per key: {ms(r["stall"])} (plain QLineEdit '
            f"{ms(r['bare'])}); results {r['results_after']:.0f} ms after the last key; "
            f"{r['hits']:,} matches"
        )
    details.append(
        "- switch times (ms): " + ", ".join(f"{t:.0f}" for t in switch["times"]) + "; memory "
        f"right after opening and painting: RSS {memory['opened']['VmRSS']:.0f} MiB"
    )
    return "\n".join(rows + details)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workbook", type=Path, help="workbook to copy and measure")
    parser.add_argument("--notes", type=int, default=100_000, help="notes to generate")
    parser.add_argument(
        "--child", choices=("bare", "ctdesk", "gui", "memory"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child == "bare":
        return child_bare()
    if args.child is not None:
        child = {"ctdesk": child_ctdesk, "gui": child_gui, "memory": child_memory}[args.child]
        return child(args.workbook)

    folder = Path(tempfile.mkdtemp(prefix="ctdesk-bench-gui-"))
    try:
        reopen_config = isolate(folder)
        path = prepare(folder, args.workbook, args.notes)
        counts = live_note_counts(path)
        biggest = max(counts, key=lambda f: (counts[f], f))
        print("launching…", file=sys.stderr)
        launch = measure_launch(path, reopen_config, biggest)
        print("in the window…", file=sys.stderr)
        _, gui = run_child(["--child", "gui", "--workbook", str(path)], "result")
        _, memory = run_child(["--child", "memory", "--workbook", str(path)], "result")
        print(table(sum(counts.values()), launch, gui, memory))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
