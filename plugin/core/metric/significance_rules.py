"""Which strategic significance the statutory metric allows, by LNRS status and phase (rules as data).

Statutory Biodiversity Metric User Guide (Defra, updated June 2026), section "Strategic significance":

- Table 7, the LNRS has been published: "once an LNRS has been published, the baseline strategic
  significance of habitat parcels in that area should always be scored as low". Post-intervention,
  High only where the parcel is mapped in the Local Habitat Map as an area where a potential measure
  is proposed **and** the proposed intervention is consistent with that measure; Medium "cannot be
  applied"; otherwise Low. Footnote 6: where development negatively impacts areas of particular
  importance for biodiversity (e.g. Local Wildlife Sites), interventions are highly unlikely to be
  consistent with the potential measures.
- Table 8, the LNRS is not yet published: the documents the planning authority specifies (draft
  LNRS, local plan, tree strategy, ...) may give High at baseline and post-intervention where the
  habitat is mapped as locally important in them; Medium may be used with professional judgement;
  otherwise Low.

The same rules apply to all three modules (area habitats with individual trees, hedgerows,
watercourses).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import VocabularyError

PUBLISHED, NOT_PUBLISHED = "published", "not_published"
STATUSES: tuple[str, ...] = (PUBLISHED, NOT_PUBLISHED)
BASELINE, PROPOSED = "baseline", "proposed"
PHASES: tuple[str, ...] = (BASELINE, PROPOSED)

#: Pack metadata keys holding the strategy's status and publication date.
STATUS_KEY, PUBLISHED_DATE_KEY = "lnrs_status", "lnrs_published_date"


@dataclass(frozen=True)
class SignificanceRule:
    table: str  # "Table 7" or "Table 8" of the user guide
    status: str  # PUBLISHED or NOT_PUBLISHED
    phase: str  # BASELINE or PROPOSED
    high: bool  # High may be given at all
    medium: bool  # Medium (the pack's interim / alternative-document areas) may be used
    guide: str  # what the user guide says, as quoted in docs/parcels.md


RULES: tuple[SignificanceRule, ...] = (
    SignificanceRule("Table 7", PUBLISHED, BASELINE, False, False,
                     "Once an LNRS has been published, the baseline strategic significance of habitat parcels in "
                     "that area should always be scored as low."),
    SignificanceRule("Table 7", PUBLISHED, PROPOSED, True, False,
                     "High where the parcel is mapped in the Local Habitat Map as an area where a potential measure "
                     "is proposed and the proposed intervention is consistent with that measure; Medium cannot be "
                     "applied; otherwise Low."),
    SignificanceRule("Table 8", NOT_PUBLISHED, BASELINE, True, True,
                     "LNRS not yet published: High where the existing habitat is mapped as locally important in the "
                     "documents the planning authority specifies; Medium may be used with professional judgement; "
                     "otherwise Low."),
    SignificanceRule("Table 8", NOT_PUBLISHED, PROPOSED, True, True,
                     "LNRS not yet published: High where the proposed habitat is mapped as locally important in the "
                     "documents the planning authority specifies; Medium may be used with professional judgement; "
                     "otherwise Low."),
)
_BY_KEY = {(r.status, r.phase): r for r in RULES}

_STATUS_ALIASES: dict[str, str] = {
    "published": PUBLISHED, "yes": PUBLISHED, "true": PUBLISHED, "adopted": PUBLISHED,
    "not_published": NOT_PUBLISHED, "not published": NOT_PUBLISHED, "unpublished": NOT_PUBLISHED,
    "draft": NOT_PUBLISHED, "no": NOT_PUBLISHED, "false": NOT_PUBLISHED, "not yet published": NOT_PUBLISHED,
}


def normalise_status(value: str) -> str:
    """``published`` or ``not_published`` (``draft``, ``unpublished``, ... accepted); refuses anything else."""
    text = " ".join(str(value).replace("-", " ").split()).lower()
    status = _STATUS_ALIASES.get(text) or _STATUS_ALIASES.get(text.replace(" ", "_"))
    if status is None:
        raise VocabularyError(f"'{value}' is not an LNRS status; use one of: {', '.join(STATUSES)}.")
    return status


def significance_rule(status: str, phase: str) -> SignificanceRule:
    """The rule for a strategy ``status`` and a ``phase`` (baseline / proposed)."""
    key = (normalise_status(status), phase.strip().lower())
    if key[1] not in PHASES:
        raise VocabularyError(f"the phase must be one of {', '.join(PHASES)}, not '{phase}'.")
    return _BY_KEY[key]
