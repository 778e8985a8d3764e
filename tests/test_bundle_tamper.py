"""Damaged, forged and hostile bundles: each is refused with a sentence, and the workbook it was
imported into is exactly as it was (no row, no file, no backup), nothing is written anywhere else.

Three bundles of one source workbook (two notes, a document with an attached file) are made once
per module: unencrypted, encrypted to a recipient's key, and sealed with a passphrase (scrypt: about
two seconds per try, so only the cases that matter try it). Besides the named cases, every single
byte of the unencrypted and the key-sealed bundle is flipped in turn, and every cut tried.
"""

import hashlib
import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pyrage import x25519

from ctdesk import backups, history
from ctdesk.exchange import bundle, crypto, export, importer
from ctdesk.exchange.crypto import BundleError
from ctdesk.settings import Settings
from ctdesk.workbook import Workbook

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class Source:
    plain: bytes
    to_key: bytes
    with_passphrase: bytes
    identity: str  # opens ``to_key``
    stranger: str  # a key ``to_key`` was not sealed to
    note_ids: tuple[str, ...]
    document_id: str
    file_hash: str


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    folder = tmp_path_factory.mktemp("source")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("CTDESK_CONFIG_DIR", "CTDESK_DATA_DIR", "CTDESK_LOG_DIR"):
            mp.setenv(name, str(folder / name.lower()))
        wb = Workbook.create(folder / "source.ctdesk", Settings(author="Alex"))
        try:
            notes = (
                wb.notes.add(force="kent", title="Prevent lead", body="Referrals rose.").value,
                wb.notes.add(force="essex", title="Channel panel", body="Met monthly.").value,
            )
            wb.notes.edit(notes[0].id, body="Referrals rose in 2025.")
            attached = folder / "policy.txt"
            attached.write_bytes(b"Prevent policy, version 3\n" * 40)
            doc = wb.documents.add(
                force="kent", title="Policy", category="policy-strategy", file=attached
            ).value
            identity, stranger = x25519.Identity.generate(), x25519.Identity.generate()
            sealed = {}
            for label, how in (
                ("plain", export.Encryption(none=True)),
                ("to_key", export.Encryption(recipients=(str(identity.to_public()),))),
                ("with_passphrase", export.Encryption(passphrase=PASSPHRASE)),
            ):
                out = folder / f"{label}.ctbundle"
                export.export_bundle(wb, out, how)
                sealed[label] = out.read_bytes()
            assert doc.attachment_hash is not None
            yield Source(
                **sealed,
                identity=str(identity),
                stranger=str(stranger),
                note_ids=tuple(n.id for n in notes),
                document_id=doc.id,
                file_hash=doc.attachment_hash,
            )
        finally:
            wb.close()


@pytest.fixture
def dst(tmp_path: Path) -> Iterator[Workbook]:
    """The workbook bundles are imported into: it has a note of its own."""
    wb = Workbook.create(tmp_path / "dst.ctdesk", Settings(author="Bea"))
    wb.notes.add(force="kent", title="Bea's own note", body="Untouched.")
    yield wb
    wb.close()


# ---- what must not change ----------------------------------------------------------------------


