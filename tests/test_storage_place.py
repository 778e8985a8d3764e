"""Warning when a workbook sits in a synced folder or on a network file system."""

import json
import os
from pathlib import Path, PureWindowsPath

import pytest

from ctdesk.storage_place import mount_of, risky_location, sync_service

LOCAL_MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
"""
NO_ENV: dict[str, str] = {}


def workbook_in(tmp_path: Path, *folders: str) -> Path:
    folder = tmp_path.joinpath(*folders)
    folder.mkdir(parents=True)
    return folder / "fieldwork.ctdesk"


@pytest.mark.parametrize(
    ("folder", "service"),
    [
        ("OneDrive", "OneDrive"),
        ("onedrive", "OneDrive"),
        ("OneDrive - Kent Police", "OneDrive"),
        ("OneDrive-Personal", "OneDrive"),
        ("Dropbox", "Dropbox"),
        ("Dropbox (Personal)", "Dropbox"),
        ("Google Drive", "Google Drive"),
        ("GoogleDrive", "Google Drive"),
        ("GoogleDrive-jo@example.org", "Google Drive"),
        ("My Drive", "Google Drive"),
        ("iCloud Drive", "iCloud Drive"),
        ("iCloudDrive", "iCloud Drive"),
        ("Mobile Documents", "iCloud Drive"),
        ("Box", "Box"),
        ("BOX SYNC", "Box"),
        ("Nextcloud", "Nextcloud"),
        ("ownCloud", "ownCloud"),
    ],
)
def test_sync_folders_are_named_in_one_sentence(tmp_path: Path, folder: str, service: str) -> None:
    path = workbook_in(tmp_path, folder, "inspections", "2024")
    warning = risky_location(path, mounts=LOCAL_MOUNTS, environ=NO_ENV)
    assert warning is not None
    assert f"that {service} keeps in sync ({folder})" in warning
    assert str(path) in warning and warning.endswith(".") and "\n" not in warning


@pytest.mark.parametrize(
    "folder",
    ["Documents", "OneDriveBackup", "Dropboxes", "boxes", "Drive", "cloud", "Nextcloudish"],
)
def test_ordinary_folders_are_not_warned_about(tmp_path: Path, folder: str) -> None:
    path = workbook_in(tmp_path, folder)
    assert risky_location(path, mounts=LOCAL_MOUNTS, environ=NO_ENV) is None


def test_only_the_folder_counts_not_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Dropbox"  # a workbook file called Dropbox, in an ordinary folder
    assert risky_location(path, mounts=LOCAL_MOUNTS, environ=NO_ENV) is None


def test_a_link_into_a_synced_folder_counts(tmp_path: Path) -> None:
    target = tmp_path / "OneDrive - Org" / "work"
    target.mkdir(parents=True)
    link = tmp_path / "work"
    link.symlink_to(target, target_is_directory=True)
    warning = risky_location(link / "wb.ctdesk", mounts=LOCAL_MOUNTS, environ=NO_ENV)
    assert warning is not None and "OneDrive" in warning


def test_onedrive_folder_named_by_its_environment_variable(tmp_path: Path) -> None:
    root = tmp_path / "Company Files"  # OneDrive for Business may use any folder name
    path = workbook_in(tmp_path, "Company Files", "ct")
    environ = {"OneDriveCommercial": str(root)}
    warning = risky_location(path, mounts=LOCAL_MOUNTS, environ=environ)
    assert warning is not None and "OneDrive keeps in sync" in warning
    assert risky_location(tmp_path / "x.ctdesk", mounts=LOCAL_MOUNTS, environ=environ) is None


def test_windows_paths() -> None:
    path = PureWindowsPath(r"C:\Users\jo\OneDrive - Kent Police\Documents\ct4.ctdesk")
    assert sync_service(path.parent) == ("OneDrive", "OneDrive - Kent Police")
    assert sync_service(PureWindowsPath(r"C:\Users\jo\Documents")) is None


@pytest.mark.parametrize(
    "fstype",
    ["nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "davfs", "9p", "fuse.rclone"],
)
def test_network_file_systems(tmp_path: Path, fstype: str) -> None:
    path = workbook_in(tmp_path, "share", "ct")
    mounts = LOCAL_MOUNTS + f"server:/export {tmp_path / 'share'} {fstype} rw 0 0\n"
    warning = risky_location(path, mounts=mounts, environ=NO_ENV)
    assert warning is not None
    assert f"on a network drive ({fstype} server:/export at {tmp_path / 'share'})" in warning
    assert warning.endswith(".") and "\n" not in warning


def test_the_deepest_mount_decides(tmp_path: Path) -> None:
    share = tmp_path / "share"
    local = share / "local"
    path = workbook_in(tmp_path, "share", "local", "ct")
    mounts = (
        LOCAL_MOUNTS + f"//server/share {share} cifs rw 0 0\n" + f"/dev/vdb1 {local} ext4 rw 0 0\n"
    )
    assert risky_location(path, mounts=mounts, environ=NO_ENV) is None
    beside = workbook_in(tmp_path, "share", "other")
    assert "cifs" in (risky_location(beside, mounts=mounts, environ=NO_ENV) or "")


def test_mount_points_with_spaces_and_prefix_lookalikes(tmp_path: Path) -> None:
    spaced = tmp_path / "Team Share"
    escaped = str(spaced).replace(" ", "\\040")
    mounts = LOCAL_MOUNTS + f"//nas/team {escaped} cifs rw 0 0\n"
    assert mount_of(spaced / "wb", mounts) == (str(spaced), "cifs", "//nas/team")
    # /tmp/x/Team Shared is not inside /tmp/x/Team Share.
    lookalike = workbook_in(tmp_path, "Team Shared")
    assert risky_location(lookalike, mounts=mounts, environ=NO_ENV) is None


def test_local_disk_and_unreadable_tables_say_nothing(tmp_path: Path) -> None:
    path = workbook_in(tmp_path, "ct")
    assert risky_location(path, mounts=LOCAL_MOUNTS, environ=NO_ENV) is None
    assert risky_location(path, mounts="", environ=NO_ENV) is None
    assert risky_location(path, mounts="garbage\n\n a b\n", environ=NO_ENV) is None


@pytest.mark.skipif(not os.path.exists("/proc/self/mounts"), reason="needs a Linux mount table")
def test_this_systems_mount_table_is_read(tmp_path: Path) -> None:
    # Read without error; the test folder is normally on a local disk or tmpfs.
    warning = risky_location(workbook_in(tmp_path, "ct"), environ=NO_ENV)
    assert warning is None or "network drive" in warning


def test_a_missing_folder_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "Dropbox" / "not" / "made" / "yet.ctdesk"  # ctdesk init creates folders
    assert "Dropbox" in (risky_location(path, mounts=LOCAL_MOUNTS, environ=NO_ENV) or "")


def test_the_cli_warns_once_on_stderr_and_goes_on(tmp_path: Path) -> None:
    from tests.test_cli import ctdesk

    path = tmp_path / "Dropbox" / "ct4.ctdesk"
    assert ctdesk("--workbook", str(path), "init").returncode == 0
    result = ctdesk("--workbook", str(path), "note", "list", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []  # stdout stays pure JSON
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"ctdesk: The workbook {path} is in a folder that Dropbox")
    plain = ctdesk("--workbook", str(tmp_path / "local.ctdesk"), "init")
    assert "keeps in sync" not in plain.stderr
    quiet = ctdesk("--workbook", str(tmp_path / "local.ctdesk"), "note", "list")
    assert quiet.returncode == 0 and quiet.stderr == ""
