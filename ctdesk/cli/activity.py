"""``ctdesk activity``."""

import click


@click.group("activity")
def activity_group() -> None:
    """Being written."""
