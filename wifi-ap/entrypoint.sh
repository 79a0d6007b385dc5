#!/bin/sh
# Wi-Fi access point for the cameras: renders hostapd.conf and dnsmasq.conf from the environment
# (the demo's values as defaults, except the passphrase: it has none and must come from the
# camserver-wifi Secret), validates them, brings the interface up and runs both daemons.
# The camera Wi-Fi is a camera network only: the radio does not relay between cameras
# (ap_isolate), an nftables table lets a camera reach DHCP, DNS, mDNS and the server's ports and
# nothing else (not the node's own services, not the cluster, not another camera through the
# node), dnsmasq answers only the names it is given (it forwards nothing), and WPA2 and WPA3 (SAE)
# clients are served with management frames protected where they can be (PMF).
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
# Where a camera may open connections: the server's addresses (the node, here the gateway, by
# default; the addresses of WIFI_AP_EXTRA_HOSTS are added) and its ports (80: the router's
# /register; 5000: camserver itself). And which camera ports the server may open (80 snapshots,
# 81 the CameraWebServer stream, 554 and 8554 RTSP).
SERVER_ADDRS="${WIFI_AP_SERVER_ADDRS:-}"
SERVER_PORTS="${WIFI_AP_SERVER_PORTS:-80,5000}"
CAMERA_PORTS="${WIFI_AP_CAMERA_PORTS:-80,81,554,8554}"
FIREWALL="${WIFI_AP_FIREWALL:-on}"

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
is_ipv4() {
  printf '%s' "$1" | grep -Eq '^[0-9]{1,3}(\.[0-9]{1,3}){3}$'
}
for list_name in SERVER_PORTS CAMERA_PORTS; do
  eval "list=\$$list_name"
  printf '%s' "$list" | grep -Eq '^[0-9]{1,5}(,[0-9]{1,5})*$' \
    || fail "WIFI_AP_$list_name must be a comma-separated list of ports like 80,5000 (was '$list')"
  for port in $(echo "$list" | tr ',' ' '); do
    [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || fail "WIFI_AP_$list_name has a port out of 1-65535 (was '$list')"
  done
done
for addr in $(echo "$SERVER_ADDRS" | tr ',' ' '); do
  is_ipv4 "$addr" || fail "WIFI_AP_SERVER_ADDRS must be IPv4 addresses separated by commas (was '$SERVER_ADDRS')"
done
case "$FIREWALL" in on|off) ;; *) fail "WIFI_AP_FIREWALL must be on or off (was '$FIREWALL')" ;; esac

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
wpa_key_mgmt=WPA-PSK SAE
rsn_pairwise=CCMP
wpa_passphrase=$PASSPHRASE
ieee80211w=1
sae_require_mfp=1
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
    # Answers only its own names: nothing is forwarded to the node's or the cluster's resolvers
    # (a camera has no business resolving anything else), and the node's /etc/hosts stays private.
    echo "no-resolv"
    echo "no-hosts"
    echo "log-dhcp"
    # no pid file: the root file system is read-only and the pod supervises the process
    echo "pid-file="
    # name=address pairs the cameras may resolve by DNS as well as by mDNS
    for pair in $(echo "$EXTRA_HOSTS" | tr ',' ' '); do
      name=${pair%%=*}
      addr=${pair#*=}
      printf '%s' "$name" | grep -Eq '^[A-Za-z0-9.-]{1,253}$' || fail "WIFI_AP_EXTRA_HOSTS name '$name' is not a host name"
      is_ipv4 "$addr" || fail "WIFI_AP_EXTRA_HOSTS address '$addr' is not an IPv4 address"
      echo "address=/$name/$addr"
    done
  } > "$out/dnsmasq.conf"
  render_firewall > "$out/nftables.conf"
  echo "wifi-ap: rendered $out/hostapd.conf, dnsmasq.conf and nftables.conf (ssid '$SSID', channel $CHANNEL, $PREFIX.50-150 on $IFACE)"
}

# The server's addresses as an nftables set body: the gateway (the node), the extra hosts'
# addresses (a server elsewhere, such as an ingress) and WIFI_AP_SERVER_ADDRS.
server_addrs() {
  {
    echo "$GATEWAY"
    for pair in $(echo "$EXTRA_HOSTS" | tr ',' ' '); do echo "${pair#*=}"; done
    for addr in $(echo "$SERVER_ADDRS" | tr ',' ' '); do echo "$addr"; done
  } | sort -u | paste -sd, - | sed 's/,/, /g'
}

# One table of our own, replaced whole and atomically (add, delete, define in one file), so a
# restart never leaves the old rules half in place and never touches anyone else's tables.
# Connections are matched by their original destination (ct original), so a port the node
# forwards to a pod (a hostPort, the router) counts as the server's port it was sent to.
render_firewall() {
  cat <<NFT
add table inet camwifi
delete table inet camwifi
table inet camwifi {
  set server_addrs { type ipv4_addr; elements = { $(server_addrs) } }
  set server_ports { type inet_service; elements = { $(echo "$SERVER_PORTS" | sed 's/,/, /g') } }
  set camera_ports { type inet_service; elements = { $(echo "$CAMERA_PORTS" | sed 's/,/, /g') } }

  # From a camera to the node itself: DHCP, DNS and mDNS, and the server if it runs on the node.
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "$IFACE" jump camera_to_node
  }
  chain camera_to_node {
    ct state established,related accept
    ct state invalid drop
    udp dport 67 accept comment "DHCP"
    ip daddr $GATEWAY udp dport 53 accept comment "DNS: dnsmasq, own names only"
    ip daddr $GATEWAY tcp dport 53 accept
    ip daddr 224.0.0.251 udp dport 5353 accept comment "mDNS: finding microshift-cam-reg.local"
    meta l4proto tcp ct original ip daddr @server_addrs ct original proto-dst @server_ports accept comment "the server on the node"
    counter drop comment "the node's own services: ssh, the API server, the kubelet..."
  }

  # Through the node: a camera reaches the server's ports and nothing else (not the cluster's pods,
  # not another camera sent back out through the node); the server reaches the cameras' ports.
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "$IFACE" oifname "$IFACE" counter drop comment "camera to camera through the node"
    iifname "$IFACE" jump camera_out
    oifname "$IFACE" jump camera_in
  }
  chain camera_out {
    ct state established,related accept
    meta l4proto tcp ct original ip daddr @server_addrs ct original proto-dst @server_ports accept comment "registration and streams to the server"
    counter drop comment "the cluster and everything else"
  }
  chain camera_in {
    ct state established,related accept
    tcp dport @camera_ports accept comment "the server pulls snapshots and streams"
    counter drop
  }
}
NFT
}

if [ "${1:-run}" = render ]; then
  [ $# -ge 2 ] || fail "usage: entrypoint.sh render DIR"
  render "$2"
  exit 0
fi

render "$RUN_DIR"
# Fail closed: without the firewall the access point does not start.
if [ "$FIREWALL" = on ]; then
  nft -f "$RUN_DIR/nftables.conf" || fail "could not load the camera firewall ($RUN_DIR/nftables.conf); not starting an open access point"
  echo "wifi-ap: camera firewall loaded (table inet camwifi): cameras reach DHCP, DNS, mDNS and $(server_addrs) ports $SERVER_PORTS only"
else
  echo "wifi-ap: WIFI_AP_FIREWALL=off: the camera firewall is NOT loaded; cameras can reach the node and the cluster" >&2
fi
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
