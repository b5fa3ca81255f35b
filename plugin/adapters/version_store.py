"""Publish, list, load and compare versions of a pack wherever it lives (GeoPackage file or PostGIS schema).

The one engine behind the dock's Versions tab and the Processing algorithms ``lnrs:publishversion``
and ``lnrs:compareversions``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..core import pack_versions
from ..core.errors import InputError
from ..core.pack_model import PackData
from ..core.pack_versions import PublishedVersion, state_label
from ..core.rules import ScreeningOptions
from ..core.screening import PackIndex
from ..core.version_compare import VersionComparison, compare_packs, compare_sites
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


@dataclass(frozen=True)
class SitesToCheck:
    """Previously screened sites, already in EPSG:27700 (None for a site without a usable geometry)."""

    refs: tuple[str, ...]
    geometries: tuple[Any, ...]
    options: ScreeningOptions = field(default_factory=ScreeningOptions)
    proposed_habitat: str | None = None


def compare(source: PackSource | str, from_version: int, to_version: int | None,
            sites: SitesToCheck | None = None, is_cancelled: Callable[[], bool] = lambda: False,
            progress: Callable[[float], None] = lambda _p: None) -> VersionComparison:
    """Compare two versions of the pack at ``source``; with ``sites``, re-screen them against both."""
    if to_version is not None and to_version == from_version:
        raise InputError(f"Choose two different versions to compare (both are version {from_version}).")
    old, old_label = load_state(source, from_version)
    progress(10)
    new, new_label = load_state(source, to_version)
    progress(20)
    comparison = compare_packs(old, new, old_label, new_label)
    progress(40 if sites else 100)
    if sites is None or is_cancelled():
        return comparison
    checked = compare_sites(PackIndex.build(old), PackIndex.build(new), list(sites.geometries), list(sites.refs),
                            sites.options, sites.proposed_habitat, is_cancelled,
                            lambda p: progress(40 + 0.6 * p))
    return replace(comparison, sites=checked)


def version_choices(records: Sequence[PublishedVersion]) -> list[tuple[str, int | None]]:
    """Labels and numbers for a version chooser: every published version, newest first, then the current state."""
    items: list[tuple[str, int | None]] = [("current state", None)]
    items += [(f"version {v.version} \u2013 {v.publication_date}", v.version) for v in sorted(
        records, key=lambda r: r.version, reverse=True)]
    return items
