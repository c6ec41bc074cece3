#!/usr/bin/env bash
# The GPU check, on the lent GPU machine (see bundle.sh for how to get it there): unpacks Node and
# the trimmed node_modules, puts the Vulkan loader in place for ORT's bundled WebGPU provider, and
# records what inferbench sees and measures, with nvidia-smi beside it. Every output lands in
# $OUT (7 files; the device tool returns at most 8).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/inferbench-device}
mkdir -p "$OUT"
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
# The device README: when Vulkan finds no driver, point the loader at the NVIDIA ICD.
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$egl"
mkdir -p /tmp/nodebin
xz -dc .device/node.xz > /tmp/nodebin/node && chmod +x /tmp/nodebin/node
export PATH=/tmp/nodebin:$PATH
tar -xJf .device/nm.tar.xz
{ node --version; nvidia-smi; ldconfig -p | grep -i vulkan; } > "$OUT/machine.txt" 2>&1
node bin/inferbench devices > "$OUT/devices.txt" 2>&1
node bin/inferbench calibrate --device webgpu --refresh > "$OUT/calibrate-webgpu.txt" 2>&1
# CPU against WebGPU on the CNN, batch 1..32, with the per-operator proof of which provider ran
# each node and nvidia-smi sampling (utilisation, memory, power, clocks) during each trial.
node bin/inferbench profile fixtures/cnn.onnx --device cpu,webgpu --batch 1,8,32 --op-profile \
  --duration 3s --out "$OUT" --format json,md,csv > "$OUT/profile.txt" 2>&1
ls -la "$OUT"