def snapshot(wb: Workbook) -> str:
    """A hash of every row of every table of the workbook."""
    digest = hashlib.sha256()
    names = [
        name
        for (name,) in wb.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    for name in names:
        rows = wb.db.execute(f'SELECT * FROM "{name}"').fetchall()
        digest.update(name.encode())
        for row in sorted(repr(tuple(r)) for r in rows):
            digest.update(row.encode())
    return digest.hexdigest()


def files_under(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith("dst.ctdesk")  # the workbook: see snapshot
    }


# Where entries named ../evil, /etc/x or attachments/../../x would land if they were extracted
# (relative to the working folder or to the workbook's).
OUTSIDE = (
    Path("/etc/x"),
    Path("/x"),
    Path("/evil"),
    Path.cwd().parent / "evil",
    Path.cwd().parent / "x",
    Path.cwd() / "evil",
)


def refused(wb: Workbook, data: bytes, tmp_path: Path, *words: str, **secrets: Any) -> BundleError:
    """Import ``data`` into ``wb``: it must be refused with a sentence holding each of ``words``
    (case-insensitive), leaving the workbook's rows, backups and every file untouched."""
    path = tmp_path / "incoming.ctbundle"
    path.write_bytes(data)
    before = (snapshot(wb), files_under(tmp_path), backups.backups_of(wb))
    outside = {p: p.exists() for p in (*OUTSIDE, tmp_path.parent / "evil", tmp_path.parent / "x")}
    with pytest.raises(BundleError) as caught:
        importer.import_bundle(wb, path, **secrets)
    message = str(caught.value)
    for word in words:
        assert word.lower() in message.lower(), message
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    for secret in [secrets.get("passphrase"), *secrets.get("identities", [])]:
        assert not secret or secret not in message  # a secret is never quoted
    assert (snapshot(wb), files_under(tmp_path), backups.backups_of(wb)) == before
    assert {p: p.exists() for p in outside} == outside
    assert not wb.db.conn.in_transaction
    return caught.value


# ---- building bundles by hand ------------------------------------------------------------------


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def manifest_of(data: bytes) -> dict[str, Any]:
    return json.loads(entries(data)[bundle.MANIFEST])


def repack(
    blobs: Mapping[str, bytes],
    manifest: Mapping[str, Any] | None = None,
    *,
    checksums: bool = True,
    level: int = 1,
) -> bytes:
    """A zip of ``blobs`` (in order) with ``manifest`` last; its checksums recomputed for every
    other entry unless ``checksums`` is False (then the manifest is written as given)."""
    manifest = dict(manifest) if manifest is not None else json.loads(blobs[bundle.MANIFEST])
    if checksums:
        manifest["checksums"] = {
            name: bundle.sha256(blob) for name, blob in blobs.items() if name != bundle.MANIFEST
        }
    buffer = io.BytesIO()
    with (
        warnings.catch_warnings(),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive,
    ):
        warnings.simplefilter("ignore")  # "Duplicate name": wanted where it happens
        for name, blob in blobs.items():
            if name != bundle.MANIFEST:
                archive.writestr(name, blob)
        archive.writestr(bundle.MANIFEST, json.dumps(manifest))
    return buffer.getvalue()


def revisions_of(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in entries(data)[bundle.REVISIONS].splitlines()]


def with_revisions(data: bytes, rows: list[dict[str, Any]]) -> bytes:
    blobs = entries(data)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    blobs[bundle.REVISIONS] = lines.encode()
    return repack(blobs)


def central_entry(data: bytes, name: str) -> int:
    """Where the central directory record of entry ``name`` starts."""
    end = data.rfind(b"PK\x05\x06")
    (count,) = struct.unpack_from("<H", data, end + 10)
    (at,) = struct.unpack_from("<I", data, end + 16)
    for _ in range(count):
        assert data[at : at + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + name_len] == name.encode():
            return at
        at += 46 + name_len + extra_len + comment_len
    raise AssertionError(f"no entry {name}")


def with_sizes(data: bytes, name: str, *, packed: int | None = None, unpacked: int) -> bytes:
    """``data`` with the central directory claiming other sizes for entry ``name``."""
    out = bytearray(data)
    at = central_entry(data, name)
    if packed is not None:
        struct.pack_into("<I", out, at + 20, packed)
    struct.pack_into("<I", out, at + 24, unpacked)
    return bytes(out)


def flip(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0xFF
    return bytes(out)


SEALS = ("plain", "to_key", "with_passphrase")


def sealed_as(source: Source, seal: str, data: bytes) -> bytes:
    """``data`` (a zip) sealed as bundle ``seal`` was."""
    if seal == "to_key":
        return crypto.encrypt_to(data, [str(x25519.Identity.from_str(source.identity).to_public())])
    assert seal == "plain", "passphrase sealing costs two seconds: use the module's bundle"
    return data


def secrets_for(source: Source, seal: str) -> dict[str, Any]:
    return {
        "plain": {},
        "to_key": {"identities": [source.identity]},
        "with_passphrase": {"passphrase": PASSPHRASE},
    }[seal]


# ---- the bundles as made import ----------------------------------------------------------------


@pytest.mark.parametrize("seal", SEALS)
def test_the_untouched_bundles_import(source: Source, dst: Workbook, tmp_path: Path, seal: str):
    path = tmp_path / "good.ctbundle"
    path.write_bytes(getattr(source, seal))
    receipt = importer.import_bundle(dst, path, **secrets_for(source, seal))
    assert (receipt.added, receipt.conflicts) == (3, 0)
    assert dst.notes.get(source.note_ids[0]).body == "Referrals rose in 2025."
    assert dst.documents.attachment(source.document_id)[1] == b"Prevent policy, version 3\n" * 40


# ---- bytes flipped, bundles cut short ----------------------------------------------------------

DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "first byte flipped": lambda d: flip(d, 0),
    "middle byte flipped": lambda d: flip(d, len(d) // 2),
    "last byte flipped": lambda d: flip(d, len(d) - 1),
    "cut in half": lambda d: d[: len(d) // 2],
    "last byte cut": lambda d: d[:-1],
}
# What each says (the first flipped byte breaks age's magic line, so the file is no longer an
# age file at all, nor a zip).
SAYS = {
    ("plain", "first byte flipped"): ("damaged",),
    ("to_key", "first byte flipped"): ("not a ctdesk bundle",),
    ("with_passphrase", "first byte flipped"): ("not a ctdesk bundle",),
}


@pytest.mark.parametrize(
    "seal, damage",
    [
        (seal, damage)
        for seal in SEALS
        for damage in DAMAGE
        # the one harmless byte: test_the_zip_comment_length_carries_nothing_and_is_not_checked
        if (seal, damage) != ("plain", "last byte flipped")
    ],
)
def test_a_damaged_bundle_is_refused(
    source: Source, dst: Workbook, tmp_path: Path, seal: str, damage: str
):
    data = DAMAGE[damage](getattr(source, seal))
    words = SAYS.get((seal, damage), ("damaged", "again"))
    refused(dst, data, tmp_path, *words, **secrets_for(source, seal))


def test_the_zip_comment_length_carries_nothing_and_is_not_checked(
    source: Source, dst: Workbook, tmp_path: Path
):
    """The last two bytes of a zip say how long its trailing comment is; flipping the last one
    leaves every entry intact, and the bundle then imports exactly as the undamaged one does."""
    damaged = flip(source.plain, len(source.plain) - 1)
    assert bundle.unpack(damaged) == bundle.unpack(source.plain)
    path = tmp_path / "x.ctbundle"
    path.write_bytes(damaged)
    assert importer.import_bundle(dst, path).added == 3


def test_no_flipped_byte_of_a_plain_bundle_changes_what_it_says(source: Source):
    """Every single byte flipped in turn: the bundle is refused, or (for the bytes a zip keeps
    only for its own bookkeeping: times, versions, the local copies of sizes) reads exactly as
    the undamaged bundle. Nothing else: no partly different content, no other exception."""
    pristine = bundle.unpack(source.plain)
    for index in range(len(source.plain)):
        try:
            got = bundle.unpack(flip(source.plain, index))
        except BundleError:
            continue
        assert got == pristine, index


def test_no_flipped_byte_of_an_encrypted_bundle_opens(source: Source, tmp_path: Path):
    path = tmp_path / "x.ctbundle"
    for index in range(len(source.to_key)):
        path.write_bytes(flip(source.to_key, index))
        try:
            data = importer.open_bundle(path, identities=[source.identity])
        except BundleError:
            continue
        # the magic line broken: not an age file, so taken as a (broken) zip
        with pytest.raises(BundleError, match="not a ctdesk bundle"):
            bundle.unpack(data)


def test_no_cut_of_a_bundle_is_read(source: Source, tmp_path: Path):
    for size in range(len(source.plain)):
        with pytest.raises(BundleError):
            bundle.unpack(source.plain[:size])
    path = tmp_path / "x.ctbundle"
    for size in range(len(source.to_key)):
        path.write_bytes(source.to_key[:size])
        with pytest.raises(BundleError):
            bundle.unpack(importer.open_bundle(path, identities=[source.identity]))


def test_a_corrupt_compressed_stream_is_refused_as_damaged(
    source: Source, dst: Workbook, tmp_path: Path
):
    with zipfile.ZipFile(io.BytesIO(source.plain)) as archive:
        info = archive.getinfo(bundle.REVISIONS)
    (name_len, extra_len) = struct.unpack_from("<HH", source.plain, info.header_offset + 26)
    stream = info.header_offset + 30 + name_len + extra_len
    # the first deflate block header turned into the reserved block type
    refused(dst, flip(source.plain, stream), tmp_path, "damaged")


def test_a_zip_needing_a_newer_zip_version_is_refused(
    source: Source, dst: Workbook, tmp_path: Path
):
    data = bytearray(source.plain)
    struct.pack_into("<H", data, central_entry(source.plain, bundle.REVISIONS) + 6, 0xFF)
    refused(dst, bytes(data), tmp_path, "bundle")


# ---- secrets -----------------------------------------------------------------------------------


def test_a_wrong_passphrase(source: Source, dst: Workbook, tmp_path: Path):
    refused(dst, source.with_passphrase, tmp_path, "passphrase", passphrase="wrong horse battery")


def test_no_passphrase(source: Source, dst: Workbook, tmp_path: Path):
    refused(dst, source.with_passphrase, tmp_path, "passphrase", identities=[source.identity])


def test_a_key_it_was_not_sealed_to(source: Source, dst: Workbook, tmp_path: Path):
    refused(dst, source.to_key, tmp_path, "other keys", identities=[source.stranger])


def test_no_key(source: Source, dst: Workbook, tmp_path: Path):
    refused(dst, source.to_key, tmp_path, "needs your key", passphrase=PASSPHRASE)


def test_a_public_key_given_as_the_secret_key(source: Source, dst: Workbook, tmp_path: Path):
    public = str(x25519.Identity.from_str(source.identity).to_public())
    refused(dst, source.to_key, tmp_path, "not an age secret key", identities=[public])


# ---- not bundles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"Minutes of the Channel panel, 3 March\n", b"\x00" * 4096, b"PK", b"PK\x03\x04junk"],
    ids=["empty", "text", "zeros", "PK", "a zip's first bytes"],
)
def test_what_is_not_a_bundle(dst: Workbook, tmp_path: Path, data: bytes):
    err = refused(dst, data, tmp_path)
    assert "not a ctdesk bundle" in str(err) or "damaged" in str(err)
    if not data.startswith(b"PK"):
        assert "not a ctdesk bundle" in str(err)


def test_a_zip_of_something_else(dst: Workbook, tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(bundle.MANIFEST, json.dumps({"format": "something-else", "version": 1}))
        archive.writestr(bundle.REVISIONS, b"")
    refused(dst, buffer.getvalue(), tmp_path, "not a ctdesk bundle")


def test_a_missing_file(dst: Workbook, tmp_path: Path):
    with pytest.raises(BundleError, match="no file"):
        importer.import_bundle(dst, tmp_path / "nowhere.ctbundle")


# ---- a newer format ----------------------------------------------------------------------------


@pytest.mark.parametrize("seal", ["plain", "to_key"])
def test_a_bundle_claiming_a_newer_format(source: Source, dst: Workbook, tmp_path: Path, seal: str):
    blobs = entries(source.plain)
    manifest = {**manifest_of(source.plain), "version": 99}
    data = sealed_as(source, seal, repack(blobs, manifest))
    err = refused(dst, data, tmp_path, "newer", "update ctdesk", **secrets_for(source, seal))
    assert "99" in str(err)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda m: m.pop("version"), ("damaged", "format version")),
        (lambda m: m.update(version="1"), ("damaged", "format version")),
        (lambda m: m.update(version=0), ("damaged", "format version")),
        (lambda m: m.pop("format"), ("not a ctdesk bundle",)),
    ],
    ids=["no version", "version as text", "version 0", "no format"],
)
def test_a_manifest_without_its_format(
    source: Source, dst: Workbook, tmp_path: Path, change: Callable[[dict], Any], words: tuple
):
    manifest = manifest_of(source.plain)
    change(manifest)
    refused(dst, repack(entries(source.plain), manifest), tmp_path, *words)


