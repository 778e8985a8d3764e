"""Entry point of the PyInstaller build (packaging/ctdesk.spec): the ``ctdesk`` command.

In the built application ``sys.executable`` is ctdesk itself, not a Python interpreter, so a
child started as ``sys.executable -m ctdesk ...`` (the window runs exports that way) arrives
here with ``-m ctdesk`` in front of its arguments; they are dropped.
"""

import sys

from ctdesk.cli import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False) and sys.argv[1:3] == ["-m", "ctdesk"]:
        del sys.argv[1:3]
    main()
