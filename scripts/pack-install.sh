#!/usr/bin/env bash
# Installs inferbench as a user would: `npm pack`, then `npm install ./inferbench-X.tgz` in a fresh
# directory (dependencies from the npm cache when present: --prefer-offline, so it works offline
# after one `npm ci`), then runs the installed CLI and checks what the package ships.
# Usage: scripts/pack-install.sh      (CI runs it from .ci/run)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"

listing="$(tar -tzf "$work/$tarball")"
fail() { echo "pack-install: $*" >&2; exit 1; }
grep -q '^package/LICENSE$' <<<"$listing" || fail "no LICENSE in the package"
! grep -q '\.map$' <<<"$listing" || fail "source maps shipped (they point at src/, which is not)"
grep -q '^package/examples/inferbench.config.json$' <<<"$listing" || fail "examples/ missing (hints point at it)"

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
# npm 11 blocks dependency install scripts by default; older npm would run onnxruntime-node's,
# which downloads the CUDA provider: skip it, as docs/install.md tells users.
ONNXRUNTIME_NODE_INSTALL=skip npm install --prefer-offline --no-audit --no-fund "$work/$tarball" >/dev/null
./node_modules/.bin/inferbench --version
./node_modules/.bin/inferbench profile node_modules/inferbench/fixtures/mlp.onnx -n 20 -w 2 -t 1 --no-sample --no-save -q >/dev/null
# Hints name paths in the installed package (src/package-paths.ts): they must exist there.
[ -f node_modules/inferbench/examples/inferbench.config.json ] || fail "examples/ not installed"
[ -f node_modules/inferbench/fixtures/cnn.onnx ] || fail "fixtures/ not installed"
./node_modules/.bin/inferbench completion bash >/dev/null
echo "pack-install: ok (installed in $work/app, ran profile, hinted paths exist)"
