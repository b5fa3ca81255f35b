"""The demonstration site picked on a pack (pure Python: the module imports no Qt at import time)."""

from __future__ import annotations

from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.plugin.gui.demo_site import DEMO_HABITAT, demo_site
from shapely.geometry import box

X, Y = 370000.0, 160000.0


def test_demo_site_straddles_ancient_woodland_where_measures_are_mapped(tmp_path):
    pack = tmp_path / "demo.gpkg"

    def add(role, rows, geoms, mapping, fields):
        add_rows(pack, map_rows(role, rows, geoms, mapping, role, fields, "polygon"), {"lnrs_name": "Demo"})

    add("irreplaceable", [{"n": "Far Wood"}, {"n": "Near Wood"}],
        [box(X - 3000, Y, X - 2900, Y + 100), box(X, Y, X + 200, Y + 200)],
        FieldMapping(habitat_type="ancient_woodland", name_field="n"), ["n"])
    add("opportunity", [{"m": "WD001"}], [box(X + 150, Y - 100, X + 400, Y + 300)],
        FieldMapping(measures_field="m"), ["m"])
    index = PackIndex.build(read_pack(pack))
    site = demo_site(index)
    assert site is not None
    [result] = screen_sites(index, [site], ["demo"], proposed_habitat=DEMO_HABITAT)
    assert result.verdict == "red"
    assert [f.name for f in result.irreplaceable if f.relation == "overlap"] == ["Near Wood"]
    assert result.measure_codes == ("WD001",)
