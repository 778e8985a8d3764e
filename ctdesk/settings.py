"""The inspector's settings: who they are and how new records are marked.

Stored as JSON in the config folder. A file edited by hand into nonsense is not fatal: unreadable
values fall back to defaults, and ``problems`` says what was ignored.
"""

import getpass
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ctdesk import paths
from ctdesk.errors import InvalidInput
from ctdesk.marking import parse_marking

SETTINGS_FILE = "settings.json"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # would move a terminal's cursor if printed
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # bytes that are not UTF-8: cannot be stored


def _one_line(value: str, what: str) -> str:
    """``value`` on one line, control characters gone; raises if it is not UTF-8 text."""
    if _SURROGATE.search(value):
        raise InvalidInput(f"{what} holds bytes that are not UTF-8 text; type it again.")
    return " ".join(_CONTROL.sub(" ", value).split())


def _default_author() -> str:
    candidates = [lambda: os.environ.get("CTDESK_AUTHOR", ""), getpass.getuser]
    for candidate in candidates:
        try:
            name = _one_line(candidate(), "The name")[:200]
        except (KeyError, OSError, InvalidInput):  # no passwd entry (containers), odd bytes
            continue
        if name:
            return name
    return "inspector"


@dataclass
class Settings:
    """Per-user settings. ``author`` is recorded on every record this user writes."""

    author: str = field(default_factory=_default_author)
    initials: str = ""
    default_marking: str = "OFFICIAL-SENSITIVE"
    lock_minutes: int = 10  # an encrypted workbook's window locks after this long idle; 0 never
    problems: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def load(cls, folder: Path | None = None) -> "Settings":
        """Read settings from ``folder`` (default: the config folder); missing file = defaults."""
        path = (folder or paths.config_dir()) / SETTINGS_FILE
        settings = cls()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return settings
        except (OSError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            settings.problems.append(f"Ignored the settings file {path}: {exc}.")
            return settings
        if not isinstance(raw, dict):
            settings.problems.append(f"Ignored the settings file {path}: it is not a JSON object.")
            return settings
        lock = raw.get("lock_minutes")
        if lock is not None:
            try:
                settings = settings.update(lock_minutes=lock)
            except InvalidInput as exc:
                settings.problems.append(f"Ignored the setting 'lock_minutes': {exc}")
        for key in ("author", "initials", "default_marking"):
            value = raw.get(key)
            if value is None:
                continue
            if not (isinstance(value, str) and value.strip()):
                settings.problems.append(f"Ignored the setting '{key}': it is not a text value.")
                continue
            try:
                settings = settings.update(**{key: value})
            except InvalidInput as exc:
                settings.problems.append(f"Ignored the setting '{key}': {exc}")
        return settings

    @staticmethod
    def exists(folder: Path | None = None) -> bool:
        """Whether the inspector has saved settings (False on first run)."""
        return ((folder or paths.config_dir()) / SETTINGS_FILE).exists()

    def update(
        self,
        *,
        author: str | None = None,
        initials: str | None = None,
        default_marking: str | None = None,
        lock_minutes: object = None,
    ) -> "Settings":
        """A copy with the given values checked and cleaned; raises ``InvalidInput``."""
        new = Settings(
            self.author,
            self.initials,
            self.default_marking,
            self.lock_minutes,
            list(self.problems),
        )
        if lock_minutes is not None:
            if isinstance(lock_minutes, bool) or not isinstance(lock_minutes, int):
                raise InvalidInput("The lock delay is a whole number of minutes (0 = never).")
            if not 0 <= lock_minutes <= 24 * 60:
                raise InvalidInput("The lock delay must be between 0 and 1440 minutes.")
            new.lock_minutes = lock_minutes
        if author is not None:
            cleaned = _one_line(author, "Your name")
            if not cleaned:
                raise InvalidInput("Your name cannot be empty: it is recorded as the author.")
            new.author = cleaned[:200]
        if initials is not None:
            cleaned = "".join(_one_line(initials, "Your initials").split()).upper()
            if len(cleaned) > 5:
                raise InvalidInput("Initials can be at most 5 letters.")
            new.initials = cleaned
        if default_marking is not None:
            new.default_marking = str(parse_marking(default_marking))
        return new

    def save(self, folder: Path | None = None) -> None:
        """Write settings atomically (temporary file, then rename)."""
        folder = folder or paths.config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        data = asdict(self)
        data.pop("problems")
        tmp = folder / (SETTINGS_FILE + ".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / SETTINGS_FILE)
