"""``ctdesk settings``: who you are (the author of what you write) and the default marking."""

import click

from ctdesk.cli.support import emit, json_option
from ctdesk.settings import Settings


@click.command("settings")
@click.option("--author", help="Your name, recorded as the author of what you write.")
@click.option("--initials", help="Your initials.")
@click.option("--default-marking", help="Marking for new records, e.g. OFFICIAL-SENSITIVE.")
@click.option(
    "--lock-minutes",
    type=int,
    help="Lock an encrypted workbook's window after this many idle minutes (0 = never).",
)
@json_option
def settings_cmd(
    author: str | None,
    initials: str | None,
    default_marking: str | None,
    lock_minutes: int | None,
    as_json: bool,
) -> None:
    """Show your settings, or change the ones given."""
    settings = Settings.load()
    for problem in settings.problems:
        click.echo(f"ctdesk: {problem}", err=True)
    if any(v is not None for v in (author, initials, default_marking, lock_minutes)):
        settings = settings.update(
            author=author,
            initials=initials,
            default_marking=default_marking,
            lock_minutes=lock_minutes,
        )
        settings.save()
    data = {
        "author": settings.author,
        "initials": settings.initials,
        "default_marking": settings.default_marking,
        "lock_minutes": settings.lock_minutes,
    }
    if as_json:
        emit(data)
    else:
        for key, value in data.items():
            click.echo(f"{key.replace('_', ' ')}: {value}")
