"""Errors a user can act on.

Every ``CtdeskError`` message is one sentence saying what was wrong and what to do. The CLI prints
it and exits 1; the GUI shows it in a message box. Anything else that escapes is a bug.
"""


class CtdeskError(Exception):
    """A problem with the user's input or files, worded for the user."""


class NotFound(CtdeskError):
    """A force, area, note or other record named by the user does not exist."""


class WorkbookError(CtdeskError):
    """The workbook file is missing, not a workbook, from a newer version, or unusable."""


class InvalidInput(CtdeskError):
    """A value given by the user is not acceptable (empty title, bad date, ...)."""


class PassphraseNeeded(WorkbookError):
    """The workbook is encrypted and no passphrase was given."""


class WrongPassphrase(WorkbookError):
    """The passphrase given does not open the workbook."""
