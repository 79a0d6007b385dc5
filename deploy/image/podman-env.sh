# Sourced by build.sh and smoke.sh: podman on this kind of machine (no Docker daemon, cgroups in
# hybrid mode where crun fails) works with runc and explicit ulimits.
if ! command -v podman >/dev/null 2>&1; then
  echo "podman is not installed: apt-get install podman buildah runc debootstrap iptables catatonit curl" >&2
  exit 1
fi
conf="${XDG_RUNTIME_DIR:-/tmp}/camserver-containers.conf"
cat > "$conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$conf"
