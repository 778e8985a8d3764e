"""Bundle encryption (age) and the inspector's key: round trips, the sentence for every failure,
and the reference ``age`` tool reading what ctdesk writes, and the reverse.

Passphrase (scrypt) encryption and decryption take about 2 seconds each, so only a few tests use
a real passphrase bundle, made once for the module.
"""

import base64
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pyrage  # type: ignore[import-untyped]
import pytest
from pyrage import x25519

from ctdesk.exchange import crypto, keys
from ctdesk.exchange.crypto import BundleError
from ctdesk.exchange.keys import IdentityError
from tests.age_tool import age_tool

PASSPHRASE = "correct horse battery"
# More than three 64 KiB chunks, so truncation at a chunk boundary can be tried.
PAYLOAD = b"PK\x03\x04" + bytes(range(256)) * 800
CHUNK = 64 * 1024 + 16  # age payload chunk with its tag


def _flip(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


def _replace_byte(data: bytes, index: int) -> bytes:
    """``data`` with the base64 character at ``index`` swapped for another valid one."""
    out = bytearray(data)
    out[index] = ord("B") if out[index] == ord("A") else ord("A")
    return bytes(out)


def _payload_start(sealed: bytes) -> int:
    """Index of the first payload chunk (after the header's MAC line and the 16-byte nonce)."""
    mac_line = sealed.index(b"\n---") + 1
    return sealed.index(b"\n", mac_line) + 1 + 16


def _armor(data: bytes) -> bytes:
    text = base64.b64encode(data)
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return b"\n".join(
        [b"-----BEGIN AGE ENCRYPTED FILE-----", *lines, b"-----END AGE ENCRYPTED FILE-----", b""]
    )


@pytest.fixture(scope="module")
def sealed_with_passphrase() -> bytes:
    return crypto.encrypt_with_passphrase(PAYLOAD, PASSPHRASE)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ctdesk-data"
    monkeypatch.setenv("CTDESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def my_key(data_dir: Path) -> str:
    """The inspector's public key, freshly generated in ``data_dir``."""
    return keys.generate()


@pytest.fixture
def sealed_to_me(my_key: str) -> bytes:
    return crypto.encrypt_to(PAYLOAD, [my_key])


# Passphrase bundles (the slow ones)


def test_passphrase_round_trip(sealed_with_passphrase: bytes) -> None:
    assert sealed_with_passphrase.startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert crypto.encryption_of(sealed_with_passphrase) == "passphrase"
    assert crypto.decrypt(sealed_with_passphrase, passphrase=PASSPHRASE) == PAYLOAD


def test_wrong_passphrase(sealed_with_passphrase: bytes) -> None:
    with pytest.raises(BundleError, match=r"^The passphrase does not open this bundle"):
        crypto.decrypt(sealed_with_passphrase, passphrase="battery horse correct")


def test_passphrase_bundle_with_a_damaged_payload(sealed_with_passphrase: bytes) -> None:
    damaged = _flip(sealed_with_passphrase, len(sealed_with_passphrase) // 2)
    with pytest.raises(BundleError, match=r"^The bundle is damaged"):
        crypto.decrypt(damaged, passphrase=PASSPHRASE)


def test_armored_passphrase_bundle_is_recognised(sealed_with_passphrase: bytes) -> None:
    assert crypto.encryption_of(_armor(sealed_with_passphrase)) == "passphrase"
    assert crypto.encryption_of(b"\r\n  " + _armor(sealed_with_passphrase)) == "passphrase"


# Passphrase bundles: failures found before scrypt runs, or at once


@pytest.mark.parametrize("given", [None, ""])
def test_passphrase_bundle_without_a_passphrase(
    sealed_with_passphrase: bytes, given: str | None
) -> None:
    with pytest.raises(BundleError, match=r"encrypted with a passphrase; give it with"):
        crypto.decrypt(
            sealed_with_passphrase, passphrase=given, identities=["AGE-SECRET-KEY-1IGNORED"]
        )


def _with_work_factor(sealed: bytes, factor: int) -> bytes:
    version, stanza, rest = sealed.split(b"\n", 2)
    assert stanza.startswith(b"-> scrypt ")
    stanza = b" ".join([*stanza.split(b" ")[:3], str(factor).encode()])
    return b"\n".join([version, stanza, rest])


def test_a_damaged_scrypt_stanza_reads_as_a_wrong_passphrase(sealed_with_passphrase: bytes) -> None:
    # A cheap work factor keeps this fast; scrypt then fails to unwrap the key, as it would for
    # any change to the stanza or a wrong passphrase.
    damaged = _with_work_factor(sealed_with_passphrase, 10)
    with pytest.raises(BundleError, match=r"does not open this bundle, or the bundle is damaged"):
        crypto.decrypt(damaged, passphrase=PASSPHRASE)


def test_an_excessive_work_factor_is_refused_at_once(sealed_with_passphrase: bytes) -> None:
    with pytest.raises(BundleError, match=r"far longer to check than ctdesk allows"):
        crypto.decrypt(_with_work_factor(sealed_with_passphrase, 40), passphrase=PASSPHRASE)


def test_a_truncated_passphrase_header_is_incomplete(sealed_with_passphrase: bytes) -> None:
    with pytest.raises(BundleError, match=r"^The bundle is incomplete"):
        crypto.decrypt(sealed_with_passphrase[:50], passphrase=PASSPHRASE)


@pytest.mark.parametrize(
    ("passphrase", "sentence"),
    [
        ("", r"passphrase is empty"),
        ("short", r"at least 8 characters"),
        ("tab\there long", r"control characters"),
        ("bell\x07here long", r"control characters"),
        ("next\x85line long", r"control characters"),
    ],
)
def test_weak_passphrases_are_refused(passphrase: str, sentence: str) -> None:
    with pytest.raises(BundleError, match=sentence):
        crypto.check_passphrase(passphrase)
    with pytest.raises(BundleError, match=sentence):
        crypto.encrypt_with_passphrase(b"data", passphrase)


def test_a_good_passphrase_is_kept_as_given() -> None:
    assert crypto.check_passphrase("  three word phrase ") == "  three word phrase "
    assert crypto.check_passphrase("Ünïcödé passphrase") == "Ünïcödé passphrase"


# Recipient bundles


def test_recipient_round_trip(my_key: str, sealed_to_me: bytes) -> None:
    assert sealed_to_me.startswith(b"age-encryption.org/v1\n-> X25519 ")
    assert crypto.encryption_of(sealed_to_me) == "recipients"
    assert crypto.decrypt(sealed_to_me, identities=keys.read_identities()) == PAYLOAD


def test_any_of_several_recipients_opens_the_bundle(my_key: str) -> None:
    colleague = x25519.Identity.generate()
    sealed = crypto.encrypt_to(PAYLOAD, [str(colleague.to_public()), my_key, my_key.upper()])
    assert sealed.count(b"\n-> X25519 ") == 2  # duplicates ignored
    assert crypto.decrypt(sealed, identities=[str(colleague)]) == PAYLOAD
    assert crypto.decrypt(sealed, identities=keys.read_identities()) == PAYLOAD
    # Extra keys that do not match are harmless.
    other = str(x25519.Identity.generate())
    assert crypto.decrypt(sealed, identities=[other, *keys.read_identities()]) == PAYLOAD


def test_armored_recipient_bundle(my_key: str) -> None:
    armored = pyrage.encrypt(PAYLOAD, [x25519.Recipient.from_str(my_key)], armored=True)
    assert crypto.encryption_of(armored) == "recipients"
    assert crypto.decrypt(b"\n" + armored, identities=keys.read_identities()) == PAYLOAD


def test_bundle_for_other_keys(sealed_to_me: bytes) -> None:
    stranger = str(x25519.Identity.generate())
    with pytest.raises(BundleError, match=r"^This bundle is encrypted to other keys; ask its"):
        crypto.decrypt(sealed_to_me, identities=[stranger])


def test_recipient_bundle_without_a_key(sealed_to_me: bytes) -> None:
    with pytest.raises(BundleError, match=r"encrypted to public keys and needs your key"):
        crypto.decrypt(sealed_to_me, passphrase=PASSPHRASE)


def test_a_bad_secret_key_is_not_quoted(sealed_to_me: bytes) -> None:
    secret = "AGE-SECRET-KEY-1NOTAREALKEYATALL"
    with pytest.raises(BundleError, match=r"is not an age secret key") as caught:
        crypto.decrypt(sealed_to_me, identities=[secret])
    assert secret not in str(caught.value)


@pytest.mark.parametrize(
    ("damage", "sentence"),
    [
        ("header MAC", r"^The bundle is damaged"),
        ("recipient stanza", r"encrypted to other keys"),
        ("version line", r"format this ctdesk does not know"),
        ("nonce", r"^The bundle is damaged"),
        ("payload middle", r"^The bundle is damaged"),
        ("last byte", r"^The bundle is damaged"),
        ("extra byte at end", r"^The bundle is damaged"),
        ("cut inside a chunk", r"^The bundle is damaged"),
        ("cut at a chunk boundary", r"^The bundle is incomplete"),
        ("cut after the header", r"^The bundle is incomplete"),
        ("cut inside the nonce", r"^The bundle is incomplete"),
        ("cut inside the header", r"^The bundle is incomplete"),
        ("version line only", r"^The bundle is incomplete"),
    ],
)
def test_damaged_recipient_bundle(sealed_to_me: bytes, damage: str, sentence: str) -> None:
    sealed = sealed_to_me
    start = _payload_start(sealed)
    damaged = {
        "header MAC": lambda: _flip(sealed, sealed.index(b"\n---") + 6),
        "recipient stanza": lambda: _replace_byte(sealed, sealed.index(b"X25519") + 12),
        "version line": lambda: _flip(sealed, len("age-encryption.org/v")),
        "nonce": lambda: _flip(sealed, start - 5),
        "payload middle": lambda: _flip(sealed, len(sealed) // 2),
        "last byte": lambda: _flip(sealed, len(sealed) - 1),
        "extra byte at end": lambda: sealed + b"\0",
        "cut inside a chunk": lambda: sealed[:-100],
        "cut at a chunk boundary": lambda: sealed[: start + 2 * CHUNK],
        "cut after the header": lambda: sealed[:start],
        "cut inside the nonce": lambda: sealed[: start - 8],
        "cut inside the header": lambda: sealed[:60],
        "version line only": lambda: b"age-encryption.org/v1\n",
    }[damage]()
    with pytest.raises(BundleError, match=sentence):
        crypto.decrypt(damaged, identities=keys.read_identities())


def test_cutting_the_payload_at_a_chunk_boundary_is_what_was_tested(sealed_to_me: bytes) -> None:
    assert len(sealed_to_me) - _payload_start(sealed_to_me) > 3 * CHUNK


# Not encrypted at all


@pytest.mark.parametrize("data", [PAYLOAD, b"", b"age-encryption", b"   ", b"-----BEGIN AGE"])
def test_plain_data_is_not_encrypted(data: bytes) -> None:
    assert crypto.encryption_of(data) == "none"
    with pytest.raises(BundleError, match=r"^This bundle is not encrypted"):
        crypto.decrypt(data, passphrase=PASSPHRASE, identities=["AGE-SECRET-KEY-1X"])


# Public keys


def test_parse_recipient_strips_and_normalises(my_key: str) -> None:
    assert crypto.parse_recipient(f"  {my_key}\n") == my_key
    assert crypto.parse_recipient(my_key.upper()) == my_key


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", r"public key is empty"),
        ("  ", r"public key is empty"),
        ("xyz", r"^'xyz' is not an age public key \(they start with age1\); check it\.$"),
        ("age1notreallyakey", r"^'age1notreallyakey' is not an age public key"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", r"is not an age public key"),
    ],
)
def test_bad_recipients(text: str, sentence: str) -> None:
    with pytest.raises(BundleError, match=sentence):
        crypto.parse_recipient(text)
    with pytest.raises(BundleError, match=sentence):
        crypto.encrypt_to(b"data", [text])


def test_a_very_long_bad_recipient_is_shortened_in_the_sentence() -> None:
    with pytest.raises(BundleError, match=r"^'x{30}…x{10}' is not an age public key"):
        crypto.parse_recipient("x" * 500)


def test_a_secret_key_given_as_recipient_is_not_echoed(my_key: str) -> None:
    secret = keys.read_identities()[0]
    with pytest.raises(BundleError, match=r"secret key, not a public key") as caught:
        crypto.encrypt_to(b"data", [my_key, secret])
    assert secret not in str(caught.value)


def test_encrypting_to_nobody_is_refused() -> None:
    with pytest.raises(BundleError, match=r"^No public key was given"):
        crypto.encrypt_to(b"data", [])


def test_recipients_must_be_a_list_not_one_string(my_key: str) -> None:
    with pytest.raises(TypeError):
        crypto.encrypt_to(b"data", my_key)


# The inspector's key


def test_generate_writes_an_age_keygen_identity_file(data_dir: Path) -> None:
    assert not data_dir.exists()
    assert not keys.has_identity()
    public = keys.generate()
    path = keys.identity_path()
    assert path == data_dir / "identity.txt"
    assert keys.has_identity()
    created, public_line, secret, *rest = path.read_text(encoding="ascii").split("\n")
    assert re.fullmatch(r"# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", created)
    assert public_line == f"# public key: {public}"
    assert re.fullmatch(r"AGE-SECRET-KEY-1[0-9A-Z]{58}", secret)
    assert rest == [""]
    assert public == keys.public_key() == str(x25519.Identity.from_str(secret).to_public())
    assert keys.read_identities() == [secret]
    assert [p.name for p in data_dir.iterdir()] == ["identity.txt"]  # no temporary file left
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_generate_refuses_to_replace_a_key_unless_asked(my_key: str) -> None:
    with pytest.raises(IdentityError, match=rf"^You already have a key \(public key {my_key}\)"):
        keys.generate()
    assert keys.public_key() == my_key
    new = keys.generate(replace=True)
    assert new != my_key
    assert keys.public_key() == new


def test_generate_refuses_over_an_unusable_key_file(data_dir: Path) -> None:
    data_dir.mkdir()
    keys.identity_path().write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(IdentityError, match=r"^You already have a key \(in .*identity\.txt\)"):
        keys.generate()


def test_a_failed_write_keeps_the_old_key(my_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", refuse)
        with pytest.raises(IdentityError, match=r"No space left on device; your old key"):
            keys.generate(replace=True)
    assert keys.public_key() == my_key
    assert [p.name for p in keys.identity_path().parent.iterdir()] == ["identity.txt"]


def test_no_key_yet(data_dir: Path) -> None:
    with pytest.raises(IdentityError, match=r"^You have no key yet; make one with 'ctdesk key"):
        keys.public_key()
    with pytest.raises(IdentityError, match=r"^You have no key yet \(there is none at .*\)"):
        keys.read_identities()


def test_read_identities_from_a_given_file(tmp_path: Path) -> None:
    one, two = x25519.Identity.generate(), x25519.Identity.generate()
    path = tmp_path / "keys.txt"
    path.write_text(f"# mine\n\n  {one}  \n# another\n{two}\n", encoding="utf-8")
    assert keys.read_identities(path) == [str(one), str(two)]


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (None, r"^There is no identity file at .*nowhere\.txt; check the path\.$"),
        ("folder", r"^Cannot read the identity file .*nowhere\.txt: "),
        (b"\xff\xfe not text", r"nowhere\.txt: it is not UTF-8 text"),
        (b"# created: today\n", r"nowhere\.txt holds no age secret key"),
        (b"AGE-SECRET-KEY-1BROKEN\n", r"nowhere\.txt holds a damaged secret key"),
    ],
)
def test_unusable_identity_files(
    tmp_path: Path, content: bytes | str | None, sentence: str
) -> None:
    path = tmp_path / "nowhere.txt"
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(IdentityError, match=sentence) as caught:
        keys.read_identities(path)
    assert "AGE-SECRET-KEY-1BROKEN" not in str(caught.value)


# The reference age tool


def test_age_opens_what_ctdesk_sealed_with_the_ctdesk_key(sealed_to_me: bytes) -> None:
    age = age_tool()
    opened = subprocess.run(
        [age, "-d", "-i", str(keys.identity_path())], input=sealed_to_me, capture_output=True
    )
    assert opened.returncode == 0, opened.stderr.decode()
    assert opened.stdout == PAYLOAD


def test_ctdesk_opens_what_age_sealed_to_the_ctdesk_key(my_key: str) -> None:
    age = age_tool()
    for armor in ([], ["-a"]):
        sealed = subprocess.run(
            [age, "-r", my_key, *armor], input=PAYLOAD, capture_output=True, check=True
        ).stdout
        assert crypto.encryption_of(sealed) == "recipients"
        assert crypto.decrypt(sealed, identities=keys.read_identities()) == PAYLOAD
