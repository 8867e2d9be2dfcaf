#!/usr/bin/env bash
# What `tether --list` (and `--list --all`, which reads every process of this user besides) costs on a
# machine with ten tethers, each serving a port from its own directory,
# next to `tether -- true` in the same run: medians of interleaved runs. Writes bench/list.md (also
# printed). Builds tether's image when it is missing.
#   bench/list.sh [RUNS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
[[ -x jlink/target/tether/bin/tether ]] || ./mvnw -B -q -DskipTests package
tether=$PWD/jlink/target/tether/bin/tether
runs=${1:-30}
work=$(mktemp -d)
trap '"$tether" --stop -q "$work" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

for i in $(seq 1 10); do
  mkdir "$work/wt$i"
  (cd "$work/wt$i" && "$tether" --detach --log server.log -- python3 -c 'import socket,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); open("port","w").write(str(s.getsockname()[1])); time.sleep(3600)')
done
for i in $(seq 1 10); do
  until [[ -s $work/wt$i/port ]]; do sleep 0.05; done
done
listed=$("$tether" --list --json "$work" | grep -c '"pid"')

# Milliseconds of one run of "$@", its output discarded.
ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000 }'; }

: >"$work/list.us"
: >"$work/true.us"
: >"$work/json.us"
: >"$work/all.us"
for _ in $(seq 1 "$runs"); do
  ms "$tether" --list "$work" >>"$work/list.us"
  ms "$tether" --list --json "$work" >>"$work/json.us"
  ms "$tether" --list --all "$work" >>"$work/all.us"
  ms "$tether" --no-watch -- true >>"$work/true.us"
done

{
  echo "# tether --list with ten tethers"
  echo
  echo "\`bench/list.sh $runs\` on $(nproc) cores, $(date -u +%Y-%m-%d): ten detached tethers, each a Python server"
  echo "listening on a port of its own ($listed listed), and $(ls /proc | grep -c '^[0-9]') processes on the machine. Medians of $runs interleaved runs."
  echo
  echo "| run | median ms |"
  echo "| --- | --- |"
  echo "| \`tether -- true\` | $(median <"$work/true.us") |"
  echo "| \`tether --list DIR\` | $(median <"$work/list.us") |"
  echo "| \`tether --list --json DIR\` | $(median <"$work/json.us") |"
  echo "| \`tether --list --all DIR\` | $(median <"$work/all.us") |"
} | tee bench/list.md
