"""``lnrs:addtohabitatmap`` records whether the LNRS is published (LNRS_STATUS, PUBLISHED_DATE) in the pack."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.qgis.test_add_to_habitat_map import run, sites_layer
from qgis.core import QgsProcessingException


def test_published_status_and_date_are_pack_metadata(lnrs_provider, tmp_path):
    pack = tmp_path / "p.gpkg"
    run({"PACK": str(pack), "INPUT": sites_layer(), "ROLE": "designated", "DESIGNATION": "SSSI",
         "LNRS_STATUS": "Published", "PUBLISHED_DATE": "2025-06-17"})
    meta = read_pack(pack).metadata
    assert (meta.lnrs_status, meta.lnrs_published_date) == ("published", "2025-06-17")
    run({"PACK": str(pack), "INPUT": sites_layer(), "ROLE": "designated", "DESIGNATION": "SSSI",
         "LNRS_STATUS": "draft"})
    assert read_pack(pack).metadata.lnrs_status == "not_published"


@pytest.mark.parametrize(("params", "expected"), [
    ({"LNRS_STATUS": "adopted soon"}, "'adopted soon' is not an LNRS status; use one of: published, not_published"),
    ({"LNRS_STATUS": "published", "PUBLISHED_DATE": "17/06/2025"}, "is not a date in the form YYYY-MM-DD"),
    ({"LNRS_STATUS": "not_published", "PUBLISHED_DATE": "2025-06-17"}, "says the strategy is not published"),
])
def test_bad_status_or_date_is_refused_before_writing(lnrs_provider, tmp_path, params, expected):
    pack = tmp_path / "p.gpkg"
    with pytest.raises(QgsProcessingException) as err:
        run({"PACK": str(pack), "INPUT": sites_layer(), "ROLE": "designated", "DESIGNATION": "SSSI", **params})
    assert expected in str(err.value)
    assert not pack.exists()
