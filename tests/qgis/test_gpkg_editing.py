"""Check-out and check-in with real QGIS: the working copy is an ordinary OGR layer edited with QGIS's own editing
(buffer, commit), and after a check-in the pack's layers still open with OGR, spatial index included."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.editing.checkin import save_edits
from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
from lnrs_toolkit.plugin.core.editing.working_copy import check_out
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.unit.edit_packs import X0, Y0, build_edit_pack
from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry, QgsRectangle, QgsVectorLayer


@pytest.fixture()
def pack_path(tmp_path):
    path = tmp_path / "lhm.gpkg"
    build_edit_pack(path)
    return path


def ogr_layer(path, name):
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    assert layer.isValid(), f"{path}|layername={name} does not open with OGR"
    return layer


def by_pack_fid(layer):
    return {f["pack_fid"]: f for f in layer.getFeatures() if f["pack_fid"] is not None}


def test_working_copy_is_edited_in_qgis_and_checked_in_to_a_pack_ogr_reads(qgis_app, pack_path, tmp_path):
    copy = check_out(read_pack(pack_path), str(pack_path), tmp_path / "work.gpkg")
    layer = ogr_layer(copy.path, "opportunity_edits")
    assert layer.featureCount() == 3 and layer.crs().authid() == "EPSG:27700"
    assert layer.wkbType() == 6  # QgsWkbTypes.MultiPolygon
    choices = ogr_layer(copy.path, "measure_choices")
    assert sorted(f["label"] for f in choices.getFeatures())[0] == "FW012 — Re-naturalise river corridors."

    rows = by_pack_fid(layer)
    assert rows[1]["measures"] == "{WD001}"
    fields = layer.fields()
    assert layer.startEditing()
    # what the multi-select widget writes, a new vertex position, a deleted and a drawn feature
    assert layer.changeAttributeValue(rows[1].id(), fields.indexOf("measures"), "{WD001,GR002}")
    moved = QgsGeometry.fromWkt(f"MultiPolygon ((({X0 + 1000} {Y0}, {X0 + 1400} {Y0}, {X0 + 1400} {Y0 + 300}, "
                                f"{X0 + 1000} {Y0 + 300}, {X0 + 1000} {Y0})))")
    assert layer.changeGeometry(rows[2].id(), moved)
    assert layer.deleteFeature(rows[3].id())
    new = QgsFeature(fields)
    new.setGeometry(QgsGeometry.fromWkt(f"MultiPolygon ((({X0} {Y0 + 3000}, {X0 + 250} {Y0 + 3000}, "
                                        f"{X0 + 250} {Y0 + 3250}, {X0} {Y0 + 3250}, {X0} {Y0 + 3000})))"))
    new["measures"] = "{GR002}"
    new["name"] = "Drawn in QGIS"
    assert layer.addFeature(new)
    assert layer.commitChanges(), layer.commitErrors()

    edits = copy.edits()
    assert sorted((e.kind, e.fid) for e in edits if e.fid is not None) == [("delete", 3), ("update", 1), ("update", 2)]
    assert [e.new.name for e in edits if e.kind == "insert"] == ["Drawn in QGIS"]
    result = save_edits(GpkgOpportunityStore(pack_path), edits, reason="QGIS edit", user="tester",
                        pack=read_pack(pack_path))
    copy.after_save(result)
    assert result.applied == 4

    # the working copy, still open in QGIS, shows the inserted feature's pack fid after a reload
    layer.reload()
    assert sorted(f["pack_fid"] for f in layer.getFeatures()) == [1, 2, 4]
    assert copy.edits() == []

    # the pack opens with OGR and holds the edits; its spatial index finds the new area
    areas = ogr_layer(pack_path, "opportunity_areas")
    assert areas.featureCount() == 3
    values = {f.id(): (f["measures"], f["name"]) for f in areas.getFeatures()}
    assert values == {1: ("WD001;GR002", "Bath meadows"), 2: ("GR002;FW012", "River corridor"),
                      4: ("GR002", "Drawn in QGIS")}
    request = QgsFeatureRequest().setFilterRect(QgsRectangle(X0 + 100, Y0 + 3100, X0 + 150, Y0 + 3150))
    assert [f.id() for f in areas.getFeatures(request)] == [4]
    assert areas.extent().yMaximum() >= Y0 + 3250
    geometry = next(areas.getFeatures(QgsFeatureRequest(2))).geometry()
    assert geometry.equals(moved)
    audit = ogr_layer(pack_path, "opportunity_audit")
    assert sorted((f["feature_fid"], f["action"]) for f in audit.getFeatures()) == [
        (1, "update"), (2, "update"), (3, "delete"), (4, "insert")]
    assert {f["edited_by"] for f in audit.getFeatures()} == {"tester"}
    pack = read_pack(pack_path)
    assert pack.metadata.content_sha256 == content_hash(pack) == result.content_sha256


def test_pack_open_in_qgis_takes_a_check_in(qgis_app, pack_path, tmp_path):
    """Another QGIS layer holding the pack open (as the dock's map layers do) does not stop a check-in."""
    areas = ogr_layer(pack_path, "opportunity_areas")
    assert areas.featureCount() == 3
    copy = check_out(read_pack(pack_path), str(pack_path), tmp_path / "work.gpkg")
    layer = ogr_layer(copy.path, "opportunity_edits")
    target = by_pack_fid(layer)[1]
    assert layer.startEditing()
    assert layer.changeAttributeValue(target.id(), layer.fields().indexOf("name"), "Renamed")
    assert layer.commitChanges(), layer.commitErrors()
    save_edits(GpkgOpportunityStore(pack_path, busy_timeout=10), copy.edits(), reason="r", user="u",
               pack=read_pack(pack_path))
    areas.reload()
    assert next(areas.getFeatures(QgsFeatureRequest(1)))["name"] == "Renamed"
