#!/usr/bin/env bash
# Runs procpool: builds the jars first when they are missing or older than the sources, then hands every
# argument to the coordinator jar on a Java 25 or later. Works from any directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
coordinator_jar="$root/coordinator/target/procpool-coordinator.jar"
worker_jar="$root/worker/target/procpool-worker.jar"
required_java=25

# The feature release of a java executable (25 for "25.0.3", 8 for "1.8.0_402"); 0 if unknown. Read from the JDK's
# release file when it has one, which costs nothing; else asked of the JVM.
java_release() {
  local java="$1" home version=""
  home="$(dirname "$(dirname "$(readlink -f "$java")")")"
  if [[ -f "$home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")"
  fi
  if [[ -z "$version" ]]; then
    version="$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  version="${version#1.}"
  version="${version%%[._+-]*}"
  [[ "$version" =~ ^[0-9]+$ ]] && echo "$version" || echo 0
}

# A Java 25+: JAVA_HOME if it is one, else java on the PATH if it is one, else the newest JDK under /usr/lib/jvm.
find_java() {
  local candidate best="" best_release=0 release
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] \
      && (( $(java_release "$JAVA_HOME/bin/java") >= required_java )); then
    echo "$JAVA_HOME/bin/java"; return 0
  fi
  if candidate="$(command -v java 2>/dev/null)" && (( $(java_release "$candidate") >= required_java )); then
    echo "$candidate"; return 0
  fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    release="$(java_release "$candidate")"
    if (( release >= required_java && release > best_release )); then
      best="$candidate"; best_release="$release"
    fi
  done
  [[ -n "$best" ]] && echo "$best"
}

if ! java="$(find_java)" || [[ -z "$java" ]]; then
  echo "procpool: needs Java $required_java or later, and found none (not JAVA_HOME, not java on the PATH, nothing" \
       "under /usr/lib/jvm); install a JDK $required_java, e.g. Temurin 25 from https://adoptium.net" >&2
  exit 1
fi

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
  # Maven leaves a jar whose contents did not change as it was, older than the file that prompted the build: mark
  # both as built now, or they would look stale on every run.
  touch "$worker_jar" "$coordinator_jar"
fi

exec "$java" -jar "$coordinator_jar" "$@"
