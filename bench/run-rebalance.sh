#!/usr/bin/env bash
# Runs the rebalance benchmark of issue 14 (the fixed cost per move). Arguments, all optional:
#   workers tables partitions basePort [extra apply arguments...]   (defaults: 10 8 60 56700)
# e.g. bench/run-rebalance.sh 10 8 60 56700 --parallelism 4. Ports basePort..basePort+workers must be free.
# It starts its own local cluster (1 shardlord + workers) in a temporary directory under /tmp, applies the spec on
# all workers but the last, adds the last one (apply --auto-approve, timed), and stops and deletes the cluster (about 0.7 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prologue.sh
bench_build bench
bench_header "java -Xmx1g ${BENCH_JAVA_OPTS:-} dev.shardman.bench.RebalanceBenchmark $*"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.RebalanceBenchmark "$@"
