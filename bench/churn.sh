#!/usr/bin/env bash
# Measures tether's CPU while its command double-forks as fast as it can, so that every grandchild is
# orphaned to tether, tether's subreaper, and exits at once: the cost of reaping, per SIGCHLD, and writes
# bench/churn.md (also printed). Builds tether's image when it is missing; compares with other images given
# as arguments, each LABEL=LAUNCHER (their bin/tether), such as one built from an earlier commit, which the
# table names by LABEL.
#   bench/churn.sh [LABEL=OTHER_LAUNCHER...]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
[[ -x jlink/target/tether/bin/tether ]] || ./mvnw -B -q -DskipTests package
seconds=10
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/churn.c" <<'C'
/* Double-forks for argv[1] seconds: the grandchild, orphaned, exits at once; the middle child is reaped
   here. Writes how many grandchildren it made to argv[2]. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    double end = now() + atof(argv[1]);
    unsigned long orphans = 0;
    while (now() < end) {
        pid_t middle = fork();
        if (middle == 0) {
            _exit(fork() >= 0 ? 0 : 1);
        }
        if (middle > 0) {
            int status;
            waitpid(middle, &status, 0);
            orphans += WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
    }
    FILE *out = fopen(argv[2], "w");
    fprintf(out, "%lu\n", orphans);
    fclose(out);
    return 0;
}
C
"${CC:-cc}" -O2 -o "$work/churn" "$work/churn.c"
ticks=$(getconf CLK_TCK)

# CPU ticks (user + system, every thread) of a process, from /proc/PID/stat after the command name.
cpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

measure() {
  local label=$1 launcher=$2
  rm -f "$work/count"
  setsid "$launcher" --no-watch -- "$work/churn" $((seconds + 3)) "$work/count" &
  local pid=$!
  sleep 2
  local before after
  before=$(cpu "$pid")
  sleep "$seconds"
  after=$(cpu "$pid")
  wait "$pid" || true
  local orphans
  orphans=$(cat "$work/count")
  awk -v used=$((after - before)) -v ticks="$ticks" -v s="$seconds" -v n="$orphans" -v t=$((seconds + 3)) -v l="$label" \
    'BEGIN { printf "| %s | %d | %.1f |\n", l, n / t, 100 * used / ticks / s }'
}

{
  echo "| tether | orphans reaped per second | tether's CPU (% of a core) |"
  echo "| --- | ---: | ---: |"
  measure "this tree ($(git rev-parse --short HEAD))" jlink/target/tether/bin/tether
  for other in "$@"; do
    measure "${other%%=*}" "${other#*=}"
  done
} | tee bench/churn.md
