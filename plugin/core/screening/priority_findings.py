"""Priority Habitats Inventory findings: each priority habitat polygon on or within the search distance of a
site, with its overlap (m² and share of the site), distance, main and additional habitats and confidence.

Priority habitat on a site rules out the Small Sites Metric and raises distinctiveness; near it, it is worth
a look. The verdict it gives is a row of the verdict table (:mod:`.verdict_rules`), not decided here.
"""

from __future__ import annotations

import numpy as np

from .candidates import Pairs
from .finding_types import PriorityHabitatFinding
from .findings import Context, by_site, kept_in_site_order, ranks
from .index import FloatArray

#: Relation words, in the order of their codes below.
_RELATIONS = ("overlap", "adjoins", "nearby")
#: The note of a site screened against a pack without the inventory (``checks.priority_habitats``: not_checked).
NO_PRIORITY_HABITATS = ("Priority habitats were not checked: the pack holds no Priority Habitats Inventory "
                        "(add it with lnrs:addtohabitatmap).")
#: Columns read as text for each finding.
COLUMNS = ("main_habitat", "additional_habitats", "habitat_codes", "confidence")


def priority_habitat_findings(ctx: Context, p: Pairs | None, site_areas: FloatArray,
                              n_sites: int) -> list[list[PriorityHabitatFinding]]:
    """Each site's priority habitat polygons within the search distance, nearest first (then larger overlap,
    main habitat, feature id). An overlap below the sliver tolerance is ``adjoins``, not ``overlap``."""
    li = ctx.index.priority_habitats
    if p is None or li is None or not len(p.site):
        return [[] for _ in range(n_sites)]
    pos = kept_in_site_order(p, np.ones(len(p.site), dtype=bool))
    site, dist, ov, feat = p.site[pos], p.distance[pos], p.overlap[pos], p.feat[pos]
    relation = np.where(ov >= ctx.options.sliver_tolerance_m2, 0, np.where(dist == 0, 1, 2))
    main, extra, codes, confidence = (li.texts(c) for c in COLUMNS)
    k = feat.tolist()
    order = np.lexsort((li.fids[feat], ranks([main[i] for i in k]), -ov, dist, site))
    areas = site_areas[site[order]]
    pct = np.where(areas > 0, 100.0 * ov[order] / np.where(areas > 0, areas, 1.0), 0.0)
    found = [PriorityHabitatFinding(main[f], extra[f], codes[f], confidence[f], o, s, d, _RELATIONS[r], li.name, fid)
             for f, o, s, d, r, fid in zip(feat[order].tolist(), ov[order].tolist(), pct.tolist(),
                                           dist[order].tolist(), relation[order].tolist(),
                                           li.fids[feat[order]].tolist())]
    return by_site(found, site[order], n_sites)
