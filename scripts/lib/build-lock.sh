# Sourced by scripts/engine.sh and scripts/yaml-host.sh: one build at a time per cache directory.
# Several checkouts (or test runs) may build the same engine at once; without a lock they write
# into the same `.partial` directory and one of them moves a half-written tree into the cache.
#
# The lock is a directory created with `mkdir`, which is atomic on local and network filesystems
# alike and needs no `flock` (macOS has none). It holds the owner's pid, so a lock left by a killed
# build is taken over instead of blocking every later one.

# acquire_build_lock LOCK_DIR [LABEL]: waits until this shell owns LOCK_DIR, and releases it when
# the shell exits (normally, on error, or on Ctrl-C).
acquire_build_lock() {
  local lock="$1" label="${2:-build}" waited=0 holder
  mkdir -p "$(dirname "$lock")"
  while ! mkdir "$lock" 2>/dev/null; do
    holder="$(cat "$lock/pid" 2>/dev/null || true)"
    if [[ -n "$holder" ]] && ! kill -0 "$holder" 2>/dev/null; then
      printf '%s: taking over the lock of process %s, which is gone: %s\n' "$label" "$holder" "$lock" >&2
      rm -rf "$lock"
      continue
    fi
    # A lock without a pid is one being created right now, or one whose owner died within that
    # instant: after a minute it is the latter.
    if [[ -z "$holder" && -n "$(find "$lock" -maxdepth 0 -mmin +1 2>/dev/null)" ]]; then
      rm -rf "$lock"
      continue
    fi
    if (( waited % 30 == 0 )); then
      printf '%s: waiting for another build (process %s) to finish: %s\n' "$label" "${holder:-starting}" "$lock" >&2
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "$$" > "$lock/pid"
  # shellcheck disable=SC2064 # the path is fixed now, on purpose
  trap "rm -rf '$lock'" EXIT
  trap 'exit 130' INT TERM
}