# ---- names a bundle cannot hold ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../evil",
        "/etc/x",
        "attachments/../../x",
        "attachments/" + "A" * 64,
        "attachments/" + "a" * 63,
        "attachments/" + "a" * 64 + "/x",
        "C:\\evil",
        "revisions.jsonl/",
    ],
)
@pytest.mark.parametrize("listed", [True, False], ids=["listed", "unlisted"])
def test_an_entry_ctdesk_does_not_write(
    source: Source, dst: Workbook, tmp_path: Path, name: str, listed: bool
):
    blobs = {**entries(source.plain), name: b"#!/bin/sh\necho owned\n"}
    manifest = manifest_of(source.plain)
    data = repack(blobs) if listed else repack(blobs, manifest, checksums=False)
    refused(dst, data, tmp_path, "does not write", "not imported")
    assert not (tmp_path / "evil").exists() and not (tmp_path.parent / "x").exists()


def test_an_entry_held_twice(source: Source, dst: Workbook, tmp_path: Path):
    blobs = entries(source.plain)
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")
        for name, blob in blobs.items():
            archive.writestr(name, blob)
        archive.writestr(bundle.REVISIONS, blobs[bundle.REVISIONS])
    refused(dst, buffer.getvalue(), tmp_path, "damaged", "twice")


