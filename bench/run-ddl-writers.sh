#!/usr/bin/env bash
# A column and an index added under writers that cross nodes (the chaos suite's writers, no fault), ROUNDS rounds, each on
# its own cluster of 5 workers: bench/run-ddl-writers.sh ROUNDS sync|async sharded|shared|both. Prints each apply's duration and
# whether an attempt ran out of lock wait; each round's waits.txt samples who waited on what (RELIABILITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 3 ]; then
  echo "usage: bench/run-ddl-writers.sh ROUNDS sync|async sharded|shared|both" >&2
  exit 64
fi
source bench/prologue.sh
bench_build cli,bench
bench_header "bench/run-ddl-writers.sh $*"
# SHARDMAN_JAR: another build of the CLI (e.g. a checkout before a change) measured with this benchmark
exec java -Xmx512m -Dchaos.jar="${SHARDMAN_JAR:-cli/target/shardman.jar}" -cp "$classpath" dev.shardman.bench.chaos.DdlUnderWriters "$@"
