#!/usr/bin/env bash
# End-to-end order-fulfilment rate of this checkout against a baseline commit, measured in the same run on this
# machine: each jar is built, started on free loopback ports with a fresh data directory (rate limits raised out of
# the way), sent the same signed orders by OrderRate.java, and stopped. Appends the figures to bench/RESULTS.md.
#   bench/order-rate.sh [baseline-ref] [orders] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=${1:-48ada30}
orders=${2:-1000}
concurrency=${3:-16}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; git worktree remove --force "$work/baseline" 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

build() { # <dir> <jar out>
  (cd "$1" && mvn -q package -DskipTests) && cp "$1/target/hookrail.jar" "$2"
}

measure() { # <label> <jar>
  local http mgmt broker data pid result
  http=$(free_port); mgmt=$(free_port); broker=$(free_port); data="$work/data-$1"
  java -Xmx512m -Dcamel.server.host=127.0.0.1 -Dcamel.server.port="$http" -Dcamel.management.port="$mgmt" \
    -Dhookrail.broker.port="$broker" -Dhookrail.data.dir="$data" \
    -Dhookrail.ingest.rateLimit.perSecond=100000 -Dhookrail.ingest.rateLimit.burst=100000 \
    -jar "$2" >"$work/$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$mgmt/observe/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  result=$(java bench/OrderRate.java "http://127.0.0.1:$http" "$orders" "$concurrency")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$result"
}

git worktree add -q --detach "$work/baseline" "$baseline"
build "$work/baseline" "$work/baseline.jar"
build . "$work/current.jar"
base=$(measure baseline "$work/baseline.jar")
current=$(measure current "$work/current.jar")
rate() { sed -E 's/.*"ordersCompletedPerSecond":([0-9.]+).*/\1/' <<<"$1"; }
ratio=$(python3 -c "print(round($(rate "$current") / $(rate "$base"), 2))")

{
  echo
  echo "## Order-fulfilment rate, step journal vs. $baseline ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1);" \
       "command: \`bench/order-rate.sh $baseline $orders $concurrency\`"
  echo
  echo "| build | result |"
  echo "|---|---|"
  echo "| baseline $baseline | \`$base\` |"
  echo "| this checkout ($(git rev-parse --short HEAD)) | \`$current\` |"
  echo
  echo "Orders completed per second, this checkout / baseline: **$ratio**"
} | tee -a bench/RESULTS.md
