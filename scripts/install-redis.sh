#!/usr/bin/env bash
# Installs Debian's redis-server, which the tests of the Redis-backed delays start on a free loopback
# port. Does nothing (and prints nothing) when redis-server is on PATH already.
set -euo pipefail
source "$(dirname "$0")/lib/apt.sh"

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

apt_install install-redis.sh redis-server
# the package also starts a system service on port 6379; the tests do not use it
if ! command -v redis-server >/dev/null 2>&1; then
  echo "install-redis.sh: apt-get finished but redis-server is not on PATH" >&2
  exit 1
fi
echo "redis-server installed: $(redis-server --version)"
