#!/bin/bash
# make-tiny-guest.sh - build Vireo's tiny bootable test guest from Debian
# packages only (busybox-static + the installed linux-image-amd64), into a
# cache so that a second call costs a few milliseconds.
#
# Usage:
#   make-tiny-guest.sh [-c CACHEDIR] [-k KVER] [-I] [-x] [-M "mod ..."] [-f]
#   make-tiny-guest.sh -o OUT.cpio.gz [-k KVER] [-I] [-x VMLINUX] [-M ...] [-r DIR]
#     -c DIR   cache directory (default ${XDG_CACHE_HOME:-~/.cache}/vireo-guest);
#              the guest goes to DIR/<KVER>-<variant>/ (initrd.cpio.gz, vmlinux)
#              and is rebuilt only when missing or older than this script or
#              the kernel. Concurrent callers wait on a lock.
#     -f       rebuild even when the cached guest is current
#     -k KVER  kernel version whose modules to pack (default: newest in /lib/modules)
#     -I       also pack iproute2's `ip` (+ its shared libs) as /usr/bin/ip2:
#              Debian's busybox `ip` has no `maddr` (`ip2 maddr add MAC dev eth0`)
#     -x       (cache mode) also extract the ELF vmlinux from the bzImage; the
#              kernel has CONFIG_PVH=y, so `-kernel vmlinux` boots it directly
#              (no SeaBIOS linuxboot, no in-guest xz), about twice as fast
#     -x FILE  (with -o) write that vmlinux to FILE
#     -o FILE  build once into FILE, no cache (the reference behaviour)
#     -M LIST  extra module names to insmod at boot (deps via modprobe -S)
#     -r DIR   (with -o) also leave the unpacked tree in DIR
#   Prints "KERNEL=<path> INITRD=<path>" on stdout when done.
#   Exit status 77 (with the reason on stderr) when the host lacks what the
#   guest needs (kernel, modules, busybox-static, cpio, xz): tests skip then.
#
# Fast boot (TCG, ~2 s to the BOOTED marker):
#   qemu-system-x86_64 -nodefaults -no-user-config -machine pc -accel tcg -m 128 \
#     -display none -no-reboot -kernel vmlinux -initrd initrd.cpio.gz \
#     -append 'console=ttyS0 panic=-1 quiet mitigations=off cryptomgr.notests
#       no_timer_check i8042.noaux i8042.nokbd tsc=reliable lpj=5000000 8250.nr_uarts=1' \
#     -chardev socket,id=ser0,path=serial.sock,server=on,wait=off -serial chardev:ser0 \
#     -qmp unix:qmp.sock,server=on,wait=off \
#     -netdev user,id=n0 -device virtio-net-pci,netdev=n0,id=nic0,mac=52:54:00:12:34:56
# Always -accel tcg: a /dev/kvm that opens may still be unable to run this
# kernel (nested/paravirtual KVM).
#
# Guest behaviour (/init, busybox sh as PID 1):
#   * mounts proc, sysfs, devtmpfs, devpts, tmpfs /tmp /run; insmods the modules
#   * prints marker lines on the console (ttyS0), all starting "TINYGUEST:"
#       TINYGUEST: BOOTED kernel=<uname -r>     TINYGUEST: LEASE eth0 <ip>
#       TINYGUEST: DHCP-FAIL eth0               TINYGUEST: POWERBUTTON -> poweroff
#       TINYGUEST: MAC eth0 <mac> / MADDR eth0 <mac>  (tg.mac / tg.maddr done)
#   * busybox acpid: ACPI power button (QMP system_powerdown) -> poweroff -f
#   * kernel command line knobs: tg.dhcp=0, tg.ipv6=1 (IPv6 is off by default so
#     that no MLD joins race with rx-filter tests), tg.ip=CIDR, tg.delay=N,
#     tg.mac=MAC, tg.maddr=MAC (needs -I), tg.shell=0
#   * command loop on ttyS0: every line written to the serial port is eval'ed
#     (no echo); hooks /etc/tg/rc (appended cpio) and fw_cfg opt/tg/rc.
set -euo pipefail

skip() { echo "make-tiny-guest: $*" >&2; exit 77; }

