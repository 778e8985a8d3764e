"""Search on a 100,000-note workbook, beside two baselines measured in the same run.

For a fixed set of queries (below), each run several times, the median and 95th percentile of:

- **ctdesk**: ``Workbook.search`` as the CLI and the GUI's search thread call it: the query
  translated, ranked by bm25, 50 hits with highlighted snippets and titles, and the total count;
  once without filters and once with filters (a marking and a CT region).
- **bare FTS5**: ``SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank LIMIT 50``
  on the same database with the same (translated) expression.
- **file grep**: the same notes written as one Markdown file each, searched with ``grep -r``
  and, when it is installed, ``rg``: ``-l -i -F`` for the query's first word, which does less
  than either query above (no ranking, one word), so the comparison favours grep. The page
  cache is warm for every tool.

Run: .venv/bin/python -m benchmarks.bench_search [--workbook PATH] [--notes 100000]
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ctdesk import search_query
from ctdesk.db.search import Filters, bare_search, full_match
from ctdesk.demo import generate
from ctdesk.search import filters_for
from ctdesk.workbook import Workbook

QUERIES = [
    "referral",
    "referral form",
    '"information sharing"',
    "channel panel minutes",
    "safeguard*",
    "prevent -training",
    "schools OR colleges",
    "mental health nurse",
    "radicalisation",
    "quarterly performance reports",
    "escalat* threshold",
    "vulnerability hub",
]
RUNS = 5  # per query, after one warm-up run
GREP_RUNS = 2


def timings(run: Callable[[str], object], queries: list[str], runs: int) -> list[float]:
    """Seconds per call, every query ``runs`` times after one untimed warm-up each."""
    samples = []
    for query in queries:
        run(query)
        for _ in range(runs):
            start = time.perf_counter()
            run(query)
            samples.append(time.perf_counter() - start)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def write_notes(db_path: Path, folder: Path) -> int:
    """Every live note as its own Markdown file; returns how many."""
    conn = sqlite3.connect(db_path)
    count = 0
    for note_id, title, body in conn.execute(
        "SELECT id, title, body FROM notes WHERE deleted_at IS NULL"
    ):
        (folder / f"{note_id}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
        count += 1
    conn.close()
    return count


def grep_commands(folder: Path) -> dict[str, Callable[[str], object]]:
    """``grep -r`` always, and ``rg`` when it is installed: each lists the files with the
    query's first word, in any case."""

    def first_word(query: str) -> str:
        words = search_query.parse(query).words()
        return words[0].rstrip("*") if words else query

    def runner(*command: str) -> Callable[[str], object]:
        def run(query: str) -> object:
            args = [*command, "--", first_word(query), str(folder)]
            return subprocess.run(args, stdout=subprocess.DEVNULL, check=False)

        return run

    tools = {"grep -r -l -i -F": runner("grep", "-r", "-l", "-i", "-F")}
    rg = shutil.which("rg")
    if rg:
        tools["rg -l -i -F"] = runner(rg, "-l", "-i", "-F")
    return tools


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--workbook", type=Path, help="Use a copy of this demo workbook.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ctdesk-bench-search-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("CTDESK_CONFIG_DIR", str(folder / "config"))
        path = folder / "demo.ctdesk"
        if args.workbook:
            shutil.copy(args.workbook, path)
            print(f"Copied {args.workbook}; opening it builds the search index if needed.")
        else:
            print(f"Generating a demo workbook with {args.notes:,} notes…")
            with Workbook.create(path) as wb:
                generate(wb, notes=args.notes)
        start = time.perf_counter()
        wb = Workbook.open(path)
        print(f"Opened in {time.perf_counter() - start:.1f} s.")
        notes = len(wb.db.execute("SELECT id FROM notes WHERE deleted_at IS NULL").fetchall())
        filters = filters_for(wb.scope, marking="OFFICIAL-SENSITIVE", region="south east")

        ours = timings(lambda q: wb.search(q), QUERIES, RUNS)
        ours_filtered = timings(lambda q: wb.search(q, filters), QUERIES, RUNS)
        conn = sqlite3.connect(path)
        bare = timings(
            lambda q: bare_search(conn, full_match(wb.db, search_query.parse(q).fts(), Filters())),
            QUERIES,
            RUNS,
        )
        conn.close()
        totals = {q: wb.search(q).total for q in QUERIES}
        wb.close()

        files = folder / "notes"
        files.mkdir()
        written = write_notes(path, files)
        grepped: dict[str, list[float]] = {}
        for tool, grep in grep_commands(files).items():
            grep(QUERIES[0])  # warm the page cache
            grepped[tool] = timings(grep, QUERIES, GREP_RUNS)

    def ms(value: float) -> str:
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"

    bare_p95 = p95(bare)
    print()
    print(f"{notes:,} notes; {len(QUERIES)} queries × {RUNS} runs; grep over {written:,} files.")
    print("Matches per query: " + ", ".join(f"{q} {n:,}" for q, n in totals.items()))
    print()
    tools = list(grepped)
    print(
        "| search | median | p95 | p95 ÷ bare FTS5 p95 | "
        + " | ".join(f"`{tool.split()[0]}` p95 ÷ this p95" for tool in tools)
        + " |"
    )
    print("|---|---|---|---|" + "---|" * len(tools))
    rows = [
        ("ctdesk (50 hits, snippets, total)", ours),
        ("ctdesk with filters (marking + region)", ours_filtered),
        ("bare FTS5 `MATCH … ORDER BY rank LIMIT 50`", bare),
    ] + [(f"`{tool}` over one Markdown file per note", t) for tool, t in grepped.items()]
    for label, samples in rows:
        ratios = " | ".join(f"{p95(grepped[t]) / p95(samples):.0f}×" for t in tools)
        print(
            f"| {label} | {ms(statistics.median(samples))} | {ms(p95(samples))} "
            f"| {p95(samples) / bare_p95:.2f}× | {ratios} |"
        )
    print()
    print("Targets: ctdesk p95 ≤ 2× bare FTS5 p95, and ≥ 30× faster than the file grep.")


if __name__ == "__main__":
    main()
