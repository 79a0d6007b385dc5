#!/bin/sh
# Runs the camserver CLI on the bundled runtime. CAMSERVER_JAVA_OPTS adds JVM options
# (the manifests set -XX:MaxRAMPercentage so the heap follows the pod's memory limit).
set -eu
# shellcheck disable=SC2086
exec /opt/java/bin/java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djava.io.tmpdir="${TMPDIR:-/tmp}" \
  ${CAMSERVER_JAVA_OPTS:-} -jar /opt/camserver/app/camserver.jar "$@"
