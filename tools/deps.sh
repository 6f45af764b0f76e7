#!/bin/sh
# tools/deps.sh: installs the Debian packages Vireo builds and tests with.
# Idempotent and quiet when everything is present. Sourced or run by
# tools/check and tools/quickstart.
set -eu

VIREO_BUILD_PKGS="meson ninja-build pkg-config gcc clang libclang-rt-14-dev \
libglib2.0-dev libxml2-dev libxml2-utils libjson-c-dev libnl-3-dev libnl-route-3-dev"
VIREO_TEST_PKGS="libvirt-dev libvirt-clients python3-libvirt libvirt-daemon libvirt-daemon-driver-qemu systemd \
qemu-system-x86 qemu-utils busybox-static dnsmasq-base nftables iproute2 \
linux-image-amd64 xz-utils cpio kmod util-linux procps"

missing=""
for p in $VIREO_BUILD_PKGS $VIREO_TEST_PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "tools/deps.sh: installing:$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
