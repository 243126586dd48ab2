#!/bin/sh
# Installs opencode-bun @@VERSION@@ (the Bun-native opencode server) for the current user,
# without sudo. Run it again to upgrade: the executable is replaced in place.
#
#   curl -fsSL @@BASE_URL@@/install.sh | sh
#   sh install.sh [--prefix DIR] [--base-url URL] [--target NAME] [--dry-run]
set -eu

BASE_URL="@@BASE_URL@@"
PREFIX="${HOME:-}/.local"
TARGET=""
DRY_RUN=0

usage() {
  cat <<USAGE
install.sh: install opencode-bun @@VERSION@@ into PREFIX/bin (default ~/.local/bin)

Options:
  --prefix DIR      install into DIR/bin                 [default: ~/.local]
  --base-url URL    where the release files are served   [default: @@BASE_URL@@]
  --target NAME     a build other than the detected one, e.g. linux-x64-baseline
                    (also OPENCODE_BUN_TARGET)
  --dry-run         say what would be downloaded and installed, and stop
USAGE
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}

need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) need_value "$@"; PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#*=}; shift ;;
    --base-url) need_value "$@"; BASE_URL=$2; shift 2 ;;
    --base-url=*) BASE_URL=${1#*=}; shift ;;
    --target) need_value "$@"; TARGET=$2; shift 2 ;;
    --target=*) TARGET=${1#*=}; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ -n "$PREFIX" ] || die "no --prefix given and HOME is not set"
BASE_URL=${BASE_URL%/}

# @@DETECT@@

if [ -z "$TARGET" ]; then TARGET=$(ocb_target) || die "cannot pick a build for this machine"; fi
ARCHIVE="opencode-bun-$TARGET.tar.gz"
BIN_DIR="$PREFIX/bin"
DEST="$BIN_DIR/opencode-bun"

if [ "$DRY_RUN" = 1 ]; then
  echo "would download $BASE_URL/$ARCHIVE, check it against $BASE_URL/SHA256SUMS and install $DEST"
  exit 0
fi

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || die "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || die "could not download $1"
  else
    die "curl or wget is needed to download $1"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "sha256sum or shasum is needed to verify the download; nothing was installed"
  fi
}

TMP=$(mktemp -d 2>/dev/null || mktemp -d -t opencode-bun)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

echo "downloading $ARCHIVE from $BASE_URL"
fetch "$BASE_URL/SHA256SUMS" "$TMP/SHA256SUMS"
fetch "$BASE_URL/$ARCHIVE" "$TMP/$ARCHIVE"

EXPECTED=$(awk -v f="$ARCHIVE" '$2 == f || $2 == "*" f { print $1; exit }' "$TMP/SHA256SUMS")
[ -n "$EXPECTED" ] || die "refusing to install: $BASE_URL/SHA256SUMS lists no $ARCHIVE"
ACTUAL=$(sha256 "$TMP/$ARCHIVE")
if [ "$ACTUAL" != "$EXPECTED" ]; then
  die "refusing to install: $ARCHIVE does not match SHA256SUMS (expected $EXPECTED, got $ACTUAL); the download is damaged or was altered. Nothing was installed."
fi

mkdir -p "$TMP/x"
tar -xzf "$TMP/$ARCHIVE" -C "$TMP/x" || die "could not unpack $ARCHIVE"
[ -f "$TMP/x/opencode-bun" ] || die "$ARCHIVE holds no opencode-bun executable"
chmod 755 "$TMP/x/opencode-bun"
NEW=$("$TMP/x/opencode-bun" --version 2>/dev/null) || die "the $TARGET build does not run on this machine; try --target with another build (e.g. $TARGET-baseline). Nothing was installed."

OLD=""
if [ -x "$DEST" ]; then OLD=$("$DEST" --version 2>/dev/null || echo "an unknown version"); fi

mkdir -p "$BIN_DIR" || die "cannot create $BIN_DIR"
# Copy beside the destination, then rename over it: a running server keeps its old file and
# nobody ever sees a half-written executable.
cp "$TMP/x/opencode-bun" "$BIN_DIR/.opencode-bun.$$" || die "cannot write to $BIN_DIR"
chmod 755 "$BIN_DIR/.opencode-bun.$$"
mv -f "$BIN_DIR/.opencode-bun.$$" "$DEST" || die "cannot replace $DEST"

if [ -z "$OLD" ]; then
  echo "installed opencode-bun $NEW ($TARGET) as $DEST"
elif [ "$OLD" = "$NEW" ]; then
  echo "reinstalled opencode-bun $NEW ($TARGET) as $DEST"
else
  echo "upgraded opencode-bun from $OLD to $NEW ($TARGET) at $DEST"
fi
case ":${PATH:-}:" in
  *":$BIN_DIR:"*) echo "start it with: opencode-bun serve" ;;
  *) echo "$BIN_DIR is not on your PATH: add it (export PATH=\"$BIN_DIR:\$PATH\") or run $DEST serve" ;;
esac
