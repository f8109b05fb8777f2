#!/usr/bin/env bash
# Installs Debian's redis-server, which the tests of the Redis-backed delays start on a free loopback
# port. Does nothing (and prints nothing) when redis-server is on PATH already.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-redis.sh: redis-server is not on PATH and apt-get is missing; install redis-server with your package manager and run scripts/install-redis.sh again" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-redis.sh: redis-server is missing and installing it needs root (or sudo): apt-get install -y redis-server" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "Installing redis-server (apt-get) ..."
if ! "${sudo[@]}" apt-get update -qq || ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq redis-server >/dev/null; then
  echo "install-redis.sh: 'apt-get install -y redis-server' failed; see the output above" >&2
  exit 1
fi
# the package also starts a system service on port 6379; the tests do not use it
if ! command -v redis-server >/dev/null 2>&1; then
  echo "install-redis.sh: apt-get finished but redis-server is not on PATH" >&2
  exit 1
fi
echo "redis-server installed: $(redis-server --version)"
