#!/usr/bin/env bash
# What a cgroup of the tree's own costs and gives, against --no-cgroup in the same rounds: start-up, the
# teardown of a 300-process tree, and kill -9 of tether with a setsid escapee in its tree that dropped its
# environment (and the marker). Writes
# bench/cgroup.md (also printed). Needs a cgroup tether may make (root, or a delegated subtree); without one it
# says so. Builds tether's image when it is missing.
#   bench/cgroup.sh [RUNS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
[[ -x jlink/target/tether/bin/tether && -d testkit/target/classes ]] || ./mvnw -B -q -DskipTests package
"$JAVA_HOME/bin/java" --class-path testkit/target/classes bench/Cgroup.java jlink/target/tether/bin/tether "${1:-30}" \
  bench/cgroup.md
