#!/usr/bin/env bash
# Installs what LNRS Toolkit needs on a Debian 12 machine; safe to run again.
#  - Debian packages (QGIS 3.22 LTR, Xvfb, Qt tools, poppler, PostgreSQL + PostGIS)
#  - a venv in build/venv built on /usr/bin/python3 with --system-site-packages
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(qgis python3-qgis qgis-providers python3-psycopg2 python3-venv python3-pip xvfb xauth
  pyqt5-dev-tools qttools5-dev-tools poppler-utils postgresql postgresql-15-postgis-3 zip)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

VENV=build/venv
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum requirements-dev.txt | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  echo "$want" > "$STAMP"
fi
"$VENV/bin/python" - <<'PY'
import shapely, qgis.core
assert shapely.__version__.split(".")[0] == "2", shapely.__version__
PY
