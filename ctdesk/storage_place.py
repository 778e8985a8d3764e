"""Whether a workbook sits where databases are known to come to harm: in a folder a cloud
service keeps in sync (OneDrive, Dropbox, Google Drive, iCloud Drive, Box, Nextcloud, ownCloud)
or on a network file system (NFS, SMB, SSHFS, WebDAV, ...).

A sync program uploads, downloads and sometimes replaces the file while ctdesk writes it, and
knows nothing of its write-ahead log; a network file system's locking is not what SQLite needs.
Both are known causes of corrupted databases. ctdesk still opens such a workbook: it warns.

No Qt and no I/O beyond reading the mount table (Linux) and resolving the path.
"""

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath

# Folder names (compared casefolded) that sync clients use, and the service each belongs to.
SYNC_FOLDERS: dict[str, str] = {
    "onedrive": "OneDrive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",  # ~/Library/Mobile Documents on a Mac
    "dropbox": "Dropbox",
    "box": "Box",
    "box sync": "Box",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
}
# Beginnings of folder names that carry an account or organisation:
# "OneDrive - Kent Police", "OneDrive-Personal" and "GoogleDrive-jo@example.org" (macOS
# ~/Library/CloudStorage), "Dropbox (Personal)", "Box-Box".
SYNC_PREFIXES: dict[str, str] = {
    "onedrive - ": "OneDrive",
    "onedrive-": "OneDrive",
    "googledrive-": "Google Drive",
    "dropbox (": "Dropbox",
    "dropbox-": "Dropbox",
    "box-": "Box",
}
# Environment variables that OneDrive sets on Windows to the folders it syncs.
SYNC_ENVIRONMENT = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")

# File system types (as in /proc/mounts) that live on another machine.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "sshfs",
        "fuse.sshfs",
        "davfs",
        "fuse.davfs2",
        "9p",
        "afs",
        "ncpfs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
    }
)
MOUNTS_FILE = "/proc/self/mounts"


def sync_service(path: PurePath) -> tuple[str, str] | None:
    """(service, folder name) when a folder on ``path`` is one a sync client keeps."""
    for part in path.parts:
        name = part.casefold().strip()
        if name in SYNC_FOLDERS:
            return SYNC_FOLDERS[name], part
        for prefix, service in SYNC_PREFIXES.items():
            if name.startswith(prefix):
                return service, part
    return None


def _environment_sync(path: PurePath, environ: Mapping[str, str]) -> tuple[str, str] | None:
    for variable in SYNC_ENVIRONMENT:
        root = environ.get(variable, "").strip()
        if root and _is_within(path, PurePath(root), fold=True):
            return "OneDrive", root
    return None


def _is_within(path: PurePath, folder: PurePath, *, fold: bool = False) -> bool:
    """Whether ``path`` is ``folder`` or inside it (``fold``: ignoring case, as Windows does)."""
    parts, inside = path.parts[: len(folder.parts)], folder.parts
    if fold:
        return [p.casefold() for p in parts] == [p.casefold() for p in inside]
    return parts == inside


def _unescape(field: str) -> str:
    # /proc/mounts writes a space, tab, newline and backslash in a path as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_of(path: PurePath, mounts: str) -> tuple[str, str, str] | None:
    """(mount point, file system type, source) of the mount holding ``path`` in a table in
    the format of /proc/mounts: the deepest mount point that contains it."""
    best: tuple[str, str, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        source, point, fstype = _unescape(fields[0]), _unescape(fields[1]), fields[2]
        if _is_within(path, PurePath(point)) and (
            best is None or len(PurePath(point).parts) >= len(PurePath(best[0]).parts)
        ):
            best = (point, fstype, source)
    return best


def _read_mounts() -> str | None:
    if not sys.platform.startswith("linux"):
        return None  # other systems: no mount table to read cheaply; sync folders still count
    try:
        with open(MOUNTS_FILE, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def _where(path: Path) -> list[PurePath]:
    """The workbook's folder as given (made absolute) and with links resolved."""
    folder = path.expanduser().absolute().parent
    places: list[PurePath] = [folder]
    try:
        resolved = folder.resolve()
    except (OSError, RuntimeError):
        return places
    if resolved != folder:
        places.append(resolved)
    return places


def risky_location(
    path: Path, mounts: str | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """A sentence warning that the workbook at ``path`` is in a synced folder or on a network
    file system, or None when its place is an ordinary local folder (or cannot be told).

    ``mounts`` is a mount table in the format of /proc/mounts (default: this system's, on
    Linux; elsewhere only folder names count); ``environ`` the environment (default: this
    process's), for OneDrive's own variables.
    """
    environ = os.environ if environ is None else environ
    places = _where(path)
    for place in places:
        found = sync_service(place) or _environment_sync(place, environ)
        if found:
            service, folder = found
            return (
                f"The workbook {path} is in a folder that {service} keeps in sync ({folder}); "
                "sync programs can copy or replace a database while ctdesk writes to it and "
                "corrupt it, so move the workbook to a folder on this computer that is not "
                "synced."
            )
    table = _read_mounts() if mounts is None else mounts
    if table is None:
        return None
    for place in places:
        mount = mount_of(place, table)
        if mount is None:
            continue
        point, fstype, source = mount
        if fstype.casefold() in NETWORK_FILESYSTEMS:
            return (
                f"The workbook {path} is on a network drive ({fstype} {source} at {point}); "
                "locking on network file systems is not reliable enough for a database and can "
                "corrupt it, so move the workbook to a folder on this computer's own disk."
            )
    return None


def warn(path: Path, say: Callable[[str], None]) -> None:
    """Pass the warning about the workbook's place, if there is one, to ``say``."""
    warning = risky_location(path)
    if warning is not None:
        say(warning)