def test_a_password_protected_entry(source: Source, dst: Workbook, tmp_path: Path):
    data = bytearray(source.plain)
    at = central_entry(source.plain, bundle.REVISIONS)
    data[at + 8] |= 0x01  # general purpose flag: encrypted
    refused(dst, bytes(data), tmp_path, "damaged", "password")


# ---- sizes -------------------------------------------------------------------------------------


def test_an_entry_claiming_an_absurd_size(source: Source, dst: Workbook, tmp_path: Path):
    huge = 0xF000_0000  # 3.75 GiB, beyond what one entry may unpack to
    data = with_sizes(source.plain, bundle.REVISIONS, packed=huge, unpacked=huge)
    err = refused(dst, data, tmp_path, "absurd size", "not imported")
    assert "revisions.jsonl" in str(err)


def test_a_manifest_claiming_an_absurd_size(source: Source, dst: Workbook, tmp_path: Path):
    data = with_sizes(source.plain, bundle.MANIFEST, packed=64 * 1024**2, unpacked=64 * 1024**2)
    refused(dst, data, tmp_path, "absurd size")


def test_entries_claiming_more_than_the_whole_limit(source: Source, dst: Workbook, tmp_path: Path):
    each = bundle.MAX_ENTRY - 1
    count = bundle.MAX_TOTAL // each + 1
    blobs = {
        **entries(source.plain),
        **{f"attachments/{i:064x}": b"x" for i in range(count)},
    }
    data = repack(blobs)
    for i in range(count):
        data = with_sizes(data, f"attachments/{i:064x}", packed=each, unpacked=each)
    refused(dst, data, tmp_path, "more than 8 GiB")


