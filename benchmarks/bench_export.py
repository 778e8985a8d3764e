"""Whole-inspection export of a 10,000-note workbook in each format, beside a baseline.

Each format runs in its own process (`ctdesk export`), so its time and peak memory are its
own. Baseline: a bare script reading every note's text from the same SQLite file and writing it
to one text file, in the same run. Then the same PDF export runs in the GUI's background helper
while a 10 ms timer on the UI thread records the longest event-loop stall.

Run: .venv/bin/python -m benchmarks.bench_export [--notes 10000]
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ctdesk import export
from ctdesk.demo import generate
from ctdesk.workbook import Workbook

FORMATS = ("md", "html", "pdf", "docx", "xlsx", "csv", "json")
TARGETS = {"pdf": 15.0, "docx": 15.0}  # seconds; every other format: 3 s


def timed_child(args: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err}")
    return elapsed, usage.ru_maxrss / 1024


def baseline(db_path: Path, out: Path) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    with out.open("w", encoding="utf-8") as f:
        for title, body in conn.execute("SELECT title, body FROM notes"):
            f.write(f"{title}\n{body}\n\n")
    conn.close()
    return time.perf_counter() - start


def gui_stall(path: Path, out: Path) -> tuple[float, float]:
    """Longest UI-thread stall (ms) while a PDF export runs in the background, and its time."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QWidget

    from ctdesk.settings import Settings
    from ctdesk.ui.app import application
    from ctdesk.ui.background import BackgroundOp

    app = application()
    parent = QWidget()
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    worst = [0]

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0] - 10)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    with Workbook.open(path, Settings.load()) as wb:
        scope = export.resolve_scope(wb, "inspection", "ct4")

    def work(progress: export.Progress) -> export.ExportResult:
        return export.export_in_child(path, scope, "pdf", out, None, progress)  # as the GUI does

    op = BackgroundOp(parent, "Exporting", "Exporting…", work)
    done = []
    op.finished.connect(lambda: done.append(time.perf_counter()))
    start = time.perf_counter()
    timer.start()
    op.start()
    while not done:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return float(worst[0]), done[0] - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ctdesk-bench-export-"))
    os.environ["CTDESK_CONFIG_DIR"] = str(folder / "config")
    path = folder / "demo.ctdesk"
    with Workbook.create(path) as wb:
        generate(wb, notes=args.notes, seed=1)
    base = baseline(path, folder / "baseline.txt")
    print(f"whole-inspection export of {args.notes:,} notes")
    print(f"baseline (read all note text, write one file): {base:.2f} s")
    print(
        f"{'format':<6} {'time':>8} {'target':>8} {'× baseline':>11} {'peak RSS':>10} {'size':>10}"
    )
    for fmt in FORMATS:
        out = folder / f"inspection.{fmt}"
        cmd = [
            sys.executable,
            "-m",
            "ctdesk",
            "--workbook",
            str(path),
            "export",
            "--inspection",
            "ct4",
            "--format",
            fmt,
            "--out",
            str(out),
        ]
        elapsed, peak = timed_child(cmd)  # a fresh process per format: its peak is its own
        target = TARGETS.get(fmt, 3.0)
        size = out.stat().st_size / 2**20
        flag = "" if elapsed <= target else "  MISSED"
        print(
            f"{fmt:<6} {elapsed:>7.2f}s {target:>7.0f}s {elapsed / base:>10.0f}× "
            f"{peak:>8.0f} MB {size:>8.1f} MB{flag}"
        )
    stall, took = gui_stall(path, folder / "gui.pdf")
    print(
        f"GUI: PDF export in the background took {took:.1f} s; "
        f"longest event-loop stall {stall:.0f} ms (target ≤ 100 ms)"
    )


if __name__ == "__main__":
    main()
