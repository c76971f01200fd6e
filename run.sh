#!/usr/bin/env bash
# Runs procpool: builds the jars first when they are missing or older than the sources, then hands every
# argument to the coordinator jar. Works from any directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
coordinator_jar="$root/coordinator/target/procpool-coordinator.jar"
worker_jar="$root/worker/target/procpool-worker.jar"

stale() {
  [[ -f "$coordinator_jar" && -f "$worker_jar" ]] || return 0
  local oldest="$coordinator_jar"
  [[ "$worker_jar" -ot "$oldest" ]] && oldest="$worker_jar"
  [[ -n "$(find "$root/pom.xml" "$root/common" "$root/worker" "$root/coordinator" \
      \( -name target -prune \) -o \( -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$oldest" -print \) \
      2>/dev/null | head -n 1)" ]]
}

if stale; then
  echo "procpool: building the jars (mvn package, tests skipped)..." >&2
  log="$(mktemp)"
  if ! (cd "$root" && mvn -B -q -Dmaven.test.skip=true package >"$log" 2>&1); then
    cat "$log" >&2
    rm -f "$log"
    echo "procpool: the build failed; see the Maven output above" >&2
    exit 1
  fi
  rm -f "$log"
fi

exec java -jar "$coordinator_jar" "$@"
