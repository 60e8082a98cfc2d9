#!/usr/bin/env bash
# Runs the planner benchmark of issue 3 (see BENCHMARKS.md). Arguments, all optional:
#   groups nodesPerGroup tables partitions runs warmup   (defaults: 100 10 200 1024 5 2)
# Set BENCH_JAVA_OPTS to add JVM options (e.g. -XX:+FlightRecorder -XX:StartFlightRecording=filename=plan.jfr);
# -Dbench.steering=false plans the spec without pins and weights (as recorded before issue 14);
# -Dbench.balance=size gives the partitions seeded sizes and plans the grown spec balancing by size.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/prologue.sh
bench_build bench
bench_header "java -Xmx2g -XX:ActiveProcessorCount=2 ${BENCH_JAVA_OPTS:-} dev.shardman.bench.PlannerBenchmark $*"
exec java -Xmx2g -XX:ActiveProcessorCount=2 ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.PlannerBenchmark "$@"
