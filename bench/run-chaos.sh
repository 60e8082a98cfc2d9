#!/usr/bin/env bash
# The chaos suite of issue 10 (see RELIABILITY.md): bench/run-chaos.sh ROUNDS [SEED], or bench/run-chaos.sh 0 SEED,SEED,... (those seeds)
# Each round starts its own local cluster (shardlord + 5 workers) on a free base port in 20000-32767 (below the ephemeral range) under /tmp,
# runs a random scenario (rebalance, drain, failover) through the CLI as a child process, injects a random fault
# (SIGKILL of the applier or a worker, SIGSTOP/SIGCONT of a worker, a crash restart of the shardlord or a worker), converges
# (apply / recover, bounded), checks every invariant, and stops and deletes the cluster. Round i has seed SEED+i:
# `bench/run-chaos.sh 1 <seed>` replays that round's choices. Exit 0 when every round passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: bench/run-chaos.sh ROUNDS [SEED]" >&2
  exit 64
fi
mvn -B -q -o -pl cli,bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
echo "command: bench/run-chaos.sh $*"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +uncommitted), host: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM"
out="$(mktemp /tmp/shardman-chaos-out.XXXXXX)"
java -Xmx512m -Dchaos.jar=cli/target/shardman.jar -cp "$classpath" dev.shardman.bench.chaos.ChaosSuite "$@" | tee "$out"
grep -q '^failed seeds: \[\]$' "$out"
