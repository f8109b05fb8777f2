#!/usr/bin/env bash
# Installs nsqd, nsqlookupd, nsq_tail and to_nsq v1.3.0 into .nsq/bin (git-ignored), once.
#
# `go install github.com/nsqio/nsq/apps/nsqd@v1.3.0` does not work as such: the module proxy answers
# 403 to the version-list request that `go install pkg@version` makes, and nsq's go.mod needs a
# `replace` directive (go-svc) that `go install pkg@version` ignores. So the apps are built from the
# small pinned module in scripts/nsq-build (go.mod/go.sum carry nsq's own replace line).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.nsq/bin"
apps=(nsqd nsqlookupd nsq_tail to_nsq)
version=v1.3.0

installed() {
  for app in "${apps[@]}"; do
    [ -x "$bin/$app" ] || return 1
  done
  "$bin/nsqd" --version 2>/dev/null | grep -q "nsqd ${version}"
}

if installed; then
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-nsq.sh: 'go' is not on PATH; install Go (https://go.dev/doc/install) and run scripts/install-nsq.sh again" >&2
  exit 1
fi

echo "Installing NSQ ${version} (${apps[*]}) into .nsq/bin ..."
mkdir -p "$bin"
packages=()
for app in "${apps[@]}"; do
  packages+=("github.com/nsqio/nsq/apps/$app")
done
(cd "$root/scripts/nsq-build" && GOFLAGS=-mod=mod GOBIN="$bin" go install "${packages[@]}")

if ! installed; then
  echo "install-nsq.sh: build finished but $bin does not hold nsqd ${version} and all of: ${apps[*]}" >&2
  exit 1
fi
echo "NSQ ${version} installed: $("$bin/nsqd" --version)"
