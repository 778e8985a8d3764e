"""The core must not pull in Qt widgets: the CLI and services run without a GUI stack."""

import subprocess
import sys


def test_core_and_store_import_without_qtwidgets() -> None:
    code = (
        "import sys\n"
        "import ctdesk, ctdesk.db.connection, ctdesk.workbook, ctdesk.cli, ctdesk.export\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_ui_does_not_touch_the_store_directly() -> None:
    from pathlib import Path

    import ctdesk.ui

    ui = Path(ctdesk.ui.__file__).parent
    offenders = [
        f"{path.name}: {word}"
        for path in ui.glob("*.py")
        for word in ("sqlite", "ctdesk.db", ".execute(", "SELECT ")
        if word in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
