#!/usr/bin/env bash
# Fetch the real foreign-architecture inputs the tests and benchmarks use, into a
# cache folder outside the repository (default: /tmp/qus-fixtures, or $QUS_FIXTURES).
#
#   qemu/            Debian's qemu-user-static, unpacked with dpkg -x (never installed,
#                    so its postinst never registers anything with the machine's kernel)
#   busybox/ARCH/    Debian's busybox-static for each foreign architecture, unpacked
#   binfmt-support/  Debian's binfmt-support, unpacked, for update-binfmts
#
# Nothing here registers anything with the kernel. Prints the cache folder on success.
set -euo pipefail

dest=${QUS_FIXTURES:-/tmp/qus-fixtures}
stamp="$dest/.complete-v1"
if [ -f "$stamp" ]; then
  echo "$dest"
  exit 0
fi

for tool in apt-get dpkg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fetch-fixtures: $tool not found: this script needs a Debian-based machine" >&2
    exit 1
  fi
done

architectures="arm64 armhf armel i386 mips64el mipsel ppc64el s390x"
host_architecture=$(dpkg --print-architecture)
work=$(mktemp -d "${TMPDIR:-/tmp}/qus-fixtures.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/debs"

# A private package list that also knows the foreign architectures, so that
# `apt-get download busybox-static:arm64` works without `dpkg --add-architecture`
# changing the machine's configuration.
apt_options=(
  -o "APT::Architecture=$host_architecture"
  -o "APT::Architectures=$host_architecture,${architectures// /,}"
  -o "Dir::State::Lists=$work/lists"
  -o "Debug::NoLocking=1"
)

echo "fetch-fixtures: updating a private package list in $work" >&2
apt-get "${apt_options[@]}" update >"$work/apt-update.log" 2>&1 || {
  cat "$work/apt-update.log" >&2
  echo "fetch-fixtures: apt-get update failed (see above)" >&2
  exit 1
}

cd "$work/debs"
packages=("qemu-user-static:$host_architecture" "binfmt-support:$host_architecture")
for architecture in $architectures; do
  packages+=("busybox-static:$architecture")
done
echo "fetch-fixtures: downloading ${packages[*]}" >&2
apt-get "${apt_options[@]}" download "${packages[@]}" >"$work/apt-download.log" 2>&1 || {
  cat "$work/apt-download.log" >&2
  echo "fetch-fixtures: apt-get download failed (see above)" >&2
  exit 1
}

staging="$work/out"
mkdir -p "$staging/qemu" "$staging/binfmt-support" "$staging/busybox" "$staging/debs"
dpkg -x qemu-user-static_*_"$host_architecture".deb "$staging/qemu"
dpkg -x binfmt-support_*_"$host_architecture".deb "$staging/binfmt-support"
for architecture in $architectures; do
  mkdir -p "$staging/busybox/$architecture"
  dpkg -x busybox-static_*_"$architecture".deb "$staging/busybox/$architecture"
done
cp ./*.deb "$staging/debs/"
touch "$staging/.complete-v1"

# Replace the cache in one rename, so an interrupted run never leaves a half-filled cache.
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.old"
if [ -e "$dest" ]; then mv "$dest" "$dest.old"; fi
mv "$staging" "$dest"
rm -rf "$dest.old"
echo "$dest"
