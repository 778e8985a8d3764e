"""The inspector's own age key, with which bundles sent to them are opened.

It lives in ``identity.txt`` in the data folder, in exactly the format ``age-keygen`` writes
(``# created: …``, ``# public key: age1…``, then the ``AGE-SECRET-KEY-1…`` line), so the
reference tool can use it too: ``age -d -i identity.txt bundle``. Only its owner may read it.
"""

from datetime import datetime
from pathlib import Path

import pyrage
from pyrage import x25519

from ctdesk import paths
from ctdesk.atomic_file import replace_whole
from ctdesk.errors import CtdeskError

IDENTITY_FILE = "identity.txt"
_SECRET_PREFIX = "AGE-SECRET-KEY-1"
_NO_KEY = "You have no key yet; make one with 'ctdesk key generate'."


class IdentityError(CtdeskError):
    """The inspector's key is missing, unreadable, or already exists."""


def identity_path() -> Path:
    """Where the inspector's key is kept: ``identity.txt`` in the data folder."""
    return paths.data_dir() / IDENTITY_FILE


def has_identity() -> bool:
    """Whether a key file exists (whatever it holds: ``generate`` would refuse to replace it)."""
    return identity_path().is_file()


def read_identities(path: Path | None = None) -> list[str]:
    """Every age secret key (``AGE-SECRET-KEY-1…`` line) in the identity file at ``path``, the
    inspector's own when None, each checked to be a valid key.

    Raises ``IdentityError`` naming the file when it is missing, unreadable, holds no secret key
    or a damaged one (the key itself is never quoted).
    """
    own = path is None
    file = identity_path() if path is None else path
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        if own:
            raise IdentityError(
                f"You have no key yet (there is none at {file}); make one with "
                "'ctdesk key generate'."
            ) from None
        raise IdentityError(f"There is no identity file at {file}; check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "it is not UTF-8 text"
        raise IdentityError(
            f"Cannot read the identity file {file}: {reason}; check that it is yours to read."
        ) from None
    keys = [line.strip() for line in text.splitlines()]
    keys = [key for key in keys if key.upper().startswith(_SECRET_PREFIX)]
    if not keys:
        raise IdentityError(
            f"The file {file} holds no age secret key (a line starting {_SECRET_PREFIX}); give "
            "the identity file that age-keygen or 'ctdesk key generate' wrote."
        )
    for key in keys:
        try:
            x25519.Identity.from_str(key)
        except pyrage.IdentityError:
            raise IdentityError(
                f"The identity file {file} holds a damaged secret key; restore it from your "
                "backup, or make a new key with 'ctdesk key generate --replace'."
            ) from None
    return keys


def public_key() -> str:
    """The inspector's public key (``age1…``), derived from their secret key.

    Raises ``IdentityError`` with "You have no key yet; …" when there is no key file, or a
    sentence naming the file when it cannot be used.
    """
    if not identity_path().exists():
        raise IdentityError(_NO_KEY)
    secret = read_identities()[0]
    return str(x25519.Identity.from_str(secret).to_public())


def generate(*, replace: bool = False) -> str:
    """Make a new key, write it to ``identity_path()`` (atomically, readable by its owner only;
    the folder is created if missing), and return its public key.

    Raises ``IdentityError`` if a key file exists and ``replace`` is False, or if the file
    cannot be written (then nothing changes).
    """
    path = identity_path()
    if path.exists() and not replace:
        try:
            which = f"public key {public_key()}"
        except IdentityError:
            which = f"in {path}"
        raise IdentityError(
            f"You already have a key ({which}); keep it, or pass --replace to make a new one "
            "(bundles encrypted to the old key will no longer open)."
        )
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = datetime.now().astimezone().isoformat(timespec="seconds").replace("+00:00", "Z")
    text = f"# created: {created}\n# public key: {public}\n{identity}\n"
    _write_private(path, text.encode("ascii"))
    return public


def _write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole or not at all, mode 0600."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_whole(path, data, mode=0o600)  # a secret key: only its owner reads it
    except OSError as exc:
        raise IdentityError(
            f"Could not write your key to {path}: {exc.strerror or exc}; your old key, if any, "
            "is unchanged."
        ) from None
