"""How long `ctdesk demo` takes to write N notes, beside a bare SQLite baseline.

Baseline: the same number of rows of similar size inserted with one `executemany` into a plain
table, in one transaction, with the same journal settings (WAL, synchronous=FULL). The ratio
says what ctdesk's revisions, links and hashing cost on top of raw inserts.

Run: .venv/bin/python -m benchmarks.bench_demo [--notes 100000]
"""

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from ctdesk.demo import generate
from ctdesk.workbook import Workbook


def baseline(path: Path, rows: int, body: str) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, title TEXT, body TEXT)")
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO notes VALUES (?, ?, ?)",
            ((f"{i:032x}", f"Note {i}", body) for i in range(rows)),
        )
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ctdesk-bench-"))
    os.environ.setdefault("CTDESK_CONFIG_DIR", str(folder / "config"))
    wb = Workbook.create(folder / "demo.ctdesk")
    start = time.perf_counter()
    generate(wb, notes=args.notes, seed=1)
    ours = time.perf_counter() - start
    mean_body = sum(len(n.body) for n in wb.notes.all()[:2000]) // 2000
    wb.close()
    base = baseline(folder / "baseline.db", args.notes, "x" * mean_body)
    size = (folder / "demo.ctdesk").stat().st_size / 2**20
    print(f"demo --notes {args.notes}: {ours:.1f} s (workbook {size:.0f} MiB)")
    print(f"baseline executemany of {args.notes} rows: {base:.1f} s")
    print(f"ratio: {ours / base:.1f}x")


if __name__ == "__main__":
    main()
