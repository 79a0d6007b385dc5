#!/bin/sh
# Wi-Fi access point for the cameras: renders hostapd.conf and dnsmasq.conf from the environment
# (the demo's values as defaults, except the passphrase: it has none and must come from the
# camserver-wifi Secret), validates them, brings the interface up and runs both daemons.
# Cameras are isolated from each other (ap_isolate): they talk to the server, not to one another.
# If either daemon exits, the other is stopped and the script exits non-zero, so Kubernetes
# restarts the pod rather than leaving half an access point running.
#
#   entrypoint.sh               render into $WIFI_AP_RUN_DIR and run
#   entrypoint.sh render DIR    render into DIR and exit (for checks and tests)
set -eu

SSID="${WIFI_AP_SSID:-camwifi}"
PASSPHRASE="${WIFI_AP_PASSPHRASE:-}"
COUNTRY="${WIFI_AP_COUNTRY:-US}"
CHANNEL="${WIFI_AP_CHANNEL:-6}"
IFACE="${WIFI_AP_INTERFACE:-wlan0}"
SUBNET="${WIFI_AP_SUBNET:-192.168.66.0/24}"
DOMAIN="${WIFI_AP_DOMAIN:-cams}"
DRIVER="${WIFI_AP_DRIVER:-nl80211}"
EXTRA_HOSTS="${WIFI_AP_EXTRA_HOSTS:-}"
RUN_DIR="${WIFI_AP_RUN_DIR:-/run/wifi-ap}"

fail() {
  echo "wifi-ap: $*" >&2
  exit 64
}

# ---- validation: every message names the variable and the value (never the passphrase) ----
ssid_len=$(printf '%s' "$SSID" | wc -c)
[ "$ssid_len" -ge 1 ] && [ "$ssid_len" -le 32 ] || fail "WIFI_AP_SSID must be 1-32 bytes (was $ssid_len)"
case "$SSID" in *"
"*) fail "WIFI_AP_SSID must not contain a line break" ;; esac
pass_len=$(printf '%s' "$PASSPHRASE" | wc -c)
[ "$pass_len" -gt 0 ] || fail "WIFI_AP_PASSPHRASE is required (the camserver-wifi Secret): there is no built-in passphrase"
# WPA2 allows 8; 12 is our floor: the camera network is where a guest tries a dictionary offline.
[ "$pass_len" -ge 12 ] && [ "$pass_len" -le 63 ] || fail "WIFI_AP_PASSPHRASE must be 12-63 characters (was $pass_len)"
printf '%s' "$PASSPHRASE" | LC_ALL=C grep -q '^[ -~]*$' || fail "WIFI_AP_PASSPHRASE must be printable ASCII"
printf '%s' "$COUNTRY" | grep -Eq '^[A-Z]{2}$' || fail "WIFI_AP_COUNTRY must be a two-letter country code like US or DE (was '$COUNTRY')"
printf '%s' "$IFACE" | grep -Eq '^[A-Za-z0-9_.-]{1,15}$' || fail "WIFI_AP_INTERFACE must be an interface name (was '$IFACE')"
printf '%s' "$CHANNEL" | grep -Eq '^[0-9]+$' || fail "WIFI_AP_CHANNEL must be a number (was '$CHANNEL')"
if [ "$CHANNEL" -ge 1 ] && [ "$CHANNEL" -le 13 ]; then
  HW_MODE=g
elif [ "$CHANNEL" -eq 36 ] || [ "$CHANNEL" -eq 40 ] || [ "$CHANNEL" -eq 44 ] || [ "$CHANNEL" -eq 48 ]; then
  HW_MODE=a
else
  fail "WIFI_AP_CHANNEL must be 1-13 (2.4 GHz) or 36, 40, 44, 48 (5 GHz, no radar detection needed) (was $CHANNEL)"
fi
case "$DRIVER" in nl80211|none) ;; *) fail "WIFI_AP_DRIVER must be nl80211 or none (was '$DRIVER')" ;; esac
printf '%s' "$SUBNET" | grep -Eq '^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.0/24$' \
  || fail "WIFI_AP_SUBNET must be an IPv4 /24 network like 192.168.66.0/24 (was '$SUBNET')"
