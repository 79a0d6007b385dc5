# Sourced by ./camserver and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if new enough, `java` on PATH if new enough, then JDKs under /usr/lib/jvm
# (Debian and Temurin packages install there) and ~/.sdkman, newest first.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
java_ok() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v="$(java_major "$1")"
  [ -n "$v" ] && [ "$v" -ge 21 ]
}
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && java_ok "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    local j; j="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    if java_ok "$j"; then echo "$j"; return 0; fi
  fi
  local c best="" bestv=0 v
  for c in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/* /opt/jdk*; do
    [ -d "$c" ] || continue
    java_ok "$c" || continue
    v="$(java_major "$c")"
    if [ "$v" -gt "$bestv" ]; then best="$c"; bestv="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}
JAVA_HOME="$(find_jdk || true)"
if [ -z "$JAVA_HOME" ]; then
  echo "camserver: no JDK >= 21 found (looked at \$JAVA_HOME, PATH, /usr/lib/jvm, ~/.sdkman)." >&2
  echo "camserver: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+ JDK, or set JAVA_HOME." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's bundled Guava calls sun.misc.Unsafe, which JDK 23+ warns about on every build.
if [ "$(java_major "$JAVA_HOME")" -ge 23 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
