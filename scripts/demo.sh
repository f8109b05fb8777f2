#!/usr/bin/env bash
# Runs the sample application against a real nsqlookupd + nsqd on loopback: publishes orders, shows them
# consumed by three listeners, then stops the application with SIGTERM while it is busy and shows the
# drain. Works on a fresh machine (installs NSQ and builds the sample first) and stops all it started.
set -euo pipefail
trap 'echo "demo: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-nsq.sh
echo "==> Building the sample application (./mvnw install -pl sample-app -am)"
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
wait_for() { # command, what
  for _ in $(seq 1 300); do
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "demo: timed out waiting for $2" >&2; return 1
}
channel_stats() { # one line per channel of topic 'orders', from nsqd's /stats
  curl -fs "http://$nsqd_http/stats?format=json&topic=orders" | python3 -c "$stats_py"
}
stats_py='
import json, sys
for topic in json.load(sys.stdin)["topics"]:
    for c in topic["channels"]:
        print("    %-9s waiting %2d, in flight %d, requeued %2d, timed out %d" % (c["channel_name"], c["depth"],
              c["in_flight_count"], c["requeue_count"], c["timeout_count"]))
'
order() { # id customer amount
  printf '{"id":"%s","customer":"%s","amount":%s}' "$1" "$2" "$3"
}
post() { # path json: POST to the sample application's REST API
  curl -fs -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$app_port$1"; echo
}
show_log() { # lines of the application log from line $1 on, without Spring's banner noise
  sed -n "$1,\$p" "$work/app.log" | grep -E '^[0-9]{2}:[0-9]{2}' \
    | grep -E "OrderListeners|NsqListener|LoggingDeadLetter|Started SampleApplication" | cut -c1-190 || true
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
wait_for "curl -fs http://$lookupd_http/ping" nsqlookupd
wait_for "curl -fs http://$nsqd_http/ping" nsqd
echo "==> nsqlookupd on $lookupd_http (HTTP), nsqd on $nsqd_tcp (TCP) and $nsqd_http (HTTP)"

curl -fs -X POST "http://$nsqd_http/topic/create?topic=orders" >/dev/null
for channel in billing shipping audit; do
  curl -fs -X POST "http://$nsqd_http/channel/create?topic=orders&channel=$channel" >/dev/null
done
curl -fs -X POST "http://$nsqd_http/topic/create?topic=shipments" >/dev/null
curl -fs -X POST "http://$nsqd_http/channel/create?topic=shipments&channel=tracking" >/dev/null
wait_for "curl -fs 'http://$lookupd_http/lookup?topic=orders'" "nsqlookupd to learn topic 'orders'"

jar=$(ls sample-app/target/sample-app-*.jar | grep -v original | head -1)
echo "==> Starting the sample application: java -jar $jar"
app_port=$(free_port)
java -jar "$jar" --server.port="$app_port" --nsq.nsqd-addresses="$nsqd_tcp" --nsq.nsqd-http-addresses="$nsqd_http" \
  --nsq.lookupd-addresses="$lookupd_http" >"$work/app.log" 2>&1 &
app=$!
pids+=($app)
wait_for "grep -q 'Started SampleApplication' $work/app.log" "the application to start"
show_log 1

echo
echo "==> Placing orders through the sample's REST API, which publishes them with NsqTemplate"
mark=$(($(wc -l <"$work/app.log") + 1))
echo "    POST /orders (PUB):                $(post /orders "$(order order-1 alice 120)")"
echo "    POST /orders (PUB):                $(post /orders "$(order order-2 bob 75)")"
echo "    POST /orders/batch (MPUB):         $(post /orders/batch "[$(order order-3 carol 310),$(order order-4 mallory 50000),$(order order-5 dave 42)]")"
echo "    POST /orders/deferred?delay=2s (DPUB): $(post '/orders/deferred?delay=2s' "$(order order-6 erin 18)")"
echo "    (order-4 has a suspicious amount: audit rejects it, retries once, then dead-letters it to 'orders.dead')"
wait_for "[ \$(channel_stats | awk '{s+=\$3+\$6} END {print s}') -eq 0 ] && [ \$(grep -c 'billing   order' $work/app.log) -ge 6 ]" \
  "the orders to be consumed"
wait_for "grep -q 'dead letter for ops' $work/app.log" "the dead letter to reach the ops listener"
sleep 1
show_log "$mark"
echo "==> nsqd's own numbers for the channels of 'orders' (/stats):"
channel_stats
echo "==> GET /actuator/health -> nsq: $(curl -fs "http://127.0.0.1:$app_port/actuator/health" | python3 -c 'import json,sys; h=json.load(sys.stdin)["components"]["nsq"]; print(h["status"], {k: v["state"] + "/" + str(v["connections"]) + " conn" for k, v in h["details"]["listeners"].items()})')"

echo
echo "==> Publishing 12 more orders in one batch, then SIGTERM to the application while billing is busy"
mark=$(($(wc -l <"$work/app.log") + 1))
batch=$(for i in $(seq 7 18); do order "order-$i" frank $((i * 10)); echo; done | paste -sd, -)
echo "    POST /orders/batch (MPUB):         $(post /orders/batch "[$batch]")"
sleep 1
start_ns=$(date +%s%N)
kill -TERM "$app"
rc=0
wait "$app" || rc=$?
stop_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
show_log "$mark"
echo "==> The application exited $stop_ms ms after SIGTERM (exit code $rc = 128 + SIGTERM, after Spring's graceful shutdown). nsqd now reports:"
channel_stats
echo "    Nothing is in flight or timed out: the orders not handled yet wait on nsqd for the next start."
echo "==> Demo finished; stopping nsqd and nsqlookupd"
