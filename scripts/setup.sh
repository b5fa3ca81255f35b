#!/usr/bin/env bash
# Installs what LNRS Toolkit needs on Debian 12 (bookworm) or 13 (trixie); safe to run again.
#  - QGIS 3.40 LTR: from bookworm-backports on Debian 12 (the source is added when missing), from the
#    release's own archive on Debian 13. An older QGIS (3.22 from bookworm) is upgraded, with a line saying so.
#  - Xvfb, Qt tools, poppler, PostgreSQL + PostGIS (the PostGIS package follows the PostgreSQL major
#    version installed, else the one the archive offers: 15 on Debian 12, 17 on Debian 13), debootstrap
#    (for the QGIS 3.44 root: make test-qgis344)
#  - a venv in build/venv built on /usr/bin/python3 with --system-site-packages; where Debian ships
#    shapely 2 (python3-shapely on Debian 13) the venv uses it instead of pip's
set -euo pipefail
cd "$(dirname "$0")/.."

QGIS_MIN=3.40
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

# shellcheck disable=SC1091
CODENAME="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
case "$CODENAME" in
  bookworm) QGIS_SUITE=bookworm-backports ;;
  trixie) QGIS_SUITE="" ;;
  *)
    echo "setup: this script knows Debian 12 (bookworm) and 13 (trixie); found '${CODENAME:-unknown}'." >&2
    echo "setup: install QGIS >= $QGIS_MIN, python3-qgis and shapely >= 2 yourself (see README)." >&2
    exit 1 ;;
esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
installed_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

UPDATED=0
apt_update() {
  if [ "$UPDATED" = 0 ]; then $SUDO apt-get update -qq; UPDATED=1; fi
}

if [ "$CODENAME" = bookworm ] && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "setup: adding Debian's bookworm-backports archive (QGIS $QGIS_MIN LTR is there)"
  $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  UPDATED=0
fi

# ---------------------------------------------------------------- QGIS
QGIS_PACKAGES=(qgis python3-qgis qgis-providers)
qgis_now="$(installed_version python3-qgis)"
install_qgis=0
for pkg in "${QGIS_PACKAGES[@]}"; do installed "$pkg" || install_qgis=1; done
if [ -n "$qgis_now" ] && dpkg --compare-versions "$qgis_now" lt "$QGIS_MIN"; then
  echo "setup: upgrading QGIS $qgis_now to $QGIS_MIN LTR${QGIS_SUITE:+ from $QGIS_SUITE}"
  install_qgis=1
fi
if [ "$install_qgis" = 1 ]; then
  apt_update
  target=()
  [ -z "$QGIS_SUITE" ] || target=(-t "$QGIS_SUITE")
  echo "setup: installing QGIS (${QGIS_PACKAGES[*]})${QGIS_SUITE:+ from $QGIS_SUITE}"
  $SUDO apt-get install -y -qq --no-install-recommends "${target[@]}" "${QGIS_PACKAGES[@]}" >/dev/null
  qgis_now="$(installed_version python3-qgis)"
  if dpkg --compare-versions "$qgis_now" lt "$QGIS_MIN"; then
    echo "setup: QGIS $qgis_now was installed, but LNRS Toolkit is tested on $QGIS_MIN and later" >&2
    exit 1
  fi
fi

# ---------------------------------------------------------------- PostgreSQL major for PostGIS
pg_major() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$d" ] || continue
    d="${d#/usr/lib/postgresql/}"; d="${d%%/*}"
    if [ -z "$best" ] || [ "$d" -gt "$best" ]; then best="$d"; fi
  done
  if [ -z "$best" ]; then
    apt_update
    # the postgresql metapackage depends on postgresql-N
    best="$(apt-cache depends postgresql 2>/dev/null | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -1)"
  fi
  echo "$best"
}
PG="$(pg_major)"
[ -n "$PG" ] || { echo "setup: cannot tell which PostgreSQL version the archive offers" >&2; exit 1; }

# ---------------------------------------------------------------- the rest from the release's archive
APT_PACKAGES=(python3-psycopg2 python3-venv python3-pip xvfb xauth pyqt5-dev-tools qttools5-dev-tools
  poppler-utils "postgresql-$PG" "postgresql-$PG-postgis-3" zip debootstrap
  fonts-open-sans)  # QGIS's default text style uses Open Sans; without it QGIS tries to download it at start
[ "$CODENAME" = bookworm ] || APT_PACKAGES+=(python3-shapely)  # shapely 2.1 on Debian 13 (1.8 on 12)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt_update
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---------------------------------------------------------------- venv
VENV=build/venv
STAMP="$VENV/.requirements.sha256"
REQ=requirements-dev.txt
# shapely 2 judged by its API (shapely.from_wkb): a Debian build may report its version as 0+unknown
debian_shapely="$(/usr/bin/python3 -c 'import shapely; print(shapely.__version__ if hasattr(shapely, "from_wkb") else "")' \
  2>/dev/null || true)"
if [ -n "$debian_shapely" ]; then
  # Debian's shapely 2 links the same GEOS as QGIS: keep it rather than a pip wheel with its own GEOS
  REQ="$(mktemp)"
  trap 'rm -f "$REQ"' EXIT
  grep -v '^shapely==' requirements-dev.txt > "$REQ"
fi
want="$(cat "$REQ" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages into $VENV${debian_shapely:+ (shapely $debian_shapely from Debian)}"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ"
  echo "$want" > "$STAMP"
fi
"$VENV/bin/python" - <<'PY'
import shapely, qgis.core
assert hasattr(shapely, "from_wkb"), f"shapely {shapely.__version__} is not shapely 2"
PY
