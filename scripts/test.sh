#!/usr/bin/env bash
# Runs every test of the project against real servers: installs what is missing (NSQ via go), then
# runs the Maven build with the wrapper. Extra arguments go to Maven, e.g. scripts/test.sh -pl nsq-spring-boot-test
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-redis.sh
scripts/install-nsq.sh
scripts/install-postgres.sh
./mvnw -B -ntp verify "$@"
