#!/usr/bin/env bash
# Starts the built image and checks it the way a camera and a viewer would:
#  1. podman run (host network): /healthz, an RTSP camera (GStreamer's server on the host) streaming
#     through the image's ffmpeg, a simulated ESP32 registering with the firmware's bytes, the
#     camera streaming in /api/cameras, JPEG parts on /video_feed;
#  2. podman kube play of the rendered base manifests (plus a Secret): the pod becomes ready.
#  3. identify names a face from a small gallery (the CLI in the image, no network).
# Prints "N passed, N failed". Needs root (podman with runc), the images from build.sh.
#
#   smoke.sh --arch arm64: the same checks but the kube play on localhost/camserver:TAG-arm64 under
#   emulation (build.sh --arch arm64 first); waits are longer there, and it prints "arm64 smoke: ...".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
arch=amd64
[ "${1:-}" = "--arch" ] && arch="${2:-}"
case "$arch" in amd64 | arm64) ;; *) echo "usage: deploy/image/smoke.sh [--arch amd64|arm64]" >&2; exit 2 ;; esac
. "$root/.ci/java-env.sh"
. "$here/podman-env.sh"
tag="${CAMSERVER_IMAGE_TAG:-0.1.0}"
image="localhost/camserver:$tag"
label="smoke"
slow=1
if [ "$arch" = arm64 ]; then
  . "$here/arm64.sh"
  arm64_emulation || exit 1
  image="localhost/camserver:$tag-arm64"
  label="arm64 smoke"
  slow=10 # a JVM and the networks under emulation start in minutes, not seconds
fi
port="${SMOKE_PORT:-15000}"
campass="smoke-admin-password"
passed=0
failed=0
check() {
  if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi
}
cleanup() {
  podman rm -f camserver-smoke >/dev/null 2>&1
  podman volume rm -f camserver-smoke-data >/dev/null 2>&1
  [ -n "${sim:-}" ] && kill "$sim" 2>/dev/null
  [ -n "${rtspd:-}" ] && kill "$rtspd" 2>/dev/null
  podman kube down "$work/kube.yaml" >/dev/null 2>&1
  podman volume rm -f camserver-data >/dev/null 2>&1
}
trap cleanup EXIT
work="$(mktemp -d)"
chmod 755 "$work" # the image's user (10001) reads the photos and the gallery mounted from here
podman image exists "$image" || "$here/build.sh" --arch "$arch"

