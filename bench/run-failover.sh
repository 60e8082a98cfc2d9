#!/usr/bin/env bash
# The automatic failover benchmark of issue 13 (see BENCHMARKS.md, "Automatic failover (issue 13)"): bench/run-failover.sh [RUNS]
# (default 5). Each run starts its own local cluster (shardlord + 3 workers) from a template on a base port found free
# in 20000-32767 under /tmp, SIGKILLs w1 while a client writes keys w1 held, runs the monitor (a poll every 5 s, the default,
# with its automatic failover; settings.failover.after: 10s) until it failed w1 over, and stops and deletes the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
echo "command: bench/run-failover.sh $*"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +uncommitted), host: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM"
exec java -Xmx512m -cp "$classpath" dev.shardman.bench.chaos.FailoverBenchmark "$@"
