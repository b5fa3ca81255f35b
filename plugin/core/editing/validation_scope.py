"""Validate what an edit changes: an error an updated area already had before the edit does not block the save.

An area saved long ago with a problem the rules now refuse (an APIB overlap, a part outside the strategy
area...) must still be editable: changing only its codes must not be refused for its old geometry. The check-in
validates each updated area's new state as always; :func:`only_what_changed` then validates its base (the
state the editor started from) and turns each error the base had too (same rule, same area) into a warning that
says so. Errors the edit brings in, and every error of a new area, still refuse the save.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..pack.model import PackData
from .edits import Edit
from .validation import validate_features
from .validation_report import ValidationReport
from .validation_rules import WARNING, OpportunityRules

EARLIER = "Already so before this edit, so it does not stop the save (fix it when you can): "


def only_what_changed(report: ValidationReport, edits: Sequence[Edit], pack: PackData,
                      rules: OpportunityRules | None = None) -> ValidationReport:
    """``report`` (of the edits' new states) with the errors their bases already had demoted to warnings."""
    updates = {e.key: e for e in edits if e.kind == "update" and e.base is not None and e.new is not None}
    keys = list(dict.fromkeys(i.key for i in report.errors if i.key in updates))
    if not keys:
        return report
    bases = [dataclasses.replace(base, key=k) for k in keys if (base := updates[k].base) is not None]
    before = validate_features(bases, pack, rules)
    earlier = {(i.key, i.rule) for i in before.errors}
    if not earlier:
        return report
    issues = tuple(dataclasses.replace(i, severity=WARNING, message=EARLIER + i.message)
                   if i.severity != WARNING and (i.key, i.rule) in earlier else i for i in report.issues)
    return dataclasses.replace(report, issues=issues)