def test_a_zip_bomb(source: Source, dst: Workbook, tmp_path: Path):
    zeros = bytes(100 * 1024**2)
    name = f"attachments/{bundle.sha256(zeros)}"
    data = repack({**entries(source.plain), name: zeros}, level=9)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    assert info.file_size <= bundle.MAX_ENTRY  # honest about its size, only too compressed
    assert info.file_size > bundle.MAX_RATIO * info.compress_size + 2**20
    refused(dst, data, tmp_path, "absurd size", name)


@pytest.mark.parametrize("entry", [bundle.REVISIONS, bundle.MANIFEST])
@pytest.mark.parametrize("claim", ["smaller", "larger"])
def test_an_entry_not_the_size_it_claims(
    source: Source, dst: Workbook, tmp_path: Path, entry: str, claim: str
):
    with zipfile.ZipFile(io.BytesIO(source.plain)) as archive:
        size = archive.getinfo(entry).file_size
    data = with_sizes(source.plain, entry, unpacked=size - 10 if claim == "smaller" else size + 10)
    refused(dst, data, tmp_path, "damaged")


# ---- checksums ---------------------------------------------------------------------------------


def test_a_manifest_without_checksums(source: Source, dst: Workbook, tmp_path: Path):
    manifest = manifest_of(source.plain)
    del manifest["checksums"]
    refused(dst, repack(entries(source.plain), manifest, checksums=False), tmp_path, "damaged")


