#!/usr/bin/env bash
# Measures what a teardown costs under load and writes bench/teardown.md (also printed): tether's CPU
# during a long grace with and without several hundred unrelated processes, and 100 worktrees removed at
# once. Builds tether's image when it is missing.
#   bench/teardown.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
[[ -x jlink/target/tether/bin/tether && -d testkit/target/classes ]] || ./mvnw -B -q -DskipTests package
"$JAVA_HOME/bin/java" --class-path testkit/target/classes bench/Teardown.java jlink/target/tether/bin/tether bench/teardown.md
