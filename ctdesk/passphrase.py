"""Passphrases: where one comes from, and putting, changing or taking one off a workbook.

A passphrase is never stored by ctdesk. It comes from a file the inspector names
(``--passphrase-file``, ``-`` for standard input), from ``CTDESK_PASSPHRASE``, or is typed.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ctdesk import backups
from ctdesk.db import connection
from ctdesk.errors import InvalidInput, WorkbookError
from ctdesk.owner_lock import OwnerLock

ENV = "CTDESK_PASSPHRASE"


def read_file(name: str) -> str:
    """The passphrase in a file (its first line; ``-`` reads standard input)."""
    try:
        text = sys.stdin.readline() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not UTF-8 text"
        raise InvalidInput(f"Cannot read the passphrase file {name}: {reason}.") from None
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise InvalidInput(
            f"The passphrase file {name} is empty; put the passphrase on its first line."
        )
    return passphrase


def from_environment() -> str | None:
    """``CTDESK_PASSPHRASE``, if set and not empty."""
    return os.environ.get(ENV) or None


def verify(path: Path, passphrase: str | None) -> str | None:
    """``passphrase`` if it opens the workbook (raises ``PassphraseNeeded`` or
    ``WrongPassphrase`` otherwise); nothing is written."""
    connection.verify_key(path, passphrase)
    return passphrase


def is_encrypted(path: Path) -> bool:
    """Whether the workbook file is encrypted (needs a passphrase to open)."""
    return connection.is_encrypted(path)


def check_new(passphrase: str) -> str:
    """A passphrase good enough to protect a workbook; raises with a sentence otherwise."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in passphrase):
        raise InvalidInput("A passphrase cannot contain control characters; type another.")
    if len(passphrase) < 8:
        raise InvalidInput("A passphrase needs at least 8 characters; a few words are best.")
    return passphrase


def set_passphrase(path: Path, new: str) -> int:
    """Encrypt an unencrypted (closed) workbook under ``new``, and its backups with it (after
    a backup of it as it was); returns how many backups could not be re-keyed."""
    if is_encrypted(path):
        raise WorkbookError(
            f"The workbook {path} already has a passphrase; use 'ctdesk passphrase change'."
        )
    new = check_new(new)
    with _sole_writer(path):
        backups.backup_file(path, None, "before-rekey")
        connection.rekey(path, None, new)
        return backups.rekey_backups(path, None, new)  # no plaintext copy may stay behind


def change_passphrase(path: Path, old: str, new: str) -> int:
    """Re-encrypt a (closed) workbook under ``new``; ``old`` must open it."""
    _require_encrypted(path)
    new = check_new(new)
    with _sole_writer(path):
        backups.backup_file(path, old, "before-rekey")
        connection.rekey(path, old, new)
        return backups.rekey_backups(path, old, new)


def remove_passphrase(path: Path, old: str) -> int:
    """Decrypt a (closed) workbook; it is then readable by anyone with the file."""
    _require_encrypted(path)
    with _sole_writer(path):
        backups.backup_file(path, old, "before-rekey")
        connection.rekey(path, old, None)
        return backups.rekey_backups(path, old, None)


@contextmanager
def _sole_writer(path: Path) -> Iterator[None]:
    """Hold the workbook's write lock for a re-key: a window with it open would go on writing
    to the old file and lose every change."""
    lock = OwnerLock(path)
    lock.require("change the passphrase (nothing was changed)")
    try:
        yield
    finally:
        lock.release()


def _require_encrypted(path: Path) -> None:
    if not path.exists():
        raise WorkbookError(f"There is no workbook at {path}; check the path.")
    if not is_encrypted(path):
        raise WorkbookError(
            f"The workbook {path} has no passphrase; use 'ctdesk passphrase set' to add one."
        )
