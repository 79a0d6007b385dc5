#!/usr/bin/env bash
# Installs the system packages camserver's build and tests need, only those missing, so a
# machine that has them pays nothing. Debian packages; needs root (CI and dev machines are).
set -euo pipefail
need=()
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
# PostgreSQL server binaries for the storage tests (started per test run, never as a service).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# Headless browser for the UI tests.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
# Deployment checks: YAML lint, and the access point's daemons run in test namespaces.
command -v yamllint >/dev/null 2>&1 || need+=(yamllint)
command -v hostapd >/dev/null 2>&1 || need+=(hostapd)
command -v dnsmasq >/dev/null 2>&1 || need+=(dnsmasq)
command -v udhcpc >/dev/null 2>&1 || need+=(udhcpc)
# A private MQTT broker for the integration tests (started per test on a free loopback port).
command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
# RTSP cameras are read by the ffmpeg program (the server needs it too); the tests serve real RTSP
# from GStreamer's RTSP server (Python bindings; h265parse is in plugins-bad).
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
for pkg in gir1.2-gst-rtsp-server-1.0 python3-gst-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# Container image build and smoke test without a Docker daemon: podman with runc, a base made
# with debootstrap, netavark (which needs iptables) and catatonit for pods' pause image.
for pkg in podman buildah runc debootstrap iptables catatonit netavark aardvark-dns curl uidmap; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing ${need[*]}; run as root or: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
# A JDK >= 21: this machine kind ships Temurin 25 under /usr/lib/jvm beside the default 17
# (Debian bookworm itself packages no JDK newer than 17, so there is nothing to apt-get).
. "$(dirname "${BASH_SOURCE[0]}")/java-env.sh"
