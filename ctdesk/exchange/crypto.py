"""The age layer of exchange bundles: encrypting and decrypting their bytes.

A bundle is sealed either with a passphrase (age's scrypt recipient) or to the public keys
(``age1…``) of the inspectors who will read it (age's X25519 recipients). The output is plain
age, so the reference ``age`` tool can open it too. Every failure raises ``BundleError`` with one
sentence saying what was wrong and what to do; the message never quotes a secret key.
"""

import binascii
import unicodedata
from collections.abc import Sequence
from typing import Literal, cast

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from ctdesk.errors import InvalidInput

Encryption = Literal["passphrase", "recipients", "none"]

_MAGIC = b"age-encryption.org/"
_VERSION_LINE = b"age-encryption.org/v1"
_ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
_ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
# Enough for the header of a bundle sent to a few hundred people; the payload is never inspected.
_HEADER_LIMIT = 64 * 1024

_WRONG_PASSPHRASE = (
    "The passphrase does not open this bundle, or the bundle is damaged; check the passphrase, "
    "or ask for the bundle again."
)
_OTHER_KEYS = (
    "This bundle is encrypted to other keys; ask its sender to encrypt it to your public key "
    "(ctdesk key show)."
)
_DAMAGED = (
    "The bundle is damaged (its encrypted content does not check out); ask for it to be sent again."
)
_INCOMPLETE = "The bundle is incomplete (it ends too early); ask for it to be sent again."
_UNKNOWN_FORMAT = (
    "The bundle's encryption is in a format this ctdesk does not know, or the bundle is "
    "damaged; ask for it to be sent again."
)
_TOO_SLOW = (
    "The bundle's passphrase protection is set to take far longer to check than ctdesk allows, "
    "so it was not made by ctdesk or is damaged; ask for it to be sent again."
)
_NEED_PASSPHRASE = (
    "This bundle is encrypted with a passphrase; give it with --passphrase-file or "
    "CTDESK_PASSPHRASE."
)
_NEED_IDENTITY = (
    "This bundle is encrypted to public keys and needs your key to open; if you have none, "
    "make one with 'ctdesk key generate' and send its public key to the bundle's sender."
)
_NOT_ENCRYPTED = "This bundle is not encrypted, so there is nothing to decrypt; read it as it is."


class BundleError(InvalidInput):
    """A bundle cannot be made or read as given (wrong passphrase or key, damage, bad input)."""


def _dearmor(data: bytes) -> bytes:
    """The start of the binary age file inside the ASCII armor ``data`` (which begins with the
    BEGIN line): at most about ``_HEADER_LIMIT`` bytes, less if the armor is broken."""
    out = bytearray()
    for line in data.split(b"\n")[1:]:
        line = line.strip()
        if line.startswith(_ARMOR_END) or len(out) >= _HEADER_LIMIT:
            break
        try:
            out += binascii.a2b_base64(line, strict_mode=True)
        except binascii.Error:
            break
    return bytes(out)


def _header_lines(data: bytes) -> list[bytes] | None:
    """The lines of the age header (version line, stanza lines, up to the ``---`` line when
    present); None when ``data`` is not age at all."""
    if data.startswith(_MAGIC):
        head = data[:_HEADER_LIMIT]
    else:
        window = data[:_HEADER_LIMIT]
        armor = len(window) - len(window.lstrip())  # where the armor begins, if it is armor
        if not data.startswith(_ARMOR_BEGIN, armor):
            return None
        head = _dearmor(data[armor : armor + 2 * _HEADER_LIMIT])
    lines = []
    for line in head.split(b"\n"):
        lines.append(line)
        if line.startswith(b"---"):
            break
    return lines


def _stanza_types(lines: list[bytes]) -> list[bytes]:
    return [line.split()[1] for line in lines if line.startswith(b"-> ") and len(line.split()) > 1]


def encryption_of(data: bytes) -> Encryption:
    """How ``data`` is sealed, judged from its age header alone (nothing is decrypted).

    ``"passphrase"`` when the header has an scrypt stanza; ``"recipients"`` for any other age
    file, binary or ASCII-armored, including one whose header is cut short or unreadable
    (``decrypt`` then says it is incomplete or damaged); ``"none"`` for anything that is not age.
    """
    return _kind(_header_lines(data))


def _kind(lines: list[bytes] | None) -> Encryption:
    if lines is None:
        return "none"
    return "passphrase" if b"scrypt" in _stanza_types(lines) else "recipients"


