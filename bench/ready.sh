#!/usr/bin/env bash
# --ready's costs, from outside, as a hook sees them; writes bench/ready.md's "Measured" numbers to stdout.
#   bench/ready.sh [RUNS] [BASE_IMAGE]
# RUNS (default 20) runs of each timing. BASE_IMAGE, an image built without --ready, adds the idle comparison
# (classes a tether without --ready loads, and the mean PSS of ten idle tethers of each image).
# Needs python3 (the servers) and Linux (/proc).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
base=${2:-}
image=$(readlink -f jlink/target/tether)
tether=$image/bin/tether
work=$(mktemp -d)
trap 'for p in $(pgrep -f "$work" || true); do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
maximum() { sort -n | tail -1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A server that listens after $2 seconds and writes, right after listen(), the time it did (ns) to $3.
cat > "$work/later.py" <<'EOF'
import socket, sys, time
time.sleep(float(sys.argv[2]))
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
open(sys.argv[3], "w").write(str(time.time_ns()))
while True:
    c, _ = s.accept(); c.recv(4096); c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"); c.close()
EOF

# 1. Listening -> the hook's tether returned, for each condition that a listening server meets.
for condition in port "port:P" "http://127.0.0.1:P/"; do
  latencies=()
  for ((i = 0; i < runs; i++)); do
    dir=$work/wt-$i; mkdir -p "$dir"; port=$(free_port)
    (cd "$dir" && exec "$tether" -q --detach --ready "${condition//P/$port}" -- \
      python3 "$work/later.py" "$port" 0.5 "$work/listened" </dev/null) || { echo "--ready $condition failed" >&2; exit 1; }
    returned=$(now)
    latencies+=($(( (returned - $(cat "$work/listened")) / 1000 )))
    rm -rf "$dir" "$work/listened"
  done
  echo "listening -> returned, --ready ${condition}: median $(printf '%s\n' "${latencies[@]}" | median) us," \
    "max $(printf '%s\n' "${latencies[@]}" | maximum) us ($runs runs)"
done

# 2. The timeout: COMMAND's start -> the hook's tether returned 124, the tree gone, for --ready-timeout 1s.
overshoots=()
for ((i = 0; i < runs; i++)); do
  dir=$work/to-$i; mkdir -p "$dir"; port=$(free_port)
  (cd "$dir" && "$tether" -q --detach --ready "port:$port" --ready-timeout 1s -- \
    sh -c "date +%s%N > $work/started; exec sleep 600" </dev/null 2>/dev/null) || status=$?
  returned=$(now)
  [[ ${status:-0} == 124 ]] || { echo "status ${status:-0}, not 124" >&2; exit 1; }
  overshoots+=($(( (returned - $(cat "$work/started")) / 1000 - 1000000 )))
  unset status; rm -rf "$dir"
done
echo "COMMAND started -> 124 returned, beyond the 1 s timeout: median $(printf '%s\n' "${overshoots[@]}" | median) us," \
  "max $(printf '%s\n' "${overshoots[@]}" | maximum) us ($runs runs)"

# 3. What waiting costs: CPU of a tether waiting on --ready port for a tree that never listens, over 10 s from 1 s
#    after its start, by thread (the kernel's run time, /proc/PID/task/TID/schedstat), against one without.
cpu_of() { # PID SECONDS -> "total_ns ready_thread_ns"
  local pid=$1 t total=0 ready=0; declare -A before
  for t in /proc/$pid/task/*; do before[$t]=$(cut -d' ' -f1 "$t/schedstat"); done
  sleep "$2"
  for t in /proc/$pid/task/*; do
    local d=$(( $(cut -d' ' -f1 "$t/schedstat") - ${before[$t]:-0} ))
    total=$((total + d)); [[ $(cat "$t/comm") == tether-ready ]] && ready=$((ready + d))
  done
  echo "$total $ready"
}
for options in "" "--ready port:1 --ready-timeout 1m"; do
  dir=$work/cpu; mkdir -p "$dir"
  (cd "$dir" && exec setsid "$tether" $options -- sleep 600) & pid=$!
  sleep 1
  read -r total ready < <(cpu_of "$pid" 10)
  echo "waiting, 10 s, ${options:-without --ready}: $(awk "BEGIN {printf \"%.3f\", $total / 1e7 / 10}") % of a core," \
    "tether-ready thread $(awk "BEGIN {printf \"%.3f\", $ready / 1e7 / 10}") %"
  kill -TERM "$pid"; wait "$pid" || true; rm -rf "$dir"
done

# 4. Without --ready nothing new: the classes an idle supervised run loads, and ten idle tethers' mean PSS after 5 s.
[[ -n $base ]] || exit 0
classes() { # IMAGE -> classes loaded by a watched run whose worktree is removed, as the AOT training runs
  local d; d=$(mktemp -d "$work/cls.XXXX"); mkdir "$d/worktree"
  (cd "$d" && "$1/bin/java" -XX:AOTCache="$1/lib/tether.aot" -Xlog:class+load:file="$d/log" -m tether.cli/tether.cli.Main \
    --poll 10ms --watch "$d/worktree" -- sh -c 'sleep 30 & sleep 0.5; rmdir worktree; wait')
  grep 'source:' "$d/log" | grep -o '\] [^ ]*' | awk '{print $2}' | grep -c '^tether\.'
}
pss() { # IMAGE -> mean PSS (MB) of ten idle tethers, 5 s after the last started
  local pids=() i total=0
  for ((i = 0; i < 10; i++)); do mkdir -p "$work/pss-$i"; (cd "$work/pss-$i" && exec setsid "$1/bin/tether" -- sleep 600) & pids+=($!); done
  sleep 5
  for i in "${pids[@]}"; do total=$((total + $(awk '/^Pss:/ {print $2}' /proc/$i/smaps_rollup))); done
  kill -TERM "${pids[@]}"; wait "${pids[@]}" || true; rm -rf "$work"/pss-*
  awk "BEGIN {printf \"%.2f\", $total / 10 / 1024}"
}
base=$(readlink -f "$base")
echo "tether classes an idle run loads: $(classes "$base") before, $(classes "$image") with --ready in the image"
for round in 1 2 3; do
  echo "ten idle tethers, mean PSS, round $round: before $(pss "$base") MB, with --ready in the image $(pss "$image") MB"
done
