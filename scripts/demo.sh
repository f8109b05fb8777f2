#!/usr/bin/env bash
# Runs the sample application against a real nsqlookupd + nsqd on loopback, publishes a few orders,
# then stops everything it started. Works on a fresh machine: installs NSQ and builds the sample first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-nsq.sh
echo "==> Building the sample application"
./mvnw -q -B -ntp -DskipTests install -pl sample-app -am

work=$(mktemp -d -t nsq-demo-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ping() {
  for _ in $(seq 1 100); do
    curl -fs "http://$1/ping" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "demo: $1 did not answer /ping" >&2; return 1
}

lookupd_tcp=127.0.0.1:$(free_port); lookupd_http=127.0.0.1:$(free_port)
nsqd_tcp=127.0.0.1:$(free_port); nsqd_http=127.0.0.1:$(free_port)
mkdir -p "$work/nsqd"
"$root/.nsq/bin/nsqlookupd" --tcp-address="$lookupd_tcp" --http-address="$lookupd_http" \
  --broadcast-address=127.0.0.1 >"$work/nsqlookupd.log" 2>&1 &
pids+=($!)
"$root/.nsq/bin/nsqd" --tcp-address="$nsqd_tcp" --http-address="$nsqd_http" --broadcast-address=127.0.0.1 \
  --lookupd-tcp-address="$lookupd_tcp" --data-path="$work/nsqd" >"$work/nsqd.log" 2>&1 &
pids+=($!)
wait_ping "$lookupd_http"; wait_ping "$nsqd_http"
echo "==> nsqlookupd on $lookupd_http (HTTP), nsqd on $nsqd_tcp (TCP) / $nsqd_http (HTTP)"

jar=$(ls sample-app/target/sample-app-*.jar | grep -v original | head -1)
echo "==> Starting the sample application ($jar)"
java -jar "$jar" --nsq.nsqd-addresses="$nsqd_tcp" --nsq.lookupd-addresses="$lookupd_http" >"$work/app.log" 2>&1 &
app=$!
pids+=($app)

for i in 1 2 3; do
  curl -fs -d "{\"id\":\"order-$i\",\"amount\":$((i * 10))}" "http://$nsqd_http/pub?topic=orders" >/dev/null
  echo "==> Published order-$i to topic 'orders' over nsqd's HTTP API"
done
sleep 2
echo "==> nsqd now holds: $(curl -fs "http://$nsqd_http/stats?format=json&topic=orders" | python3 -c 'import json,sys; t=json.load(sys.stdin)["topics"]; print(", ".join(f"topic {x["topic_name"]}: {x["message_count"]} published, {[ (c["channel_name"], c["depth"]) for c in x["channels"]]} (channel, depth)" for x in t))')"

echo "==> Stopping the sample application (SIGTERM)"
kill -TERM "$app"
wait "$app" || true
echo "---- application log ----"
cat "$work/app.log"
echo "-------------------------"
echo "==> Demo finished; stopping nsqd and nsqlookupd"