def test_a_manifest_missing_the_checksum_of_the_revisions(
    source: Source, dst: Workbook, tmp_path: Path
):
    manifest = manifest_of(source.plain)
    del manifest["checksums"][bundle.REVISIONS]
    data = repack(entries(source.plain), manifest, checksums=False)
    refused(dst, data, tmp_path, "damaged", "no checksums")


def test_a_manifest_missing_the_checksum_of_a_file(source: Source, dst: Workbook, tmp_path: Path):
    manifest = manifest_of(source.plain)
    del manifest["checksums"][f"attachments/{source.file_hash}"]
    data = repack(entries(source.plain), manifest, checksums=False)
    refused(dst, data, tmp_path, "damaged", "not listed")


def test_a_manifest_listing_a_file_the_bundle_lacks(source: Source, dst: Workbook, tmp_path: Path):
    blobs = entries(source.plain)
    manifest = manifest_of(source.plain)
    del blobs[f"attachments/{source.file_hash}"]
    refused(dst, repack(blobs, manifest, checksums=False), tmp_path, "damaged", "missing")


def test_an_entry_that_does_not_match_its_checksum(source: Source, dst: Workbook, tmp_path: Path):
    blobs = entries(source.plain)
    manifest = manifest_of(source.plain)
    blobs[bundle.REVISIONS] = blobs[bundle.REVISIONS].replace(b"Referrals", b"Referals!")
    data = repack(blobs, manifest, checksums=False)
    refused(dst, data, tmp_path, "damaged", "checksum")


def test_an_attached_file_swapped_with_its_checksum_recomputed(
    source: Source, dst: Workbook, tmp_path: Path
):
    blobs = entries(source.plain)
    blobs[f"attachments/{source.file_hash}"] = b"Something else entirely\n"
    refused(dst, repack(blobs), tmp_path, "lacks the attached file")


# ---- revisions altered, checksums recomputed: only the revision hashes tell --------------------


def _altered(rows: list[dict[str, Any]], change: Callable[[dict[str, Any]], None]) -> None:
    for row in rows:
        content = json.loads(row["content"])
        if row["kind"] == "note" and content.get("body") == "Met monthly.":
            change(row)
            return
    raise AssertionError("no such revision")


def _new_body(row: dict[str, Any], *, content_hash: bool) -> None:
    content = json.loads(row["content"])
    content["body"] = "Never met."
    row["content"] = history.canonical(content)
    if content_hash:
        row["content_hash"] = hashlib.sha256(row["content"].encode()).hexdigest()


ALTERATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "content": lambda r: _new_body(r, content_hash=False),
    "content and content hash": lambda r: _new_body(r, content_hash=True),
    "author": lambda r: r.update(author="Mallory"),
    "time": lambda r: r.update(created_at="2020-01-01T00:00:00.000Z"),
    "operation": lambda r: r.update(op="delete"),
    "parents": lambda r: r.update(parents=["0" * 64]),
    "record id": lambda r: r.update(record_id="00000000-0000-4000-8000-000000000000"),
    "kind": lambda r: r.update(kind="finding"),
    "hash": lambda r: r.update(hash="f" * 64),
}


@pytest.mark.parametrize("alteration", ALTERATIONS)
@pytest.mark.parametrize("seal", ["plain", "to_key"])
def test_an_altered_revision_with_every_checksum_recomputed(
    source: Source, dst: Workbook, tmp_path: Path, alteration: str, seal: str
):
    rows = revisions_of(source.plain)
    _altered(rows, ALTERATIONS[alteration])
    data = sealed_as(source, seal, with_revisions(source.plain, rows))
    refused(dst, data, tmp_path, "altered", "nothing was imported", **secrets_for(source, seal))


def test_an_altered_revision_is_refused_even_when_the_rest_is_new(
    source: Source, dst: Workbook, tmp_path: Path
):
    """One bad line among good ones: none of the good ones is imported either."""
    rows = revisions_of(source.plain)
    _altered(rows, ALTERATIONS["content"])
    refused(dst, with_revisions(source.plain, rows), tmp_path, "altered")
    assert not dst.notes.exists(source.note_ids[0])


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b"[1, 2]",
        b'{"hash": "x"}',
        json.dumps({k: "" for k in bundle._REVISION_FIELDS} | {"parents": [1]}).encode(),
        b"\xff\xfe",
    ],
    ids=["not JSON", "a list", "fields missing", "a parent not text", "not UTF-8"],
)
def test_a_revisions_line_that_is_not_a_revision(
    source: Source, dst: Workbook, tmp_path: Path, line: bytes
):
    blobs = entries(source.plain)
    blobs[bundle.REVISIONS] = blobs[bundle.REVISIONS] + line + b"\n"
    refused(dst, repack(blobs), tmp_path, "damaged")


def _forged(source: Source, **content: Any) -> dict[str, Any]:
    """A new note revision, hashed correctly, as another program might make one."""
    rows = revisions_of(source.plain)
    base = next(r for r in rows if r["kind"] == "note")
    made = history.make(
        kind="note",
        record_id="00000000-0000-4000-8000-00000000f00d",
        content={**json.loads(base["content"]), **content},
        parents=[],
        op="create",
        author="Mallory",
        workbook_id="elsewhere",
        created_at="2026-03-02T09:00:00.000Z",
    )
    return {**history.as_row(made), "parents": []}


@pytest.mark.parametrize(
    "content",
    [{"force": "atlantis"}, {"areas": ["ct9.a1"]}, {"inspection": "ct9"}],
    ids=["force", "area", "inspection"],
)
def test_a_well_made_revision_outside_the_scope(
    source: Source, dst: Workbook, tmp_path: Path, content: dict[str, Any]
):
    rows = [*revisions_of(source.plain), _forged(source, **content)]
    refused(dst, with_revisions(source.plain, rows), tmp_path, "scope")


def test_a_well_made_revision_citing_what_nobody_has(source: Source, dst: Workbook, tmp_path: Path):
    """Refused only when written (a foreign key, checked at commit): the workbook's rows are
    rolled back; the backup taken just before writing is allowed here."""
    rows = [
        *revisions_of(source.plain),
        _forged(source, activity_id="00000000-0000-4000-8000-0000000000aa"),
    ]
    path = tmp_path / "x.ctbundle"
    path.write_bytes(with_revisions(source.plain, rows))
    before = snapshot(dst)
    with pytest.raises(BundleError, match="refers to records it does not carry"):
        importer.import_bundle(dst, path)
    assert snapshot(dst) == before
    assert not dst.db.conn.in_transaction
    # and the workbook takes a good bundle afterwards
    path.write_bytes(source.plain)
    assert importer.import_bundle(dst, path).added == 3


