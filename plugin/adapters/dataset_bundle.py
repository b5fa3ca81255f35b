"""A whole download at once: the layers of a folder, a .zip or a multi-layer GeoPackage, as QGIS layers.

Also opens a CSV whose WKT ``geometry`` column (planning.data.gov.uk's downloads) would otherwise be read
as text.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import QgsProviderRegistry, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError

#: File types read in a folder or .zip (a shapefile's companions come with it).
VECTOR_SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".gpkg", ".shp", ".csv", ".kml", ".gml", ".fgb")
#: Column names holding WKT in CSV downloads, matched case-insensitively.
WKT_COLUMNS: tuple[str, ...] = ("geometry", "wkt", "geom")


def tr(message: str) -> str:
    return str(QCoreApplication.translate("DatasetBundle", message))


@dataclass(frozen=True)
class BundleLayer:
    name: str  # file name, plus '|layer' for a layer of a multi-layer file
    layer: QgsVectorLayer


def _csv_header(path: Path) -> list[str]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            return next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError):
        return []


def _csv_layer(path: Path, name: str) -> QgsVectorLayer:
    header = _csv_header(path)
    wkt = next((h for h in header if h.strip().lower() in WKT_COLUMNS), "")
    uri = f"{Path(path).resolve().as_uri()}?type=csv&detectTypes=yes"
    if wkt:
        uri += f"&wktField={wkt}&crs=EPSG:4326"  # the header names it exactly
    else:
        uri += "&geomType=none"
    return QgsVectorLayer(uri, name, "delimitedtext")


def _sublayers(uri: str, label: str) -> list[BundleLayer]:
    out = []
    details = QgsProviderRegistry.instance().querySublayers(uri)
    vector = [d for d in details if d.providerKey() == "ogr" and d.name() != "layer_styles"]
    for d in vector:
        name = label if len(vector) == 1 else f"{label}|{d.name()}"
        out.append(BundleLayer(name, QgsVectorLayer(d.uri(), name, "ogr")))
    return out


def _file_layers(path: Path, label: str, uri: str | None = None) -> list[BundleLayer]:
    if path.suffix.lower() == ".csv" and uri is None:
        return [BundleLayer(label, _csv_layer(path, label))]
    return _sublayers(uri or str(path), label)


def is_csv_with_geometry(value: Any) -> bool:
    if not isinstance(value, str) or not value.lower().endswith(".csv") or not Path(value).is_file():
        return False
    return any(h.strip().lower() in WKT_COLUMNS for h in _csv_header(Path(value)))


def is_bundle(value: Any) -> bool:
    """A folder, a .zip, or a GeoPackage with more than one vector layer."""
    if not isinstance(value, str) or "|" in value:
        return False
    path = Path(value)
    if path.is_dir() or (path.is_file() and path.suffix.lower() == ".zip"):
        return True
    if path.is_file() and path.suffix.lower() == ".gpkg":
        return len(_sublayers(str(path), path.name)) > 1
    return False


def bundle_layers(value: str) -> list[BundleLayer]:
    """Every vector layer of the folder / .zip / GeoPackage at ``value``, in a stable order."""
    path = Path(value)
    layers: list[BundleLayer] = []
    if path.is_dir():
        for f in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in VECTOR_SUFFIXES):
            layers.extend(_file_layers(f, str(f.relative_to(path))))
    elif path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted(n for n in archive.namelist() if Path(n).suffix.lower() in VECTOR_SUFFIXES)
        except (OSError, zipfile.BadZipFile) as exc:
            raise InputError(tr("'{0}' cannot be opened as a .zip ({1}).").format(path.name, exc)) from exc
        for member in members:
            if member.lower().endswith(".csv"):
                raise InputError(tr("'{0}' in '{1}' is a CSV: unzip the download and give the folder, so its WKT "
                                    "geometry column can be read.").format(member, path.name))
            layers.extend(_file_layers(Path(member), member, f"/vsizip/{path.resolve()}/{member}"))
    else:
        layers.extend(_file_layers(path, path.name))
    invalid = [b.name for b in layers if not b.layer.isValid()]
    if invalid:
        raise InputError(tr("{0} could not be opened as a vector layer: {1}.").format(
            path.name, ", ".join(invalid)))
    if not layers:
        raise InputError(tr("'{0}' holds no vector layer (looked for {1}).").format(
            path.name, ", ".join(VECTOR_SUFFIXES)))
    return layers
