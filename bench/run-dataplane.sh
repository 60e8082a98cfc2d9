#!/usr/bin/env bash
# Runs the data-plane benchmark of issue 14 (item 5). Arguments, all optional:
#   seconds rounds rows clients basePort   (defaults: 10 3 200000 4 57310; ports basePort..basePort+3 must be free)
# seconds is the time of each TPS figure (an aggregate figure runs half of it); a short run: 3 1 50000.
# It starts its own local cluster (1 shardlord + 3 workers) in a temporary directory under /tmp, and stops and
# deletes it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
echo "command: java -Xmx1g ${BENCH_JAVA_OPTS:-} dev.shardman.bench.DataplaneBenchmark $*"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +uncommitted), host: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.DataplaneBenchmark "$@"
