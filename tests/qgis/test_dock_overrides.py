"""Officers' overrides are kept with the site in the QGIS project and beside exported reports: reapplied for the
same site and pack content, flagged for review when the pack changed, and withdrawn with the record kept."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from qgis.core import QgsCoordinateReferenceSystem, QgsProject
from qgis.PyQt.QtWidgets import QInputDialog
from shapely.geometry import box

_spec = importlib.util.spec_from_file_location("dock_fixtures", Path(__file__).with_name("test_dock.py"))
assert _spec is not None and _spec.loader is not None
_dock_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_dock_tests)
X, Y, click_check, site_geometry = _dock_tests.X, _dock_tests.Y, _dock_tests.click_check, _dock_tests.site_geometry
dock, pack = _dock_tests.dock, _dock_tests.pack  # the fixtures

BNG = QgsCoordinateReferenceSystem("EPSG:27700")


def _check(dock, ref, x0=X):
    dock.site_panel.set_site_geometry(site_geometry(x0, Y, x0 + 100, Y + 100), BNG)
    dock.site_panel.ref_edit.setText(ref)
    click_check(dock)


def _answer(monkeypatch, text):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (text, True)))


def _mark_first_finding(dock, monkeypatch, why):
    view = dock.results_panel.results_view
    view.tree.setCurrentItem(view.finding_items()[0])
    _answer(monkeypatch, why)
    assert dock.results_panel.override_current_finding()


def test_overrides_are_kept_reapplied_reviewed_and_withdrawn(dock, pack, tmp_path, monkeypatch):
    panel = dock.results_panel
    dock.set_pack_path(str(pack))
    _check(dock, "24/0001/FUL")
    _mark_first_finding(dock, monkeypatch, "Wood felled in 1950, see 1951 aerial photo")
    [ov] = panel.overrides
    assert ov.geometry_hash and ov.pack_sha256 == dock.index.pack.metadata.content_sha256
    stored = json.loads(QgsProject.instance().readEntry("lnrs_toolkit", "overrides", "")[0])
    assert stored["schema"] == "lnrs-overrides/1" and stored["overrides"][0]["why"].startswith("Wood felled")

    _check(dock, "24/0002/FUL", X + 3000)  # another site: its results carry no override
    assert panel.overrides == []
    _check(dock, "24/0001/FUL")  # the same site again against the same pack: reapplied
    assert [o.why for o in panel.overrides] == [ov.why]
    assert panel.results_view.finding_items()[0].text(1) == "not applicable"
    _check(dock, "24/0001/FUL", X + 1)  # the same reference, a moved boundary: not this site any more
    assert panel.overrides == []

    # exports carry the override, and a sidecar log beside the report
    _check(dock, "24/0001/FUL")
    out = tmp_path / "report.json"
    assert panel.export_json(str(out)) == str(out)
    sidecar = json.loads((tmp_path / "report.json.overrides.json").read_text(encoding="utf-8"))
    assert [o["why"] for o in sidecar["overrides"]] == [ov.why]

    # the pack changed: the override is not applied but flagged for review
    changed = tmp_path / "changed.gpkg"
    shutil.copy(pack, changed)
    add_rows(changed, map_rows("designated", [{"n": "Heath"}], [box(X + 2000, Y, X + 2100, Y + 100)],
                               FieldMapping(designation="SSSI", name_field="n"), "designated", ["n"], "polygon"),
             {"lnrs_name": "Dock Test LNRS", "version": "4", "publication_date": "2026-01-31"})
    assert dock.set_pack_path(str(changed))
    _check(dock, "24/0001/FUL")
    assert panel.overrides == [] and panel.review_label.isVisible()
    assert "To review" in panel.review_label.text() and "Wood felled in 1950" in panel.review_label.text()
    out = tmp_path / "review.json"
    assert panel.export_json(str(out)) == str(out)
    assert json.loads(out.read_text(encoding="utf-8"))["overrides_for_review"][0]["why"] == ov.why
    html = tmp_path / "review.html"
    assert panel.export_html(str(html)) == str(html)
    assert "To review" in html.read_text(encoding="utf-8") and "so not applied" in html.read_text(encoding="utf-8")
    if shutil.which("pdftotext"):
        pdf = tmp_path / "review.pdf"
        assert panel.export_pdf(str(pdf)) == str(pdf), dock.last_message
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "To review" in text and "Wood felled in 1950" in " ".join(text.split())

    # back on the first pack: withdraw it (a reason is required), and it is not reapplied again
    assert dock.set_pack_path(str(pack))
    _check(dock, "24/0001/FUL")
    view = panel.results_view
    view.tree.setCurrentItem(view.finding_items()[0])
    assert panel.withdraw_button.isEnabled()
    _answer(monkeypatch, "  ")
    assert not panel.withdraw_current_override() and len(panel.overrides) == 1
    _answer(monkeypatch, "NE confirmed the wood is ancient")
    assert panel.withdraw_current_override()
    assert panel.overrides == [] and not panel.withdraw_button.isEnabled()
    assert view.finding_items()[0].text(1) != "not applicable"
    _check(dock, "24/0001/FUL")
    assert panel.overrides == []
    [entry] = json.loads(QgsProject.instance().readEntry("lnrs_toolkit", "overrides", "")[0])["overrides"]
    assert entry["status"] == "withdrawn" and entry["why"] == ov.why
    assert entry["withdrawn"]["why"] == "NE confirmed the wood is ancient" and entry["withdrawn"]["when"][:2] == "20"


def _new_project():
    QgsProject.instance().removeEntry("lnrs_toolkit", "overrides")  # as a fresh project: no overrides kept


def test_overrides_are_read_back_from_the_sidecar_of_an_exported_report(dock, pack, tmp_path, monkeypatch):
    panel = dock.results_panel
    dock.set_pack_path(str(pack))
    _check(dock, "24/0009/FUL")
    _mark_first_finding(dock, monkeypatch, "Hedge, not woodland: checked on site 2026-03-02")
    [ov] = panel.overrides
    report = tmp_path / "committee.json"
    assert panel.export_json(str(report)) == str(report)
    assert (tmp_path / "committee.json.overrides.json").is_file()

    _new_project()  # the same site in another project: the override comes back from the sidecar
    _check(dock, "24/0009/FUL")
    assert [o.why for o in panel.overrides] == [ov.why] and panel.review_label.isHidden()
    assert "read back from" in dock.last_message and "committee.json.overrides.json" in dock.last_message
    stored = json.loads(QgsProject.instance().readEntry("lnrs_toolkit", "overrides", "")[0])["overrides"]
    assert [o["why"] for o in stored] == [ov.why]  # and the project keeps it from now on

    _new_project()
    _check(dock, "24/0009/FUL", X + 1)  # the same reference with another boundary is another site: nothing read
    assert panel.overrides == [] and QgsProject.instance().readEntry("lnrs_toolkit", "overrides", "")[0] == ""

    # against another version of the pack, read back but flagged for review, not applied
    changed = tmp_path / "changed.gpkg"
    shutil.copy(pack, changed)
    add_rows(changed, map_rows("designated", [{"n": "Heath"}], [box(X + 2000, Y, X + 2100, Y + 100)],
                               FieldMapping(designation="SSSI", name_field="n"), "designated", ["n"], "polygon"),
             {"lnrs_name": "Dock Test LNRS", "version": "4", "publication_date": "2026-01-31"})
    assert dock.set_pack_path(str(changed))
    _new_project()
    _check(dock, "24/0009/FUL")
    assert panel.overrides == [] and "Hedge, not woodland" in panel.review_label.text()

    # a decision in the project wins over the sidecar: withdrawn there, it is not read back
    assert dock.set_pack_path(str(pack))
    _check(dock, "24/0009/FUL")
    view = panel.results_view
    view.tree.setCurrentItem(view.finding_items()[0])
    _answer(monkeypatch, "Ecologist's survey found ancient woodland indicators")
    assert panel.withdraw_current_override()
    _check(dock, "24/0009/FUL")
    assert panel.overrides == []

    # a sidecar that is gone is skipped without a word
    (tmp_path / "committee.json.overrides.json").unlink()
    _new_project()
    _check(dock, "24/0009/FUL")
    assert panel.overrides == []
