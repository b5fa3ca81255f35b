"""The edit buffer survives a crash (issue 20, defect 8): a real QGIS process edits the working layer without
saving it, the autosave keeps its buffer in the working copy, the process is killed (SIGKILL), and resuming the
working copy brings every buffered edit back: a changed measure, a moved shape, a new area and a deletion."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import shapely
from lnrs_toolkit.plugin.core.editing.buffer_journal import buffered, replay_buffer
from lnrs_toolkit.plugin.core.editing.working_copy import WorkingCopy, check_out
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.unit.edit_packs import X0, Y0, build_edit_pack, row_fid

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"

EDIT_THEN_DIE = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {pkgroot!r})
    from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    from lnrs_toolkit.plugin.gui.edit_autosave import BufferAutosave
    from pathlib import Path

    layer = QgsVectorLayer({uri!r}, "my edits", "ogr")
    assert layer.isValid()
    autosave = BufferAutosave()
    autosave.attach(layer, Path({path!r}))
    layer.startEditing()
    idx = layer.fields().indexOf("measures")
    layer.changeAttributeValue({changed}, idx, "{{FW012}}")
    layer.changeGeometry({moved}, QgsGeometry.fromWkt({moved_wkt!r}))
    new = QgsFeature(layer.fields())
    new.setAttribute("measures", "{{GR002}}")
    new.setAttribute("name", "Drawn before the crash")
    new.setGeometry(QgsGeometry.fromWkt({new_wkt!r}))
    layer.addFeature(new)
    layer.deleteFeature({deleted})
    deadline = time.time() + 30
    while autosave.timer.isActive() and time.time() < deadline:  # the autosave fires on its own
        app.processEvents()
        time.sleep(0.05)
    print("buffered", flush=True)
    time.sleep(600)  # killed here: the layer is never saved
""")


def test_edits_in_the_layer_buffer_survive_a_killed_qgis(tmp_path):
    pack = tmp_path / "lhm.gpkg"
    build_edit_pack(pack)
    copy = check_out(read_pack(pack), str(pack), tmp_path / "w.gpkg")
    changed, moved, deleted = row_fid(copy.path, 1), row_fid(copy.path, 2), row_fid(copy.path, 3)
    moved_wkt = f"POLYGON(({X0 + 1000} {Y0}, {X0 + 1400} {Y0}, {X0 + 1400} {Y0 + 300}, {X0 + 1000} {Y0 + 300}, " \
                f"{X0 + 1000} {Y0}))"
    new_wkt = f"POLYGON(({X0} {Y0 + 2000}, {X0 + 200} {Y0 + 2000}, {X0 + 200} {Y0 + 2200}, {X0} {Y0 + 2200}, " \
              f"{X0} {Y0 + 2000}))"
    script = EDIT_THEN_DIE.format(pkgroot=str(PKGROOT), uri=copy.layer_uri, path=str(copy.path), changed=changed,
                                  moved=moved, moved_wkt=moved_wkt, new_wkt=new_wkt, deleted=deleted)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        line = proc.stdout.readline().strip()
        assert line == "buffered", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    # the layer was never saved: the working copy's table holds none of it, the journal holds all of it
    copy = WorkingCopy.open(copy.path)
    assert copy.edits() == []
    assert sorted(f.kind for f in buffered(copy.path)) == ["add", "change", "change", "delete"]
    # resuming brings every edit back as a change of the working copy
    assert replay_buffer(copy.path) == 4
    edits = {(e.kind, e.fid): e for e in copy.edits()}
    assert set(edits) == {("update", 1), ("update", 2), ("delete", 3), ("insert", None)}
    assert edits[("update", 1)].new.measures == "{FW012}"
    assert shapely.area(edits[("update", 2)].new.geometry) == 400 * 300
    assert edits[("insert", None)].new.name == "Drawn before the crash"
    assert buffered(copy.path) == [] and replay_buffer(copy.path) == 0
