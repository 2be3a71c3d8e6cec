#!/usr/bin/env bash
# Runs HERE (JDK 17, Maven, Maven Central; no GPU needed): builds the project and collects into
# gpu/carry/ everything gpu/run.sh needs on a GPU machine that has no Maven and no network, and
# perhaps no Java. gpu/carry/ is git-ignored; hand it over with the working tree (carry: gpu/carry).
#
#   gpu/prepare.sh            # build, collect, check the runtime starts; prints the carry size
#
# Contents of gpu/carry/:
#   cxr.jar                   the shaded command line (engine, model, cli, JCuda and its JNI libraries)
#   test-classes/             the engine's compiled tests (the CUDA tests, the timing harness)
#   lib/                      JUnit's console launcher; JMH's runtime jars when the benchmarks exist
#   benchmarks-classes/       the compiled JMH benchmarks (when the benchmarks module has any)
#   reference/                two images' inputs and TensorFlow's block5_pool (from ../shared/reference)
#   jre.tgz                   a jlink'ed Java runtime, used only where the machine has no Java 17+
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
carry=gpu/carry
budget_mib=55

echo "== building (mvn package, tests compiled but not run)"
mvn -B -q -DskipTests package

echo "== collecting $carry"
rm -rf "$carry"
mkdir -p "$carry/lib"
cp cli/target/cxr.jar "$carry/"
cp -r engine/target/test-classes "$carry/test-classes"

junit_version="$(sed -n 's:.*<junit.version>\(5\.[0-9.]*\)</junit.version>.*:\1:p' pom.xml | head -1)"
platform_version="1.${junit_version#5.}"
mvn -B -q -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" \
    -DoutputDirectory="$carry/lib"

if [[ -f benchmarks/target/classes/META-INF/BenchmarkList ]]; then
  cp -r benchmarks/target/classes "$carry/benchmarks-classes"
  mvn -B -q -pl benchmarks dependency:copy-dependencies -DincludeArtifactIds=jmh-core,jopt-simple,commons-math3 \
      -DoutputDirectory="$root/$carry/lib"
  echo "   JMH benchmarks: $(tr '\n' ' ' < benchmarks/target/classes/META-INF/BenchmarkList | grep -o 'dev\.cxr\.[A-Za-z0-9_.]*Benchmark' | sort -u | tr '\n' ' ')"
else
  echo "   JMH benchmarks: none compiled (benchmarks/target/classes/META-INF/BenchmarkList is absent); run.sh will skip them"
fi

if [[ -d ../shared/reference ]]; then
  java -cp "$carry/test-classes:$carry/cxr.jar" dev.cxr.engine.backend.cuda.Vgg16Reference "$carry/reference"
  echo "   reference: $(ls "$carry/reference/vgg16-expected-subset" | tr '\n' ' ')"
else
  echo "   reference: ../shared/reference is absent; the whole-VGG16 test will skip on the GPU machine"
fi

# The JDK 17 here makes a 31 MB runtime that needs glibc 2.34+ (Ubuntu 22.04, Debian 12, RHEL 9 or
# newer); JLINK=/path/to/other/jdk/bin/jlink picks another JDK (Temurin 25's needs only glibc 2.17
# but is 40 MB, which leaves little of the 64 MiB).
echo "== jlink'ing a Java runtime (used there only if the machine has no Java 17+)"
jre_tmp="$(mktemp -d)"
trap 'rm -rf "$jre_tmp"' EXIT
"${JLINK:-jlink}" --add-modules java.base,java.desktop,java.logging,java.management,jdk.management,java.xml,jdk.incubator.vector,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$jre_tmp/jre"
"$jre_tmp/jre/bin/java" --add-modules jdk.incubator.vector -jar "$carry/cxr.jar" --version 2>/dev/null
"$jre_tmp/jre/bin/java" --add-modules jdk.incubator.vector -jar "$carry/cxr.jar" info 2>/dev/null | tail -1
tar -C "$jre_tmp" -czf "$carry/jre.tgz" jre

size_kib="$(du -sk "$carry" | cut -f1)"
tracked_kib="$(( $(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1) / 1024 ))"
echo "== $carry: $((size_kib / 1024)) MiB (+ $((tracked_kib / 1024)) MiB of tracked files travel with it)"
du -sh "$carry"/* | sed 's/^/   /'
if (( size_kib / 1024 > budget_mib )); then
  echo "prepare.sh: $carry is over $budget_mib MiB" >&2
  exit 1
fi
