#!/usr/bin/env bash
# Hookrail's bench, one command (issue 11): builds the jar, measures Hookrail's ingest and its order-fulfilment flow
# and, in the same run and at the same concurrency, three baselines: (a) Camel platform-http answering 202, (b) the
# naive platform-http -> persistent to(jms) -> 202 route on Hookrail's embedded broker, (c) that broker's own
# synchronous persistent send. Appends a dated section to bench/RESULTS.md and writes bench/results-<date>.png.
# Loopback only, free ports, fresh data directories, every point bounded in count and time; everything it starts is
# stopped on exit. Not part of mvn test. See bench/README.md.
#
#   bench/run.sh
# Knobs (environment): BENCH_SECONDS (per point, 8), BENCH_CONNECTIONS (8,16,32,64,128), BENCH_ORDERS (384),
# BENCH_DRAIN_SECONDS (90), HOOKRAIL_JAVA_OPTS (JVM options of Hookrail, default none), BENCH_KEEP=1 keeps the
# work directory (logs, data).
set -euo pipefail
cd "$(dirname "$0")/.."
run_start=$(date +%s)
command_line="bench/run.sh${*:+ $*}"
point_seconds=${BENCH_SECONDS:-8}
connections=${BENCH_CONNECTIONS:-8,16,32,64,128}
orders=${BENCH_ORDERS:-384}
drain_seconds=${BENCH_DRAIN_SECONDS:-90}
hookrail_java_opts=${HOOKRAIL_JAVA_OPTS:-}
rate_connections=64

work=$(mktemp -d /tmp/hookrail-bench.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }
meta() { echo "$1=$2" >>"$work/meta.properties"; }
results="$work/results.jsonl"
: >"$results"

# ---- build --------------------------------------------------------------------------------------------------------
log "building target/hookrail.jar"
if ! mvn -q -o package -DskipTests >"$work/build.log" 2>&1; then
  log "offline build failed (artifacts not in the local repository yet?): building online once"
  mvn -q package -DskipTests >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
fi
jar=target/hookrail.jar
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$jar" bench/Load.java bench/EndToEnd.java bench/Baselines.java bench/Report.java \
  2> >(grep -v '^Note:' >&2)
cp="$work/classes:$jar"
report() { java -cp "$cp" Report "$@"; }

# ---- machine and versions -----------------------------------------------------------------------------------------
date_utc=$(date -u +%Y-%m-%dT%H%M)
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)')"
meta cores "$(nproc)"
meta ram "$(free -g | awk '/Mem:/{print $2}') GiB"
meta jdk "$(java -version 2>&1 | head -1 | tr -d '"')"
meta camel "$(sed -n 's:.*<camel.version>\(.*\)</camel.version>.*:\1:p' pom.xml)"
meta activemq "$(sed -n 's:.*<activemq.version>\(.*\)</activemq.version>.*:\1:p' pom.xml)"
meta command "$command_line"
meta loadavg "$(cut -d" " -f1-3 /proc/loadavg)"
meta pointSeconds "$point_seconds"
meta hookrailJavaOpts "${hookrail_java_opts:-none (JVM defaults)}"

