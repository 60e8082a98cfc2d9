#!/usr/bin/env bash
# Runs the rebalance benchmark of issue 14 (the fixed cost per move). Arguments, all optional:
#   workers tables partitions basePort [extra apply arguments...]   (defaults: 10 8 60 56700)
# e.g. bench/run-rebalance.sh 10 8 60 56700 --parallelism 4. Ports basePort..basePort+workers must be free.
# It starts its own local cluster (1 shardlord + workers) in a temporary directory under /tmp, applies the spec on
# all workers but the last, adds the last one (apply --auto-approve, timed), and stops and deletes the cluster (about 0.7 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
echo "command: java -Xmx1g ${BENCH_JAVA_OPTS:-} dev.shardman.bench.RebalanceBenchmark $*"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +uncommitted), host: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$classpath" dev.shardman.bench.RebalanceBenchmark "$@"
