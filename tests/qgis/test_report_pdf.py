"""The committee report: a PDF from the layout template (checked by text extraction and page count) and the HTML
report with the same content, for a site with many findings, overrides and notes."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from qgis.core import QgsCoordinateReferenceSystem
from qgis.PyQt.QtWidgets import QInputDialog
from shapely.geometry import box

_spec = importlib.util.spec_from_file_location("dock_fixtures", Path(__file__).with_name("test_dock.py"))
assert _spec is not None and _spec.loader is not None
_dock_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_dock_tests)
X, Y, click_check, site_geometry = _dock_tests.X, _dock_tests.Y, _dock_tests.click_check, _dock_tests.site_geometry
dock = _dock_tests.dock  # the fixture

BNG = QgsCoordinateReferenceSystem("EPSG:27700")
ATTRIBUTION = ("© Natural England copyright. Contains Ordnance Survey data © Crown copyright and database right "
               "2024.")
NEEDS_POPPLER = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
                                   reason="needs pdftotext and pdfinfo (poppler-utils)")


@pytest.fixture(scope="module")
def big_pack(tmp_path_factory):
    """A strategy area with one SSSI of 30 parts and 8 ancient woods around the site, half its area mapped for
    a measure and a fifth of the site outside the strategy area (a note)."""
    path = tmp_path_factory.mktemp("bigpack") / "big_pack.gpkg"
    meta = {"lnrs_name": "West of England LNRS", "version": "2", "publication_date": "2025-11-30",
            "responsible_authority": "Bath and North East Somerset Council", "attribution": ATTRIBUTION,
            "licence": "Open Government Licence v3.0", "source": "Natural England open data, retrieved 2024-06-01"}

    def add(role, rows, geoms, mapping, fields, kind="polygon"):
        add_rows(path, map_rows(role, rows, geoms, mapping, role, fields, kind), meta)

    add("area", [{}], [box(X - 5000, Y - 5000, X + 80, Y + 5000)], FieldMapping(), [])
    sssi = [({"n": "Avon Gorge"}, box(X + 150 + 40 * (i % 10), Y - 200 + 60 * (i // 10),
                                                    X + 180 + 40 * (i % 10), Y - 170 + 60 * (i // 10)))
            for i in range(30)]
    add("designated", [r for r, _ in sssi], [g for _, g in sssi], FieldMapping(designation="SSSI", name_field="n"),
        ["n"])
    woods = [({"n": f"Wood {chr(65 + i)} with a long name that has to wrap in its cell"},
              box(X - 300 + 45 * i, Y + 80, X - 270 + 45 * i, Y + 110)) for i in range(8)]
    add("irreplaceable", [r for r, _ in woods], [g for _, g in woods],
        FieldMapping(habitat_type="ancient_woodland", name_field="n"), ["n"])
    add("opportunity", [{"m": "WD001"}], [box(X, Y, X + 50, Y + 100)], FieldMapping(measures_field="m"), ["m"])
    add("measures", [{"c": "WD001", "t": "Woodland", "x": "Buffer and link ancient woods."}], None,
        FieldMapping(code_field="c", theme_field="t", text_field="x"), ["c", "t", "x"])
    return path


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    # -raw: QGIS 3.40 draws label text word by word, which pdftotext's layout analysis reads as columns
    raw = subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(raw.stdout.replace("\ufb01", "fi").replace("\ufb00", "ff").replace("\ufb03", "ffi").split())


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture()
def reported(dock, big_pack, monkeypatch):
    dock.set_pack_path(str(big_pack))
    dock.site_panel.officer_edit.setText("Jo Planner")
    dock.site_panel.officer_edit.editingFinished.emit()
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), BNG)
    dock.site_panel.ref_edit.setText("25/01234/FUL")
    dock.site_panel.address_edit.setText("Land north of  Mill Lane, Bathford BA1 7XX")
    click_check(dock)
    view = dock.results_panel.results_view
    view.tree.setCurrentItem(view.finding_items()[0])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (
        "The wood was felled under licence in 1962; the 1968 aerial photograph shows arable land across the whole "
        "parcel, so the inventory polygon is a mapping error reported to Natural England.", True)))
    assert dock.results_panel.override_current_finding()
    return dock


@NEEDS_POPPLER
def test_the_pdf_report_carries_everything_over_several_pages(reported, tmp_path):
    dock = reported
    result = dock.results_panel.results[0]
    assert len(result.designated_sites) + len(result.irreplaceable) >= 30
    out = tmp_path / "committee.pdf"
    assert dock.results_panel.export_pdf(str(out)) == str(out), dock.last_message
    keep = os.environ.get("LNRS_REPORT_OUT")  # the README's report pages are made from it
    if keep:
        shutil.copy(out, keep)
    pages = _pages(out)
    assert pages >= 2
    first = _text(out, 1, 1)
    for expected in ("Bath and North East Somerset Council", "Application reference: 25/01234/FUL",
                     "Address: Land north of Mill Lane, Bathford BA1 7XX",
                     "Grid reference: ST 700", "Officer: Jo Planner", "Verdict: RED", "Scale 1:",
                     "Search distance: 500 m", "Where the site is", f"Page 1 of {pages}"):
        assert expected in first, expected
    text = _text(out)
    for expected in ("West of England LNRS, version 2 (published 2025-11-30)",
                     dock.index.pack.metadata.content_sha256, ATTRIBUTION, "Open Government Licence v3.0",
                     "Natural England open data", "WD001 (50.0% of the site): Buffer and link ancient woods.",
                     "outside the strategy area", "does not replace an ecologist's survey",
                     "reported to Natural England.", "Coordinates", f"Page {pages} of {pages}"):
        assert expected in text, expected
    for note in result.notes:
        assert " ".join(note.split()) in text, note
    last = _text(out, pages, pages)
    assert "LNRS screening report – site 25/01234/FUL" in last  # the running header
    assert "Finding Relation" in _text(out, 2, 2)  # the table's header repeats on the next page
    # one row for the SSSI of 30 parts, with its nearest distance and parts count, its parts listed below it
    sssi = min(result.designated_groups, key=lambda g: g.distance_m)
    assert sssi.n_parts == 30
    assert text.count("SSSI: Avon Gorge") == 1
    assert f"SSSI: Avon Gorge nearby 0.0 {sssi.distance_m:,.1f} 30" in text
    assert "– part 1 nearby" in text and "– part 30 nearby" in text and "– part 31" not in text


def test_the_html_report_matches_and_strikes_only_the_finding(reported, tmp_path):
    dock = reported
    out = tmp_path / "committee.html"
    assert dock.results_panel.export_html(str(out)) == str(out), dock.last_message
    html = out.read_text(encoding="utf-8")
    for expected in ("Bath and North East Somerset Council", "Application reference: 25/01234/FUL",
                     "Address: Land north of Mill Lane, Bathford BA1 7XX",
                     "Grid reference: ST 700", "data:image/png;base64,", "Jo Planner",
                     "Open Government Licence v3.0", "What this covers", "outside the strategy area"):
        assert expected in html, expected
    # the finding's row is struck through, all but its last cell, which holds the officer's reason
    row = next(line for line in html.splitlines() if "felled under licence" in line and "overridden" in line)
    assert row.startswith('<tr class="overridden">') or row.startswith('<tr class="part overridden">'), row
    assert ".overridden td:not(:last-child) { text-decoration: line-through" in html
    reason_cell = row[row.rindex("<td"):]
    assert "felled under licence" in reason_cell
    data = json.loads((tmp_path / "committee.html.overrides.json").read_text(encoding="utf-8"))
    assert data["overrides"][0]["why"].startswith("The wood was felled")


@NEEDS_POPPLER
def test_the_html_map_states_the_scale_the_pdf_map_is_drawn_at(reported, tmp_path):
    import re

    from lnrs_toolkit.plugin.gui.report_export import MAP_MM, load_layout
    from qgis.core import QgsLayoutItemMap, QgsProject

    layout = load_layout(QgsProject.instance())
    item = layout.itemById("map")
    assert isinstance(item, QgsLayoutItemMap) and (item.rect().width(), item.rect().height()) == MAP_MM
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    assert reported.results_panel.export_pdf(str(pdf)) == str(pdf)
    assert reported.results_panel.export_html(str(html)) == str(html)
    pdf_scale = re.search(r"Scale 1:([\d,]+) on A4", _text(pdf, 1, 1))
    html_scale = re.search(r"Scale 1:([\d,]+) on A4", html.read_text(encoding="utf-8"))
    assert pdf_scale and html_scale and pdf_scale.group(1) == html_scale.group(1) == "10,000"
    text = html.read_text(encoding="utf-8")
    assert "north is up" in text and "the map is 1,250 m across" in text and 'class="scalebar"' in text


def test_the_json_export_has_the_site_geometry_officer_and_time(reported, tmp_path):
    out = tmp_path / "r.json"
    assert reported.results_panel.export_json(str(out)) == str(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    geometry = data["site_geometry"]
    assert geometry["type"] in ("Polygon", "MultiPolygon") and "27700" in json.dumps(geometry)
    assert data["report"]["officer"] == "Jo Planner" and data["report"]["generated_at"][:2] == "20"


@NEEDS_POPPLER
def test_a_site_that_was_not_screened_says_so_in_the_pdf(dock, qgis_iface, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer

    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    small = pack_dir / "p.gpkg"
    add_rows(small, map_rows("area", [{}], [box(X - 5000, Y - 5000, X + 5000, Y + 5000)], FieldMapping(), "area", [],
                             "polygon"), {"lnrs_name": "Small LNRS", "version": "1"})
    assert dock.set_pack_path(str(small))
    layer = QgsVectorLayer("Polygon?crs=EPSG:27700&field=app:string", "apps", "memory")
    feats = []
    for ref, wkt in (("FLAT/1", f"POLYGON(({X} {Y},{X + 10} {Y},{X} {Y}))"),
                     ("OUT/1", _dock_tests.wkt_box(X + 9000, Y, X + 9100, Y + 100))):
        feat = QgsFeature(layer.fields())
        feat.setAttributes([ref])
        feat.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    layer.setDisplayExpression('"app"')
    QgsProject.instance().addMapLayer(layer, False)
    layer.selectAll()
    qgis_iface.setActiveLayer(layer)
    assert dock.site_panel.use_selected_features()
    dock.site_panel.check(synchronous=True)
    flat, out_site = dock.results_panel.results
    dock.results_panel.summary_table.setCurrentCell(0, 0)
    pdf = tmp_path / "not_screened.pdf"
    assert dock.results_panel.export_pdf(str(pdf)) == str(pdf), dock.last_message
    first = _text(pdf, 1, 1)
    assert "site FLAT/1" in first and "Verdict: NOT SCREENED" in first and "Not screened:" in first
    assert " ".join(flat.message.split()) in first
    text = _text(pdf)
    for line in (*out_site.reasons, *out_site.notes):  # a site outside the map: every reason and note is printed
        assert " ".join(line.split()) in text, line
    keep = os.environ.get("LNRS_NOT_SCREENED_OUT")
    if keep:
        shutil.copy(pdf, keep)
