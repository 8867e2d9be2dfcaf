#!/usr/bin/env bash
# Measures tether against tini, dumb-init, coreutils timeout and the JVM floor in one run (one at a time, 30 started at once,
# ten idle at once), and writes
# bench/results.md (the table, also printed) and bench/results.svg (the chart).
#   bench/run.sh [RUNS]        (default 30)
# The JVM floor is a stock JDK 25 running a one-line ProcessBuilder(args).inheritIO().start().waitFor()
# wrapper. Installs tini and dumb-init with apt, and builds tether's image, when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
runs=${1:-30}

missing=()
command -v tini >/dev/null || missing+=(tini)
command -v dumb-init >/dev/null || missing+=(dumb-init)
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
[[ -x jlink/target/tether/bin/tether && -d testkit/target/classes ]] || ./mvnw -B -q -DskipTests package

floor=bench/target/floor
mkdir -p "$floor"
cat > "$floor/Wrapper.java" <<'JAVA'
public class Wrapper { public static void main(String[] a) throws Exception { System.exit(new ProcessBuilder(a).inheritIO().start().waitFor()); } }
JAVA
"$JAVA_HOME/bin/javac" -d "$floor" "$floor/Wrapper.java"

"$JAVA_HOME/bin/java" --class-path testkit/target/classes bench/Bench.java jlink/target/tether/bin/tether "$floor" "$runs" bench/results
