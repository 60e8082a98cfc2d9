# Sourced by every bench/run-*.sh from the repository root: the build and the header lines each benchmark prints.

# bench_build MODULES: builds MODULES (bench, or cli,bench when the benchmark runs the CLI's jar) offline, and sets
# $classpath to the benchmarks' classes and their runtime dependencies.
bench_build() {
  mvn -B -q -o -pl "$1" -am package dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
  classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
}

# bench_header COMMAND...: the command line, then when, which commit (marked when the work tree differs) and on what.
bench_header() {
  echo "command: $*"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +uncommitted)," \
       "host: $(nproc) cores, $(free -m | awk '/Mem:/ {print $2}') MiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
