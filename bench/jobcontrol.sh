#!/usr/bin/env bash
# Runs the job-control integration tests (JobControlRacesIT: bash, dash and zsh on a pty) RUNS times each
# (default 50) while two busy loops keep both cores of a 2-core machine busy, as CI's neighbours may.
# Builds the image once. Every run of every test must pass: one failure fails the whole run.
#   bench/jobcontrol.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
runs=${1:-50}
busy=()
for _ in 1 2; do
  (while :; do :; done) &
  busy+=($!)
done
trap 'kill "${busy[@]}"' EXIT
./mvnw -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=JobControlRacesIT \
  -Dtether.jobControlRuns="$runs"
