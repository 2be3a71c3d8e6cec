#!/usr/bin/env bash
# Runs the CUDA backend's tests on a machine without a GPU, against a mock driver and a mock cuDNN
# (mock/): JCuda, JCudnn and the backend's Java code run for real; the kernels run on the host
# through the emulation. It checks the plumbing (library loading, JNI calls and their arguments,
# kernel parameters, contexts, streams, memory, algorithm choice and fall-back), not the speed or the
# real cuDNN's numerics: the GPU run does that. Needs g++ 12+ and CUDA's cuda.h (nvcc's toolkit).
#
#   engine/src/test/cuda/run-cuda-tests-on-mock.sh                       # the harness on cuda, CudaMemoryTest, CudaTrainingTest, DeviceChoiceTest
#   engine/src/test/cuda/run-cuda-tests-on-mock.sh CudaVgg16ReferenceTest # any -Dtest= pattern (VGG16: several minutes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cuda_include="${CUDA_HOME:-/usr/local/cuda}/include"
lib="$(mktemp -d)"
trap 'rm -rf "$lib"' EXIT
flags=(-std=c++20 -O1 -ffp-contract=off -pthread -shared -fPIC -I"$here" -I"$root/engine/src/main/cuda" -I"$cuda_include")
g++ "${flags[@]}" -Wl,-soname,libcuda.so.1 -o "$lib/libcuda.so.1" "$here/mock/mock_cuda.cpp"
g++ "${flags[@]}" -Wl,-soname,libcudnn.so.9 -Wl,--version-script="$here/mock/cudnn.map" -o "$lib/libcudnn.so.9" "$here/mock/mock_cudnn.cpp"
cd "$root"
rm -rf engine/target/surefire-reports
# the default test execution only: the simd-256 and simd-128 ones would run the same CUDA tests again
LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" mvn -B -q -pl engine test-compile surefire:test@default-test \
    -Dtest="${1:-BackendOpsTest,CudaMemoryTest,CudaTrainingTest,DeviceChoiceTest}" -Dcxr.backends=cuda \
    -Dsurefire.failIfNoSpecifiedTests=false
grep -h "Tests run" engine/target/surefire-reports/*.txt
