# Sourced by ./pond and .ci/run: selects a JDK >= 21 and exports JAVA_HOME.
# Looks at JAVA_HOME, the java on PATH, the JDKs next to it, and the usual install folders;
# never relies on one machine's path alone.

pond_java_major() { # $1 = a java executable; prints its major version
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

pond_find_jdk() {
  local candidates=() dir java_bin
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java_bin=$(command -v java 2>/dev/null); then
    java_bin=$(readlink -f "$java_bin")
    dir=$(dirname "$(dirname "$java_bin")") # .../jdk/bin/java -> .../jdk
    candidates+=("$dir")
    for sibling in "$(dirname "$dir")"/*; do candidates+=("$sibling"); done
  fi
  for root in /usr/lib/jvm /usr/java /opt/java /opt "$HOME/.sdkman/candidates/java" "$HOME/.jdks" /Library/Java/JavaVirtualMachines; do
    [ -d "$root" ] || continue
    for d in "$root"/*; do
      [ -d "$d/Contents/Home" ] && d="$d/Contents/Home"
      candidates+=("$d")
    done
  done
  local best="" best_major=0 major
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ] || continue
    major=$(pond_java_major "$d/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$d"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "Pond needs a JDK 21 or newer (none found in JAVA_HOME, on PATH or in /usr/lib/jvm)." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21) and set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
