#!/usr/bin/env bash
# The one benchmark run whose figures the README and docs/ quote. Builds the image of the commit checked out,
# then measures, each into its own file under bench/:
#   - tether against tini, dumb-init, coreutils timeout and the JVM floor (bench/Bench.java): one at a time,
#     30 started at once, ten idle at once -> results.md and results.svg;
#   - --list with ten tethers (bench/list.sh) -> list.md;
#   - a teardown's cost under load (bench/teardown.sh) -> teardown.md;
#   - a cgroup of the tree's own against --no-cgroup (bench/cgroup.sh) -> cgroup.md;
# and writes them, with the date, the commit and the machine, between the marker lines in docs/performance.md
# and README.md. Nothing there is typed by hand.
#   bench/run.sh [RUNS]        (default 30; a full run takes about half an hour)
# The JVM floor is a stock JDK 25 running a one-line ProcessBuilder(args).inheritIO().start().waitFor()
# wrapper. Installs tini and dumb-init with apt when they are missing.
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

# The figures are this commit's: its image, built now.
./mvnw -B -q -DskipTests package
commit=$(git rev-parse --short=12 HEAD)
git diff --quiet HEAD -- || commit+="-modified"
day=$(date -u +%Y-%m-%d)
load_before=$(cut -d' ' -f1 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
machine="$(nproc) cores of ${cpu:-an unnamed CPU}, $(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"

floor=bench/target/floor
mkdir -p "$floor"
cat > "$floor/Wrapper.java" <<'JAVA'
public class Wrapper { public static void main(String[] a) throws Exception { System.exit(new ProcessBuilder(a).inheritIO().start().waitFor()); } }
JAVA
"$JAVA_HOME/bin/javac" -d "$floor" "$floor/Wrapper.java"

"$JAVA_HOME/bin/java" --class-path testkit/target/classes bench/Bench.java jlink/target/tether/bin/tether "$floor" "$runs" bench/results
bench/list.sh "$runs"
bench/teardown.sh
bench/cgroup.sh "$runs"
load_after=$(cut -d' ' -f1 /proc/loadavg)

image_mb=$(du -sm jlink/target/tether | cut -f1)
aot_mb=$(du -sm jlink/target/tether/lib/tether.aot | cut -f1)
deb=$(ls jlink/target/tether_*.deb 2>/dev/null | head -n 1)

# tether's row of results.md: | tether | start-up | 30 at once | RSS | PSS | CPU | exit | grandchild | removal |
IFS='|' read -r _ _ startup _ _ pss _ _ _ removal _ < <(grep '^| tether |' bench/results.md)
startup=$(echo $startup) pss=$(echo $pss) removal=$(echo $removal | cut -d' ' -f1)

# Replaces what lies between FILE's line "<!-- bench/run.sh writes from here -->" and its line
# "<!-- end of what bench/run.sh writes -->" with the file NEW.
write_between() {
  local file=$1 new=$2 written
  written=$(mktemp)
  awk -v new="$new" '
    /^<!-- bench\/run.sh writes/ { print; while ((getline line < new) > 0) print line; skipping = 1; next }
    /^<!-- end of what bench\/run.sh writes -->/ { skipping = 0 }
    !skipping { print }' "$file" > "$written"
  if ! grep -q '^<!-- end of what bench/run.sh writes -->' "$written"; then
    echo "bench/run.sh: $file has no markers to write between" >&2
    exit 1
  fi
  cat "$written" > "$file"
  rm "$written"
}

section=$(mktemp)
{
  echo "\`bench/run.sh $runs\` on $day, commit $commit, on $machine; load average $load_before at the start and $load_after at the end."
  echo
  cat bench/results.md
  echo
  echo "\`--list\` with ten tethers:"
  echo
  tail -n +3 bench/list.md
  echo
  echo "A teardown under load:"
  echo
  cat bench/teardown.md
  echo
  echo "A cgroup of the tree's own, against \`--no-cgroup\`:"
  echo
  cat bench/cgroup.md
  echo
  echo "The runtime image is $image_mb MB ($aot_mb MB of it the AOT cache)${deb:+; the .deb is $(du -m "$deb" | cut -f1) MB}."
  echo
  echo "![bench/results.svg](../bench/results.svg)"
} > "$section"
write_between docs/performance.md "$section"

echo "tether starts in $startup ms, ten idle tethers hold $pss MB each, and a tree is dead $removal ms after its worktree is removed (medians of \`bench/run.sh\` on $day, $(nproc) cores, load average $load_before to $load_after; [all figures](docs/performance.md))." > "$section"
write_between README.md "$section"
rm "$section"
echo "bench/run.sh: wrote docs/performance.md and README.md from this run" >&2
