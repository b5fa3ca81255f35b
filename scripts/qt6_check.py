"""Find (and, with --fix, rewrite) what breaks the plugin on a Qt6 build of QGIS (QGIS 4).

After the QGIS project's Qt6 migration notes (scripts/pyqt5_to_pyqt6 in the QGIS repository):
  - Qt bindings imported directly (PyQt5, PyQt6, sip) instead of through ``qgis.PyQt``;
  - ``qgis.PyQt.Qt`` (gone), ``QRegExp``, ``QDesktopWidget``, ``qApp``, ``QtWebKit`` (removed in Qt6);
  - ``QAction``, ``QActionGroup``, ``QShortcut`` from ``QtWidgets`` (they live in ``QtGui`` in Qt6;
    ``qgis.PyQt.QtGui`` has them on Qt5 too);
  - ``exec_()`` (``exec()`` in PyQt6);
  - enum members reached without their enum (``Qt.AlignLeft``, ``QVariant.String``, ``Qgis.Warning``,
    ``QgsWkbTypes.PolygonGeometry``): PyQt6 scopes every enum, so only ``Qt.AlignmentFlag.AlignLeft``,
    ``QMetaType.Type.QString``, ``Qgis.MessageLevel.Warning``, ``Qgis.GeometryType.Polygon`` work there.
    An unscoped member is any ``Name.Capitalised`` on a class imported from ``qgis`` that is neither called
    nor followed by another attribute; enum *types* used on their own (annotations) are listed in ENUM_TYPES.

Usage: ``python scripts/qt6_check.py [--fix] [PATHS...]`` (default: plugin/). Exit status 1 when something
is found. ``--fix`` rewrites the unscoped members listed in SCOPED (then run ``ruff check --fix`` for imports).
tests/unit/test_qt6_readiness.py runs the check on plugin/.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The scoped spelling of every unscoped member the plugin used (all exist from QGIS 3.40 on Qt5 and Qt6).
SCOPED: dict[str, str] = {
    "QVariant.String": "QMetaType.Type.QString",
    "QVariant.Double": "QMetaType.Type.Double",
    "QVariant.Int": "QMetaType.Type.Int",
    "QVariant.LongLong": "QMetaType.Type.LongLong",
    "QVariant.Bool": "QMetaType.Type.Bool",
    "Qgis.Critical": "Qgis.MessageLevel.Critical",
    "Qgis.Info": "Qgis.MessageLevel.Info",
    "Qgis.Success": "Qgis.MessageLevel.Success",
    "Qgis.Warning": "Qgis.MessageLevel.Warning",
    "QgsDataSourceUri.SslAllow": "QgsDataSourceUri.SslMode.SslAllow",
    "QgsDataSourceUri.SslDisable": "QgsDataSourceUri.SslMode.SslDisable",
    "QgsDataSourceUri.SslPrefer": "QgsDataSourceUri.SslMode.SslPrefer",
    "QgsDataSourceUri.SslRequire": "QgsDataSourceUri.SslMode.SslRequire",
    "QgsDataSourceUri.SslVerifyCa": "QgsDataSourceUri.SslMode.SslVerifyCa",
    "QgsDataSourceUri.SslVerifyFull": "QgsDataSourceUri.SslMode.SslVerifyFull",
    "QgsFeatureRequest.GeometryNoCheck": "Qgis.InvalidGeometryCheck.NoCheck",
    "QgsFeatureRequest.NoGeometry": "Qgis.FeatureRequestFlag.NoGeometry",
    "QgsFeatureSink.FastInsert": "QgsFeatureSink.Flag.FastInsert",
    "QgsLayoutExporter.Success": "QgsLayoutExporter.ExportResult.Success",
    "QgsMapLayerProxyModel.PolygonLayer": "Qgis.LayerFilter.PolygonLayer",
    "QgsProcessing.TypeVector": "Qgis.ProcessingSourceType.Vector",
    "QgsProcessing.TypeVectorAnyGeometry": "Qgis.ProcessingSourceType.VectorAnyGeometry",
    "QgsProcessing.TypeVectorPoint": "Qgis.ProcessingSourceType.VectorPoint",
    "QgsProcessing.TypeVectorPolygon": "Qgis.ProcessingSourceType.VectorPolygon",
    "QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks":
        "QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks",
    "QgsProcessingParameterDefinition.FlagAdvanced": "Qgis.ProcessingParameterFlag.Advanced",
    "QgsProcessingParameterNumber.Double": "Qgis.ProcessingNumberParameterType.Double",
    "QgsProcessingParameterNumber.Integer": "Qgis.ProcessingNumberParameterType.Integer",
    "QgsRenderContext.TextFormatAlwaysText": "Qgis.TextRenderFormat.AlwaysText",
    "QgsTask.CanCancel": "QgsTask.Flag.CanCancel",
    "QgsTask.Complete": "QgsTask.TaskStatus.Complete",
    "QgsTask.Terminated": "QgsTask.TaskStatus.Terminated",
    "QgsUnitTypes.DistanceMeters": "Qgis.DistanceUnit.Meters",
    "QgsWkbTypes.LineGeometry": "Qgis.GeometryType.Line",
    "QgsWkbTypes.PointGeometry": "Qgis.GeometryType.Point",
    "QgsWkbTypes.PolygonGeometry": "Qgis.GeometryType.Polygon",
    "QgsWkbTypes.MultiPolygon": "Qgis.WkbType.MultiPolygon",
    "QgsWkbTypes.NoGeometry": "Qgis.WkbType.NoGeometry",
    "QgsWkbTypes.Point": "Qgis.WkbType.Point",
    "QgsWkbTypes.Unknown": "Qgis.WkbType.Unknown",
    "QgsPalLayerSettings.OverPoint": "Qgis.LabelPlacement.OverPoint",
}

#: Enum (or nested class) types that may appear on their own, e.g. in annotations.
ENUM_TYPES = {"Qgis.MessageLevel", "Qgis.GeometryType", "Qgis.WkbType", "QgsTask.TaskStatus",
              "QMetaType.Type"}

REMOVED = {"QRegExp": "QRegularExpression", "QDesktopWidget": "QScreen (QGuiApplication.screens())",
           "qApp": "QApplication.instance()"}
MOVED_TO_QTGUI = {"QAction", "QActionGroup", "QShortcut"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text} -> {self.fix}"


def _imported_from(tree: ast.AST) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
    return names


def check_source(source: str, path: str = "<string>") -> list[Finding]:
    """Every Qt6 breaker in one Python source."""
    tree = ast.parse(source)
    found: list[Finding] = []
    names = _imported_from(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in ("PyQt5", "PyQt6", "sip"):
                    found.append(Finding(path, node.lineno, f"import {alias.name}", "import through qgis.PyQt"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            if top in ("PyQt5", "PyQt6", "sip"):
                found.append(Finding(path, node.lineno, f"from {node.module} import ...",
                                     f"from qgis.PyQt{node.module[len(top):]} import ..."))
            if node.module == "qgis.PyQt.Qt" or "QtWebKit" in node.module:
                found.append(Finding(path, node.lineno, f"from {node.module} import ...", "removed in Qt6"))
            for alias in node.names:
                if alias.name in MOVED_TO_QTGUI and node.module.endswith("QtWidgets"):
                    found.append(Finding(path, node.lineno, f"{alias.name} from {node.module}",
                                         f"from qgis.PyQt.QtGui import {alias.name}"))
                if alias.name in REMOVED:
                    found.append(Finding(path, node.lineno, alias.name, REMOVED[alias.name]))
        elif isinstance(node, ast.Attribute):
            if node.attr == "exec_":
                found.append(Finding(path, node.lineno, ".exec_()", ".exec()"))
            elif isinstance(node.value, ast.Name) and node.attr[:1].isupper() and not node.attr.isupper():
                module = names.get(node.value.id, "")
                parent = parents.get(node)
                if not module.startswith("qgis") or (isinstance(parent, ast.Attribute) and parent.value is node) \
                        or (isinstance(parent, ast.Call) and parent.func is node):
                    continue
                text = f"{node.value.id}.{node.attr}"
                if text not in ENUM_TYPES:
                    found.append(Finding(path, node.lineno, text, SCOPED.get(text, "the member through its enum")))
    return found


def check_paths(paths: list[Path]) -> list[Finding]:
    found: list[Finding] = []
    for base in paths:
        for path in sorted(base.rglob("*.py") if base.is_dir() else [base]):
            rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
            found += check_source(path.read_text(encoding="utf-8"), rel)
    return found


def fix_source(source: str) -> str:
    """SCOPED members rewritten; ``Qgis``/``QMetaType`` imported where the new spelling needs them."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue  # comments may name the old spelling on purpose
        for old, new in SCOPED.items():
            line = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w.])", new, line)
        lines[i] = line
    source = "\n".join(lines)
    imported = _imported_from(ast.parse(source))
    if re.search(r"(?<![\w.])Qgis\.", source) and imported.get("Qgis") != "qgis.core":
        source = re.sub(r"^from qgis\.core import \(?\s*", lambda m: m.group(0) + "Qgis, ", source, count=1,
                        flags=re.M)
    if "QMetaType.Type." in source and imported.get("QMetaType") != "qgis.PyQt.QtCore":
        source = re.sub(r"^from qgis\.PyQt\.QtCore import \(?\s*", lambda m: m.group(0) + "QMetaType, ", source,
                        count=1, flags=re.M)
    return source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fix", action="store_true", help="rewrite the unscoped members listed in SCOPED")
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "plugin"])
    args = parser.parse_args(argv)
    if args.fix:
        for base in args.paths:
            for path in sorted(base.rglob("*.py") if base.is_dir() else [base]):
                text = path.read_text(encoding="utf-8")
                fixed = fix_source(text)
                if fixed != text:
                    path.write_text(fixed, encoding="utf-8")
                    print(f"fixed {path}")
    found = check_paths([p.resolve() for p in args.paths])
    for finding in found:
        print(finding)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
