#!/usr/bin/env bash
# Runs every test of the project against real servers: installs what is missing (NSQ via go), then
# runs the Maven build with the wrapper. Extra arguments go to Maven, e.g. scripts/test.sh -pl nsq-spring-boot-test
# After the build (on the default JDK, Java 17), the listener and drain tests run once more on Java 25 with
# Boot's virtual-thread switch on (JDK25_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64); without that JDK
# the leg is skipped with one line.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-redis.sh
scripts/install-nsq.sh
scripts/install-postgres.sh
./mvnw -B -ntp verify "$@"

jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$jdk25/bin/java" ]]; then
	echo "Java 25 leg skipped: no JDK at $jdk25 (set JDK25_HOME to run the listener and drain tests on virtual threads)"
	exit 0
fi
echo "Java 25 leg: listener and drain tests on $jdk25 with spring.threads.virtual.enabled=true"
# the classes compiled for release 17 above run as they are (surefire:test compiles nothing)
JAVA_HOME="$jdk25" ./mvnw -B -ntp -pl nsq-spring-boot-autoconfigure -am surefire:test \
	-Dtest='io/github/nsqspring/listener/**/*Tests,*Drain*Tests' -Dsurefire.failIfNoSpecifiedTests=false \
	-Dspring.threads.virtual.enabled=true
