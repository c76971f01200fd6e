#!/usr/bin/env bash
# Runs procpool: builds the jars first when they are missing or older than the sources, then hands every
# argument to the coordinator jar. Works from any directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
coordinator_jar="$root/coordinator/target/procpool-coordinator.jar"
worker_jar="$root/worker/target/procpool-worker.jar"

# A jar is stale when it is missing or older than a build file or main source of a module it is made from.
stale() {
  local jar="$1"; shift
  [[ -f "$jar" ]] || return 0
  [[ -n "$(find "$root/pom.xml" "$@" \( -name target -prune \) -o \
      \( -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print \) 2>/dev/null | head -n 1)" ]]
}

if stale "$worker_jar" "$root/common" "$root/worker" || stale "$coordinator_jar" "$root/common" "$root/coordinator"; then
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
