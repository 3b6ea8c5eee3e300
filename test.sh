#!/usr/bin/env bash
# Runs every test of ActorVmm: the unit and integration tests of the whole Maven reactor, with a
# local PostgreSQL for the tests that exercise the production journal.
#
# Works on a fresh Debian machine as root with only JDK 17 and Maven (this is what CI runs), and on
# a developer's machine (with sudo when not root). Steps:
#   1. install the system packages the tests need (apt-get, only what is missing)
#   2. start a local PostgreSQL cluster and create role and database "avm" (password "avm")
#   3. mvn -B -fae clean install of the whole reactor, surefire output shown
# Exits non-zero when any step or any test fails.
#
# Environment:
#   AVM_TEST_PG_URL   set it (with AVM_TEST_PG_USER/AVM_TEST_PG_PASSWORD) to test against a PostgreSQL
#                     of your own; step 2 is then skipped
#   AVM_MVN_ARGS      extra Maven arguments, e.g. "-pl src/runtime -am" or "-Dtest=HostEntityTest
#                     -Dsurefire.failIfNoSpecifiedTests=false"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

started=$SECONDS
say() { printf 'test.sh: %s\n' "$*"; }
die() { printf 'test.sh: error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a command as the postgres user, from / so it never complains about an unreadable cwd.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}

# ---------------------------------------------------------------------------------------------
# 1. System packages. The one place that says what the tests need from Debian: each entry is
#    "package:command", and the package is installed when the command is missing. Later steps
#    (libvirt, QEMU, Chromium) add their lines here.
# ---------------------------------------------------------------------------------------------
SYSTEM_PACKAGES=(
  "openjdk-17-jdk-headless:javac"   # normally there already
  "maven:mvn"                       # normally there already
  "postgresql:pg_ctlcluster"        # the production journal's integration tests
  "qemu-system-x86:qemu-system-x86_64"  # QEMU adapter tests (TCG, no KVM needed)
  "qemu-utils:qemu-img"             # QEMU adapter: disk images (qemu-io too, used by its tests)
  "libvirt-clients:virsh"           # libvirt adapter tests
  "libvirt0:virsh"                  # libvirt library; its built-in test driver serves test:///default
  "nftables:nft"                    # fencing tests cut a node off from the others with the firewall
)

install_system_packages() {
  local missing=() entry pkg cmd
  for entry in "${SYSTEM_PACKAGES[@]}"; do
    pkg=${entry%%:*}
    cmd=${entry#*:}
    # postgresql-common alone brings pg_ctlcluster; the server itself must be there too
    if [ "$pkg" = postgresql ] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      missing+=("$pkg")
    elif ! command -v "$cmd" >/dev/null 2>&1; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "system packages: all present"
    return
  fi
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
  say "system packages: installing ${missing[*]}"
  say "apt-get update"
  as_root apt-get update -q >/dev/null
  say "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# 2. PostgreSQL: a Debian cluster (pg_lsclusters/pg_ctlcluster), running, with role and database.
#    pg_ctlcluster starts the server with pg_ctl itself when systemd is not PID 1.
# ---------------------------------------------------------------------------------------------
PG_VERSION=""
PG_CLUSTER=""
PG_PORT=""

# Sets PG_VERSION/PG_CLUSTER/PG_PORT to the cluster we use: an online one if any, else the first.
pick_cluster() {
  local line
  line=$(pg_lsclusters -h 2>/dev/null | awk '$4 == "online" { print; exit }')
  [ -n "$line" ] || line=$(pg_lsclusters -h 2>/dev/null | head -n 1)
  [ -n "$line" ] || return 1
  read -r PG_VERSION PG_CLUSTER PG_PORT _ <<<"$line"
}

cluster_status() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }'
}

start_postgres() {
  if ! pick_cluster; then
    local version
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    [ -n "$version" ] || die "PostgreSQL is installed but no server version is found under /usr/lib/postgresql"
    say "postgres: creating cluster $version/main"
    as_root pg_createcluster "$version" main >/dev/null
    pick_cluster || die "pg_createcluster made no cluster"
  fi
  # the socket directory lives on a tmpfs on many machines and may be gone after a reboot
  as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  if [ "$(cluster_status)" = online ]; then
    say "postgres: cluster $PG_VERSION/$PG_CLUSTER already running on port $PG_PORT"
  else
    say "postgres: starting cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
    local out
    if ! out=$(as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start 2>&1); then
      # a concurrent start, or a server pg_lsclusters did not see yet, is fine
      case "$out" in
        *"already running"*) say "postgres: already running" ;;
        *) printf '%s\n' "$out" >&2; die "cannot start PostgreSQL cluster $PG_VERSION/$PG_CLUSTER" ;;
      esac
    fi
  fi
  local i
  for i in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then return; fi
    sleep 0.5
  done
  die "PostgreSQL on 127.0.0.1:$PG_PORT does not accept connections"
}

psql_admin() {
  as_postgres psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 -tA "$@"
}

create_role_and_database() {
  if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'avm'")" = 1 ]; then
    say "postgres: role avm exists"
    # keep it usable even when someone changed it by hand
    psql_admin -c "ALTER ROLE avm WITH LOGIN PASSWORD 'avm'" >/dev/null
  else
    say "postgres: creating role avm"
    psql_admin -c "CREATE ROLE avm WITH LOGIN PASSWORD 'avm'" >/dev/null
  fi
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'avm'")" = 1 ]; then
    say "postgres: database avm exists"
  else
    say "postgres: creating database avm"
    psql_admin -c "CREATE DATABASE avm OWNER avm" >/dev/null
  fi
  # the tests connect over TCP with a password, exactly as a node does
  PGPASSWORD=avm psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U avm -d avm -tA -c "SELECT 1" >/dev/null \
    || die "cannot log in to PostgreSQL as avm/avm on 127.0.0.1:$PG_PORT (check pg_hba.conf)"
}

setup_postgres() {
  if [ -n "${AVM_TEST_PG_URL:-}" ]; then
    say "postgres: using AVM_TEST_PG_URL=$AVM_TEST_PG_URL as given"
    export AVM_TEST_PG_USER="${AVM_TEST_PG_USER:-avm}" AVM_TEST_PG_PASSWORD="${AVM_TEST_PG_PASSWORD:-avm}"
    return
  fi
  start_postgres
  create_role_and_database
  export AVM_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/avm"
  export AVM_TEST_PG_USER=avm
  export AVM_TEST_PG_PASSWORD=avm
  say "postgres: ready, AVM_TEST_PG_URL=$AVM_TEST_PG_URL"
}

# ---------------------------------------------------------------------------------------------
# 3. Maven: every module, every test. clean first, so nothing left in target/ is trusted.
# ---------------------------------------------------------------------------------------------
run_maven() {
  local args=(-B -ntp -fae clean install)
  if [ -n "${AVM_MVN_ARGS:-}" ]; then
    # shellcheck disable=SC2206 # word splitting of the extra arguments is wanted
    args+=(${AVM_MVN_ARGS})
  fi
  say "mvn ${args[*]}"
  local rc=0
  mvn "${args[@]}" || rc=$?
  if [ "$rc" -ne 0 ]; then
    say "FAILED: mvn exited with $rc after $((SECONDS - started))s (see the surefire output above)"
    exit "$rc"
  fi
}

install_system_packages
command -v java >/dev/null 2>&1 || die "java not found"
say "$(java -version 2>&1 | sed -n 1p); $(mvn -B -v 2>/dev/null | sed -n '1s/\x1b\[[0-9;]*m//gp')"
setup_postgres
run_maven
say "all tests passed in $((SECONDS - started))s"
