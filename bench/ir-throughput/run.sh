#!/usr/bin/env bash
# IR throughput: kfpci's loader and validator against the kfp SDK's own load, on the shared
# corpus, in one run: (1) with the kfpci launcher's JVM flags, (2) with the optimising compiler
# and a warm-up until it settles, (3) one very long line against Jackson's YAML parse, (4) a cold
# start, one fresh process per side.
# Usage: bench/ir-throughput/run.sh [--corpus DIR] [--rounds N] [--blocks N] [--cold-rounds N]
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/../.." && pwd)"
cd "$root"

corpus="${KFPCI_SHARED_DIR:-$root/../shared}/kfp/compiled-pipelines/valid"
cold_rounds=4
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --cold-rounds) cold_rounds="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

# Built from this checkout's kfp-core classes, not from the local Maven repository, so the
# figures are of these sources (and nothing is installed where other checkouts would pick it up).
classes="$bench/target/classes"
cpfile="$bench/target/classpath.txt"
mkdir -p "$classes"
./mvnw -q -B -o -pl kfp-core compile dependency:build-classpath -Dmdep.outputFile="$cpfile"
cp="$root/kfp-core/target/classes:$(cat "$cpfile")"
javac -d "$classes" -cp "$cp" "$bench"/src/main/java/io/kfpci/bench/*.java
cp -r "$bench/src/main/resources/." "$classes/"
cp="$classes:$cp"
export KFPCI_HOME="$root"

# 1. What a user gets: the flags of the kfpci launcher (tier-1 JIT only, serial GC).
java -Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" io.kfpci.bench.IrThroughput \
  --corpus "$corpus" --warmup 20 --label "kfpci launcher flags (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)" "${args[@]}"
echo
# 2. The same with the optimising compiler (C2) and a warm-up until the round time settles.
java -Xmx1g -XX:+UseSerialGC -cp "$cp" io.kfpci.bench.IrThroughput \
  --corpus "$corpus" --warmup-until-stable 400 --label "optimising compiler (C2), serial GC, long warm-up" "${args[@]}"
echo
# 3. One very long line: loading must grow linearly with it (a test only checks that it loads).
java -Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$cp" io.kfpci.bench.LongLines
echo
# 4. Cold start, as CI pays it every time.
sdk_python="$(java -XX:TieredStopAtLevel=1 -cp "$cp" io.kfpci.bench.IrThroughput --print-sdk-python)"
files=()
while IFS= read -r f; do files+=("$f"); done < <(find "$corpus" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
python3 "$bench/cold_start.py" --sdk-python "$sdk_python" --rounds "$cold_rounds" "${files[@]}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M') UTC"
