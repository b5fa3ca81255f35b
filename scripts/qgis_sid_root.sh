#!/usr/bin/env bash
# A second QGIS for the QGIS test tier: Debian sid's QGIS (3.44) in a debootstrap root under build/.
#   scripts/qgis_sid_root.sh build        make build/qgis-sid (once; reused while its stamp matches)
#   scripts/qgis_sid_root.sh test [ARGS]  run pytest tests/qgis ARGS inside it, work tree bind-mounted
#   scripts/qgis_sid_root.sh shell        a shell inside it (same mounts)
# Needs root (debootstrap, chroot, mount) and the Debian package debootstrap (make setup installs it).
# LNRS_SID_CACHE (default /var/cache/lnrs-toolkit/sid-debs) keeps downloaded .debs between fresh clones;
# the root is built without it too (set LNRS_SID_CACHE= to switch it off).
set -euo pipefail
cd "$(dirname "$0")/.."
WT="$(pwd)"
ROOTFS="$WT/build/qgis-sid"
MIRROR="${LNRS_SID_MIRROR:-http://deb.debian.org/debian}"
CACHE="${LNRS_SID_CACHE-/var/cache/lnrs-toolkit/sid-debs}"
VENV=/opt/lnrs-venv   # inside the root
# What the QGIS tier needs, from sid: QGIS (desktop for the Xvfb tests, qgis_process, Python bindings),
# shapely 2 from Debian, PostgreSQL + PostGIS for the postgis tests, and the tools some tests call.
PACKAGES=(qgis python3-qgis qgis-providers python3-shapely python3-psycopg2 python3-venv python3-pip
  xvfb xauth xfonts-base qttools5-dev-tools poppler-utils postgresql locales-all ca-certificates)
# Test packages from pip (shapely comes from Debian here). sid's Python is 3.14: pytest and hypothesis are
# newer than requirements-dev.txt's (Python 3.11) pins; pytest-qgis is the same.
PIP_PACKAGES=(pytest==8.4.2 pytest-qgis==2.1.0 hypothesis==6.140.3)
hash_of() { printf '%s\n' "$@" | sha256sum | cut -d' ' -f1; }
# the root is made in three stages, each remembered by a stamp (a failed build resumes where it stopped)
BASE_STAMP="$ROOTFS/.lnrs-base"
APT_STAMP="$ROOTFS/.lnrs-apt.sha256"
STAMP="$ROOTFS/.lnrs-root.sha256"
STAMP_WANT="$(hash_of "${PACKAGES[@]}" "${PIP_PACKAGES[@]}")"

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "qgis-sid: needs root (debootstrap, chroot and bind mounts)" >&2
    exit 1
  fi
}

MOUNTED=()
mount_all() {
  local d
  for d in proc dev dev/pts tmp; do mkdir -p "$ROOTFS/$d"; done
  mount -t proc proc "$ROOTFS/proc"; MOUNTED+=("$ROOTFS/proc")
  mount --bind /dev "$ROOTFS/dev"; MOUNTED+=("$ROOTFS/dev")
  mount --bind /dev/pts "$ROOTFS/dev/pts"; MOUNTED+=("$ROOTFS/dev/pts")
  mount --bind /tmp "$ROOTFS/tmp"; MOUNTED+=("$ROOTFS/tmp")
  if [ -n "$CACHE" ]; then
    mkdir -p "$CACHE" "$ROOTFS/var/cache/apt/archives"
    mount --bind "$CACHE" "$ROOTFS/var/cache/apt/archives"; MOUNTED+=("$ROOTFS/var/cache/apt/archives")
  fi
  if [ "${1:-}" = "worktree" ]; then
    mkdir -p "$ROOTFS$WT"
    mount --bind "$WT" "$ROOTFS$WT"; MOUNTED+=("$ROOTFS$WT")
    # the shared test data beside the work tree (read-only), when there is one
    if [ -d "$WT/../shared" ]; then
      local shared; shared="$(cd "$WT/../shared" && pwd -P)"
      mkdir -p "$ROOTFS$shared"
      mount --bind -o ro "$shared" "$ROOTFS$shared"; MOUNTED+=("$ROOTFS$shared")
    fi
  fi
}
umount_all() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTED[$i]}" 2>/dev/null || true; done
  MOUNTED=()
}
trap umount_all EXIT

