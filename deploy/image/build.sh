#!/usr/bin/env bash
# Builds camserver's container images without a Docker daemon and without pulling from any
# registry: a Debian base from debootstrap (imported into podman), a jlink'd runtime from the
# build JDK, the app from Maven, the models fetched and verified with npm.
#
#   deploy/image/build.sh               -> localhost/camserver:0.1.0, localhost/camserver-wifi-ap:0.1.0 (amd64)
#   deploy/image/build.sh --arch arm64  -> localhost/camserver:0.1.0-arm64 (linux/arm64, built under
#                                          emulation: see arm64.sh), and the manifest list
#                                          localhost/camserver-manifest:0.1.0 holding both camserver images
#   CAMSERVER_IMAGE_TAG=x build.sh      -> another tag
#
# The openpnp OpenCV, ONNX Runtime and SQLite jars carry natives for both architectures.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
arch=amd64
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="${2:-}"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    *) echo "usage: deploy/image/build.sh [--arch amd64|arm64]" >&2; exit 2 ;;
  esac
done
case "$arch" in amd64 | arm64) ;; *) echo "build.sh: --arch must be amd64 or arm64 (was '$arch')" >&2; exit 2 ;; esac
. "$root/.ci/java-env.sh"
. "$here/podman-env.sh"
tag="${CAMSERVER_IMAGE_TAG:-0.1.0}"
work="${CAMSERVER_IMAGE_WORK:-$root/target/image}"
mkdir -p "$work"
modules="java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.desktop,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.httpserver"
stage="$here/stage"

# What the Containerfile copies, but the runtime (each architecture adds its own as stage/jre):
# the application's jars and the models, fetched and verified.
stage_app() {
  rm -rf "$stage"
  mkdir -p "$stage/app"
  (cd "$root" && mvn -q -B -Dstyle.color=never package -DskipTests)
  cp "$root"/target/camserver-*.jar "$stage/app/camserver.jar"
  cp -r "$root/target/lib" "$stage/app/lib"
  "$root/camserver" models --models-dir "$stage/models" >/dev/null
}

if [ "$arch" = arm64 ]; then
  . "$here/arm64.sh"
  arm64_emulation
  base=localhost/camserver-base:trixie-ffmpeg-arm64
  arm64_base "$base"
  stage_app
  arm64_jre "$stage/jre" "$modules"
  podman build --quiet --platform linux/arm64 --build-arg BASE="$base" -t "localhost/camserver:$tag-arm64" -f "$here/Containerfile" "$here" >/dev/null
  rm -rf "$stage"
  # Both architectures under one name: push it to a registry as camserver:$tag and the same
  # manifests run on amd64 and arm64 nodes.
  podman manifest rm "localhost/camserver-manifest:$tag" >/dev/null 2>&1 || true
  podman manifest create "localhost/camserver-manifest:$tag" >/dev/null
  podman image exists "localhost/camserver:$tag" && podman manifest add "localhost/camserver-manifest:$tag" "containers-storage:localhost/camserver:$tag" >/dev/null
  podman manifest add "localhost/camserver-manifest:$tag" "containers-storage:localhost/camserver:$tag-arm64" >/dev/null
  podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "localhost/camserver:$tag-arm64"
  podman manifest inspect "localhost/camserver-manifest:$tag" | grep -E '"architecture"' | tr -d ' ,'
  exit 0
fi

# 1. Base images: Debian bookworm minbase, once (about 40 s), cached as localhost/camserver-base:bookworm
#    (the access point's image is built on it) ...
if ! podman image exists localhost/camserver-base:bookworm; then
  echo "image: debootstrap bookworm (minbase)"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase --include=libgomp1,ca-certificates bookworm "$work/rootfs" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | podman import --change 'CMD ["/bin/sh"]' - localhost/camserver-base:bookworm >/dev/null
  rm -rf "$work/rootfs"
fi
# ... and the same with FFmpeg for camserver (RTSP cameras are read by an ffmpeg child), once
#    (about a minute more), cached as localhost/camserver-base:bookworm-ffmpeg.
base=localhost/camserver-base:bookworm-ffmpeg
if ! podman image exists "$base"; then
  echo "image: debootstrap bookworm (minbase, ffmpeg)"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase --include=libgomp1,ca-certificates,ffmpeg bookworm "$work/rootfs" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  # FFmpeg's package pulls in desktop graphics it never loads: Mesa's drivers and the LLVM they
  # use (about 160 MB; ffmpeg's own library closure has neither), and translations.
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/usr/share/doc/"* \
    "$work/rootfs/usr/share/man/"* "$work/rootfs/usr/share/locale/"* "$work/rootfs/usr/lib/x86_64-linux-gnu/dri" \
    "$work/rootfs/usr/lib/aarch64-linux-gnu/dri" "$work/rootfs/usr/lib/"*-linux-gnu/libLLVM-*.so* "$work/rootfs/usr/lib/"*-linux-gnu/libz3.so*
  chroot "$work/rootfs" /usr/bin/ffmpeg -hide_banner -version >/dev/null \
    || { echo "image: ffmpeg does not start after trimming the base" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | podman import --change 'CMD ["/bin/sh"]' - "$base" >/dev/null
  rm -rf "$work/rootfs"
fi

# 2. Stage: app jars, verified models, a trimmed runtime from the build JDK.
stage_app
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$stage/jre"

# 3. Images.
podman build --quiet --build-arg BASE="$base" -t "localhost/camserver:$tag" -f "$here/Containerfile" "$here" >/dev/null
podman build --quiet -t "localhost/camserver-wifi-ap:$tag" -f "$root/wifi-ap/Containerfile" "$root/wifi-ap" >/dev/null
rm -rf "$stage"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "localhost/camserver(-wifi-ap)?:$tag"
