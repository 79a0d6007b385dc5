# Sourced by build.sh --arch arm64 (and smoke.sh --arch arm64): what it takes to build and run
# linux/arm64 images on an amd64 machine. Needs root.
#
# Emulation: Debian's qemu-user-static, registered with binfmt_misc (the F flag loads the
# interpreter once, so it works inside chroots and containers). Never take speed figures here.
#
# Base: Debian trixie, not bookworm as on amd64: bookworm has no JDK 21, and trixie's arm64 JDK is
# built against trixie's glibc. The Java runtime is jlink'd from trixie's openjdk-21 for arm64,
# run under emulation in a throwaway arm64 root file system kept in $work/arm64-jdk.

arm64_emulation() {
  if [ ! -x /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] && ! command -v qemu-aarch64-static >/dev/null 2>&1; then
    echo "image: installing qemu-user-static (arm64 emulation)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-user-static >/dev/null
  fi
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register
  fi
  grep -q enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 || { echo "image: arm64 emulation is not enabled (binfmt_misc)" >&2; return 1; }
}

# An arm64 Debian trixie minbase with FFmpeg, trimmed as the amd64 one is, imported as $1.
arm64_base() {
  local name="$1"
  podman image exists "$name" && return 0
  echo "image: debootstrap trixie for arm64 (minbase, ffmpeg; under emulation, several minutes)"
  rm -rf "$work/rootfs-arm64"
  debootstrap --arch=arm64 --variant=minbase --include=libgomp1,ca-certificates,ffmpeg trixie "$work/rootfs-arm64" \
    >"$work/debootstrap-arm64.log" 2>&1 || { tail -20 "$work/debootstrap-arm64.log"; return 1; }
  rm -rf "$work/rootfs-arm64/var/cache/apt/archives/"*.deb "$work/rootfs-arm64/var/lib/apt/lists/"* \
    "$work/rootfs-arm64/usr/share/doc/"* "$work/rootfs-arm64/usr/share/man/"* "$work/rootfs-arm64/usr/share/locale/"* \
    "$work/rootfs-arm64/usr/lib/aarch64-linux-gnu/dri" "$work/rootfs-arm64/usr/lib/aarch64-linux-gnu/libLLVM"*.so* \
    "$work/rootfs-arm64/usr/lib/aarch64-linux-gnu/libz3.so"*
  chroot "$work/rootfs-arm64" /usr/bin/ffmpeg -hide_banner -version >/dev/null \
    || { echo "image: ffmpeg does not start in the arm64 base after trimming" >&2; return 1; }
  tar -C "$work/rootfs-arm64" -c . | podman import --arch arm64 --os linux --change 'CMD ["/bin/sh"]' - "$name" >/dev/null
  rm -rf "$work/rootfs-arm64"
}

# The arm64 Java runtime, jlink'd with the modules camserver needs, into $1.
arm64_jre() {
  local out="$1" jdk="$work/arm64-jdk" modules="$2"
  if [ ! -x "$jdk/usr/lib/jvm/java-21-openjdk-arm64/bin/jlink" ]; then
    echo "image: debootstrap trixie for arm64 with openjdk-21-jdk-headless (once; under emulation, several minutes)"
    rm -rf "$jdk"
    debootstrap --arch=arm64 --variant=minbase --include=openjdk-21-jdk-headless trixie "$jdk" >"$work/debootstrap-arm64-jdk.log" 2>&1 \
      || { tail -20 "$work/debootstrap-arm64-jdk.log"; return 1; }
  fi
  rm -rf "$jdk/jre"
  # Debian's JDK strips native debug symbols with objcopy, which minbase lacks: its binaries are
  # stripped already, so only Java debug attributes are dropped.
  chroot "$jdk" /usr/lib/jvm/java-21-openjdk-arm64/bin/jlink --add-modules "$modules" --strip-java-debug-attributes \
    --no-man-pages --no-header-files --compress=zip-6 --output /jre
  rm -rf "$out"
  mv "$jdk/jre" "$out"
}