KVER=""
OUT=""
EXTRA_MODS=""
KEEP_ROOT=""
WITH_IPROUTE=0
WANT_VMLINUX=0
VMLINUX_OUT=""
CACHE_DIR="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/vireo-guest"
FORCE=0
# -x takes an optional argument: a FILE only makes sense with -o
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = -x ] && { [ $# -eq 1 ] || [ "${2#-}" != "$2" ]; }; then
    args+=(-X); shift
  else
    args+=("$1"); shift
  fi
done
set -- "${args[@]+"${args[@]}"}"
while getopts "c:k:o:M:r:Ix:Xfh" opt; do
  case "$opt" in
    c) CACHE_DIR=$OPTARG ;;
    k) KVER=$OPTARG ;;
    o) OUT=$OPTARG ;;
    M) EXTRA_MODS=$OPTARG ;;
    r) KEEP_ROOT=$OPTARG ;;
    I) WITH_IPROUTE=1 ;;
    x) WANT_VMLINUX=1; VMLINUX_OUT=$OPTARG ;;
    X) WANT_VMLINUX=1 ;;
    f) FORCE=1 ;;
    *) sed -n '2,33p' "$0"; exit 2 ;;
  esac
done

for tool in cpio gzip xz modprobe; do
  command -v "$tool" >/dev/null || skip "'$tool' is missing (apt-get install cpio xz-utils kmod)"
done
if [ -z "$KVER" ]; then
  KVER=$(ls -1 /lib/modules 2>/dev/null | sort -V | tail -n1)
fi
[ -n "$KVER" ] || skip "no kernel modules in /lib/modules (apt-get install linux-image-amd64)"
KERNEL=/boot/vmlinuz-$KVER
[ -r "$KERNEL" ] || skip "no readable kernel $KERNEL (apt-get install linux-image-amd64)"
[ -d "/lib/modules/$KVER/kernel" ] || skip "no /lib/modules/$KVER"
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || skip "no $BUSYBOX (apt-get install busybox-static)"
# the dynamic "busybox" package would need libc in the initramfs
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  skip "$BUSYBOX is dynamically linked (apt-get install busybox-static)"
fi

# --- cache mode: reuse a current build, else build it under a lock ----------
if [ -z "$OUT" ]; then
  variant="base"
  [ "$WITH_IPROUTE" = 1 ] && variant="ip2"
  [ -n "$EXTRA_MODS" ] && variant="$variant-$(echo "$EXTRA_MODS" | tr -c 'a-zA-Z0-9_\n' _)"
  DEST="$CACHE_DIR/$KVER-$variant"
  mkdir -p "$DEST"
  exec 9>"$DEST/.lock"
  flock 9
  current=1
  files=("$DEST/initrd.cpio.gz")
  [ "$WANT_VMLINUX" = 1 ] && files+=("$DEST/vmlinux")
  for f in "${files[@]}"; do
    if [ ! -s "$f" ] || [ "$f" -ot "$0" ] || [ "$f" -ot "$KERNEL" ]; then current=0; fi
  done
  if [ "$current" = 1 ] && [ "$FORCE" = 0 ]; then
    K=$KERNEL; [ "$WANT_VMLINUX" = 1 ] && K=$DEST/vmlinux
    echo "KERNEL=$K INITRD=$DEST/initrd.cpio.gz"
    exit 0
  fi
  OUT="$DEST/initrd.cpio.gz.tmp"
  [ "$WANT_VMLINUX" = 1 ] && VMLINUX_OUT="$DEST/vmlinux.tmp"
  FINAL_DEST=$DEST
else
  FINAL_DEST=""
  if [ "$WANT_VMLINUX" = 1 ] && [ -z "$VMLINUX_OUT" ]; then
    echo "make-tiny-guest: -x needs a FILE with -o" >&2; exit 2
  fi
fi

# --- locate kernel + modules ------------------------------------------------

# Modules needed by the guest. In Debian's 6.1 kernel these are all =m:
#  virtio_pci (+virtio, virtio_ring, virtio_pci_{legacy,modern}_dev)  PCI transport
#  virtio_net (+failover, net_failover)                                 NIC
#  virtio_blk, virtio_console, virtio-rng                               disks, vport, entropy
#  button  (ACPI power button -> input event)  evdev (/dev/input/eventN for acpid)
#  qemu_fw_cfg (/sys/firmware/qemu_fw_cfg for -fw_cfg test hooks)   e1000 (non-virtio NIC)
MODS="virtio_pci virtio_net virtio_blk virtio_console virtio-rng button evdev qemu_fw_cfg e1000 $EXTRA_MODS"

ROOT=$(mktemp -d /tmp/tinyguest.XXXXXX)
if [ -n "$FINAL_DEST" ]; then
  TMP_FILES="$OUT $VMLINUX_OUT"
  trap 'rm -rf "$ROOT"; rm -f $TMP_FILES' EXIT
