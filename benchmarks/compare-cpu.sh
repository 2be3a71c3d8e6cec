#!/usr/bin/env bash
# Side-by-side CPU benchmark of VGG16's features forward (224x224): cxr's fast CPU backend (JMH,
# benchmarks/target/benchmarks.jar) against PyTorch (Debian's python3-torch, torchvision's
# vgg16().features, NCHW and channels_last), on this machine, in one run, at batch 1 and 8, with
# 1 thread and with every core. Prints a table with the ratios, then the heap a batch-8 forward
# needs under -Xmx1g. Run it on a quiet machine: other work on the cores moves every number.
#
#   benchmarks/compare-cpu.sh            # full run, about 15 minutes on 2 cores
#   QUICK=1 benchmarks/compare-cpu.sh    # shorter JMH iterations and fewer PyTorch repeats (a smoke test)
#
# Needs: Java 17+ (JAVA_HOME or java on PATH), Maven (to build the jar when it is missing or older
# than the sources), /usr/bin/python3 with python3-torch and python3-torchvision
# (apt-get install -y python3-torch python3-torchvision). Results go to benchmarks/target/compare/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="benchmarks/target/benchmarks.jar"
out="benchmarks/target/compare"
python=/usr/bin/python3
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cores="$(nproc)"

if ! "$python" -c "import torch, torchvision" 2>/dev/null; then
  echo "compare-cpu: $python cannot import torch and torchvision;" \
       "install them with: apt-get install -y python3-torch python3-torchvision" >&2
  exit 2
fi
if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml engine model benchmarks -newer "$jar" \( -name '*.java' -o -name pom.xml \) -print -quit)" ]]; then
  echo "compare-cpu: building $jar ..." >&2
  mvn -B -q -DskipTests -pl benchmarks -am package >&2
fi
mkdir -p "$out"

threads="1"
if (( cores > 1 )); then threads="1,$cores"; fi
if [[ -n "${QUICK:-}" ]]; then
  jmh_time=(-wi 2 -w 5s -i 3 -r 5s); repeats=3
else
  jmh_time=(-wi 3 -w 10s -i 5 -r 10s); repeats=9
fi

echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $cores cores; $("$java_bin" -version 2>&1 | head -1)" >&2
echo "== cxr: JMH Vgg16ForwardBenchmark, batch 1 and 8, threads $threads" >&2
"$java_bin" -jar "$jar" Vgg16ForwardBenchmark -p device=cpu -p batch=1,8 -p threads="$threads" -f 1 \
  "${jmh_time[@]}" -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt" | { grep -E '^(Benchmark|Vgg16)' >&2 || true; }

torch_json=()
for t in ${threads//,/ }; do
  echo "== PyTorch: torch.set_num_threads($t), batch 1 and 8, NCHW and channels_last, median of $repeats" >&2
  "$python" benchmarks/torch_vgg16.py run --threads "$t" --batches 1,8 --repeats "$repeats" --json "$out/torch-$t.json"
  torch_json+=("$out/torch-$t.json")
done

"$python" benchmarks/torch_vgg16.py table --jmh "$out/jmh.json" --torch "${torch_json[@]}" | tee "$out/table.md"

echo
echo "Heap of a batch-8 forward (all cores) under -Xmx1g:"
"$java_bin" --add-modules jdk.incubator.vector -Xmx1g -cp "$jar" dev.cxr.benchmarks.PeakHeap 8 0 infer 2>/dev/null | tee -a "$out/table.md"
