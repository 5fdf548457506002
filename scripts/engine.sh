#!/usr/bin/env bash
# Provides the Pulumi engine: prints, as its last line, a directory to put on PATH that holds
# `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` (and, when built here,
# `pulumi-language-python` with its runner `pulumi-language-python-exec`).
#
# 0. PULUMI_TURNSTILE_ENGINE_BIN=<dir> names the engine to use (e.g. an official Pulumi install,
#    to check docs/engine.md's rows against upstream's own language host); it must hold `pulumi`
#    and `pulumi-language-nodejs`, or this script fails saying what is missing.
# 1. A Pulumi CLI already on PATH (with its Node language host beside it) is used as it is.
# 2. Otherwise the CLI is built from Go modules pinned in engine/go.mod, together with our small
#    Node language host (engine/langhost), our Python language host (engine/langhost-python) and the
#    dynamic-provider launchers, and cached under
#    $PULUMI_TURNSTILE_ENGINE_HOME (default ~/.cache/pulumi-turnstile-rotation). Idempotent: a
#    second run with the same sources prints the cached directory at once.
# 3. Without Pulumi or Go, it says how to install Pulumi and exits non-zero.
# PULUMI_TURNSTILE_BUILD_ENGINE=1 skips step 1 (use the pinned build even with a pulumi on PATH).
set -euo pipefail

PULUMI_VERSION="3.274.1"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
engine_src="$repo_root/engine"
say() { printf 'engine: %s\n' "$*" >&2; }

if [[ -n "${PULUMI_TURNSTILE_ENGINE_BIN:-}" ]]; then
  for binary in pulumi pulumi-language-nodejs; do
    if [[ ! -x "$PULUMI_TURNSTILE_ENGINE_BIN/$binary" ]]; then
      say "PULUMI_TURNSTILE_ENGINE_BIN=$PULUMI_TURNSTILE_ENGINE_BIN has no executable $binary"
      exit 1
    fi
  done
  say "using the engine in PULUMI_TURNSTILE_ENGINE_BIN: $("$PULUMI_TURNSTILE_ENGINE_BIN/pulumi" version 2>/dev/null || echo unknown version)"
  echo "$PULUMI_TURNSTILE_ENGINE_BIN"
  exit 0
fi

if [[ "${PULUMI_TURNSTILE_BUILD_ENGINE:-}" != "1" ]] && existing="$(command -v pulumi 2>/dev/null)"; then
  dir="$(dirname "$existing")"
  if [[ -x "$dir/pulumi-language-nodejs" ]] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
    say "using the Pulumi CLI on PATH: $existing ($("$existing" version 2>/dev/null || echo unknown version))"
    echo "$dir"
    exit 0
  fi
  say "ignoring $existing: no pulumi-language-nodejs beside it or on PATH"
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<'MSG'
engine: neither the Pulumi CLI nor Go was found.
  Install Pulumi (https://www.pulumi.com/docs/install/, e.g. `curl -fsSL https://get.pulumi.com | sh`)
  and make sure `pulumi` is on PATH, or install Go (1.26.6 or newer; an older Go >= 1.21 fetches it
  from the Go module proxy) so this script can build the engine.
MSG
  exit 1
fi

# The cache key covers everything that shapes the binaries, so a change rebuilds and nothing stale is used.
key="$(find "$engine_src" -name '*.go' -o -name 'go.mod' -o -name 'go.sum' | LC_ALL=C sort | xargs cat "$0" | sha256sum | cut -c1-12)"
cache_root="${PULUMI_TURNSTILE_ENGINE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-turnstile-rotation}"
bin_dir="$cache_root/engine-$PULUMI_VERSION-$key/bin"

cached() { [[ -x "$bin_dir/pulumi" && -x "$bin_dir/pulumi-language-nodejs" && -x "$bin_dir/pulumi-resource-pulumi-nodejs" && -x "$bin_dir/pulumi-language-python" ]]; }
if cached; then
  say "cached engine v$PULUMI_VERSION found"
  echo "$bin_dir"
  exit 0
fi

# One build at a time: another checkout may be building this very engine; then its result is used.
# shellcheck source=lib/build-lock.sh
source "$repo_root/scripts/lib/build-lock.sh"
acquire_build_lock "$bin_dir.lock" engine
if cached; then
  say "engine v$PULUMI_VERSION built by another process meanwhile"
  echo "$bin_dir"
  exit 0
fi
# A .partial directory left here is a killed build's: the lock says no one else writes into it.
rm -rf "$bin_dir.partial"
mkdir -p "$bin_dir.partial"
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
say "building the Pulumi CLI v$PULUMI_VERSION from Go modules (first time: several minutes on 2 cores)..."
start=$SECONDS
(cd "$engine_src" && go build -trimpath -ldflags "$ldflags" -o "$bin_dir.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
say "  pulumi built in $((SECONDS - start)) s"
say "building the Node.js language host..."
(cd "$engine_src" && go build -trimpath -ldflags "-X main.version=$PULUMI_VERSION" -o "$bin_dir.partial/pulumi-language-nodejs" ./langhost)
say "building the Python language host..."
(cd "$engine_src" && go build -trimpath -ldflags "-X main.version=$PULUMI_VERSION" -o "$bin_dir.partial/pulumi-language-python" ./langhost-python)
# The Python runner and both dynamic-provider launchers ship in the sdk/v3 module, as in a release.
sdk="$(cd "$engine_src" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 755 "$sdk/python/cmd/pulumi-language-python-exec" "$sdk/python/dist/pulumi-resource-pulumi-python" \
  "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin_dir.partial/"

rm -rf "$bin_dir"
mv "$bin_dir.partial" "$bin_dir"
say "engine ready: $("$bin_dir/pulumi" version) in $((SECONDS - start)) s"
echo "$bin_dir"
