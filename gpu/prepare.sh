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
#   model-test-classes/       the model's compiled tests and fixtures (the corner base on the GPU)
#   lib/                      JUnit's console launcher; JMH's runtime jars when the benchmarks exist
#   benchmarks-classes/       the compiled JMH benchmarks (when the benchmarks module has any)
#   reference/                two images' inputs and TensorFlow's block5_pool (from ../shared/reference)
#   jre.txz                   a jlink'ed Java runtime (Temurin 25 where installed), used only where the
#                             machine has no Java 17+
#   native/                   fontconfig and its libraries, for that runtime's text rendering (plot.png)
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
cp -r model/target/test-classes "$carry/model-test-classes"

junit_version="$(sed -n 's:.*<junit.version>\(5\.[0-9.]*\)</junit.version>.*:\1:p' pom.xml | head -1)"
platform_version="1.${junit_version#5.}"
mvn -B -q -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" \
    -DoutputDirectory="$carry/lib"

if [[ -f benchmarks/target/classes/META-INF/BenchmarkList ]]; then
  cp -r benchmarks/target/classes "$carry/benchmarks-classes"
  # JMH's runtime (the versions jmh-core's pom names), copied like the JUnit launcher above
  jmh_version="$(sed -n 's:.*<jmh.version>\([0-9.]*\)</jmh.version>.*:\1:p' pom.xml | head -1)"
  for a in "org.openjdk.jmh:jmh-core:$jmh_version" net.sf.jopt-simple:jopt-simple:5.0.4 org.apache.commons:commons-math3:3.6.1; do
    mvn -B -q -N dependency:copy -Dartifact="$a" -DoutputDirectory="$carry/lib"
  done
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

# The runtime is jlink'ed from Temurin 25 where it is installed (JLINK=/path/to/jdk/bin/jlink picks
# another): Temurin's desktop libraries carry their own libjpeg, lcms and freetype, while Debian's
# JDK 17 links the system's libjpeg.so.62, which the GPU machine (no Java at all) does not have.
# Uncompressed modules in an xz archive come out smaller (22 MB) than jlink's own compression.
# Java 2D also needs fontconfig and a font to draw plot.png's text: libfontconfig and its libraries
# travel in native/, two DejaVu fonts in the runtime's lib/fonts, and fonts.conf points there.
echo "== jlink'ing a Java runtime (used there only if the machine has no Java 17+)"
jlink_bin="${JLINK:-}"
if [[ -z "$jlink_bin" ]]; then
  jlink_bin=jlink
  [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink ]] && jlink_bin=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jlink
fi
jre_tmp="$(mktemp -d)"
trap 'rm -rf "$jre_tmp"' EXIT
"$jlink_bin" --add-modules java.base,java.desktop,java.logging,java.management,jdk.management,java.xml,jdk.incubator.vector,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-header-files --no-man-pages --output "$jre_tmp/jre" 2>&1 | grep -v "incubator modules" || true
mkdir -p "$jre_tmp/jre/lib/fonts" "$carry/native"
for f in DejaVuSans.ttf DejaVuSans-Bold.ttf; do
  cp "/usr/share/fonts/truetype/dejavu/$f" "$jre_tmp/jre/lib/fonts/"
done
for l in libfontconfig.so.1 libfreetype.so.6 libexpat.so.1 libpng16.so.16 libbrotlidec.so.1 libbrotlicommon.so.1; do
  cp -L "/usr/lib/x86_64-linux-gnu/$l" "$carry/native/" 2>/dev/null || cp -L "/lib/x86_64-linux-gnu/$l" "$carry/native/"
done
"$jre_tmp/jre/bin/java" --add-modules jdk.incubator.vector -jar "$carry/cxr.jar" --version 2>/dev/null
"$jre_tmp/jre/bin/java" --add-modules jdk.incubator.vector -jar "$carry/cxr.jar" info 2>/dev/null | tail -1
tar -C "$jre_tmp" -cJf "$carry/jre.txz" jre

size_kib="$(du -sk "$carry" | cut -f1)"
tracked_kib="$(( $(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1) / 1024 ))"
echo "== $carry: $((size_kib / 1024)) MiB (+ $((tracked_kib / 1024)) MiB of tracked files travel with it)"
du -sh "$carry"/* | sed 's/^/   /'
if (( size_kib / 1024 > budget_mib )); then
  echo "prepare.sh: $carry is over $budget_mib MiB" >&2
  exit 1
fi
