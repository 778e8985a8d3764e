"""``ctdesk bundle``, ``key``, ``conflicts``, ``team`` and ``sync``: sharing work with others."""

import os
import sys
from pathlib import Path

import click

from ctdesk import dates
from ctdesk import passphrase as passphrase_mod
from ctdesk.cli.support import Context, emit, json_option, pass_context
from ctdesk.errors import InvalidInput
from ctdesk.exchange import bundle, conflicts, crypto, export, files, importer, keys, team

BUNDLE_ENV = "CTDESK_BUNDLE_PASSPHRASE"


def bundle_passphrase(given: str | None, *, new: bool) -> str:
    """A bundle's passphrase: from ``--passphrase-file``, else ``CTDESK_BUNDLE_PASSPHRASE`` or
    ``CTDESK_PASSPHRASE``, else typed (twice for a new bundle)."""
    if given:
        return passphrase_mod.read_file(given)
    found = os.environ.get(BUNDLE_ENV) or os.environ.get(passphrase_mod.ENV)
    if found:
        return found
    if not sys.stdin.isatty():
        if new:
            raise InvalidInput(
                f"Encrypt the bundle with a passphrase (--passphrase-file PATH or {BUNDLE_ENV}) "
                "or to a public key (--recipient age1…); to write it unencrypted, say "
                "--no-encrypt."
            )
        raise InvalidInput(
            f"This bundle needs a passphrase; give it with --passphrase-file PATH or {BUNDLE_ENV}."
        )
    if new:
        return str(
            click.prompt(
                "Bundle passphrase", hide_input=True, confirmation_prompt="Repeat it", err=True
            )
        )
    return str(click.prompt("Bundle passphrase", hide_input=True, err=True))


def _identities(path: str | None) -> list[str]:
    if path:
        return keys.read_identities(Path(path).expanduser())
    return keys.read_identities() if keys.has_identity() else []


def _open_bundle(data: bytes, passphrase_file: str | None, identity: str | None) -> bytes:
    """A bundle file's zip bytes: decrypted with what its encryption needs, asked only then."""
    kind = crypto.encryption_of(data)
    if kind == "none":
        return data
    if kind == "passphrase":
        return crypto.decrypt(data, passphrase=bundle_passphrase(passphrase_file, new=False))
    return crypto.decrypt(data, identities=_identities(identity))


def _context(click_ctx: click.Context) -> Context:
    found = click_ctx.find_object(Context)
    assert found is not None
    return found


@click.group("bundle")
def bundle_group() -> None:
    """Exchange bundles: a colleague's work, encrypted, to merge into your workbook."""


@bundle_group.command("export")
@click.option("--out", metavar="PATH", required=True, help="Where to write the bundle.")
@click.option("--force", "forces", multiple=True, help="Only this force (repeatable).")
@click.option("--since", metavar="DATE", help="Only records changed on or after DATE.")
@click.option("--passphrase-file", metavar="PATH", help="Encrypt with the passphrase in PATH.")
@click.option(
    "--recipient", "recipients", multiple=True, metavar="KEY", help="Encrypt to this public key."
)
@click.option("--no-encrypt", is_flag=True, help="Write the bundle unencrypted (think twice).")
@json_option
@pass_context
def bundle_export_cmd(
    ctx: Context,
    out: str,
    forces: tuple[str, ...],
    since: str | None,
    passphrase_file: str | None,
    recipients: tuple[str, ...],
    no_encrypt: bool,
    as_json: bool,
) -> None:
    """Write the chosen records, with their whole histories and files, to one bundle file."""
    if no_encrypt and (recipients or passphrase_file):
        raise InvalidInput("--no-encrypt cannot go with a passphrase or recipients; choose one.")
    wb = ctx.open()
    force_ids = [wb.scope.force(f).id for f in forces] if forces else None
    day = dates.parse_date(since, "date for --since") if since else None
    if no_encrypt:
        encryption = export.Encryption(none=True)
    elif recipients:
        encryption = export.Encryption(recipients=recipients)
    else:
        encryption = export.Encryption(passphrase=bundle_passphrase(passphrase_file, new=True))
    made = export.export_bundle(
        wb,
        Path(out).expanduser(),
        encryption,
        forces=force_ids,
        since=dates.day_start_utc(day) if day else None,
        since_label=day,
    )
    if as_json:
        emit({"path": str(made.path), "encryption": made.encryption, "manifest": made.manifest})
        return
    counts = made.manifest["counts"]
    click.echo(
        f"Wrote {made.path}: {counts['revisions']} revisions of "
        f"{sum(counts.get(k, 0) for k in ('note', 'activity', 'document', 'finding'))} records, "
        f"{'not encrypted' if made.encryption == 'none' else 'encrypted'}, marked "
        f"{made.manifest['highest_marking']}.",
        err=True,
    )


