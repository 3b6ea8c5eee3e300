#!/usr/bin/env bash
# The three-node local layout of ActorVmm on one machine:
#   node 1: roles seed,host  cluster 127.0.0.1:2551  api 127.0.0.1:9110  host h1
#   node 2: roles seed,host  cluster 127.0.0.1:2552  api 127.0.0.1:9111  host h2
#   node 3: role  host       cluster 127.0.0.1:2553  api 127.0.0.1:9112  host h3
# All three use one data directory, so they share one H2 journal file (the first node to open it
# serves it to the others through H2's server mode). Logs and pid files go to the data directory.
# Two seeds, and every node is given both: a seed killed and started again finds the other seed and
# joins the cluster that still runs, instead of forming a second cluster of its own on the same journal.
#
# Usage: config/local-cluster.sh start [N...] | stop [N...] | status
#   start   starts the given nodes (default: all three; node 1 first) and waits for their APIs
#   stop    stops the given nodes (default: all three, node 1 last); SIGTERM, so a node leaves the
#           cluster cleanly
#   status  one line per node; exit 0 when all three run, 3 otherwise
#
# Environment:
#   AVM_DATA_DIR    the shared data directory (default: data/local-cluster in the repository)
#   AVM_HEAP        each node's maximum heap (default here: 512m)
#   AVM_NODE_OPTS   more options for every node, e.g. "--copy-ms 3000 --boot-ms 1000" (./avm node --help)
#   AVM_LOG_LEVEL   root log level of the nodes (default WARN)
#   AVM_JAVA_OPTS   more JVM options for every node
#   AVM_CLUSTER_PORT_BASE  node N's cluster port is this plus N (default 2550: 2551-2553)
#   AVM_API_PORT_BASE      node N's API port is this plus N (default 9109: 9110-9112)
set -euo pipefail

AVM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export AVM_HOME
DATA_DIR="${AVM_DATA_DIR:-$AVM_HOME/data/local-cluster}"
export AVM_HEAP="${AVM_HEAP:-512m}"
CLUSTER_PORT_BASE="${AVM_CLUSTER_PORT_BASE:-2550}"
API_PORT_BASE="${AVM_API_PORT_BASE:-9109}"
for base in "$CLUSTER_PORT_BASE" "$API_PORT_BASE"; do
  if ! [[ "$base" =~ ^[0-9]{1,5}$ ]] || [ "$base" -gt 65532 ]; then
    echo "local-cluster: a port base must be a number from 0 to 65532, not '$base'" >&2
    exit 2
  fi
done

# node number -> roles, cluster port, api port, host id
node_roles() { [ "$1" = 3 ] && echo host || echo seed,host; }
node_port() { echo $((CLUSTER_PORT_BASE + $1)); }
node_api() { echo $((API_PORT_BASE + $1)); }
node_host() { echo "h$1"; }
# The seeds node N is given: both, a running seed other than N first. The first seed of a node's list
# forms a new cluster when no other seed answers within a few seconds (what a fresh start needs); a
# seed started while the other runs must not be first in its own list, or under load it may give up on
# the running cluster too early and form a second one (the lease keeps that one idle, but it is useless).
node_seeds() {
  local other=$(( $1 == 1 ? 2 : 1 ))
  if [ "$1" != 3 ] && running_pid "$other" >/dev/null; then
    echo "127.0.0.1:$(node_port "$other"),127.0.0.1:$(node_port "$1")"
  else
    echo "127.0.0.1:$(node_port 1),127.0.0.1:$(node_port 2)"
  fi
}

pid_file() { echo "$DATA_DIR/node-$1.pid"; }
log_file() { echo "$DATA_DIR/node-$1.log"; }

say() { printf 'local-cluster: %s\n' "$*"; }

# The pid of node N when it runs, else nothing.
running_pid() {
  local f pid
  f=$(pid_file "$1")
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; else return 1; fi
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

check_nodes() {
  local n
  for n in "$@"; do
    case "$n" in
      1|2|3) ;;
      *) echo "local-cluster: no node '$n' (nodes are 1, 2 and 3)" >&2; exit 2 ;;
    esac
  done
}

