"""The demo pack in the project: styled layers in a group named after the pack."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.project_layers import add_pack_to_project, demo_pack_path, group_extent, pack_group_name
from qgis.core import Qgis, QgsCategorizedSymbolRenderer, QgsProject


@pytest.fixture()
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


def test_demo_pack_is_bundled_small_and_honest():
    path = demo_pack_path()
    assert path.is_file()
    assert path.stat().st_size < 5_000_000
    pack = read_pack(path)
    meta = pack.metadata
    assert meta.lnrs_name.startswith("Demo Local Habitat Map")
    assert meta.version == "2026.1-demo"
    assert "© Natural England" in meta.attribution
    assert "REAL" in meta.provenance and "ILLUSTRATIVE" in meta.provenance
    assert {"designated_sites", "irreplaceable_habitats", "ancient_trees", "opportunity_areas", "strategy_area",
            "measures"} <= set(pack.layers)
    assert set(pack.layers["designated_sites"].columns["designation"]) == {"SSSI", "SAC", "SPA", "LNR"}
    assert set(pack.layers["irreplaceable_habitats"].columns["status"]) == {"ASNW", "PAWS"}
    codes = {c for m in pack.layers["opportunity_areas"].columns["measures"] for c in m.split(";")}
    assert {"WD001", "WD006", "FW012", "XX999"} <= codes
    assert "XX999" not in pack.measures and "FW012" in pack.measures
    trees = pack.layers["ancient_trees"]
    assert 15 <= len(trees) <= 25
    assert None in trees.columns["stem_diameter_m"] and any(trees.columns["stem_diameter_m"])


def test_pack_layers_added_styled_in_a_named_group(project):
    path = demo_pack_path()
    group = add_pack_to_project(str(path), project)
    name = pack_group_name(read_pack(path))
    assert group.name() == name and "2026.1-demo" in name
    layers = {node.layer().customProperty("lnrs_toolkit/pack_table"): node.layer() for node in group.findLayers()}
    assert list(layers)[:2] == ["ancient_trees", "designated_sites"]  # trees drawn on top
    assert all(layer.isValid() for layer in layers.values())
    designated = layers["designated_sites"]
    assert isinstance(designated.renderer(), QgsCategorizedSymbolRenderer)
    assert {c.value() for c in designated.renderer().categories()} >= {"SSSI", "SAC", "SPA", "LNR"}
    assert layers["opportunity_areas"].labelsEnabled()
    assert "measures" in layers["opportunity_areas"].labeling().settings().fieldName
    assert layers["opportunity_areas"].labeling().settings().placement == Qgis.LabelPlacement.OverPoint
    assert layers["designated_sites"].featureCount() == 66
    extent = group_extent(group)
    assert 350000 < extent.xMinimum() < extent.xMaximum() < 385000

    again = add_pack_to_project(str(path), project)  # replaces, does not duplicate
    assert len([g for g in project.layerTreeRoot().children() if g.name() == name]) == 1
    assert len(project.mapLayers()) == len(again.findLayers())


def test_open_pack_zooms_the_canvas(project, qgis_canvas):
    from lnrs_toolkit.plugin.project_layers import open_pack_in_project

    group = open_pack_in_project(str(demo_pack_path()), canvas=qgis_canvas)
    assert project.crs().authid() == "EPSG:27700"
    assert project.ellipsoid() == "EPSG:7001"
    shown = qgis_canvas.extent()
    assert shown.contains(group_extent(group).center())
    assert shown.width() < 100_000


def test_opportunity_labels_show_codes_without_braces(qgis_app):
    """Issue 20, defect 9: a working copy's ``{WD001,WD006}`` and the pack's ``WD001;WD006`` label alike."""
    from lnrs_toolkit.plugin.project_layers import MEASURES_LABEL
    from qgis.core import QgsExpression, QgsExpressionContext, QgsFeature, QgsField, QgsFields
    from qgis.PyQt.QtCore import QVariant

    fields = QgsFields()
    fields.append(QgsField("measures", QVariant.String))
    expression = QgsExpression(MEASURES_LABEL)
    assert not expression.hasParserError(), expression.parserErrorString()
    shown = []
    for stored in ("{WD001,WD006}", "WD001;WD006", '{"WD001","WD006"}', "WD001", "{}"):
        feature = QgsFeature(fields)
        feature.setAttribute("measures", stored)
        context = QgsExpressionContext()
        context.setFeature(feature)
        shown.append(expression.evaluate(context))
    assert shown == ["WD001, WD006", "WD001, WD006", "WD001, WD006", "WD001", ""]