else
  trap 'rm -rf "$ROOT"' EXIT
fi

mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,root,etc/acpi/PWRF,etc/tg,etc/udhcpc,lib/modules,var/log,var/run}
cp "$BUSYBOX" "$ROOT/bin/busybox"
# one symlink per applet, in the directory busybox itself would use
for app in $("$BUSYBOX" --list-full); do
  [ -e "$ROOT/$app" ] || ln -s /bin/busybox "$ROOT/$app"
done

# --- modules: resolve dependency order with the host's kmod -------------------
: > "$ROOT/etc/modules.list"
for m in $MODS; do
  # prints "insmod /lib/modules/.../x.ko" lines, dependencies first; "builtin x" for =y
  deps=$(modprobe -S "$KVER" --show-depends "$m") || { echo "module $m not found for $KVER" >&2; exit 1; }
  echo "$deps" | while read -r kw path _; do
    [ "$kw" = insmod ] || continue
    base=$(basename "$path")
    case "$base" in
      *.ko) cp -n "$path" "$ROOT/lib/modules/$base" ;;
      *.ko.xz) xz -dc "$path" > "$ROOT/lib/modules/${base%.xz}"; base=${base%.xz} ;;
      *.ko.zst) zstd -qdc "$path" > "$ROOT/lib/modules/${base%.zst}"; base=${base%.zst} ;;
    esac
    grep -qx "$base" "$ROOT/etc/modules.list" || echo "$base" >> "$ROOT/etc/modules.list"
  done
done

# --- optional full iproute2 (dynamically linked: copy the ELF interpreter + libs)
if [ "$WITH_IPROUTE" = 1 ]; then
  IPBIN=$(command -v ip); IPBIN=$(readlink -f "$IPBIN")
  cp "$IPBIN" "$ROOT/usr/bin/ip2"
  for lib in $(ldd "$IPBIN" | awk '/=>/ {print $3} /^[ \t]*\// {print $1}'); do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
  done
fi

# --- power button handling ----------------------------------------------------
# busybox acpid reads /dev/input/event*; KEY_POWER is translated to the event
# "button/power PWRF 00000080" and then /etc/acpi/PWRF/00000080 is executed.
cat > "$ROOT/sbin/tg-poweroff" <<'EOF'
#!/bin/sh
echo "TINYGUEST: POWERBUTTON -> poweroff" > /dev/console
sync
exec poweroff -f
EOF
chmod 755 "$ROOT/sbin/tg-poweroff"
ln -s /sbin/tg-poweroff "$ROOT/etc/acpi/PWRF/00000080"

# --- udhcpc hook script -----------------------------------------------------------
# NB: Debian's busybox looks for /etc/udhcpc/default.script (upstream default is
# /usr/share/udhcpc/default.script); we also pass -s explicitly.
cat > "$ROOT/etc/udhcpc/default.script" <<'EOF'
#!/bin/sh
# called by udhcpc with $1 = deconfig|bound|renew|leasefail|nak
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    if [ -n "$router" ]; then ip route replace default via "${router%% *}" dev "$interface"; fi
    : > /etc/resolv.conf
    for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done
    echo "TINYGUEST: LEASE $interface $ip" > /dev/console ;;
  leasefail|nak) echo "TINYGUEST: DHCP-FAIL $interface" > /dev/console ;;
esac
exit 0
EOF
chmod 755 "$ROOT/etc/udhcpc/default.script"

# --- /init ------------------------------------------------------------------------
cat > "$ROOT/init" <<'EOF'
#!/bin/busybox sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
exec </dev/console >/dev/console 2>&1

# kernel command line knobs: tg.key=value
arg() { for w in $(cat /proc/cmdline); do case "$w" in "tg.$1="*) echo "${w#*=}"; return;; esac; done; echo "$2"; }

if [ "$(arg ipv6 0)" = 0 ]; then
  echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
  echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
fi
for m in $(cat /etc/modules.list); do insmod /lib/modules/$m 2>/dev/null; done
hostname tinyguest
ip link set lo up

# ACPI power button -> /etc/acpi/PWRF/00000080 -> poweroff -f
acpid -l /run/acpid.log

echo "TINYGUEST: BOOTED kernel=$(uname -r)"

