#!/usr/bin/env bash
# Provides upstream's YAML language host, `pulumi-language-yaml`, which runs Pulumi YAML programs
# (examples/producer-yaml, the plugin end-to-end tests). Prints, as its last line, a directory to put on
# PATH next to the engine's (scripts/engine.sh).
#
# 1. A `pulumi-language-yaml` already on PATH is used as it is.
# 2. Otherwise it is built from the github.com/pulumi/pulumi-yaml Go module pinned in
#    engine/yaml/go.mod (its own module: it requires older pkg/sdk v3 versions than the engine) and
#    cached under $PULUMI_TURNSTILE_ENGINE_HOME (default ~/.cache/pulumi-turnstile-rotation), keyed
#    by that module's files, so a second run prints the cached directory at once.
# 3. Without Go it says so and exits non-zero.
# PULUMI_TURNSTILE_BUILD_ENGINE=1 skips step 1, as for scripts/engine.sh.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module_dir="$repo_root/engine/yaml"
say() { printf 'yaml-host: %s\n' "$*" >&2; }

if [[ "${PULUMI_TURNSTILE_BUILD_ENGINE:-}" != "1" ]] && existing="$(command -v pulumi-language-yaml 2>/dev/null)"; then
  say "using the YAML language host on PATH: $existing"
  dirname "$existing"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "neither pulumi-language-yaml nor Go was found: install Go (1.24 or newer) to build the YAML host, or put pulumi-language-yaml on PATH"
  exit 1
fi

version="$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi-yaml" { print $3 }' "$module_dir/go.mod")"
key="$(cat "$0" "$module_dir/go.mod" "$module_dir/go.sum" "$module_dir/tools.go" | sha256sum | cut -c1-12)"
cache_root="${PULUMI_TURNSTILE_ENGINE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-turnstile-rotation}"
bin_dir="$cache_root/yaml-host-$version-$key/bin"

if [[ -x "$bin_dir/pulumi-language-yaml" ]]; then
  say "cached YAML host $version found"
  echo "$bin_dir"
  exit 0
fi

# One build at a time: another checkout may be building this very host; then its result is used.
# shellcheck source=lib/build-lock.sh
source "$repo_root/scripts/lib/build-lock.sh"
acquire_build_lock "$bin_dir.lock" yaml-host
if [[ -x "$bin_dir/pulumi-language-yaml" ]]; then
  say "YAML host $version built by another process meanwhile"
  echo "$bin_dir"
  exit 0
fi

say "building the YAML language host $version from Go modules (first time: a few minutes on 2 cores)..."
start=$SECONDS
# A .partial directory left here is a killed build's: the lock says no one else writes into it.
rm -rf "$bin_dir.partial"
mkdir -p "$bin_dir.partial"
ldflags="-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$version"
(cd "$module_dir" && go build -trimpath -ldflags "$ldflags" -o "$bin_dir.partial/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
rm -rf "$bin_dir"
mv "$bin_dir.partial" "$bin_dir"
say "YAML host ready in $((SECONDS - start)) s"
echo "$bin_dir"
