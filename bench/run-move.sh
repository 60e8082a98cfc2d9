#!/usr/bin/env bash
# Runs the move benchmark of issue 6 (see BENCHMARKS.md, "Moving a primary (issue 6)"). Arguments, all optional:
#   sizeMiB rounds basePort   (defaults: 1024 1 56450; ports basePort..basePort+2 must be free)
# It starts its own local cluster (1 shardlord + 2 workers) in a temporary directory under /tmp, and stops and
# deletes it at the end. Needs about 4 x sizeMiB of free disk (the partition, the raw copy, the moved copy, WAL).
# BENCH_LOG_LOCKS=1 turns on log_lock_waits and prints the servers' lock-wait and deadlock lines at the end.
# BENCH_SAMPLE_WAITS=1 samples both workers' pg_stat_activity every 5 ms and prints what the writer's backends waited on
# during its slow writes and longest gaps (a diagnosis aid: it costs CPU, so its runs are not for the record).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prologue.sh
bench_build bench
bench_header "${BENCH_LOG_LOCKS:+BENCH_LOG_LOCKS=$BENCH_LOG_LOCKS }${BENCH_SAMPLE_WAITS:+BENCH_SAMPLE_WAITS=$BENCH_SAMPLE_WAITS }java -Xmx1g ${BENCH_JAVA_OPTS:-} dev.shardman.bench.MoveBenchmark $*"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.MoveBenchmark "$@"
