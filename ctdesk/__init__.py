"""ctdesk: an offline desktop workbook for inspectors of counter-terrorism policing.

The package root holds the Qt-free core (domain types and services); ``ctdesk.db`` is the only
place with SQL and ``ctdesk.ui`` the only place with widgets.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ctdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
