"""Who has a workbook open for writing: one ctdesk process at a time.

The lock is an operating-system file lock on ``<workbook>.lock`` (through ``filelock``), so it
goes with its process however that ends, ``kill -9`` included. Beside it,
``<workbook>.lock.json`` says who holds it (host, process, user, since), for the sentence a
second ctdesk shows. Readers never need the lock.
"""

import getpass
import json
import os
import socket
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from ctdesk.clock import now_iso
from ctdesk.errors import WorkbookError


@dataclass(frozen=True)
class Holder:
    """The process that has the workbook open for writing."""

    host: str
    pid: int
    user: str
    since: str

    def describe(self) -> str:
        when = self.since[:16].replace("T", " ")
        return f"on {self.host} (process {self.pid}, {self.user}) since {when} UTC"


def _me() -> Holder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Holder(socket.gethostname(), os.getpid(), user, now_iso())


class OwnerLock:
    """The write lock of the workbook at ``path``."""

    def __init__(self, path: Path) -> None:
        self._info = Path(f"{path}.lock.json")
        # Held for the process, not the thread: a worker thread's connection (``sibling``)
        # writes under the window's lock.
        self._lock = FileLock(f"{path}.lock", thread_local=False)

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return bool(self._lock.is_locked)

    def acquire(self, timeout: float = 0) -> bool:
        """Take the lock, waiting up to ``timeout`` seconds; False if another process has it."""
        if self.held:
            return True
        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            return False
        except OSError:
            return True  # a folder where no lock file can be made (read-only): nothing to guard
        with suppress(OSError):  # who holds it is a courtesy for the sentence, not the lock
            me = _me()
            self._info.write_text(json.dumps(me.__dict__), encoding="utf-8")
        return True

    def holder(self) -> Holder | None:
        """Who holds the lock now, if another process does (None when it is free or ours)."""
        if self.held:
            return None
        if self.acquire():  # free: give it back at once
            self.release()
            return None
        try:
            data = json.loads(self._info.read_text(encoding="utf-8"))
            return Holder(
                str(data["host"]), int(data["pid"]), str(data["user"]), str(data["since"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return Holder("another computer or process", 0, "unknown", "")

    def require(self, then: str, timeout: float = 0) -> None:
        """Take the lock (waiting up to ``timeout`` seconds) or raise ``WorkbookError`` saying
        who has the workbook open and that the inspector should close it there, ``then`` …"""
        if self.acquire(timeout):
            return
        holder = self.holder()
        where = holder.describe() if holder else "in another process"
        raise WorkbookError(
            f"The workbook is open for writing in ctdesk {where}; close it there, then {then}."
        )

    def release(self) -> None:
        if self.held:
            with suppress(OSError):
                self._info.unlink()
            self._lock.release(force=True)
