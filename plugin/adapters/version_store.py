"""Publish, list, load and compare versions of a pack wherever it lives (GeoPackage file or PostGIS schema).

The one engine behind the dock's Versions tab and the Processing algorithms ``lnrs:publishversion``
and ``lnrs:compareversions``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.pack.model import PackData
from ..core.versions import publish as pack_versions
from ..core.versions.compare import SitesToCheck, VersionComparison, check_version_pair, compare_versions
from ..core.versions.publish import PublishedVersion, state_label
from . import postgis_versions
from .pack_source import PackSource, load_pack


def _source(source: PackSource | str) -> PackSource:
    return PackSource.parse(source) if isinstance(source, str) else source


def publish(source: PackSource | str, note: str, published_by: str = "") -> PublishedVersion:
    s = _source(source)
    if s.kind == "postgis":
        return postgis_versions.publish_postgis_version(s.connection, s.schema, note, published_by)
    return pack_versions.publish_version(s.path, note, published_by)


def versions(source: PackSource | str) -> list[PublishedVersion]:
    s = _source(source)
    if s.kind == "postgis":
        return postgis_versions.list_postgis_versions(s.connection, s.schema)
    return pack_versions.list_versions(s.path)


def load_version(source: PackSource | str, number: int) -> PackData:
    s = _source(source)
    if s.kind == "postgis":
        return postgis_versions.load_postgis_version(s.connection, s.schema, number)
    return pack_versions.load_version(s.path, number)


def load_state(source: PackSource | str, number: int | None) -> tuple[PackData, str]:
    """Version ``number`` (``None``: the current, possibly unpublished, state) and how to name it."""
    if number is None:
        pack = load_pack(_source(source))
        return pack, state_label(pack.metadata)
    return load_version(source, number), f"version {number}"


def compare(source: PackSource | str, from_version: int, to_version: int | None,
            sites: SitesToCheck | None = None, is_cancelled: Callable[[], bool] = lambda: False,
            progress: Callable[[float], None] = lambda _p: None) -> VersionComparison:
    """Compare two versions of the pack at ``source``; with ``sites``, re-screen them against both."""
    check_version_pair(from_version, to_version)
    old, old_label = load_state(source, from_version)
    progress(10)
    new, new_label = load_state(source, to_version)
    progress(20)
    return compare_versions(old, old_label, new, new_label, sites, is_cancelled, lambda p: progress(20 + 0.8 * p))
