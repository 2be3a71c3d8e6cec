#!/usr/bin/env bash
# Side-by-side CPU benchmark of VGG16's features forward (224x224) at each SIMD width: cxr's fast
# CPU backend against PyTorch 2.x (pip wheel; NCHW and channels_last), Debian's PyTorch 1.13 where
# installed, and, at the machine's own width, ONNX Runtime and TensorFlow/Keras. Batch 1 and 8,
# 1 thread and every core. Each width holds every side to the same instruction set where it can:
#
#   width   cxr                PyTorch                                           others
#   512     (the default)      ATEN_CPU_CAPABILITY=avx512 ONEDNN_MAX_CPU_ISA=AVX512_CORE   ONNX Runtime, TF
#   256     -XX:UseAVX=2       ATEN_CPU_CAPABILITY=avx2   ONEDNN_MAX_CPU_ISA=AVX2          -
#   128     -XX:UseAVX=0       ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41        -
#
# ONNX Runtime and TensorFlow choose their kernels from the CPU and cannot be held to less, so
# they run at the machine's width only. The sides run in turn, round after round (cxr, PyTorch,
# ..., then again), each timed as the median of its passes inside one process, and the table
# gives the median over rounds: a machine whose speed drifts moves every side alike.
#
#   benchmarks/compare-cpu.sh                 # every width, 3 rounds (about 40 minutes on 2 cores)
#   WIDTHS=256 ROUNDS=1 benchmarks/compare-cpu.sh
#   JMH=1 benchmarks/compare-cpu.sh           # also JMH's Vgg16ForwardBenchmark at each width
#
# Needs Java 17+ and Maven (the jar is built when missing or older than the sources) and Python 3.
# The frameworks come from pip into a venv outside the repository ($CXR_BENCH_VENV, default
# ~/.cache/cxr-bench-venv), made on first use; Debian's PyTorch from apt-get install python3-torch.
# Results go to benchmarks/target/compare/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="benchmarks/target/benchmarks.jar"
out="benchmarks/target/compare"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
venv="${CXR_BENCH_VENV:-$HOME/.cache/cxr-bench-venv}"
cores="$(nproc)"
rounds="${ROUNDS:-3}"
repeats="${REPEATS:-7}"
threads="1"
(( cores > 1 )) && threads="1 $cores"

if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml engine model benchmarks -newer "$jar" \( -name '*.java' -o -name pom.xml \) -print -quit)" ]]; then
  echo "compare-cpu: building $jar ..." >&2
  mvn -B -q -DskipTests -pl benchmarks -am package >&2
fi
if [[ ! -x "$venv/bin/python" ]]; then
  echo "compare-cpu: making $venv with the frameworks (pip) ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy 'torch==2.13.*' onnx onnxruntime tensorflow-cpu keras >&2
fi
debian_torch=""
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  debian_torch=/usr/bin/python3
else
  echo "compare-cpu: no Debian PyTorch (apt-get install python3-torch); its rows are left out" >&2
fi
if [[ -z "${WIDTHS:-}" ]]; then
  WIDTHS="256 128"
  grep -qw avx512f /proc/cpuinfo && WIDTHS="512 $WIDTHS"
fi
rm -rf "$out"
mkdir -p "$out"
echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $cores cores; $("$java_bin" -version 2>&1 | head -1)" | tee "$out/table.md" >&2

for width in $WIDTHS; do
  case "$width" in
    512) jvm=(-XX:UseAVX=3); isa=(ATEN_CPU_CAPABILITY=avx512 ONEDNN_MAX_CPU_ISA=AVX512_CORE); native=1 ;;
    256) jvm=(-XX:UseAVX=2); isa=(ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2); native=0 ;;
    128) jvm=(-XX:UseAVX=0); isa=(ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41); native=0 ;;
    *) echo "compare-cpu: WIDTHS takes 512, 256 and 128, not $width" >&2; exit 2 ;;
  esac
  [[ -n "${WIDTHS_NATIVE:-}" ]] && native=1
  echo "== $width-bit: cxr ${jvm[*]}; PyTorch ${isa[*]}" >&2
  for round in $(seq 1 "$rounds"); do
    for t in $threads; do
      tag="$width-t$t-r$round"
      "$java_bin" --add-modules jdk.incubator.vector -Xmx1g "${jvm[@]}" -cp "$jar" dev.cxr.benchmarks.ForwardTiming \
        --threads "$t" --repeats "$repeats" --json "$out/$tag-cxr.json" 2> >(grep -v '^WARNING: Using incubator' >&2)
      env "${isa[@]}" "$venv/bin/python" benchmarks/frameworks_vgg16.py run --framework torch --threads "$t" \
        --repeats "$repeats" --json "$out/$tag-torch.json"
      if [[ -n "$debian_torch" ]]; then
        env "${isa[@]}" "$debian_torch" benchmarks/frameworks_vgg16.py run --framework torch --threads "$t" \
          --repeats "$repeats" --json "$out/$tag-torch-debian.json"
      fi
      if (( native )); then
        "$venv/bin/python" benchmarks/frameworks_vgg16.py run --framework onnxruntime --threads "$t" \
          --repeats "$repeats" --json "$out/$tag-onnxruntime.json"
        "$venv/bin/python" benchmarks/frameworks_vgg16.py run --framework tensorflow --threads "$t" \
          --repeats "$repeats" --json "$out/$tag-tensorflow.json"
      fi
    done
  done
  "$venv/bin/python" benchmarks/frameworks_vgg16.py table --runs "$out"/"$width"-t*-r*.json \
    --isa "$width-bit: cxr ${jvm[*]}, PyTorch ${isa[*]}" | tee -a "$out/table.md"
  if [[ -n "${JMH:-}" ]]; then
    "$java_bin" -jar "$jar" Vgg16ForwardBenchmark -p device=cpu -p batch=1,8 -p threads="${threads// /,}" -f 1 \
      -wi 3 -w 10s -i 5 -r 10s -jvmArgsAppend "--add-modules jdk.incubator.vector -Xmx1g ${jvm[*]}" \
      -rf json -rff "$out/jmh-$width.json" | grep -E '^(Benchmark|Vgg16)' | tee -a "$out/table.md"
  fi
done
