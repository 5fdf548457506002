#!/usr/bin/env bash
# Regenerates the checked-in SDKs under sdk/ from schema.json, with the code generators of the
# pinned Pulumi modules. Run it after every schema change: tests/e2e/plugin-sdks.spec.ts fails
# while the checked-in SDKs differ from what this writes. `scripts/gen-sdk.sh <dir>` writes to
# <dir> instead of sdk/.
#
# The version is package.json's, the one version source: schema.json carries none, and this script
# generates from a copy with that version put in (npm run release does the same for its assets).
#
# - sdk/python: `pulumi package gen-sdk schema.json --language python`, the pinned CLI asking this
#   project's Python language host (engine/langhost-python/generate.go), as upstream's CLI asks its own;
# - sdk/go: engine/codegen, the same pkg/v3 Go generator that gen-sdk reaches through upstream's Go
#   language host, whose module the Go proxy does not serve here;
# - sdk/java: engine/codegen-java, pulumi-java's generator (github.com/pulumi/pulumi-java/pkg, its own
#   module), which upstream reaches through the Java language host, likewise not available here.
#
# .NET is not generated: its generator lives in github.com/pulumi/pulumi-dotnet, whose served
# versions fail checksum verification or are refused by the proxy (see README, "Other languages").
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$repo_root/sdk}")"
cd "$repo_root"
say() { printf 'gen-sdk: %s\n' "$*" >&2; }

engine_bin="$(bash scripts/engine.sh | tail -n 1)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
version="$(node -p 'require("./package.json").version')"
schema="$scratch/schema.json"
node -e 'const fs = require("fs"); const [from, to, version] = process.argv.slice(1);
  fs.writeFileSync(to, JSON.stringify({ ...JSON.parse(fs.readFileSync(from, "utf8")), version }, null, 2));' schema.json "$schema" "$version"
say "version $version (package.json)"

say "python (pulumi package gen-sdk)"
PATH="$engine_bin:$PATH" PULUMI_HOME="$scratch/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true \
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  pulumi package gen-sdk "$schema" --language python --out "$scratch/sdk" >&2

say "go (engine/codegen)"
(cd engine && go run ./codegen "$schema" "$scratch/sdk/go")

say "java (engine/codegen-java)"
(cd engine/codegen-java && go run . "$schema" "$scratch/sdk/java")

rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$scratch/sdk" "$out"
say "SDKs written to $out ($(find "$out" -type f | wc -l) files)"
