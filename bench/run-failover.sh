#!/usr/bin/env bash
# The automatic failover benchmark of issue 13 (see BENCHMARKS.md, "Automatic failover (issue 13)"): bench/run-failover.sh [RUNS]
# (default 5). Each run starts its own local cluster (shardlord + 3 workers) from a template on a base port found free
# in 20000-32767 under /tmp, SIGKILLs w1 while a client writes keys w1 held, runs the monitor (a poll every 5 s, the default,
# with its automatic failover; settings.failover.after: 10s) until it failed w1 over, and stops and deletes the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prologue.sh
bench_build bench
bench_header "bench/run-failover.sh $*"
exec java -Xmx512m -cp "$classpath" dev.shardman.bench.chaos.FailoverBenchmark "$@"