# ---- helpers ------------------------------------------------------------------------------------------------------
# rss_sampler <pid> <file>: the highest VmRSS (kB) seen while the pid lives, every 0.5 s
rss_sampler() {
  ( max=0
    while [ -r "/proc/$1/status" ]; do
      rss=$(awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$max" ] && max=$rss && echo "$max" >"$2"
      sleep 0.5
    done ) &
  pids+=($!)
}
hwm() { awk '/VmHWM/{print $2}' "/proc/$1/status"; }

# wait_http <url> <seconds>: until the URL answers 200
wait_http() {
  local deadline=$(( $(date +%s) + $2 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "FAIL: $1 not 200 within $2 s"; return 1; }
    sleep 0.05
  done
}

stop() { # <pid>: SIGTERM, wait for it
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

load() { java -Xmx2g -cp "$cp" Load --out "$results" "$@" >&2; }

# start_hookrail <name> <extra -D...>: sets hookrail_pid, http, mgmt, broker_port, ready_ms
start_hookrail() {
  local name=$1; shift
  http=$(free_port); mgmt=$(free_port); broker_port=$(free_port)
  local t0; t0=$(now_ms)
  # shellcheck disable=SC2086
  java $hookrail_java_opts -Dcamel.server.host=127.0.0.1 -Dcamel.server.port="$http" \
    -Dcamel.management.host=127.0.0.1 -Dcamel.management.port="$mgmt" \
    -Dhookrail.broker.port="$broker_port" -Dhookrail.data.dir="$work/data-$name" \
    -Dhookrail.ingest.rateLimit.perSecond=1000000 -Dhookrail.ingest.rateLimit.burst=1000000 \
    -Dhookrail.ingest.clientRateLimit.perSecond=1000000 -Dhookrail.ingest.clientRateLimit.burst=1000000 \
    "$@" -jar "$jar" >"$work/$name.log" 2>&1 &
  hookrail_pid=$!
  pids+=("$hookrail_pid")
  wait_http "http://127.0.0.1:$mgmt/observe/health/ready" 120 || { tail -50 "$work/$name.log"; exit 1; }
  ready_ms=$(( $(now_ms) - t0 ))
  log "$name ready after $ready_ms ms: $(grep -o 'Apache Camel [^ ]* ([^)]*) started in .*' "$work/$name.log" | head -1)"
}

# start_baseline <name> <args...>: sets baseline_pid, ready_ms
start_baseline() {
  local name=$1; shift
  local t0; t0=$(now_ms)
  java -cp "$cp" Baselines "$@" >"$work/$name.log" 2>&1 &
  baseline_pid=$!
  pids+=("$baseline_pid")
  local deadline=$(( $(date +%s) + 60 ))
  until grep -q '^ready$' "$work/$name.log"; do
    kill -0 "$baseline_pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ] || { tail -30 "$work/$name.log"; exit 1; }
    sleep 0.05
  done
  ready_ms=$(( $(now_ms) - t0 ))
}

# sweep <system> <url>: warm-up, the connections sweep, then a fixed-rate run at half the sweep's maximum
sweep() {
  local system=$1 url=$2 max
  log "$system: connections sweep $connections, $point_seconds s each"
  load --url "$url" --system "$system" --scenario ingest --connections "$connections" --seconds "$point_seconds" \
    --warmup-seconds 5 --max-requests 250000
  max=$(report max "$results" "$system")
  log "$system: max $max accepted/s; fixed rate $(( max / 2 ))/s at C=$rate_connections"
  load --url "$url" --system "$system" --scenario ingest --connections "$rate_connections" \
    --seconds "$point_seconds" --rate "$(( max / 2 > 0 ? max / 2 : 1 ))" --max-requests 250000
}

jolokia_read() { # <mbean> <attribute>
  curl -s -X POST -H 'Origin: http://127.0.0.1:8090' -H 'Content-Type: application/json' \
    "http://127.0.0.1:$mgmt/observe/jolokia" -d "{\"type\":\"read\",\"mbean\":\"$1\",\"attribute\":\"$2\"}" \
    | sed -n 's/.*"value":\([0-9]*\).*/\1/p'
}

# ---- 1. Hookrail, ingest only -------------------------------------------------------------------------------------
# The flows are loaded (their queues exist, so the gateway opens) but their consumers are not started: Camel Main's
# autoStartupExcludePattern matches the flow-entry routes' endpoints, and their route/consumer health checks are
# excluded from readiness (a stopped route is otherwise DOWN).
flow_checks=""
for flow in order-fulfilment invoice-paid lead-qualified refund; do
  flow_checks="$flow_checks${flow_checks:+,}route:$flow,consumer:$flow"
done
log "Hookrail, ingest only (flow consumers not started)"
start_hookrail ingest "-Dcamel.main.autoStartupExcludePattern=jms://queue:Consumer.*" \
  "-Dcamel.health.excludePattern=$flow_checks"
meta hookrailReadyMillis "$ready_ms"
meta hookrailStartedIn "$(grep -o 'started in [^ ]* ([^)]*)' "$work/ingest.log" | head -1)"
rss_sampler "$hookrail_pid" "$work/ingest.rss"
url="http://127.0.0.1:$http/webhooks/shop"
sweep hookrail "$url"
log "hookrail: 50 % duplicates, then 1 % forged, C=$rate_connections"
load --url "$url" --system hookrail --scenario duplicates --duplicates 0.5 --connections "$rate_connections" \
  --seconds "$point_seconds" --max-requests 250000
load --url "$url" --system hookrail --scenario forged --forged 0.01 --connections "$rate_connections" \
  --seconds "$point_seconds" --max-requests 250000
meta hookrailHwm "$(hwm "$hookrail_pid")"
meta hookrailRss "$(cat "$work/ingest.rss" 2>/dev/null || echo)"
# zero loss: every 202 of this instance is a message on order-fulfilment's queue (nothing consumes it)
accepted=$(report accepted "$results" hookrail)
on_queue=$(jolokia_read "org.apache.activemq:type=Broker,brokerName=hookrail-$broker_port,destinationType=Queue,destinationName=Consumer.order-fulfilment.VirtualTopic.order.placed" QueueSize)
meta hookrailAccepted "$accepted"
meta hookrailOnQueue "${on_queue:-unreadable}"
if [ "$accepted" = "$on_queue" ]; then meta hookrailZeroLoss ok; else
  meta hookrailZeroLoss FAIL; log "FAIL FAIL FAIL: Hookrail answered 202 to $accepted deliveries, the queue holds ${on_queue:-?}"; fi
stop "$hookrail_pid"

# ---- 2. Hookrail, end to end with the flows running ---------------------------------------------------------------
log "Hookrail, end-to-end order-fulfilment: $orders orders, C=$rate_connections"
start_hookrail e2e
meta e2eReadyMillis "$ready_ms"
meta e2eStartedIn "$(grep -o 'started in [^ ]* ([^)]*)' "$work/e2e.log" | head -1)"
rss_sampler "$hookrail_pid" "$work/e2e.rss"
java -cp "$cp" EndToEnd --base "http://127.0.0.1:$http" --management "http://127.0.0.1:$mgmt" --orders "$orders" \
  --connections "$rate_connections" --seconds 60 --drain-seconds "$drain_seconds" --out "$results" >&2
meta e2eHwm "$(hwm "$hookrail_pid")"
meta e2eRss "$(cat "$work/e2e.rss" 2>/dev/null || echo)"
stop "$hookrail_pid"

# ---- 3. baselines -------------------------------------------------------------------------------------------------
log "baseline (a): platform-http answering 202"
port=$(free_port)
start_baseline a http-202 "$port"
meta aReadyMillis "$ready_ms"
sweep a "http://127.0.0.1:$port/webhooks/shop"
meta aHwm "$(hwm "$baseline_pid")"
stop "$baseline_pid"

log "baseline (b): platform-http -> persistent to(jms) -> 202, embedded broker"
port=$(free_port)
start_baseline b http-jms "$port" "$work/data-b" "$(free_port)"
meta bReadyMillis "$ready_ms"
sweep b "http://127.0.0.1:$port/webhooks/shop"
meta bHwm "$(hwm "$baseline_pid")"
accepted=$(report accepted "$results" b)
on_queue=$(curl -s "http://127.0.0.1:$port/bench/queue-size")
meta bAccepted "$accepted"
meta bOnQueue "$on_queue"
if [ "$accepted" = "$on_queue" ]; then meta bZeroLoss ok; else meta bZeroLoss FAIL; log "FAIL: (b) $accepted 202s, $on_queue on the queue"; fi
stop "$baseline_pid"

log "baseline (c): the broker's own synchronous persistent send, no HTTP"
java -cp "$cp" Baselines jms-send "$work/data-c" "$(free_port)" "$connections" "$point_seconds" 250000 "$results" \
  >"$work/c.log" 2>&1 &
baseline_pid=$!
pids+=("$baseline_pid")
rss_sampler "$baseline_pid" "$work/c.rss"
wait "$baseline_pid" || { tail -30 "$work/c.log"; exit 1; }
meta cRss "$(cat "$work/c.rss" 2>/dev/null || echo)"

# ---- report -------------------------------------------------------------------------------------------------------
meta runSeconds "$(( $(date +%s) - run_start ))"
png="bench/results-$date_utc.png"
report write "$results" "$work/meta.properties" bench/RESULTS.md "$png"
cp "$results" "bench/results-$date_utc.jsonl"
log "done in $(( $(date +%s) - run_start )) s: bench/RESULTS.md, $png, bench/results-$date_utc.jsonl"
