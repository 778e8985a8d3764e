"""``ctdesk evidence``."""

import click


@click.group("evidence")
def evidence_group() -> None:
    """Being written."""
