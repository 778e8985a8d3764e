"""``ctdesk finding``."""

import click


@click.group("finding")
def finding_group() -> None:
    """Being written."""
