#!/usr/bin/env bash
# Runs the applier benchmark of issue 4 (see BENCHMARKS.md, "Applier (issue 4)"). Arguments, all optional:
#   tables partitions rounds warmup basePort   (defaults: 10 64 7 1 56430; ports basePort..basePort+3 must be free)
# BENCH_DRIFT_RUNS=N times drift-check N times (default: rounds).
# It starts its own local cluster (1 shardlord + 3 workers) in a temporary directory and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
echo "command: java -Xmx1g ${BENCH_JAVA_OPTS:-} dev.shardman.bench.ApplyBenchmark $*"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit: $(git rev-parse --short HEAD), host: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.ApplyBenchmark "$@"
