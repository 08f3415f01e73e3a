#!/usr/bin/env bash
# Fetches Debian's current 6.1 kernel package (apt-get download, no install: installing
# would rebuild an initramfs for minutes) and unpacks it into CACHE_DIR, reused when present.
# Prints the cache directory (holding vmlinuz and lib/modules/<ver>/) on stdout.
set -euo pipefail
usage() {
  cat <<EOF
usage: $0 CACHE_DIR
  Downloads the kernel named by 'apt-cache depends linux-image-amd64' into CACHE_DIR/<pkg>/,
  with vmlinuz and the virtio modules decompressed (.ko.xz -> .ko); a complete cache is reused.
  Exit 0 ok (prints the kernel dir), 77 when apt or the package cannot be had.
EOF
}
[ $# -eq 1 ] || { usage >&2; exit 2; }
case $1 in -h|--help) usage; exit 0 ;; esac
CACHE=$1

# The virtio-net stack, in load order (dependencies first).
MODS="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"

command -v apt-cache >/dev/null && command -v dpkg-deb >/dev/null || { echo "SKIP: no apt-cache/dpkg-deb" >&2; exit 77; }
PKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$PKG" ] || { echo "SKIP: apt-cache knows no linux-image-amd64 (run apt-get update?)" >&2; exit 77; }
DIR=$CACHE/$PKG
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi

mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
if ! (cd "$WORK" && apt-get download "$PKG" >&2); then
  echo "SKIP: apt-get download $PKG failed (offline?)" >&2
  exit 77
fi
mkdir -p "$WORK/x"
dpkg-deb -x "$WORK"/"$PKG"_*.deb "$WORK/x"
KVER=${PKG#linux-image-}
mkdir -p "$WORK/out/lib/modules/$KVER"
cp "$WORK/x/boot/vmlinuz-$KVER" "$WORK/out/vmlinuz"
for m in $MODS; do
  f=$(find "$WORK/x/lib/modules/$KVER" -name "$m.ko" -o -name "$m.ko.xz" | head -1)
  [ -n "$f" ] || { echo "fetch-kernel: module $m not in $PKG" >&2; exit 1; }
  case $f in
    *.xz) xz -dc "$f" >"$WORK/out/lib/modules/$KVER/$m.ko" ;;
    *) cp "$f" "$WORK/out/lib/modules/$KVER/$m.ko" ;;
  esac
done
echo "$MODS" >"$WORK/out/modules.order"
echo "$KVER" >"$WORK/out/kver"
touch "$WORK/out/.complete"
rm -rf "$DIR"
mv "$WORK/out" "$DIR"
echo "$DIR"