in_root() { chroot "$ROOTFS" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

build() {
  need_root
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_WANT" ]; then
    return 0
  fi
  command -v debootstrap >/dev/null || { echo "qgis-sid: install the Debian package debootstrap (make setup)" >&2; exit 1; }
  local t0=$SECONDS
  echo "qgis-sid: building a Debian sid root with QGIS in build/qgis-sid (about 10 minutes from nothing)"
  if findmnt -rn -o TARGET | grep -q "^$ROOTFS/"; then
    echo "qgis-sid: something is still mounted under $ROOTFS; not touching it" >&2; exit 1
  fi
  if [ ! -f "$BASE_STAMP" ]; then
    rm -rf "$ROOTFS"
    mkdir -p "$ROOTFS"
    local cache_args=()
    if [ -n "$CACHE" ]; then mkdir -p "$CACHE"; cache_args=(--cache-dir="$CACHE"); fi
    debootstrap --variant=minbase "${cache_args[@]}" sid "$ROOTFS" "$MIRROR" >"$WT/build/qgis-sid.debootstrap.log" 2>&1 || {
      tail -20 "$WT/build/qgis-sid.debootstrap.log" >&2; exit 1; }
    touch "$BASE_STAMP"
    echo "qgis-sid: base system in $((SECONDS - t0)) s"
  fi
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  # Check-Valid-Until off: a build machine whose clock runs ahead of the mirror's Release date would refuse sid
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\nAcquire::Check-Valid-Until "false";\n' \
    > "$ROOTFS/etc/apt/apt.conf.d/90lnrs"
  # no services started inside the root while installing (postgresql would start its cluster)
  printf '#!/bin/sh\nexit 101\n' > "$ROOTFS/usr/sbin/policy-rc.d"; chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
  # the certificate authorities this machine trusts (a TLS-inspecting proxy's, say), so pip works inside too
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$ROOTFS/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
  fi
  # the suite starts its own throwaway PostgreSQL: no default cluster
  mkdir -p "$ROOTFS/etc/postgresql-common"
  echo "create_main_cluster = false" > "$ROOTFS/etc/postgresql-common/createcluster.conf"
  mount_all
  local want_apt; want_apt="$(hash_of "${PACKAGES[@]}")"
  if [ "$(cat "$APT_STAMP" 2>/dev/null)" != "$want_apt" ]; then
    in_root apt-get update -qq
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >"$WT/build/qgis-sid.apt.log" 2>&1 || {
      tail -30 "$WT/build/qgis-sid.apt.log" >&2; exit 1; }
    # PostGIS for the PostgreSQL major that sid's postgresql brought (18 in December 2026)
    local pg; pg="$(ls "$ROOTFS/usr/lib/postgresql" | sort -n | tail -1)"
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$pg-postgis-3" \
      >>"$WT/build/qgis-sid.apt.log" 2>&1 || { tail -30 "$WT/build/qgis-sid.apt.log" >&2; exit 1; }
    echo "$want_apt" > "$APT_STAMP"
    echo "qgis-sid: QGIS and test packages installed at $((SECONDS - t0)) s"
  fi
  in_root update-ca-certificates >/dev/null 2>&1 || true
  [ -x "$ROOTFS$VENV/bin/python" ] || in_root python3 -m venv --system-site-packages "$VENV"
  in_root env PIP_CERT=/etc/ssl/certs/ca-certificates.crt "$VENV/bin/python" -m pip install -q \
    --disable-pip-version-check "${PIP_PACKAGES[@]}"
  # sid's python3-shapely 2.2 reports its version as 0+unknown: shapely 2 is told by its API
  in_root "$VENV/bin/python" -c "import shapely, qgis.core; assert hasattr(shapely, 'from_wkb'), shapely.__version__"
  umount_all
  echo "$STAMP_WANT" > "$STAMP"
  echo "qgis-sid: ready in $((SECONDS - t0)) s: $(in_root dpkg-query -W -f='QGIS ${Version}' python3-qgis)"
}

run_tests() {
  build
  mount_all worktree
  # QGIS 3.44's tier: the same tests, with the root's own venv (Debian's shapely 2, pip's pytest-qgis)
  in_root env HOME=/root QT_QPA_PLATFORM=offscreen LNRS_VENV="$VENV" \
    /bin/sh -c "cd '$WT' && exec '$VENV/bin/python' -m pytest -p no:cacheprovider tests/qgis $*"
}

case "${1:-}" in
  build) build ;;
  test) shift; run_tests "$@" ;;
  shell) build; mount_all worktree; chroot "$ROOTFS" /bin/bash ;;
  *) echo "usage: $0 build|test [pytest args]|shell" >&2; exit 2 ;;
esac
