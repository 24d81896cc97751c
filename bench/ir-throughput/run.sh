#!/usr/bin/env bash
# IR throughput: kfpci's loader and validator against the kfp SDK's own load, on the shared
# corpus, in one run. Arguments go to the harness: [--corpus DIR] [--warmup N] [--rounds N] [--blocks N].
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/../.." && pwd)"
cd "$root"

# The bench is outside the reactor, so it takes kfp-core (and the parent pom) from the local
# Maven repository: install the current sources there first.
./mvnw -q -B -DskipTests -pl kfp-core -am install
./mvnw -q -B -f bench/ir-throughput/pom.xml package

export KFPCI_HOME="$root"
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -jar "$bench/target/ir-throughput.jar" "$@"