@bundle_group.command("import")
@click.argument("path", metavar="PATH")
@click.option("--passphrase-file", metavar="PATH", help="The bundle's passphrase is in PATH.")
@click.option("--identity", metavar="PATH", help="Your age secret key file (default: your key).")
@click.option("--dry-run", is_flag=True, help="Count what would change; change nothing.")
@json_option
@pass_context
def bundle_import_cmd(
    ctx: Context,
    path: str,
    passphrase_file: str | None,
    identity: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Merge a bundle into the workbook (after a backup; all or nothing)."""
    wb = ctx.open()
    data = _open_bundle(files.read(Path(path).expanduser()), passphrase_file, identity)
    receipt = importer.apply(wb, bundle.unpack(data), dry_run=dry_run)
    if as_json:
        emit(receipt.to_json())
    else:
        click.echo(receipt.sentence(), err=True)


@bundle_group.command("inspect")
@click.argument("path", metavar="PATH")
@click.option("--passphrase-file", metavar="PATH", help="The bundle's passphrase is in PATH.")
@click.option("--identity", metavar="PATH", help="Your age secret key file (default: your key).")
@json_option
def bundle_inspect_cmd(
    path: str, passphrase_file: str | None, identity: str | None, as_json: bool
) -> None:
    """Show a bundle's manifest without importing it."""
    raw = files.read(Path(path).expanduser())
    data = _open_bundle(raw, passphrase_file, identity)
    manifest = bundle.read_manifest(data)
    encryption = crypto.encryption_of(raw)
    if as_json:
        emit({"encryption": encryption, "manifest": manifest})
        return
    click.echo(f"Encryption: {encryption}")
    for label, value in bundle.summary(manifest):
        click.echo(f"{label + ':':<17}{value}")


@click.group("key")
def key_group() -> None:
    """Your age key pair: others encrypt bundles to your public key; only you can open them."""


@key_group.command("generate")
@click.option("--replace", is_flag=True, help="Replace the key you have (old bundles won't open).")
def key_generate_cmd(replace: bool) -> None:
    """Make your key pair and print the public key to give to colleagues."""
    public = keys.generate(replace=replace)
    click.echo(public)
    click.echo(f"Your secret key is in {keys.identity_path()}; keep it there.", err=True)


@key_group.command("show")
@json_option
def key_show_cmd(as_json: bool) -> None:
    """Print your public key (with --json, also where your secret key file is)."""
    public = keys.public_key()
    if as_json:
        emit({"public_key": public, "identity_file": str(keys.identity_path())})
    else:
        click.echo(public)


@click.group("conflicts", invoke_without_command=True)
@json_option
@click.pass_context
def conflicts_group(click_ctx: click.Context, as_json: bool) -> None:
    """List records changed on both sides since they last met (both versions kept)."""
    if click_ctx.invoked_subcommand is not None:
        return
    wb = _context(click_ctx).open()
    found = conflicts.list_conflicts(wb)
    if as_json:
        emit({"conflicts": [c.to_json() for c in found]})
        return
    if not found:
        click.echo("No conflicts.", err=True)
        return
    for c in found:
        mine, theirs = c.mine, c.theirs
        click.echo(f"{c.record_id[:8]}  {c.kind:<8} {c.force_id or 'national':<18} {c.title}")
        for label, v in (("mine", mine), ("theirs", theirs)):
            state = "deleted" if v.deleted else ("current" if v.current else "kept")
            click.echo(f"    {label:<7}{v.author} at {v.created_at} ({state})")


@conflicts_group.command("resolve")
@click.argument("record", metavar="ID")
@click.option(
    "--keep",
    type=click.Choice(conflicts.KEEPS),
    required=True,
    help="Which version to keep; 'both' puts both texts one after the other to edit.",
)
@pass_context
def conflicts_resolve_cmd(ctx: Context, record: str, keep: conflicts.Keep) -> None:
    """Close a conflict; the next bundle closes it on the other side too."""
    wb = ctx.open()
    conflict = conflicts.get(wb, record)
    conflicts.resolve(wb, conflict.record_id, keep)
    click.echo(f"Resolved the {conflict.kind} {conflict.record_id[:8]}: kept {keep}.", err=True)


@click.group("team", invoke_without_command=True)
@json_option
@click.pass_context
def team_group(click_ctx: click.Context, as_json: bool) -> None:
    """The team folder this workbook syncs with, and how bundles there are encrypted."""
    if click_ctx.invoked_subcommand is not None:
        return
    current = team.settings(_context(click_ctx).open())
    if as_json:
        emit(current.to_json())
        return
    click.echo(f"Folder:     {current.folder or '(not set)'}")
    if current.recipients:
        click.echo("Encryption: to these public keys")
        for key in current.recipients:
            click.echo(f"  {key}")
    else:
        click.echo("Encryption: the team's passphrase (given at each sync)")


@team_group.command("set")
@click.option("--folder", metavar="PATH", help="The shared folder.")
@click.option(
    "--recipient", "recipients", multiple=True, metavar="KEY", help="A member's public key."
)
@click.option("--passphrase", "use_passphrase", is_flag=True, help="Use a team passphrase.")
@pass_context
def team_set_cmd(
    ctx: Context, folder: str | None, recipients: tuple[str, ...], use_passphrase: bool
) -> None:
    """Set the team folder, and encrypt to members' public keys or with a passphrase."""
    if use_passphrase and recipients:
        raise InvalidInput("Choose either --passphrase or --recipient, not both.")
    wb = ctx.open()
    where = Path(folder).expanduser() if folder else None
    if where is not None and not where.is_dir():
        raise InvalidInput(f"The folder {where} does not exist; create it or check the path.")
    given = list(recipients) if recipients else ([] if use_passphrase else None)
    current = team.configure(wb, folder=where, recipients=given)
    how = (
        f"to {len(current.recipients)} public keys"
        if current.recipients
        else "with the team passphrase"
    )
    click.echo(f"Team folder {current.folder or '(not set)'}, bundles encrypted {how}.", err=True)


@click.command("sync")
@click.option("--folder", metavar="PATH", help="The team folder (default: the one set).")
@click.option("--passphrase-file", metavar="PATH", help="The team passphrase is in PATH.")
@click.option("--identity", metavar="PATH", help="Your age secret key file (default: your key).")
@json_option
@pass_context
def sync_cmd(
    ctx: Context,
    folder: str | None,
    passphrase_file: str | None,
    identity: str | None,
    as_json: bool,
) -> None:
    """Import every colleague's bundle in the team folder, then leave this workbook's there."""
    wb = ctx.open()
    current = team.settings(wb)
    secret = None if current.recipients else bundle_passphrase(passphrase_file, new=False)
    report = team.sync(
        wb,
        Path(folder).expanduser() if folder else None,
        passphrase=secret,
        identities=_identities(identity),
    )
    if as_json:
        emit(report.to_json())
    else:
        for text in report.warnings:
            click.echo(f"ctdesk: {text}", err=True)
        for name, receipt in report.receipts.items():
            click.echo(f"{name}: {receipt.sentence()}", err=True)
        for name, reason in report.refused.items():
            click.echo(f"{name}: not imported. {reason}", err=True)
        if report.skipped:
            click.echo(f"{len(report.skipped)} bundles unchanged since the last sync.", err=True)
        click.echo(
            f"{'Wrote' if report.wrote else 'Left as it was'}: {report.own}.",
            err=True,
        )
    if report.refused:
        sys.exit(1)
