"""Loading the translation that matches the user's QGIS locale."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from .__about__ import PLUGIN_ROOT, PLUGIN_SLUG

I18N_DIR = PLUGIN_ROOT / "i18n"


def qm_path_for(locale: str, i18n_dir: Path = I18N_DIR) -> Path | None:
    """The ``.qm`` file for ``locale`` (``en_GB``, then ``en``), if one exists."""
    candidates = [locale, locale.split("_")[0]]
    for name in candidates:
        path = i18n_dir / f"{PLUGIN_SLUG}_{name}.qm"
        if path.exists():
            return path
    return None


def user_locale() -> str:
    value = QgsSettings().value("locale/userLocale", "en_GB") or "en_GB"
    return str(value)[:5]


def install_translator() -> QTranslator | None:
    """Install and return the translator for the current locale (``None`` if no .qm)."""
    path = qm_path_for(user_locale())
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
