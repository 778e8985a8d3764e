#!/usr/bin/env bash
# Check what `make dist` built, by running it: the standalone application folder (dist/ctdesk/)
# and the wheel (dist/ctdesk-*.whl, installed into a fresh venv). Run from anywhere after
# `make dist`, or as `make dist-check`. Prints one line per check; exits non-zero on the first
# failure. Uses a temporary data, config and log folder, so your own workbook is never touched.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/dist"
APP="$DIST/ctdesk/ctdesk"
PYTHON="${PYTHON:-python3}"
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/pyproject.toml" | head -n 1)"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# What the programs say on stderr goes to a log, shown only when a check fails.
exec 3>&2 2>"$TMP/stderr.log"
fail() {
    tail -n 20 "$TMP/stderr.log" >&3
    echo "check_dist: FAILED: $*" >&3
    exit 1
}
ok() { echo "ok  $*"; }

# The app must not see the caller's workbook, settings or passphrase, nor need a screen.
unset CTDESK_WORKBOOK CTDESK_PASSPHRASE CTDESK_BUNDLE_PASSPHRASE
export QT_QPA_PLATFORM=offscreen
export CTDESK_DATA_DIR="$TMP/data" CTDESK_CONFIG_DIR="$TMP/config" CTDESK_LOG_DIR="$TMP/log"
export CTDESK_AUTHOR="Dist Check"  # no first-run question about the inspector's name

[[ -x "$APP" ]] || fail "$APP is missing; run make dist first."
cd "$TMP"

# --- the application folder -------------------------------------------------------------------
out="$("$APP" --version)" || fail "ctdesk --version exited $?"
[[ "$out" == "ctdesk, version $VERSION" ]] || fail "ctdesk --version said '$out', not $VERSION"
ok "app: --version says $VERSION"

now() { "$PYTHON" -c 'import time; print(f"{time.time():.2f}")'; }
start=$(now)
"$APP" --screenshot "$TMP/shot.png" || fail "ctdesk --screenshot exited $?"
took=$("$PYTHON" -c "print(f'{$(now) - $start:.1f}')")
[[ -f "$TMP/shot.png" ]] || fail "ctdesk --screenshot wrote no PNG"
shot=$("$PYTHON" - "$TMP/shot.png" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("the screenshot is not a PNG")
width, height = struct.unpack(">II", data[16:24])
if len(data) < 20000 or width < 640 or height < 400:
    sys.exit(f"the screenshot looks empty ({width}x{height}, {len(data)} bytes)")
print(f"{width}x{height} PNG, {len(data)} bytes")
EOF
) || fail "the screenshot: see above"
mkdir -p "$ROOT/build"
cp "$TMP/shot.png" "$ROOT/build/check_dist-screenshot.png"
ok "app: --screenshot exits 0 in ${took}s: $shot (kept as build/check_dist-screenshot.png)"

icons="$DIST/ctdesk/_internal/ctdesk/resources/icons"
[[ -f "$icons/ctdesk.svg" && -f "$icons/ctdesk-16.png" ]] || fail "the icons are not in the app"
ok "app: holds the icons"

"$APP" --workbook plain.ctdesk init >/dev/null || fail "ctdesk init exited $?"
forces=$("$APP" --workbook plain.ctdesk forces --json |
    "$PYTHON" -c 'import json, sys; print(len(json.load(sys.stdin)))') ||
    fail "ctdesk forces --json failed"
((forces > 0)) || fail "the new workbook has no forces: the scope did not load"
ok "app: init + forces --json: $forces forces from the bundled scope"

echo "a passphrase for the check" >pass.txt
"$APP" --workbook secret.ctdesk --passphrase-file pass.txt init --encrypt >/dev/null ||
    fail "ctdesk init --encrypt exited $?"
"$APP" --workbook secret.ctdesk --passphrase-file pass.txt forces --json >/dev/null ||
    fail "the encrypted workbook does not open with its passphrase"
if "$APP" --workbook secret.ctdesk forces --json >/dev/null 2>&1; then
    fail "the encrypted workbook opened without its passphrase"
fi
ok "app: an encrypted workbook (SQLCipher) opens only with its passphrase"

"$APP" --workbook demo.ctdesk demo --notes 20 >/dev/null || fail "ctdesk demo exited $?"
for fmt in pdf docx xlsx html; do
    "$APP" --workbook demo.ctdesk export --force kent --format "$fmt" --out "kent.$fmt" \
        >/dev/null || fail "ctdesk export --format $fmt exited $?"
    [[ -s "kent.$fmt" ]] || fail "the $fmt export is empty"
done
ok "app: demo + export of a force as PDF, DOCX, XLSX and HTML"

# The window runs exports as `sys.executable -m ctdesk export ...`; in the app that is ctdesk.
"$APP" -m ctdesk --workbook demo.ctdesk export --force kent --format md --out kent-child.md \
    --json --progress-lines >/dev/null 2>&1 || fail "ctdesk -m ctdesk export exited $?"
[[ -s kent-child.md ]] || fail "the export run as the window runs it wrote nothing"
ok "app: an export started the way the window starts it"

"$APP" --workbook demo.ctdesk bundle export --out kent.age --force kent \
    --passphrase-file pass.txt >/dev/null || fail "ctdesk bundle export exited $?"
"$APP" bundle inspect kent.age --passphrase-file pass.txt --json >/dev/null ||
    fail "ctdesk bundle inspect could not read the bundle it wrote"
ok "app: an age-encrypted exchange bundle written and read back"

# --- the wheel --------------------------------------------------------------------------------
shopt -s nullglob
wheels=("$DIST"/ctdesk-*.whl)
((${#wheels[@]} == 1)) || fail "expected one wheel in dist/, found ${#wheels[@]}"
wheel="${wheels[0]}"
"$PYTHON" - "$wheel" <<'EOF' || fail "the wheel lacks its data files"
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = {f"ctdesk/resources/{n}" for n in ("scope/programme.toml", "scope/forces.toml",
                                          "icons/ctdesk.svg", "icons/ctdesk-16.png")}
missing = sorted(need - names)
if missing:
    sys.exit(f"missing: {', '.join(missing)}")
EOF
ok "wheel: $(basename "$wheel") holds the scope and the icons"

"$PYTHON" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel" ||
    fail "pip could not install the wheel into a fresh venv"
out="$("$TMP/venv/bin/ctdesk" --version)" || fail "the installed ctdesk --version exited $?"
[[ "$out" == "ctdesk, version $VERSION" ]] || fail "the installed ctdesk says '$out'"
"$TMP/venv/bin/ctdesk" --workbook wheel.ctdesk init >/dev/null || fail "installed: init failed"
"$TMP/venv/bin/python" -c '
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from ctdesk.ui.icons import app_icon
icon = app_icon()
sizes = [icon.pixmap(n).width() for n in (16, 32, 256)]
assert sizes == [16, 32, 256], sizes
' || fail "the installed wheel cannot load its icon"
ok "wheel: installs in a fresh venv; ctdesk --version, init and the icon work"

echo "check_dist: all good"
