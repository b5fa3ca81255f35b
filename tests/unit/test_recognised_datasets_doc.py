"""docs/recognised_datasets.md lists every recognised dataset and every field name looked for."""

from __future__ import annotations

from pathlib import Path

from lnrs_toolkit.plugin.core.pack.layer_plan import CATALOGUE_FIELDS
from lnrs_toolkit.plugin.core.pack.opportunity_shapes import LAYER_CODE_FIELD_NAMES
from lnrs_toolkit.plugin.core.pack.recognition import KNOWN_DATASETS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "recognised_datasets.md").read_text(encoding="utf-8")


def test_every_dataset_and_field_name_is_documented():
    missing = []
    for d in KNOWN_DATASETS:
        if f"| {d.title} | {d.publisher} |" not in DOC:
            missing.append(d.title)
        for rule in d.fields:
            missing.extend(f"{d.title}: {c}" for c in rule.candidates if f"`{c}`" not in DOC)
    missing.extend(n for n in LAYER_CODE_FIELD_NAMES if f"`{n}`" not in DOC)
    missing.extend(n for names in CATALOGUE_FIELDS.values() for n in names if f"`{n}`" not in DOC)
    assert missing == []
