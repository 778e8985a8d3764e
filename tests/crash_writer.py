"""The writer that ``tests/test_crash.py`` kills: adds and edits notes until it is killed.

Run as ``python -m tests.crash_writer WORKBOOK ROUND`` (the passphrase of an encrypted workbook,
if any, in ``CRASH_PASSPHRASE``). It prints, flushing each line:

- ``OPEN`` once the workbook is open;
- ``WILL add KEY`` or ``WILL edit NOTE_ID KEY`` just before it calls the service;
- ``ACK NOTE_ID`` once the call has returned, that is after the commit.

``KEY`` names the body written (``body_for(KEY)``), so the lines stay short whatever the body.
A write is *acknowledged* once its ``ACK`` line has been read; at most one write (the last
``WILL`` without its ``ACK``) is in flight when the process dies.
"""

import os
import random
import sys
from pathlib import Path

from ctdesk.workbook import Workbook

WORDS = ("referral", "Channel", "Prevent", "training", "supervision", "safeguarding", "partners")


def token(key: str) -> str:
    """A word found in the body of ``key`` only (letters and digits: one search token)."""
    return "tok" + key.replace(".", "x")


def body_for(key: str) -> str:
    """The body written under ``key``: mostly short, sometimes long enough to spill over many
    database pages (and so make the commit, and an automatic checkpoint, take longer)."""
    rng = random.Random(key)
    size = rng.choice((5, 20, 60, 200)) if rng.random() < 0.9 else rng.randint(2000, 9000)
    words = " ".join(rng.choice(WORDS) for _ in range(size))
    return f"{token(key)} {words}\n\nÉcrit à {key} — ✓ {token(key)}"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(path: Path, round_no: int) -> None:
    passphrase = os.environ.get("CRASH_PASSPHRASE") or None
    rng = random.Random(round_no)
    wb = Workbook.open(path, passphrase=passphrase)
    say("OPEN")
    ids = [note.id for note in wb.notes.all()]
    forces = ("kent", "essex", "surrey", "thames-valley")
    i = 0
    while True:
        i += 1
        key = f"{round_no}.{i}"
        if ids and rng.random() < 0.4:
            note_id = rng.choice(ids)
            say(f"WILL edit {note_id} {key}")
            wb.notes.edit(note_id, body=body_for(key))
        else:
            say(f"WILL add {key}")
            note_id = wb.notes.add(
                force=rng.choice(forces),
                title=f"Crash round {round_no} note {i}",
                body=body_for(key),
                areas=rng.sample(("A1", "A2", "A3"), rng.randint(0, 3)),
            ).value.id
            ids.append(note_id)
        say(f"ACK {note_id}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