# ---- 1. the image, run directly ----
# An RTSP camera on the host's loopback: H.264 made here with ffmpeg, served by GStreamer's RTSP server.
mkdir -p "$work/images"
cp "$root/../shared/faces/people/amy/"*.png "$work/images/" 2>/dev/null || cp "$root"/src/test/resources/*.png "$work/images/" 2>/dev/null
ffmpeg -nostdin -v error -framerate 1 -loop 1 -pattern_type glob -i "$work/images/*.png" \
  -vf "scale=-2:300,pad=640:360:(ow-iw)/2:(oh-ih)/2,format=yuv420p,fps=10" -c:v libx264 -g 10 -t 120 "$work/porch.mp4"
/usr/bin/python3 "$root/src/main/resources/rtsp-server.py" 0 "live=$work/porch.mp4" > "$work/rtsp.log" 2>&1 &
rtspd=$!
for _ in $(seq 1 50); do grep -q READY "$work/rtsp.log" && break; sleep 0.2; done
rport="$(awk '/READY/{print $2}' "$work/rtsp.log")"
podman rm -f camserver-smoke >/dev/null 2>&1
podman volume rm -f camserver-smoke-data >/dev/null 2>&1
podman run -d --name camserver-smoke --network host -e CAMSERVER_ADMIN_PASSWORD="$campass" -e CAMSERVER_MDNS_ENABLED=false \
  -e CAMSERVER_SERVER_PORT="$port" -e CAMSERVER_SERVER_HOST=127.0.0.1 -e CAMSERVER_CAMERAS="porch=rtsp://127.0.0.1:${rport:-1}/live" \
  --read-only --tmpfs /tmp -v camserver-smoke-data:/var/lib/camserver "$image" serve >/dev/null
ready=no
for _ in $(seq 1 $((120 * slow))); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=yes; break; fi
  sleep 1
done
check "container becomes ready (/readyz)" '[ "$ready" = yes ] || { podman logs camserver-smoke 2>&1 | tail -20; false; }'
check "/healthz answers ok" '[ "$(curl -fsS http://127.0.0.1:$port/healthz)" = ok ]'
check "runs as a non-root user" '[ "$(podman exec camserver-smoke id -u)" = 10001 ]'
rtsp_streaming=no
for _ in $(seq 1 $((30 * slow))); do
  if curl -fsS -u "admin:$campass" "http://127.0.0.1:$port/api/cameras/porch" | grep -q '"state":"streaming"'; then rtsp_streaming=yes; break; fi
  sleep 1
done
check "an RTSP camera (H.264, read by the image's ffmpeg) streams" '[ "$rtsp_streaming" = yes ] || { curl -s -u "admin:$campass" "http://127.0.0.1:$port/api/cameras/porch"; echo; false; }'
kill "$rtspd" 2>/dev/null; rtspd=
"$root/camserver" simulate-camera --images "$work/images" --port 0 --fps 5 --register "http://127.0.0.1:$port" > "$work/sim.log" 2>&1 &
sim=$!
streaming=no
for _ in $(seq 1 $((30 * slow))); do
  if curl -fsS -u "admin:$campass" "http://127.0.0.1:$port/api/cameras" | grep -q '"state":"streaming"'; then streaming=yes; break; fi
  sleep 1
done
check "a simulated camera registers (/register) and streams" '[ "$streaming" = yes ]'
check "the live view needs a login by default" '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$port/api/cameras")" = 401 ]'
curl -s --max-time $((4 * slow)) -u "admin:$campass" "http://127.0.0.1:$port/video_feed" -o "$work/feed.bin"
check "/video_feed yields JPEG parts" 'grep -aq "Content-Type: image/jpeg" "$work/feed.bin" && [ "$(head -c 7 "$work/feed.bin")" = "--frame" ]'
podman rm -f camserver-smoke >/dev/null
kill "$sim" 2>/dev/null; sim=

# ---- identify in the image: two photos each of three people enrolled, a third photo of one named ----
mkdir -p "$work/gallery" "$work/probe"
for p in amy penny raj; do
  mkdir -p "$work/gallery/$p"
  cp "$root/../shared/faces/people/$p/${p}1.png" "$root/../shared/faces/people/$p/${p}2.png" "$work/gallery/$p/"
done
cp "$root/../shared/faces/people/penny/penny4.png" "$work/probe/"
chmod -R a+rX "$work/gallery" "$work/probe"
podman run --rm --network none -v "$work/gallery:/gallery:ro" -v "$work/probe:/probe:ro" "$image" \
  identify --gallery /gallery /probe/penny4.png > "$work/identify.json" 2> "$work/identify.err"
check "identify names a face from a gallery" 'grep -q "\"name\":\"penny\"" "$work/identify.json" || { cat "$work/identify.json"; tail -5 "$work/identify.err"; false; }'
if [ "$arch" = arm64 ]; then
  echo "$label: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
fi

# ---- 2. podman kube play of the rendered manifests ----
{
  cat <<SECRET
apiVersion: v1
kind: Secret
metadata:
  name: camserver-admin
data:
  admin-password: $(printf '%s' "$campass" | base64)
---
SECRET
  kubectl kustomize "$root/deploy/base"
} > "$work/kube.yaml"
podman volume rm -f camserver-data >/dev/null 2>&1
(cd "$work" && podman kube play --build=false --replace "$work/kube.yaml") >"$work/play.log" 2>&1
played=$?
check "podman kube play accepts the rendered Deployment" '[ $played -eq 0 ] || { grep -v "level=warning" "$work/play.log" | head -20; false; }'
pod_ready=no
cid=
for i in $(seq 1 90); do
  cid="$(podman ps --format '{{.Names}}' | grep -E 'camserver.*camserver$' | head -1)"
  if [ -z "$cid" ] && [ "$i" -gt 10 ]; then break; fi
  if [ -n "$cid" ]; then
    ip="$(podman inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$cid" 2>/dev/null)"
    if [ -n "$ip" ] && curl -fsS "http://$ip:5000/readyz" >/dev/null 2>&1; then pod_ready=yes; break; fi
  fi
  sleep 2
done
check "the kube-played pod becomes ready" '[ "$pod_ready" = yes ] || { podman ps -a; podman logs "$cid" 2>&1 | tail -20; false; }'
podman kube down "$work/kube.yaml" >/dev/null 2>&1
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
