"""Where ctdesk keeps its files.

Each folder can be moved with an environment variable, which is also how tests isolate themselves:
``CTDESK_DATA_DIR`` (workbooks), ``CTDESK_CONFIG_DIR`` (settings and UI state), ``CTDESK_LOG_DIR``.
"""

import os
from pathlib import Path

import platformdirs

APP_NAME = "ctdesk"
WORKBOOK_SUFFIX = ".ctdesk"


def _dir(env: str, default: str) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser() if value else Path(default)


def data_dir() -> Path:
    """Folder for workbooks (the platform's user data folder unless overridden)."""
    return _dir("CTDESK_DATA_DIR", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Folder for settings and remembered window state."""
    return _dir("CTDESK_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Folder for the user log, where internal errors are recorded with their traceback."""
    return _dir("CTDESK_LOG_DIR", platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_workbook() -> Path:
    """The workbook used when neither ``--workbook`` nor ``CTDESK_WORKBOOK`` names one."""
    return data_dir() / f"workbook{WORKBOOK_SUFFIX}"


def workbook_from_env(given: str | os.PathLike[str] | None) -> Path:
    """The workbook path to use: the one given, else ``CTDESK_WORKBOOK``, else the default."""
    if given:
        return Path(given).expanduser()
    env = os.environ.get("CTDESK_WORKBOOK")
    return Path(env).expanduser() if env else default_workbook()
