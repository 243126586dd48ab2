# opencode-bun: npm's postinstall step replaces this file with the executable built for this
# machine. It is still here because install scripts did not run (--ignore-scripts, or a
# package manager that blocks them), so it does that job now, once, and hands over.
# No "#!" line on purpose: npm's Windows shims must run this file as the .exe it becomes.
# @@DETECT@@

ocb_fail() {
  echo "opencode-bun: $*" >&2
  echo "opencode-bun: reinstall with install scripts allowed (npm install -g --allow-scripts=opencode-bun opencode-bun)," >&2
  exit 1
}

ocb_self=$0
while [ -L "$ocb_self" ]; do
  ocb_link=$(readlink "$ocb_self")
  case "$ocb_link" in
    /*) ocb_self=$ocb_link ;;
    *) ocb_self=$(dirname "$ocb_self")/$ocb_link ;;
  esac
done
ocb_pkg=$(cd "$(dirname "$ocb_self")/.." && pwd)
ocb_want=$(ocb_target) || ocb_fail "no build for this machine"
ocb_list=$ocb_want
case "$ocb_want" in *-x64 | *-x64-musl) ocb_list="$ocb_want $ocb_want-baseline" ;; esac

for ocb_t in $ocb_list; do
  for ocb_dir in "$ocb_pkg/node_modules/opencode-bun-$ocb_t" "$ocb_pkg/../opencode-bun-$ocb_t"; do
    ocb_bin="$ocb_dir/bin/opencode-bun"
    [ -x "$ocb_bin" ] && "$ocb_bin" --version >/dev/null 2>&1 || continue
    # Best effort: a read-only install keeps this placeholder and pays one sh per start.
    if ln -f "$ocb_bin" "$ocb_self.$$" 2>/dev/null || cp "$ocb_bin" "$ocb_self.$$" 2>/dev/null; then
      mv -f "$ocb_self.$$" "$ocb_self" 2>/dev/null || rm -f "$ocb_self.$$"
    fi
    exec "$ocb_bin" "$@"
  done
done
ocb_fail "the package opencode-bun-$ocb_want is not installed next to opencode-bun"
