#!/usr/bin/env bash
# Installs the Debian 12 packages vionic builds with (as root; skips what is present).
set -euo pipefail
pkgs=(cmake make gcc g++ verilator zlib1g-dev gcc-riscv64-unknown-elf
      dpdk-dev librte-net-virtio23 librte-net-vhost23 librte-mempool-ring23
      qemu-system-x86 busybox-static cpio xz-utils libpciaccess-dev procps)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all present (${pkgs[*]})"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root (or: sudo $0)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