def test_a_record_whose_kind_changed(source: Source, dst: Workbook, tmp_path: Path):
    """A revision claiming to be a document when this workbook holds that record as a note."""
    path = tmp_path / "x.ctbundle"
    path.write_bytes(source.plain)
    importer.import_bundle(dst, path)
    rows = revisions_of(source.plain)
    note = next(r for r in rows if r["kind"] == "note")
    made = history.make(
        kind="document",
        record_id=note["record_id"],
        content=json.loads(note["content"]),
        parents=[note["hash"]],
        op="edit",
        author="Mallory",
        workbook_id="elsewhere",
        created_at="2026-03-02T09:00:00.000Z",
    )
    rows.append({**history.as_row(made), "parents": [note["hash"]]})
    refused(dst, with_revisions(source.plain, rows), tmp_path, "not made by ctdesk")


# ---- crafted values the checks let through ----------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000  # valid JSON, nested deeper than Python's json decodes


def _deep_content_revision() -> dict[str, Any]:
    """A note revision whose content is deeply nested JSON, with correct hashes (a hash is not
    a signature: anyone can make one)."""
    content = (
        '{"activity_id":null,"areas":[],"body":"x","deleted":false,"force":"kent",'
        '"inspection":"ct4","marking":"OFFICIAL","title":"T","z":' + DEEP + "}"
    )
    header = {
        "record_id": "00000000-0000-4000-8000-00000000beef",
        "kind": "note",
        "parents": [],
        "op": "create",
        "author": "Mallory",
        "workbook_id": "elsewhere",
        "created_at": "2026-03-02T09:00:00.000Z",
        "content_hash": hashlib.sha256(content.encode()).hexdigest(),
    }
    digest = hashlib.sha256(history.canonical(header).encode()).hexdigest()
    return {"hash": digest, **header, "content": content}


def _deep_manifest(source: Source) -> bytes:
    blobs = entries(source.plain)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in blobs.items():
            if name != bundle.MANIFEST:
                archive.writestr(name, blob)
        archive.writestr(bundle.MANIFEST, DEEP)
    return buffer.getvalue()


def _deep_revisions_line(source: Source) -> bytes:
    blobs = entries(source.plain)
    blobs[bundle.REVISIONS] += DEEP.encode() + b"\n"
    return repack(blobs)


@pytest.mark.parametrize(
    "where",
    ["manifest", "revisions line", "revision content"],
)
def test_deeply_nested_json_is_refused(source: Source, dst: Workbook, tmp_path: Path, where: str):
    data = {
        "manifest": lambda: _deep_manifest(source),
        "revisions line": lambda: _deep_revisions_line(source),
        "revision content": lambda: with_revisions(
            source.plain, [*revisions_of(source.plain), _deep_content_revision()]
        ),
    }[where]()
    refused(dst, data, tmp_path)


@pytest.mark.parametrize("created_at", ["missing", ["2026"]], ids=["missing", "a list"])
def test_a_manifest_without_a_usable_time_still_imports(
    source: Source, dst: Workbook, tmp_path: Path, created_at: Any
):
    """The manifest's time is for people to read; nothing stored is taken from it (an attached
    file is stamped when it arrives)."""
    manifest = manifest_of(source.plain)
    if created_at == "missing":
        del manifest["created_at"]
    else:
        manifest["created_at"] = created_at
    path = tmp_path / "x.ctbundle"
    path.write_bytes(repack(entries(source.plain), manifest, checksums=False))
    assert importer.import_bundle(dst, path).added == 3
    assert dst.documents.attachment(source.document_id)[1] == b"Prevent policy, version 3\n" * 40
