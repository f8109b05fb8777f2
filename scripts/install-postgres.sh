#!/usr/bin/env bash
# Installs PostgreSQL from the system's packages (Debian/Ubuntu: apt-get install postgresql), once. The
# archive tests start their own server from these binaries (initdb + postgres on a free loopback port with
# a temporary data directory, see PostgresServer in nsq-spring-boot-test-fixtures); they do not use a system cluster.
# Quiet when PostgreSQL is already installed.
set -euo pipefail
source "$(dirname "$0")/lib/apt.sh"

programs=(initdb postgres pg_ctl pg_isready createdb)

installed() {
  local dir
  for dir in ${PG_BIN:+"$PG_BIN"} /usr/lib/postgresql/*/bin; do
    [ -d "$dir" ] || continue
    local all=yes
    for program in "${programs[@]}"; do
      [ -x "$dir/$program" ] || all=no
    done
    [ "$all" = yes ] && return 0
  done
  for program in "${programs[@]}"; do
    command -v "$program" >/dev/null 2>&1 || return 1
  done
}

if installed; then
  exit 0
fi

# PG_BIN may also point at a directory that holds the programs, for systems without apt-get
apt_install install-postgres.sh postgresql

if ! installed; then
  echo "install-postgres.sh: apt-get installed postgresql, but no directory holds all of ${programs[*]}" \
    "(looked in /usr/lib/postgresql/*/bin and PATH)" >&2
  exit 1
fi
echo "PostgreSQL installed: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)"
