#!/usr/bin/env bash
# Prepares what a session with a lent GPU machine (the `device` tool) must carry there: that
# machine has no Node.js and reaches no registry. Run here, from the repo root, after `npm ci`:
#
#   bash scripts/device/bundle.sh
#
# It writes (both ignored by git, both to be named in the run's `carry`):
#   .device/node.xz      this machine's node binary, xz-compressed (~24 MB; glibc 2.36, runs on
#                        the device image's newer glibc)
#   .device/nm.tar.xz    dist/ and node_modules/ without what a GPU check does not use: other
#                        platforms' ORT binaries, TensorFlow.js, sharp, esbuild, the test tools
#                        (~17 MB)
#   .gl/*.deb            the Vulkan/EGL loaders the WebGPU provider needs (the device README's
#                        recipe), unpacked there by scripts/device/check.sh
# Together ~42 MB of the 64 MiB a run may carry. Then, with the device tool:
#   run(command="bash scripts/device/check.sh", carry=[".device", ".gl"], timeout_s=300)
# Not yet run on a device machine (no session so far was lent one): check.sh says what it did.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d node_modules ] && [ -d dist ] || { echo "run npm ci first" >&2; exit 2; }
mkdir -p .device
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > .device/node.xz
napi=node_modules/onnxruntime-node/bin/napi-v6
tar -cf - \
  --exclude="$napi/darwin" --exclude="$napi/win32" --exclude="$napi/linux/arm64" \
  --exclude=node_modules/@tensorflow --exclude=node_modules/@img --exclude=node_modules/sharp \
  --exclude=node_modules/esbuild --exclude=node_modules/@esbuild --exclude=node_modules/typescript \
  --exclude=node_modules/vitest --exclude=node_modules/@vitest --exclude=node_modules/vite \
  --exclude=node_modules/rollup --exclude=node_modules/@rollup --exclude=node_modules/.cache \
  node_modules dist | xz -T0 -6 > .device/nm.tar.xz
mkdir -p .gl /tmp/amd64/partial
apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
apt-get "${apt_opts[@]}" update -qq
(cd .gl && apt-get "${apt_opts[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
du -ch .device/* .gl/*.deb | tail -1
