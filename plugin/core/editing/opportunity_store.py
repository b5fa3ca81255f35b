"""Where a pack's opportunity areas are saved: the store and transaction protocols the check-in writes through.

:class:`~.gpkg_store.GpkgOpportunityStore` implements them for a GeoPackage pack, and
``plugin/adapters/postgis_opportunity_store.py`` for a PostGIS pack.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from .audit import AuditRecord
from .opportunity_feature import OpportunityFeature


class StoreTransaction(Protocol):
    """One open transaction on a pack: every method runs inside it."""

    def timestamp(self) -> str:
        """Now, ISO 8601 UTC (the store's clock: the database server's for PostGIS)."""

    def attribute(self, user: str) -> str:
        """Who the audit names for ``user`` (a database store adds its login role)."""

    def lock_features(self, fids: Sequence[int]) -> dict[int, OpportunityFeature]:
        """Lock and read the current rows with these fids (absent fids: deleted)."""

    def last_changes(self, fids: Sequence[int]) -> dict[int, AuditRecord]:
        """The latest audit record of each fid that has one."""

    def session_changes(self, session: str) -> list[AuditRecord]:
        """The audit records of check-in ``session``, oldest first (empty: it never landed)."""

    def insert_feature(self, feature: OpportunityFeature, fid: int | None = None) -> int:
        """Insert (measures canonical, geometry multi); returns the new fid (``fid`` if given)."""

    def update_feature(self, fid: int, values: Mapping[str, Any]) -> None:
        """Set these columns (``measures``, ``name``, ``ref``, ``geom``: a shapely geometry) of row ``fid``."""

    def delete_feature(self, fid: int) -> None: ...

    def add_audit(self, records: Sequence[AuditRecord]) -> tuple[AuditRecord, ...]:
        """Append audit rows; returns them with their audit ids."""

    def metadata(self) -> dict[str, str]: ...

    def set_metadata(self, key: str, value: str) -> None: ...

    def content_sha256(self) -> str:
        """The content hash of the pack as this transaction sees it."""


class OpportunityStore(Protocol):
    """Where a pack's opportunity areas are saved: one transaction at a time, rolled back on any error."""

    def transaction(self) -> contextlib.AbstractContextManager[StoreTransaction]: ...

    def audit_records(self, fid: int | None = None) -> list[AuditRecord]:
        """The audit trail (of one feature, or all), oldest first."""
