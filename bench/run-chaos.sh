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
source bench/prologue.sh
bench_build cli,bench
bench_header "bench/run-chaos.sh $*"
out="$(mktemp /tmp/shardman-chaos-out.XXXXXX)"
java -Xmx512m -Dchaos.jar=cli/target/shardman.jar -cp "$classpath" dev.shardman.bench.chaos.ChaosSuite "$@" | tee "$out"
grep -q '^failed seeds: \[\]$' "$out"