PREFIX=${SUBNET%.0/24}
for octet in $(echo "$PREFIX" | tr . ' '); do
  [ "$octet" -le 255 ] || fail "WIFI_AP_SUBNET has an octet over 255 (was '$SUBNET')"
done
printf '%s' "$DOMAIN" | grep -Eq '^[a-z0-9-]{1,63}$' || fail "WIFI_AP_DOMAIN must be a single DNS label (was '$DOMAIN')"
GATEWAY="$PREFIX.1"

render() {
  out="$1"
  mkdir -p "$out"
  umask 077
  cat > "$out/hostapd.conf" <<CONF
interface=$IFACE
driver=$DRIVER
ctrl_interface=$out/hostapd
ssid=$SSID
utf8_ssid=1
hw_mode=$HW_MODE
channel=$CHANNEL
ieee80211n=1
wmm_enabled=1
auth_algs=1
ignore_broadcast_ssid=0
wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=$PASSPHRASE
ap_isolate=1
CONF
  # The regulatory domain matters for a real radio only; with driver=none (checking a config
  # without hardware) hostapd would wait forever for a channel list that never comes.
  if [ "$DRIVER" = nl80211 ]; then
    printf 'country_code=%s\nieee80211d=1\n' "$COUNTRY" >> "$out/hostapd.conf"
  fi
  {
    echo "interface=$IFACE"
    echo "bind-interfaces"
    echo "except-interface=lo"
    echo "domain=$DOMAIN"
    echo "dhcp-range=$PREFIX.50,$PREFIX.150,255.255.255.0,12h"
    echo "dhcp-option=option:router,$GATEWAY"
    echo "dhcp-option=option:dns-server,$GATEWAY"
    echo "dhcp-leasefile=$out/dnsmasq.leases"
    echo "dhcp-authoritative"
    echo "log-dhcp"
    # no pid file: the root file system is read-only and the pod supervises the process
    echo "pid-file="
    # name=address pairs the cameras may resolve by DNS as well as by mDNS
    for pair in $(echo "$EXTRA_HOSTS" | tr ',' ' '); do
      name=${pair%%=*}
      addr=${pair#*=}
      printf '%s' "$name" | grep -Eq '^[A-Za-z0-9.-]{1,253}$' || fail "WIFI_AP_EXTRA_HOSTS name '$name' is not a host name"
      printf '%s' "$addr" | grep -Eq '^[0-9]{1,3}(\.[0-9]{1,3}){3}$' || fail "WIFI_AP_EXTRA_HOSTS address '$addr' is not an IPv4 address"
      echo "address=/$name/$addr"
    done
  } > "$out/dnsmasq.conf"
  echo "wifi-ap: rendered $out/hostapd.conf and $out/dnsmasq.conf (ssid '$SSID', channel $CHANNEL, $PREFIX.50-150 on $IFACE)"
}

if [ "${1:-run}" = render ]; then
  [ $# -ge 2 ] || fail "usage: entrypoint.sh render DIR"
  render "$2"
  exit 0
fi

render "$RUN_DIR"
ip addr replace "$GATEWAY/24" dev "$IFACE"
ip link set "$IFACE" up
hostapd "$RUN_DIR/hostapd.conf" &
HOSTAPD=$!
dnsmasq --keep-in-foreground --conf-file="$RUN_DIR/dnsmasq.conf" &
DNSMASQ=$!
trap 'kill $HOSTAPD $DNSMASQ 2>/dev/null || true' TERM INT
# Whichever daemon stops first takes the pod down with it.
while kill -0 "$HOSTAPD" 2>/dev/null && kill -0 "$DNSMASQ" 2>/dev/null; do
  sleep 2
done
kill "$HOSTAPD" "$DNSMASQ" 2>/dev/null || true
wait || true
echo "wifi-ap: a daemon exited; stopping so Kubernetes restarts the access point" >&2
exit 1