if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  IP=$(arg ip "")
  if [ -n "$IP" ]; then
    ip addr add "$IP" dev eth0 && echo "TINYGUEST: STATIC eth0 $IP"
  elif [ "$(arg dhcp 1)" != 0 ]; then
    # -t tries, -T secs between tries, -n exit if no lease, -q quit after lease
    ( udhcpc -i eth0 -s /etc/udhcpc/default.script -t 10 -T 1 -A 1 -n -q >/dev/null 2>&1 ||
      echo "TINYGUEST: DHCP-FAIL eth0" ) &
  fi
  MAC=$(arg mac ""); MADDR=$(arg maddr "")
  if [ -n "$MAC$MADDR" ]; then
    (
      sleep "$(arg delay 2)"
      if [ -n "$MAC" ]; then ip link set dev eth0 address "$MAC" && echo "TINYGUEST: MAC eth0 $MAC"; fi
      if [ -n "$MADDR" ]; then
        if command -v ip2 >/dev/null; then
          ip2 maddr add "$MADDR" dev eth0 && echo "TINYGUEST: MADDR eth0 $MADDR"
        else
          echo "TINYGUEST: MADDR-UNSUPPORTED (busybox ip has no maddr; build with -I)"
        fi
      fi
    ) &
  fi
fi

# test hooks: /etc/tg/rc (appended cpio) and fw_cfg opt/tg/rc
[ -f /etc/tg/rc ] && ( sh /etc/tg/rc ) &
FW=/sys/firmware/qemu_fw_cfg/by_name/opt/tg/rc/raw
[ -r $FW ] && ( cat $FW > /run/fwcfg-rc; sh /run/fwcfg-rc ) &

if [ "$(arg shell 1)" != 0 ]; then
  # command loop on the serial console (respawned). Deliberately NOT `sh -i`:
  # ash treats a tty on stdin as interactive, and its line editing sends ESC[6n
  # (cursor query) and eats input while waiting for the reply. `cat ttyS0 | sh`
  # is no good either: lines were only executed when the NEXT line arrived.
  # A read/eval loop runs each line as soon as its newline arrives. `stty -echo`
  # stops the tty from echoing the host's commands back (otherwise a marker
  # string inside a command would match before the command even ran).
  while :; do
    setsid sh -c 'exec </dev/ttyS0 >/dev/ttyS0 2>&1; stty -echo; while read -r l; do eval "$l"; done'
    sleep 1
  done &
fi

# PID 1 must never exit; `wait` also reaps orphans re-parented to us
while :; do wait; sleep 60; done
EOF
chmod 755 "$ROOT/init"

# --- pack -----------------------------------------------------------------------------
( cd "$ROOT" && find . -print0 | sort -z | cpio --null -o -H newc --quiet -R 0:0 ) | gzip -1 > "$OUT"
if [ -n "$KEEP_ROOT" ]; then
  rm -rf "$KEEP_ROOT"; mkdir -p "$(dirname "$KEEP_ROOT")"; cp -a "$ROOT" "$KEEP_ROOT"
  chmod 755 "$KEEP_ROOT"     # mktemp made it 0700
fi
if [ -n "$VMLINUX_OUT" ]; then
  # bzImage = setup code + decompressor + one compressed stream (xz for Debian).
  # Find the stream's magic and decompress just that stream.
  off=$(LC_ALL=C grep -obUaP '\xFD7zXZ' "$KERNEL" | head -n1 | cut -d: -f1)
  if [ -n "$off" ]; then
    # (tail may die of SIGPIPE once xz has its stream: ignore that under pipefail)
    { tail -c +$((off + 1)) "$KERNEL" || true; } | xz -dc --single-stream > "$VMLINUX_OUT"
  else
    off=$(LC_ALL=C grep -obUaP '\x28\xB5\x2F\xFD' "$KERNEL" | head -n1 | cut -d: -f1)
    [ -n "$off" ] || { echo "cannot find xz/zstd payload in $KERNEL" >&2; exit 1; }
    { tail -c +$((off + 1)) "$KERNEL" || true; } | zstd -qdc > "$VMLINUX_OUT"
  fi
  head -c 4 "$VMLINUX_OUT" | grep -q ELF || { echo "extraction failed" >&2; exit 1; }
  KERNEL=$VMLINUX_OUT
fi
if [ -n "$FINAL_DEST" ]; then
  # rename last: a reader never sees a half-written guest
  if [ "$WANT_VMLINUX" = 1 ]; then
    mv -f "$VMLINUX_OUT" "$FINAL_DEST/vmlinux"; KERNEL=$FINAL_DEST/vmlinux
  fi
  mv -f "$OUT" "$FINAL_DEST/initrd.cpio.gz"; OUT=$FINAL_DEST/initrd.cpio.gz
fi
echo "KERNEL=$KERNEL INITRD=$OUT"
