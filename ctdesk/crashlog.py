"""The user log: where tracebacks of bugs go, so that users see sentences, not tracebacks."""

import traceback
from datetime import UTC, datetime
from pathlib import Path

from ctdesk import paths


def write_crash_log(exc: BaseException) -> Path | str:
    """Append ``exc``'s traceback to the user log; returns the log file (or why it failed)."""
    folder = paths.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "ctdesk.log"
        with path.open("a", encoding="utf-8") as out:
            out.write(f"--- {datetime.now(UTC).isoformat()}\n")
            out.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return "(the log folder could not be written)"
