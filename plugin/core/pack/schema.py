"""The canonical Local Habitat Map pack: tables, columns and metadata keys (schema as data).

A pack is a GeoPackage (or a PostGIS schema holding the same tables) in EPSG:27700.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1
PACK_CRS_EPSG = 27700
PACK_CRS = f"EPSG:{PACK_CRS_EPSG}"


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # TEXT, REAL or INTEGER (BLOB only in the history tables)
    doc: str = ""
    #: added after schema 1: packs made before may lack it (read as NULL, left out of the hash when NULL)
    optional: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    role: str
    title: str
    geometry_type: str | None  # MULTIPOLYGON, POINT, or None for an attribute table
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def is_spatial(self) -> bool:
        return self.geometry_type is not None


SOURCE = Column("source_layer", "TEXT", "where the row came from; re-adding that source replaces its rows")

DESIGNATED = TableSpec("designated_sites", "designated", "Designated sites", "MULTIPOLYGON", (
    Column("designation", "TEXT", "SSSI, SAC, SPA, Ramsar, NNR, LNR or LWS"),
    Column("name", "TEXT"), Column("ref", "TEXT"), SOURCE))
IRREPLACEABLE = TableSpec("irreplaceable_habitats", "irreplaceable", "Irreplaceable habitats", "MULTIPOLYGON", (
    Column("habitat_type", "TEXT", "see vocabulary.IRREPLACEABLE_TYPES"),
    Column("status", "TEXT", "ancient woodland: ASNW, PAWS or wood_pasture"),
    Column("name", "TEXT"), Column("ref", "TEXT"), SOURCE,
    Column("inventory", "TEXT", "ancient woodland: the inventory the polygon comes from, 'revised' (Ancient Woodland "
           "- Revised) or 'legacy' (Ancient Woodland (England)); empty when not known", optional=True)))
TREES = TableSpec("ancient_trees", "trees", "Ancient and veteran trees", "POINT", (
    Column("status", "TEXT", "ancient, veteran or notable"),
    Column("name", "TEXT"), Column("ref", "TEXT"),
    Column("stem_diameter_m", "REAL"), Column("crown_radius_m", "REAL"), SOURCE))
OPPORTUNITY = TableSpec("opportunity_areas", "opportunity", "Opportunity areas (ACB)", "MULTIPOLYGON", (
    Column("measures", "TEXT", "measure codes joined by ';'"),
    Column("name", "TEXT"), Column("ref", "TEXT"), SOURCE))
INTERIM = TableSpec("interim_strategy", "interim", "Interim strategy areas (Medium)", "MULTIPOLYGON", (
    Column("name", "TEXT"), Column("ref", "TEXT"), SOURCE))
AREA = TableSpec("strategy_area", "area", "Strategy area", "MULTIPOLYGON", (
    Column("name", "TEXT"), SOURCE))
MEASURES = TableSpec("measures", "measures", "Measures catalogue", None, (
    Column("code", "TEXT"), Column("habitat_theme", "TEXT"), Column("priority", "TEXT"),
    Column("measure", "TEXT"),
    Column("habitats", "TEXT", "broad habitats of the metric that deliver the measure, joined by ';'"),
    SOURCE))
PRIORITY_HABITATS = TableSpec("priority_habitats", "priority_habitats", "Priority habitats", "MULTIPOLYGON", (
    Column("main_habitat", "TEXT", "the inventory's main habitat (Priority Habitats Inventory MainHabs)"),
    Column("additional_habitats", "TEXT", "further habitats in the polygon, as published (AddHabs)"),
    Column("habitat_codes", "TEXT", "the inventory's habitat codes, as published (HabCodes)"),
    Column("confidence", "TEXT", "the inventory's confidence in the main habitat, when given"),
    Column("name", "TEXT"), Column("ref", "TEXT"), SOURCE))
LPA_BOUNDARIES = TableSpec("lpa_boundaries", "lpa", "Local planning authority boundaries", "MULTIPOLYGON", (
    Column("name", "TEXT"), Column("ref", "TEXT", "the authority's code (e.g. E07000...)"), SOURCE))
METADATA = TableSpec("pack_metadata", "metadata", "Pack metadata", None, (
    Column("key", "TEXT"), Column("value", "TEXT")))

TABLES: tuple[TableSpec, ...] = (DESIGNATED, IRREPLACEABLE, TREES, OPPORTUNITY, INTERIM, AREA, MEASURES, METADATA,
                                 PRIORITY_HABITATS, LPA_BOUNDARIES)
#: Tables added after content hash scheme 1: when absent they are left out of the hash, so a pack made before
#: they existed keeps its hash.
TABLES_ADDED_LATER: frozenset[str] = frozenset({PRIORITY_HABITATS.name, LPA_BOUNDARIES.name})
#: The spatial tables screening reads; a pack's extent (when it has no strategy area) is theirs. LPA boundaries
#: serve parcel splitting only: screening never reads them.
SCREENED_TABLES: tuple[TableSpec, ...] = (DESIGNATED, IRREPLACEABLE, TREES, OPPORTUNITY, INTERIM, AREA,
                                          PRIORITY_HABITATS)
TABLES_BY_ROLE: dict[str, TableSpec] = {t.role: t for t in TABLES}
TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}

# History kept inside the pack: never read as content, never part of the content hash.
VERSIONS = TableSpec("pack_versions", "versions", "Published versions", None, (
    Column("version", "INTEGER", "1, 2, 3 ...: the number screening reports cite"),
    Column("publication_date", "TEXT", "UTC ISO date"),
    Column("published_at", "TEXT", "UTC ISO 8601 timestamp"),
    Column("content_sha256", "TEXT", "content hash of the version as published"),
    Column("published_by", "TEXT"), Column("note", "TEXT")))
VERSION_TABLES = TableSpec("pack_version_tables", "version_tables", "Tables of each published version", None, (
    Column("version", "INTEGER"), Column("table_name", "TEXT"),
    Column("snapshot", "TEXT", "id of the frozen rows (sha256); versions sharing a table share its rows"),
    Column("row_count", "INTEGER")))
#: The frozen rows of packs published before versions shared rows (one full copy per changed table); still read.
VERSION_ROWS = TableSpec("pack_version_rows", "version_rows", "Frozen rows of published versions", None, (
    Column("snapshot", "TEXT"), Column("table_name", "TEXT"), Column("row_fid", "INTEGER"),
    Column("geom_wkb", "BLOB", "2D WKB, or NULL"), Column("attributes", "TEXT", "JSON object of the row's columns")))
#: Every distinct frozen row of every version, stored once: versions share the rows they did not change.
VERSION_ROW_STORE = TableSpec("pack_version_row_store", "version_row_store", "Frozen rows shared by versions", None, (
    Column("table_name", "TEXT"),
    Column("row_key", "BLOB", "first 16 bytes of the sha256 of the frozen row (table, fid, attributes, WKB): one "
           "stored row per content (rows written before row format 2: the whole 32 bytes)"),
    Column("row_fid", "INTEGER"),
    Column("geom_wkb", "BLOB", "row format 2 (attributes NULL): the packed row, first byte 0x02 "
           "(versions.row_codec); format 1: 2D WKB, or NULL"),
    Column("attributes", "TEXT", "row format 1: JSON object of the row's columns; NULL: the row is packed")))
#: Which stored rows make up each frozen table (a snapshot): a compact list of row-store fids.
VERSION_SNAPSHOTS = TableSpec("pack_version_snapshots", "version_snapshots", "Rows of each frozen table", None, (
    Column("snapshot", "TEXT", "id of the frozen table (sha256 of its rows)"), Column("table_name", "TEXT"),
    Column("row_count", "INTEGER"),
    Column("row_ids", "BLOB", "the row-store fids, ascending, as zlib-compressed little-endian int64 gaps")))
VERSION_HISTORY_TABLES: tuple[TableSpec, ...] = (VERSIONS, VERSION_TABLES, VERSION_ROWS, VERSION_ROW_STORE,
                                                 VERSION_SNAPSHOTS)

#: Every check-in of opportunity edits, one row per changed feature; the table's ``fid`` is the audit id.
OPPORTUNITY_AUDIT = TableSpec("opportunity_audit", "audit", "Opportunity area edits (audit trail)", None, (
    Column("feature_fid", "INTEGER", "fid of the opportunity area in opportunity_areas"),
    Column("action", "TEXT", "insert, update or delete"),
    Column("edited_by", "TEXT", "who saved the change"),
    Column("edited_at", "TEXT", "when, ISO 8601 UTC"),
    Column("old_measures", "TEXT", "codes before, joined by ';' (empty for an insert)"),
    Column("new_measures", "TEXT", "codes after, joined by ';' (empty for a delete)"),
    Column("old_geom_sha256", "TEXT", "sha256 of the normalised 2D WKB before (empty for an insert)"),
    Column("new_geom_sha256", "TEXT", "sha256 of the normalised 2D WKB after (empty for a delete)"),
    Column("reason", "TEXT", "why, as the editor wrote it"),
    Column("session", "TEXT", "one id per check-in: the rows saved together"),
    Column("old_name", "TEXT", "name before (empty for an insert)"),
    Column("new_name", "TEXT", "name after (empty for a delete)"),
    Column("old_ref", "TEXT", "reference before (empty for an insert)"),
    Column("new_ref", "TEXT", "reference after (empty for a delete)"),
    Column("old_geom_wkb", "BLOB", "geometry before, 2D WKB (NULL: an insert, or a row older than this column)"),
    Column("new_geom_wkb", "BLOB", "geometry after, 2D WKB (NULL: a delete, or a row older than this column)")))

#: Tables a pack may hold besides ``TABLES``: history, not content (outside the content hash, never replaced
#: by a pack build).
HISTORY_TABLES: tuple[TableSpec, ...] = (OPPORTUNITY_AUDIT, *VERSION_HISTORY_TABLES)

#: Metadata keys, in display order.
METADATA_KEYS: tuple[str, ...] = (
    "lnrs_name", "responsible_authority", "version", "publication_date", "source", "licence",
    "attribution", "provenance", "schema_version", "content_sha256",
)
#: Keys left out of the content hash: the hash itself, and the hash a pack was published with when a
#: reader found its tables edited since (see adapters.pack_source.load_postgis_pack).
UNHASHED_KEYS: frozenset[str] = frozenset({"content_sha256", "published_content_sha256"})
