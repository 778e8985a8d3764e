"""Exchange bundles of a 100,000-note workbook: export, import and re-import, beside a bare
``executemany`` of the same rows measured in the same run.

Source: ``ctdesk demo --notes N``, then every note gets a chain of two more revisions (an edit
of its body, then of its title), each made by ``ctdesk.history.make`` and following the one
before, with the note's row set to its last revision as ``Notes.edit`` leaves it, but all
written in one transaction. Then each step runs in a fresh Python process of its own, so its
peak RSS is its own:

- **export**: ``export_bundle`` of the whole workbook, unencrypted and to an age X25519 key
  generated in the run;
- **import**: ``import_bundle`` of the encrypted bundle into a fresh empty workbook, timed
  phase by phase by wrapping the module functions it calls (about a million wrapped calls,
  0.2 s), and the time Python's cyclic garbage collector took within it;
- **re-import**: the same bundle into the workbook just imported into (everything unchanged);
- **baseline**: into another fresh empty workbook, the rows the import writes (every revision
  of the bundle the workbook lacks into ``revisions``, every record's row into its table, every
  link into its link table) inserted with one bare ``executemany`` per table in one
  transaction, with the search triggers on as in any workbook; and once more into a workbook
  whose search triggers were dropped, as an extra figure.

``--repeat R`` runs baseline, import and re-import R times and keeps the fastest of each (the
machine may be busy with other work). Targets (issue 7): import ≤ 4× the baseline; re-import
≤ 25% of the import. Unless ``--no-check``, both workbooks then pass ``ctdesk check`` and the
imported one must hold the same rows as the source.

Run: .venv/bin/python benchmarks/bench_bundle.py [--notes 100000] [--repeat 1] [--no-check]
     [--keep]
"""

import argparse
import functools
import gc
import hashlib
import multiprocessing
import os
import random
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pyrage import x25519

from ctdesk import backups, demo_text, history, merge
from ctdesk.db import exchange as exchange_db
from ctdesk.db import revisions as revisions_db
from ctdesk.demo import generate
from ctdesk.exchange import bundle, crypto, export, files, importer, state
from ctdesk.record import COMMON
from ctdesk.workbook import Workbook

EDITS = 2  # revisions added to every note after its ``create``
IMPORT_TARGET = 4.0  # × baseline
REIMPORT_TARGET = 0.25  # × first import