start_node() {
  local n=$1 pid
  if pid=$(running_pid "$n"); then
    say "node $n already runs (pid $pid)"
    return
  fi
  if port_open "$(node_api "$n")"; then
    echo "local-cluster: port $(node_api "$n") is taken by another process; is a node running outside this data dir?" >&2
    exit 1
  fi
  # A node killed with kill -9 leaves its pid file behind: without removing it, the wait below would
  # return at once with the dead pid, and wait_node would report the new node as exited.
  rm -f "$(pid_file "$n")"
  say "starting node $n: roles $(node_roles "$n"), cluster 127.0.0.1:$(node_port "$n"), api 127.0.0.1:$(node_api "$n"), host $(node_host "$n")"
  # The JVM directly, as ./avm runs it: cmd_start has built once, and ./avm would check (and maybe
  # rebuild) again in every node at the same time. Its own session, so a later Ctrl-C in this
  # terminal does not reach it; it records its own pid.
  local dist="$AVM_HOME/src/dist/target"
  # shellcheck disable=SC2086 # AVM_JAVA_OPTS and AVM_NODE_OPTS are lists of options
  setsid bash -c 'echo $$ > "$1"; shift; exec "$@"' _ "$(pid_file "$n")" \
    java ${AVM_JAVA_OPTS:-} "-Xmx$AVM_HEAP" -cp "$dist/avm-dist-0.1.0-SNAPSHOT.jar:$dist/lib/*" \
    io.actorvmm.dist.Main node --roles "$(node_roles "$n")" --hostname 127.0.0.1 --port "$(node_port "$n")" \
    --api-port "$(node_api "$n")" --seeds "$(node_seeds "$n")" --host-id "$(node_host "$n")" --data-dir "$DATA_DIR" \
    ${AVM_NODE_OPTS:-} >>"$(log_file "$n")" 2>&1 </dev/null &
  local i
  for i in $(seq 1 200); do
    [ -s "$(pid_file "$n")" ] && return
    sleep 0.05
  done
  echo "local-cluster: node $n did not record its pid within 10s; see $(log_file "$n")" >&2
  exit 1
}

# Waits until node N answers on its API port, or fails with the end of its log.
wait_node() {
  local n=$1 i
  for i in $(seq 1 240); do
    if port_open "$(node_api "$n")"; then
      say "node $n is up (api 127.0.0.1:$(node_api "$n"))"
      return
    fi
    if ! running_pid "$n" >/dev/null; then
      echo "local-cluster: node $n exited; the end of $(log_file "$n"):" >&2
      tail -n 20 "$(log_file "$n")" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "local-cluster: node $n did not open its API within 60s; see $(log_file "$n")" >&2
  exit 1
}

stop_node() {
  local n=$1 pid i
  if ! pid=$(running_pid "$n"); then
    rm -f "$(pid_file "$n")"
    say "node $n is not running"
    return
  fi
  say "stopping node $n (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "node $n did not stop within 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pid_file "$n")"
}

cmd_start() {
  local nodes=("$@") n
  [ ${#nodes[@]} -gt 0 ] || nodes=(1 2 3)
  check_nodes "${nodes[@]}"
  mkdir -p "$DATA_DIR"
  # build once here (./avm builds when the build is missing or older than the sources)
  "$AVM_HOME/avm" --version >/dev/null
  # node 1 first: it creates the journal's tables and serves the H2 file to the others
  for n in "${nodes[@]}"; do
    if [ "$n" = 1 ]; then start_node 1; wait_node 1; fi
  done
  for n in "${nodes[@]}"; do
    [ "$n" = 1 ] || start_node "$n"
  done
  for n in "${nodes[@]}"; do
    [ "$n" = 1 ] || wait_node "$n"
  done
  say "data and logs in $DATA_DIR; try: ./avm 127.0.0.1:$(node_api 1) host list"
}

cmd_stop() {
  local nodes=("$@") n
  [ ${#nodes[@]} -gt 0 ] || nodes=(3 2 1)
  check_nodes "${nodes[@]}"
  for n in "${nodes[@]}"; do stop_node "$n"; done
}

cmd_status() {
  local n pid all=0
  for n in 1 2 3; do
    if pid=$(running_pid "$n"); then
      printf 'node %s  running  pid %-7s roles %-9s cluster 127.0.0.1:%s  api 127.0.0.1:%s  host %s\n' \
        "$n" "$pid" "$(node_roles "$n")" "$(node_port "$n")" "$(node_api "$n")" "$(node_host "$n")"
    else
      printf 'node %s  stopped                            cluster 127.0.0.1:%s  api 127.0.0.1:%s  host %s\n' \
        "$n" "$(node_port "$n")" "$(node_api "$n")" "$(node_host "$n")"
      all=3
    fi
  done
  echo "data dir: $DATA_DIR"
  return "$all"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status ;;
  *)
    echo "usage: $0 start [N...] | stop [N...] | status   (N: 1, 2 or 3; default all)" >&2
    exit 2
    ;;
esac
