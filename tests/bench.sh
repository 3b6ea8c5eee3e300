#!/usr/bin/env bash
# ActorVmm benchmark harness runner (see docs/BENCHMARKS.md).
#
#   tests/bench.sh                       build, then run all four benchmarks on H2 (and on PostgreSQL
#                                        when AVM_TEST_PG_URL is set)
#   tests/bench.sh throughput recovery   only these benchmarks
#   tests/bench.sh restart reconcile     reconciliation: a restarted node's VMs, and the CPU of a pass
#   tests/bench.sh failover drain        the move benchmarks (not in the default set: failover starts
#                                        three host node processes; see docs/BENCHMARKS.md, "Moves")
#   BENCH_DBS="postgres" tests/bench.sh  only these databases
#   BENCH_ARGS_THROUGHPUT="--vms 2000" tests/bench.sh throughput   extra arguments for one benchmark
#                                        (BENCH_ARGS_JOURNAL, _RECOVERY, _MEMORY likewise)
#   BENCH_NO_BUILD=1                     skip the Maven build
#   BENCH_QUIET_LOAD=1.0                 before each benchmark wait (up to BENCH_QUIET_WAIT seconds,
#                                        default 900) until the 1-minute load average is below this
#   BENCH_JAVA_OPTS="-D..."              extra JVM options; -D settings override the node's config
#
# Each benchmark runs in its own JVM on a fresh database; results go to stdout, one block each,
# and a summary table at the end. The node's logs go to $BENCH_LOG (default target/bench.log).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  echo "bench: building (mvn -B -q -o -DskipTests install -pl tests -am)..." >&2
  mvn -B -q -o -DskipTests install -pl tests -am >&2
fi

CP="$ROOT/tests/target/avm-tests-0.1.0-SNAPSHOT.jar:$ROOT/src/dist/target/avm-dist-0.1.0-SNAPSHOT.jar:$ROOT/src/dist/target/lib/*"
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(throughput journal recovery memory)
if [ -n "${BENCH_DBS:-}" ]; then
  read -r -a dbs <<< "$BENCH_DBS"
elif [ -n "${AVM_TEST_PG_URL:-}" ]; then
  dbs=(h2 postgres)
else
  dbs=(h2)
  echo "bench: AVM_TEST_PG_URL not set, PostgreSQL runs skipped" >&2
fi

mkdir -p "$ROOT/tests/target"
LOG="${BENCH_LOG:-$ROOT/tests/target/bench.log}"
RESULTS="$(mktemp "${TMPDIR:-/tmp}/avm-bench-results.XXXXXX")"
trap 'rm -f "$RESULTS"' EXIT
: > "$LOG"

echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
wait_quiet() {
  [ -n "${BENCH_QUIET_LOAD:-}" ] || return 0
  local waited=0
  while awk -v max="$BENCH_QUIET_LOAD" '{ exit !($1 >= max) }' /proc/loadavg; do
    if [ "$waited" -ge "${BENCH_QUIET_WAIT:-900}" ]; then
      echo "# still busy after ${waited}s (load $(cut -d' ' -f1-3 /proc/loadavg)), running anyway"
      return 0
    fi
    sleep 10
    waited=$((waited + 10))
  done
}

status=0
for b in "${benches[@]}"; do
  case "$b" in
    throughput|journal|recovery) heap="-Xmx${BENCH_HEAP:-3g}" ;;
    memory) heap="-Xmx2g" ;;
    engine) heap="-Xmx${BENCH_HEAP:-2g}" ;;
    failover|drain) heap="-Xmx${BENCH_HEAP:-1g}" ;;
    service) heap="-Xmx${BENCH_HEAP:-3g}" ;;
    qemu|qemu-move) heap="-Xmx${BENCH_HEAP:-1g}" ;;
    restart|reconcile) heap="-Xmx${BENCH_HEAP:-2g}" ;;
    *) echo "bench: unknown benchmark $b (throughput, journal, recovery, memory, engine, service, failover, drain, qemu, qemu-move, restart, reconcile)" >&2; exit 2 ;;
  esac
  var="BENCH_ARGS_$(echo "$b" | tr '[:lower:]-' '[:upper:]_')"
  read -r -a extra <<< "${!var:-}"
  for db in "${dbs[@]}"; do
    wait_quiet
    echo "# load before $b/$db: $(cut -d' ' -f1-3 /proc/loadavg)"
    # Pekko prints a few lines of its own on stdout while a node stops; they go to the log too
    java "$heap" -XX:+UseG1GC -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 ${BENCH_JAVA_OPTS:-} \
        -cp "$CP" io.actorvmm.bench.Bench \
        --bench "$b" --db "$db" --results "$RESULTS" "${extra[@]}" 2>>"$LOG" \
      | while IFS= read -r line; do
          case "$line" in
            "["[A-Z]*"] ["*) echo "$line" >> "$LOG" ;;
            *) echo "$line" ;;
          esac
        done
    if [ "${PIPESTATUS[0]}" != 0 ]; then
      echo "bench: $b on $db failed (log: $LOG)"
      status=1
    fi
  done
done

echo
echo "| benchmark | db | figure | unit | baseline | ratio | target | result |"
echo "|---|---|---|---|---|---|---|---|"
while IFS=$'\t' read -r bench db fig unit base ratio target result; do
  echo "| $bench | $db | $fig | $unit | $base | $ratio | $target | $result |"
done < "$RESULTS"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
