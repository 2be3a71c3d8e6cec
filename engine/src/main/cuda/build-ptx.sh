#!/usr/bin/env bash
# Regenerates the PTX of cxr's own CUDA kernels from cxr_kernels.cu. Needs nvcc (CUDA 12 or 13); the
# Java build does not: the PTX is checked in under src/main/resources, and a test checks that it is
# current (the source's sha256 is recorded in the PTX's first lines).
#
#   engine/src/main/cuda/build-ptx.sh            # rewrite the checked-in PTX
#   engine/src/main/cuda/build-ptx.sh OUT.ptx    # write elsewhere (the currency test does this)
#
# The PTX targets compute_75 (Turing and newer, the oldest GPUs CUDA 13 and cuDNN 9 support) and its
# ISA version is lowered from what nvcc writes (9.0 with CUDA 13, which only drivers 580+ can JIT)
# to 8.0, which drivers from CUDA 12.0 on accept. ptxas then checks that the result is valid 8.0
# PTX for sm_75 and sm_90, so an instruction newer than 8.0 fails here, not on a user's machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/cxr_kernels.cu"
out="${1:-$here/../resources/dev/cxr/engine/backend/cuda/cxr_kernels.ptx}"
isa="8.0"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

nvcc -ptx -arch=compute_75 -o "$tmp/raw.ptx" "$src"
# CRLF checkouts must not change the hash
hash="$(tr -d '\r' < "$src" | sha256sum | cut -d' ' -f1)"
{
  echo "// cxr_kernels.ptx: generated from engine/src/main/cuda/cxr_kernels.cu by build-ptx.sh; do not edit."
  echo "// source sha256: $hash"
  sed -E "s/^\.version [0-9]+\.[0-9]+$/.version $isa/" "$tmp/raw.ptx"
} > "$tmp/cxr_kernels.ptx"
grep -q "^\.version $isa\$" "$tmp/cxr_kernels.ptx" || { echo "build-ptx.sh: no .version line in nvcc's PTX" >&2; exit 1; }
for arch in sm_75 sm_90; do
  ptxas -arch="$arch" -o /dev/null "$tmp/cxr_kernels.ptx"
done
mkdir -p "$(dirname "$out")"
mv "$tmp/cxr_kernels.ptx" "$out"
