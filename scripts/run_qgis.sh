#!/usr/bin/env bash
# Start QGIS desktop with LNRS Toolkit installed in a throwaway profile under build/.
#   HEADLESS=1  run under Xvfb, save build/screenshot.png and build/desktop_probe.json, exit.
#   PROBE_SITE=1 (with HEADLESS) also screens a demo site in the dock before the screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PROFILES="$ROOT/build/qgis-profile"
PROFILE=lnrs
PDIR="$PROFILES/profiles/$PROFILE"
VENV="${LNRS_VENV:-$ROOT/build/venv}"   # the QGIS 3.44 run (scripts/qgis_sid_root.sh) has its own
VENV_SITE="$(ls -d "$VENV"/lib/python3*/site-packages | head -1)"

mkdir -p "$PDIR/python/plugins" "$PDIR/QGIS"
"$VENV/bin/python" scripts/package.py --install "$PDIR/python/plugins" >/dev/null
INI="$PDIR/QGIS/QGIS3.ini"
if [ ! -f "$INI" ]; then
  cat > "$INI" <<'INI'
[PythonPlugins]
lnrs_toolkit=true

[qgis]
checkVersion=false
showTips=false
allowVersionCheck=false

[core]
NewsFeed\httpsfeedqgisorg\disabled=true
INI
fi
grep -q '^lnrs_toolkit=true' "$INI" || sed -i 's/^\[PythonPlugins\]$/[PythonPlugins]\nlnrs_toolkit=true/' "$INI"

# scripts/qgis_preload/sitecustomize.py loads shapely onto its own GEOS before QGIS 3.40's qgis.core imports it
export PYTHONPATH="$ROOT/scripts/qgis_preload:$VENV_SITE${PYTHONPATH:+:$PYTHONPATH}"
export LNRS_PLUGINS_DIR="$PDIR/python/plugins"
export LNRS_STARTUP_OPEN_DEMO=1
if [ "${PROBE_SITE:-}" = "1" ]; then export LNRS_PROBE_SITE=1; fi
ARGS=(--profiles-path "$PROFILES" --profile "$PROFILE" --nologo --noversioncheck --code "$ROOT/scripts/qgis_startup.py")

if [ "${HEADLESS:-}" = "1" ]; then
  export QT_QPA_PLATFORM=xcb
  export QT_ENABLE_HIGHDPI_SCALING=0  # screenshots in the screen's own pixels (1366 x 768), not scaled by Xvfb's DPI
  export LNRS_PROBE_OUT="$ROOT/build/desktop_probe.json"
  export LNRS_SCREENSHOT="$ROOT/build/screenshot.png"
  rm -f "$LNRS_PROBE_OUT" "$LNRS_SCREENSHOT"
  timeout "${QGIS_TIMEOUT:-240}" xvfb-run -a -s "-screen 0 1366x768x24 -dpi 96" qgis "${ARGS[@]}" >"$ROOT/build/qgis-desktop.log" 2>&1 || true
  if [ ! -f "$LNRS_PROBE_OUT" ]; then
    echo "run: QGIS did not report back; see build/qgis-desktop.log" >&2
    tail -20 "$ROOT/build/qgis-desktop.log" >&2
    exit 1
  fi
  cat "$LNRS_PROBE_OUT"; echo
  echo "run: screenshot saved to build/screenshot.png"
else
  unset QT_QPA_PLATFORM
  exec qgis "${ARGS[@]}"
fi