def check_passphrase(passphrase: str) -> str:
    """``passphrase`` unchanged if it is good enough to seal a bundle: not empty, at least 8
    characters, no control characters. Raises ``BundleError`` otherwise."""
    if not passphrase:
        raise BundleError("The bundle passphrase is empty; give one of at least 8 characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in passphrase):
        raise BundleError("A bundle passphrase cannot contain control characters; give another.")
    if len(passphrase) < 8:
        raise BundleError("A bundle passphrase needs at least 8 characters; a few words are best.")
    return passphrase


def _shown(text: str) -> str:
    return text if len(text) <= 70 else f"{text[:30]}…{text[-10:]}"


def parse_recipient(text: str) -> str:
    """The age X25519 public key in ``text`` (surrounding space removed, in its canonical
    lower-case form). Raises ``BundleError`` naming ``text`` if it is not one, without quoting it
    when it is a secret key."""
    cleaned = text.strip()
    if not cleaned:
        raise BundleError("A public key is empty; give an age public key (they start with age1).")
    if cleaned.upper().startswith("AGE-SECRET-KEY-"):
        raise BundleError(
            "That is a secret key, not a public key; give the public key (age1…, shown by "
            "'ctdesk key show') and keep the secret key to yourself."
        )
    try:
        recipient = x25519.Recipient.from_str(cleaned)
    except pyrage.RecipientError:
        raise BundleError(
            f"'{_shown(cleaned)}' is not an age public key (they start with age1); check it."
        ) from None
    return str(recipient)


def encrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    """``data`` sealed with ``passphrase`` (binary age, scrypt; takes about 2 seconds).

    The passphrase must pass ``check_passphrase``; raises ``BundleError`` otherwise.
    """
    check_passphrase(passphrase)
    return cast(bytes, age_passphrase.encrypt(data, passphrase))


def encrypt_to(data: bytes, recipients: Sequence[str]) -> bytes:
    """``data`` sealed to each of ``recipients`` (age public keys; binary age, X25519).

    Any one of the matching secret keys opens the result. Raises ``BundleError`` if the list is
    empty or a key is not a valid age public key (naming it); duplicates are ignored.
    """
    if isinstance(recipients, str):
        raise TypeError("recipients is a sequence of public keys, not one string")
    keys = list(dict.fromkeys(parse_recipient(text) for text in recipients))
    if not keys:
        raise BundleError(
            "No public key was given to encrypt the bundle to; give at least one (they start "
            "with age1)."
        )
    return cast(bytes, pyrage.encrypt(data, [x25519.Recipient.from_str(k) for k in keys]))


def _identity(text: str) -> object:
    try:
        return x25519.Identity.from_str(text.strip())
    except pyrage.IdentityError:
        # Never echo the text: it is meant to be a secret key.
        raise BundleError(
            "A key given to open the bundle is not an age secret key (they start with "
            "AGE-SECRET-KEY-1); check the identity file."
        ) from None


def _explain(message: str, version_known: bool = False) -> str:
    """The sentence for an error pyrage raised while decrypting."""
    if message == "Decryption failed":  # scrypt could not unwrap the file key
        return _WRONG_PASSPHRASE
    if message == "No matching keys found":
        return _OTHER_KEYS
    if message.startswith("Excessive work parameter"):
        return _TOO_SLOW
    if message.startswith("Unknown age format"):
        # age says this of any header it cannot parse; with a version line it knows, the rest of
        # the header (a stanza, its MAC) is damaged.
        return _DAMAGED if version_known else _UNKNOWN_FORMAT
    if message in ("age file is truncated", "failed to fill whole buffer", "Incomplete header"):
        return _INCOMPLETE
    # "Header MAC is invalid", "Header is invalid", "decryption error" (payload tampered with,
    # cut inside a chunk, or followed by extra bytes), and anything new.
    return _DAMAGED


def decrypt(data: bytes, *, passphrase: str | None = None, identities: Sequence[str] = ()) -> bytes:
    """The bytes sealed in the age file ``data`` (binary or ASCII-armored).

    A passphrase bundle needs ``passphrase`` (about 2 seconds, right or wrong); a recipients
    bundle needs ``identities``, age secret keys (``AGE-SECRET-KEY-1…``) of which one must match.
    The other argument is ignored. Raises ``BundleError`` with a sentence when ``data`` is not
    encrypted, the needed secret is missing, it does not open the bundle, or the bundle is
    damaged or incomplete.
    """
    lines = _header_lines(data)
    kind = _kind(lines)
    if lines is None:
        raise BundleError(_NOT_ENCRYPTED)
    if not lines[-1].startswith(b"---"):  # cut short in its header: no secret would help
        raise BundleError(_INCOMPLETE if len(data) < _HEADER_LIMIT else _DAMAGED)
    if data[:1].isspace():
        data = data.lstrip()  # whitespace before armor; age itself refuses it
    if kind == "passphrase":
        if not passphrase:
            raise BundleError(_NEED_PASSPHRASE)
        try:
            return cast(bytes, age_passphrase.decrypt(data, passphrase))
        except pyrage.DecryptError as exc:
            raise BundleError(
                _explain(str(exc), lines[0].strip() == b"age-encryption.org/v1")
            ) from None
    if isinstance(identities, str):
        raise TypeError("identities is a sequence of secret keys, not one string")
    if not identities:
        raise BundleError(_NEED_IDENTITY)
    keys = [_identity(text) for text in identities]
    try:
        return cast(bytes, pyrage.decrypt(data, keys))
    except pyrage.DecryptError as exc:
        raise BundleError(
            _explain(str(exc), lines[0].strip() == b"age-encryption.org/v1")
        ) from None
