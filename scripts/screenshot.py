"""Render the README screenshot from a small, realistic workbook (run via `make screenshot`)."""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOTES = [
    (
        "Interview: chief officer responsible for Prevent",
        ["A1", "A3"],
        "OFFICIAL-SENSITIVE",
        "ACC holds the Prevent portfolio and chairs the quarterly Prevent board.\n\n"
        "- Prevent training is **mandatory** for all officers and staff\n"
        "- Completion is tracked monthly; 87% of frontline officers completed it\n"
        "- Partners (council, health, education) sit on the board\n\n"
        "Follow up: ask the strategic lead for the training completion data by district.",
    ),
    (
        "Focus group: community officers and staff",
        ["A1"],
        "OFFICIAL",
        "Eight officers from three districts. Most could describe signs of radicalisation; "
        "two did not know who the Prevent single point of contact is.",
    ),
    (
        "Document review: referral process",
        ["A2"],
        "OFFICIAL-SENSITIVE",
        "Referral form matches the regional CT unit's form since April. Lessons-learnt log "
        "exists but has no entries since last year.",
    ),
    (
        "Interview: head of safeguarding",
        ["A3"],
        "OFFICIAL-SENSITIVE",
        "MASH shares Prevent referrals with children's services the same day. Vetting levels "
        "limit what the council Prevent coordinator can see.",
    ),
]


def main(out: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ctdesk-shot-"))
    os.environ["CTDESK_CONFIG_DIR"] = str(folder / "config")
    os.environ["CTDESK_AUTHOR"] = "A. Inspector"
    from ctdesk.ui.app import application, build_window, screenshot
    from ctdesk.workbook import Workbook

    wb = Workbook.create(folder / "demo.ctdesk")
    for title, areas, marking, body in NOTES:
        wb.notes.add(force="kent", title=title, body=body, areas=areas, marking=marking)
    application()
    window = build_window(wb)
    window.select_force("kent")
    chief = next(n for n in wb.notes.all(force="kent") if "chief officer" in n.title)
    window.force_page.notes.select_note(chief.id)
    screenshot(window, out)
    window.session.close()
    print(f"Wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png"))
