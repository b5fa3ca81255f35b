#!/usr/bin/env bash
# Regenerate i18n/lnrs_toolkit_<locale>.ts from the sources (pylupdate5) and compile .qm (lrelease).
#   --compile-only   only turn the committed .ts files into .qm
set -euo pipefail
cd "$(dirname "$0")/.."
LOCALES=(en_GB)
LRELEASE=$(command -v lrelease || echo /usr/lib/qt5/bin/lrelease)
if [ "${1:-}" != "--compile-only" ]; then
  mapfile -t SOURCES < <(find plugin -name '*.py' -not -path '*/__pycache__/*' | sort)
  for loc in "${LOCALES[@]}"; do
    pylupdate5 -noobsolete "${SOURCES[@]}" -ts "i18n/lnrs_toolkit_${loc}.ts"
  done
fi
for ts in i18n/*.ts; do
  "$LRELEASE" -silent "$ts" -qm "${ts%.ts}.qm"
done
echo "i18n: $(ls i18n/*.ts | wc -l) .ts file(s) compiled"
