"""``ctdesk trash``."""

import click


@click.group("trash")
def trash_group() -> None:
    """Being written."""