# ---- running one step in a process of its own --------------------------------------------------
def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def isolated(step: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``step(*args)`` in a fresh Python process; its result gains ``peak`` (MiB) and ``start``
    (MiB resident once Python and ctdesk are imported)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(_measured, step, *args).result()


def _measured(step: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    start = peak_mib()
    result = step(*args)
    return {**result, "start": start, "peak": peak_mib()}


class Stopwatch:
    """Wall time of a block, and how long Python's cyclic garbage collector ran within it."""

    def __init__(self) -> None:
        self.seconds = self.gc_seconds = self._began = 0.0
        self.gc_runs = 0

    def _collecting(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.gc_runs += 1
            self.gc_seconds += time.perf_counter() - self._began

    def __enter__(self) -> "Stopwatch":
        gc.callbacks.append(self._collecting)
        self._start = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self._start
        gc.callbacks.remove(self._collecting)

    def result(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "gc": (self.gc_runs, self.gc_seconds)}


class Phases:
    """Seconds spent in module functions, by label, while they are wrapped."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.missing: list[str] = []  # functions renamed or gone since this was written

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name, None)
        if original is None:
            self.missing.append(f"{owner.__name__}.{name}")
            return

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start

        setattr(owner, name, timed)


# ---- the source workbook -----------------------------------------------------------------------
def _later(stamp: str, rng: random.Random) -> str:
    moment = datetime.fromisoformat(stamp) + timedelta(minutes=rng.randrange(30, 3 * 24 * 60))
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def add_revision_chains(wb: Workbook, edits: int, seed: int = 1) -> int:
    """Give every note ``edits`` more revisions, each following the last, in one transaction;
    each note's row becomes its last revision, as ``Notes.edit`` leaves it. Returns how many
    revisions were added."""
    rng = random.Random(seed)
    notes = wb.notes.all(deleted=None)
    added = 0
    with wb.db.atomic():
        for start in range(0, len(notes), 10_000):
            revisions, rows = [], []
            for note in notes[start : start + 10_000]:
                current, at = note, note.updated_at
                for step in range(edits):
                    at = _later(at, rng)
                    if step % 2 == 0:
                        sentence = rng.choice(demo_text.GENERAL_SENTENCES).format(
                            who_plural="frontline officers",
                            how_often="monthly",
                            pct=rng.randrange(45, 99),
                            few="two",
                            role=rng.choice(demo_text.ROLES),
                            month=rng.choice(demo_text.MONTHS),
                            place=rng.choice(demo_text.PLACES),
                        )
                        new = replace(current, body=f"{current.body}\n\nFollow-up: {sentence}")
                    else:
                        new = replace(current, title=f"{current.title} (reviewed)"[:300])
                    rev = history.make(
                        kind=wb.notes.kind,
                        record_id=note.id,
                        content=wb.notes.content(new),
                        parents=(current.head,),
                        op="edit",
                        author=rng.choice(demo_text.AUTHORS),
                        workbook_id=wb.id,
                        created_at=at,
                    )
                    revisions.append(history.as_row(rev))
                    current = replace(new, updated_at=at, head=rev.hash)
                rows.append(
                    (current.title, current.body, current.updated_at, current.head, note.id)
                )
            revisions_db.append_many(wb.db, revisions)
            wb.db.conn.executemany(
                "UPDATE notes SET title = ?, body = ?, updated_at = ?, head = ? WHERE id = ?", rows
            )
            added += len(revisions)
    return added


def make_source(path: str, notes: int) -> dict[str, Any]:
    with Workbook.create(Path(path)) as wb:
        start = time.perf_counter()
        generate(wb, notes=notes, seed=1)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        added = add_revision_chains(wb, EDITS)
        chained = time.perf_counter() - start
        counts = {
            table: wb.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("notes", "activities", "documents", "findings", "revisions")
        }
    return {"generated": generated, "chained": chained, "added": added, "counts": counts}


# ---- the measured steps ------------------------------------------------------------------------
EXPORT_PHASES = (
    (export, "build", "build"),
    (export, "chosen_records", "  choose records"),
    (bundle, "pack", "  pack (JSON lines, zip, checksums)"),
    (export.Encryption, "seal", "encrypt"),
    (files, "write_atomically", "write the file"),
)


def run_export(source: str, out: str, recipients: tuple[str, ...]) -> dict[str, Any]:
    phases = Phases()
    for owner, name, label in EXPORT_PHASES:
        phases.wrap(owner, name, label)
    encryption = (
        export.Encryption(recipients=recipients) if recipients else export.Encryption(none=True)
    )
    with Workbook.open(Path(source)) as wb, Stopwatch() as watch:
        made = export.export_bundle(wb, Path(out), encryption)
    return {
        **watch.result(),
        "size": made.size,
        "counts": made.manifest["counts"],
        "phases": dict(phases.seconds),
        "missing": phases.missing,
    }


IMPORT_PHASES = (
    # (module or class, function, label): a label is indented under the phase that calls it.
    (importer, "open_bundle", "read + decrypt"),
    (crypto, "decrypt", "  decrypt (age)"),
    (bundle, "unpack", "unpack + checksums"),
    (bundle, "_revisions", "  parse revisions (JSON lines)"),
    (importer, "apply", "apply"),
    (importer, "plan", "  plan"),
    (exchange_db, "known_hashes", "    known hashes"),
    (importer, "_forgotten", "    forgotten (tombstones)"),
    (importer, "_verified", "    verify hashes"),
    (history, "verify_row", "      history.verify_row"),
    (importer, "_storable", "      _storable (types, text, marking)"),
    (importer, "_check_scope", "    check scope"),
    (exchange_db, "revisions_of", "    local revisions"),
    (exchange_db, "heads", "    local heads"),
    (exchange_db, "conflict_tips", "    open conflicts"),
    (merge, "derive", "    merge.derive"),
    (importer, "_files", "    attached files"),
    (backups, "backup", "  backup before import"),
    (exchange_db, "insert_revisions", "  insert revisions"),
    (state.Batch, "write", "  write rows, links, conflicts"),
    (state, "row_for", "    row_for"),
    (exchange_db, "upsert_rows", "    upsert rows"),
    (exchange_db, "replace_links", "    replace links"),
    (exchange_db, "set_conflicts", "    set conflicts"),
)


def run_import(target: str, path: str, identity: str, fresh: bool) -> dict[str, Any]:
    phases = Phases()
    for owner, name, label in IMPORT_PHASES:
        phases.wrap(owner, name, label)
    wb = Workbook.create(Path(target)) if fresh else Workbook.open(Path(target))
    with wb, Stopwatch() as watch:
        receipt = importer.import_bundle(wb, Path(path), identities=[identity])
    return {
        **watch.result(),
        "receipt": receipt.to_json(),
        "phases": dict(phases.seconds),
        "missing": phases.missing,
    }


def _rows_to_insert(source: Path, path: Path, identity: str) -> Iterator[tuple[str, str, list]]:
    """(table, insert statement, rows) for every row an import of the bundle writes."""
    contents = bundle.unpack(importer.open_bundle(path, identities=[identity]))
    carried = {r["record_id"] for r in contents.revisions}
    with Workbook.open(source, read_only=True) as wb:
        kinds = wb.record_kinds()
        tables = []
        for kind in state.KIND_ORDER:  # what a record refers to goes first
            service = kinds[kind]
            columns = (*COMMON, *service.columns)
            rows = [
                row
                for row in wb.db.execute(f"SELECT {', '.join(columns)} FROM {service.table}")
                if row[0] in carried
            ]
            # Plan activities are in every workbook already: replace them.
            verb = "INSERT OR REPLACE" if kind == "activity" else "INSERT"
            marks = ", ".join("?" * len(columns))
            sql = f"{verb} INTO {service.table} ({', '.join(columns)}) VALUES ({marks})"
            tables.append((service.table, sql, rows))
        for kind in state.KIND_ORDER:
            for spec in kinds[kind].links.values():
                rows = [
                    row
                    for row in wb.db.execute(
                        f"SELECT {spec.owner}, {spec.target} FROM {spec.table}"
                    )
                    if row[0] in carried
                ]
                sql = f"INSERT INTO {spec.table} ({spec.owner}, {spec.target}) VALUES (?, ?)"
                tables.append((spec.table, sql, rows))
    revisions = [
        (
            r["hash"],
            r["record_id"],
            r["kind"],
            history.canonical(sorted(r["parents"])),
            r["op"],
            r["author"],
            r["workbook_id"],
            r["created_at"],
            r["content"],
            r["content_hash"],
        )
        for r in contents.revisions
    ]
    columns = "hash, record_id, kind, parents, op, author, workbook_id, created_at, content, "
    sql = f"INSERT INTO revisions ({columns}content_hash) VALUES ({', '.join('?' * 10)})"
    tables.append(("revisions", sql, revisions))
    yield from tables


def run_baseline(source: str, path: str, identity: str, target: str, search: bool) -> dict:
    tables = list(_rows_to_insert(Path(source), Path(path), identity))
    with Workbook.create(Path(target)) as wb:
        conn = wb.db.conn
        # The plan revisions every workbook generates are there already: the import skips them.
        present = {h for (h,) in conn.execute("SELECT hash FROM revisions")}
        table, sql, rows = tables[-1]
        tables[-1] = (table, sql, [r for r in rows if r[0] not in present])
        if not search:
            triggers = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_search_%'"
            ).fetchall()
            for (name,) in triggers:
                conn.execute(f"DROP TRIGGER {name}")
        per_table: dict[str, float] = defaultdict(float)
        with Stopwatch() as watch, wb.db.atomic():
            for table, sql, rows in tables:
                began = time.perf_counter()
                conn.executemany(sql, rows)
                per_table[table] += time.perf_counter() - began
    return {
        **watch.result(),
        "rows": {table: len(rows) for table, _sql, rows in tables},
        "phases": dict(per_table),
    }


def run_checks(paths: list[str]) -> dict[str, Any]:
    """``ctdesk check`` of each workbook, and a digest of every record's row in each."""
    from ctdesk import check

    found: dict[str, Any] = {}
    for path in paths:
        with Workbook.open(Path(path), read_only=True) as wb:
            problems = [p.text for p in check.check(wb)]
            digest = hashlib.sha256()
            for service in wb.record_kinds().values():
                columns = ", ".join((*COMMON, *service.columns))
                for row in wb.db.execute(f"SELECT {columns} FROM {service.table} ORDER BY id"):
                    digest.update(repr(row).encode())
                for spec in service.links.values():
                    sql = f"SELECT * FROM {spec.table} ORDER BY 1, 2"
                    for row in wb.db.execute(sql):
                        digest.update(repr(row).encode())
            found[path] = {"problems": problems, "digest": digest.hexdigest()}
    return {"workbooks": found}


# ---- the report --------------------------------------------------------------------------------
def _depth(label: str) -> int:
    return (len(label) - len(label.lstrip())) // 2


def phase_lines(total: float, phases: dict[str, float], order: list[str]) -> list[str]:
    """One line per phase, indented under the phase that calls it; under each phase with
    phases of its own, "(the rest)": its time outside them."""
    labels = [label for label in order if label in phases]

    def line(label: str, seconds: float) -> str:
        return f"      {label:<46} {seconds:8.2f} s"

    def walk(start: int, depth: int, parent: float) -> tuple[list[str], int]:
        lines, taken, i = [], 0.0, start
        while i < len(labels) and _depth(labels[i]) >= depth:
            label = labels[i]
            lines.append(line(label, phases[label]))
            taken += phases[label]
            below, i = walk(i + 1, depth + 1, phases[label])
            lines += below
        if i > start:
            lines.append(line("  " * depth + "(the rest)", parent - taken))
        return lines, i

    return walk(0, 0, total)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--no-check", action="store_true", help="Skip `ctdesk check` at the end.")
    parser.add_argument(
        "--repeat", type=int, default=1, help="Rounds of baseline, import and re-import."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the workbooks and bundles.")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ctdesk-bench-bundle-"))
    try:
        run(args, folder)
    finally:
        if args.keep:
            print(f"(files kept in {folder})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _best(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated runs, with the slowest's time beside it."""
    best = min(results, key=lambda r: r["seconds"])
    return {**best, "slowest": max(r["seconds"] for r in results)}


def run(args: argparse.Namespace, folder: Path) -> None:
    os.environ["CTDESK_CONFIG_DIR"] = str(folder / "config")
    os.environ["CTDESK_DATA_DIR"] = str(folder / "data")  # the backup taken before an import
    source = folder / "source.ctdesk"
    plain, sealed = folder / "plain.ctbundle", folder / "sealed.ctbundle"
    key = x25519.Identity.generate()
    identity, recipient = str(key), str(key.to_public())

    print(f"Generating a demo workbook with {args.notes:,} notes, each with {EDITS} edits…")
    made = isolated(make_source, str(source), args.notes)
    print(
        f"  demo {made['generated']:.1f} s, revision chains {made['chained']:.1f} s "
        f"(+{made['added']:,} revisions); "
        + ", ".join(f"{n:,} {t}" for t, n in made["counts"].items())
        + f"; {source.stat().st_size / 2**20:.0f} MiB"
    )
    out_plain = isolated(run_export, str(source), str(plain), ())
    out_sealed = isolated(run_export, str(source), str(sealed), (recipient,))
    bases, bares, firsts, agains = [], [], [], []
    imported = source
    for n in range(args.repeat):
        if n:
            print(f"  round {n + 1} of {args.repeat}…")
        for old in folder.glob("round-*"):  # a workbook per step is about 1 GiB at 100,000 notes
            old.unlink()
        for name, into in (("base", bases), ("bare", bares)):
            target = str(folder / f"round-{n}-{name}.ctdesk")
            into.append(
                isolated(run_baseline, str(source), str(sealed), identity, target, name == "base")
            )
        imported = folder / f"round-{n}-imported.ctdesk"
        firsts.append(isolated(run_import, str(imported), str(sealed), identity, True))
        agains.append(isolated(run_import, str(imported), str(sealed), identity, False))
    base, bare, first, again = (_best(r) for r in (bases, bares, firsts, agains))

    checked = None if args.no_check else isolated(run_checks, [str(source), str(imported)])

    b = base["seconds"]
    counts = out_sealed["counts"]
    print()
    records = sum(counts.get(k, 0) for k in ("note", "activity", "document", "finding"))
    print(
        f"{args.notes:,} notes; the bundle carries {counts['revisions']:,} revisions of "
        f"{records:,} records; plain {out_plain['size'] / 2**20:.1f} MiB, encrypted "
        f"{out_sealed['size'] / 2**20:.1f} MiB."
    )
    print("Baseline rows: " + ", ".join(f"{n:,} {t}" for t, n in base["rows"].items()) + ".")
    if args.repeat > 1:
        print(
            f"Import, re-import and baselines: the fastest of {args.repeat} rounds "
            "(the slowest in brackets)."
        )
    print()
    rows = [
        ("Export, unencrypted", out_plain, "", None),
        ("Export, encrypted to an X25519 key", out_sealed, "", None),
        (
            "Import into an empty workbook (encrypted bundle)",
            first,
            f"≤ {IMPORT_TARGET:g}× baseline",
            first["seconds"] <= IMPORT_TARGET * b,
        ),
        (
            "Re-import of the same bundle",
            again,
            f"≤ {REIMPORT_TARGET:.0%} of import ({again['seconds'] / first['seconds']:.1%})",
            again["seconds"] <= REIMPORT_TARGET * first["seconds"],
        ),
        ("Baseline: bare executemany, search triggers on", base, "", None),
        ("Extra: bare executemany, search triggers dropped", bare, "", None),
    ]
    print("| figure | seconds | × baseline | peak RSS | target | |")
    print("|---|---|---|---|---|---|")
    for label, result, target, met in rows:
        verdict = "" if met is None else ("met" if met else "MISSED")
        spread = f" ({result['slowest']:.2f})" if args.repeat > 1 and "slowest" in result else ""
        print(
            f"| {label} | {result['seconds']:.2f}{spread} | {result['seconds'] / b:.2f}× "
            f"| {result['peak']:.0f} MiB | {target} | {verdict} |"
        )
    print()
    print("Where the time goes (seconds inside each function; indented = called by the one above):")
    for label, result in (
        ("export, encrypted", out_sealed),
        ("import", first),
        ("re-import", again),
        ("baseline (per table)", base),
    ):
        print(
            f"  {label}: {result['seconds']:.2f} s (process started at {result['start']:.0f} MiB)"
        )
        if "receipt" in result:
            order = [label for _owner, _name, label in IMPORT_PHASES]
        elif "counts" in result:
            order = [label for _owner, _name, label in EXPORT_PHASES]
        else:
            order = list(result["phases"])
        for line in phase_lines(result["seconds"], result["phases"], order):
            print(line)
        if result.get("missing"):
            print(f"      (not timed, not found: {', '.join(result['missing'])})")
        gc_runs, gc_seconds = result["gc"]
        print(
            f"      Python's cyclic garbage collector, within the above: {gc_seconds:.2f} s "
            f"({gc_runs:,} collections)"
        )
    print(f"  import receipt: {first['receipt']}")
    print(f"  re-import receipt: {again['receipt']}")
    if checked is not None:
        found = checked["workbooks"]
        same = found[str(source)]["digest"] == found[str(imported)]["digest"]
        for path, result in found.items():
            verdict = "no problems" if not result["problems"] else "; ".join(result["problems"][:5])
            print(f"ctdesk check {Path(path).name}: {verdict}")
        print(f"Imported rows identical to the source's: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
