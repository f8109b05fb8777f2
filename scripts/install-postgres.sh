#!/usr/bin/env bash
# Installs PostgreSQL from the system's packages (Debian/Ubuntu: apt-get install postgresql), once. The
# archive tests start their own server from these binaries (initdb + postgres on a free loopback port with
# a temporary data directory, see PostgresServer in nsq-spring-boot-test); they do not use a system cluster.
# Quiet when PostgreSQL is already installed.
set -euo pipefail

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

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-postgres.sh: PostgreSQL (${programs[*]}) is not installed and this system has no apt-get;" \
    "install PostgreSQL with your package manager, or point PG_BIN at the directory holding ${programs[*]}" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-postgres.sh: installing PostgreSQL needs root; run 'apt-get install -y postgresql' as root" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "Installing PostgreSQL (apt-get install -y postgresql) ..."
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq postgresql >/dev/null

if ! installed; then
  echo "install-postgres.sh: apt-get installed postgresql, but no directory holds all of ${programs[*]}" \
    "(looked in /usr/lib/postgresql/*/bin and PATH)" >&2
  exit 1
fi
echo "PostgreSQL installed: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)"
