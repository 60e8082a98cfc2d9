#!/usr/bin/env bash
# Runs the data-plane benchmark of issue 14 (item 5). Arguments, all optional:
#   seconds rounds rows clients basePort   (defaults: 10 3 200000 4 57310; ports basePort..basePort+3 must be free)
# seconds is the time of each TPS figure (an aggregate figure runs half of it); a short run: 3 1 50000.
# It starts its own local cluster (1 shardlord + 3 workers) in a temporary directory under /tmp, and stops and
# deletes it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prologue.sh
bench_build bench
bench_header "java -Xmx1g ${BENCH_JAVA_OPTS:-} dev.shardman.bench.DataplaneBenchmark $*"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.DataplaneBenchmark "$@"
