#!/usr/bin/env bash
# Runs the applier benchmark of issue 4 (see BENCHMARKS.md, "Applier (issue 4)"). Arguments, all optional:
#   tables partitions rounds warmup basePort   (defaults: 10 64 7 1 56430; ports basePort..basePort+3 must be free)
# BENCH_DRIFT_RUNS=N times drift-check N times (default: rounds).
# It starts its own local cluster (1 shardlord + 3 workers) in a temporary directory and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prologue.sh
bench_build bench
bench_header "java -Xmx1g ${BENCH_JAVA_OPTS:-} dev.shardman.bench.ApplyBenchmark $*"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.ApplyBenchmark "$@"
