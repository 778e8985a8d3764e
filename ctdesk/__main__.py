"""``python -m ctdesk``: the same as the ``ctdesk`` command."""

from ctdesk.cli import main

if __name__ == "__main__":
    main()
