"""Officers' overrides kept with the site: geometry hash, reapplying, review when the pack changed, withdrawal with
the audit kept, and the log's JSON (pure Python)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.plugin.core.screening.overrides import (
    dumps_log,
    loads_log,
    override_for,
    reapply,
    record,
    result_payload,
    site_geometry_hash,
    withdraw,
)
from lnrs_toolkit.plugin.core.screening.results import SiteError
from shapely.geometry import Polygon, box

from .packs import add_sites, build_small_pack

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
SITE = box(10, 10, 90, 290)


@pytest.fixture()
def result(tmp_path):
    pack = tmp_path / "p.gpkg"
    build_small_pack(pack)
    add_sites(pack, [{"name": "Moor", "desig": "SSSI", "ref": "M1"}], [box(0, 0, 100, 100)], source="s")
    index = PackIndex.build(read_pack(pack))
    [res] = screen_sites(index, [SITE], ["24/0001/FUL"])
    assert res.designated_sites
    return res


def test_geometry_hash_ignores_ring_start_and_direction_but_not_a_moved_corner():
    ring = [(10, 10), (90, 10), (90, 290), (10, 290)]
    h = site_geometry_hash(Polygon(ring))
    assert h == site_geometry_hash(Polygon(ring[2:] + ring[:2])) == site_geometry_hash(Polygon(ring[::-1]))
    assert h == site_geometry_hash(Polygon([(10.0002, 10), *ring[1:]]))  # below a millimetre
    assert h != site_geometry_hash(Polygon([(10.01, 10), *ring[1:]]))  # a centimetre
    assert len(h) == 64 and site_geometry_hash(None) == ""


def test_reapplied_for_the_same_site_and_pack_flagged_when_the_pack_changed(result):
    finding = result.designated_sites[0]
    gh = site_geometry_hash(SITE)
    ov = override_for(result, finding, "A. Officer", "  Boundary   mapped wrongly ", gh, T0)
    assert ov.why == "Boundary mapped wrongly" and ov.pack_sha256 == result.habitat_map.sha256
    log = record([], ov)
    assert reapply(log, result, gh).active == (ov,) and reapply(log, result, gh).for_review == ()
    assert reapply(log, result, site_geometry_hash(box(10, 10, 90, 291))).active == ()  # another geometry
    other_ref = dataclasses.replace(result, site_ref="24/0002/FUL")
    assert reapply(log, other_ref, gh) == reapply([], result, gh)
    new_pack = dataclasses.replace(result, habitat_map=dataclasses.replace(result.habitat_map, sha256="f" * 64))
    again = reapply(log, new_pack, gh)
    assert again.active == () and again.for_review == (ov,)
    assert result_payload(new_pack, again.active, again.for_review)["overrides_for_review"][0]["why"] == ov.why
    assert "overrides_for_review" not in result_payload(result, [ov])
    assert reapply(log, SiteError("24/0001/FUL", "outside"), gh).active == ()


def test_withdrawal_keeps_the_audit_and_stops_reapplying(result):
    finding = result.designated_sites[0]
    gh = site_geometry_hash(SITE)
    ov = override_for(result, finding, "A. Officer", "Boundary mapped wrongly", gh, T0)
    with pytest.raises(InputError, match="reason"):
        withdraw(ov, "B. Officer", "  ")
    gone = withdraw(ov, "B. Officer", "Checked on site: the SSSI does reach the site", T0 + timedelta(days=1))
    log = record(record([], ov), gone)
    assert log == [gone] and gone.withdrawn
    assert gone.to_dict()["status"] == "withdrawn"
    assert gone.to_dict()["withdrawn"] == {"who": "B. Officer", "when": "2026-03-02T09:00:00+00:00",
                                           "why": "Checked on site: the SSSI does reach the site"}
    assert gone.who == "A. Officer" and gone.why == "Boundary mapped wrongly"  # the original decision is kept
    assert reapply(log, result, gh).active == ()
    with pytest.raises(InputError, match="already withdrawn"):
        withdraw(gone, "C", "again")
    # marked again later: the latest decision counts
    later = override_for(result, finding, "C. Officer", "Agreed with NE", gh, T0 + timedelta(days=2))
    assert reapply(record(log, later), result, gh).active == (later,)


def test_log_round_trips_and_refuses_what_is_not_a_log(result):
    gh = site_geometry_hash(SITE)
    ov = override_for(result, result.designated_sites[0], "A. Officer", "reason é <b>", gh, T0)
    log = [ov, withdraw(ov, "B", "why not", T0)]
    assert loads_log(dumps_log(log)) == log
    assert loads_log("") == []
    for bad in ("{", "[]", '{"schema": "other", "overrides": []}',
                '{"schema": "lnrs-overrides/1", "overrides": [{"site_ref": "x"}]}'):
        with pytest.raises(InputError):
            loads_log(bad)
