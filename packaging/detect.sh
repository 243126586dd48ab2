# Which opencode-bun build suits this machine: prints "<os>-<arch>[-musl][-baseline]".
# release.ts pastes this into install.sh and the npm placeholder, so both choose alike.
# OPENCODE_BUN_TARGET, when set, wins (e.g. to force a baseline build).
ocb_musl() {
  [ -f /etc/alpine-release ] && return 0
  ocb_ldd=$(ldd --version 2>&1 || true)
  case "$ocb_ldd" in
    *musl*) return 0 ;;
    *GLIBC* | *"GNU libc"* | *"GNU C Library"*) return 1 ;;
  esac
  # No usable ldd: a musl loader without a glibc one means musl (Debian's musl package adds
  # ld-musl beside ld-linux, hence the second test).
  for f in /lib/ld-musl-*.so.1; do [ -e "$f" ] || continue; ls /lib*/ld-linux* >/dev/null 2>&1 || return 0; done
  return 1
}

ocb_avx2() {
  case "$(uname -s)" in
    Linux) grep -qw avx2 /proc/cpuinfo 2>/dev/null ;;
    Darwin) [ "$(sysctl -n hw.optional.avx2_0 2>/dev/null)" = 1 ] ;;
    *) return 1 ;;
  esac
}

ocb_target() {
  if [ -n "${OPENCODE_BUN_TARGET:-}" ]; then echo "$OPENCODE_BUN_TARGET"; return 0; fi
  case "$(uname -s)" in
    Linux) ocb_os=linux ;;
    Darwin) ocb_os=darwin ;;
    *) echo "unsupported system '$(uname -s)': builds exist for Linux, macOS and Windows (the .zip archives)" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) ocb_arch=x64 ;;
    aarch64 | arm64) ocb_arch=arm64 ;;
    *) echo "unsupported CPU '$(uname -m)': builds exist for x64 and arm64" >&2; return 1 ;;
  esac
  # An x64 shell under Rosetta 2 on Apple silicon: the native arm64 build is the one to use.
  if [ "$ocb_os-$ocb_arch" = darwin-x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null)" = 1 ]; then ocb_arch=arm64; fi
  ocb_t="$ocb_os-$ocb_arch"
  if [ "$ocb_os" = linux ] && ocb_musl; then ocb_t="$ocb_t-musl"; fi
  if [ "$ocb_arch" = x64 ] && ! ocb_avx2; then ocb_t="$ocb_t-baseline"; fi
  echo "$ocb_t"
}
