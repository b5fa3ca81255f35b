<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="122"/>
        <source>The table has a single field &apos;{0}&apos;: it looks like a delimited file separated by {1} that was read with another delimiter. Load it as a delimited text layer with the right delimiter, or save it with commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="146"/>
        <source>The layer &apos;{0}&apos; has no coordinate reference system (CRS). Set its CRS in the layer properties (Source tab) or with &apos;Assign projection&apos;, then run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="181"/>
        <source>Feature {0} of &apos;{1}&apos; cannot be reprojected from {2} to {3} ({4}); check the layer&apos;s CRS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="226"/>
        <source>the field name &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="231"/>
        <source>row {0}, field &apos;{1}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="236"/>
        <source>&apos;{0}&apos; holds characters that could not be decoded ({1}): the file is not in the encoding it was read with. Save it as UTF-8, or set the layer&apos;s encoding, and run again. Fields found: {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="69"/>
        <source>&apos;{0}&apos; is not a PostGIS pack address (postgis:CONNECTION/SCHEMA).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="109"/>
        <source>&apos;{0}&apos; is not a usable schema name: use letters, digits and &apos;_&apos; (at most 63, not starting with a digit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="118"/>
        <source>QGIS&apos;s PostgreSQL provider is not available in this installation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="124"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="125"/>
        <source>There is no saved PostgreSQL connection called &apos;{0}&apos;. Add it in the Data Source Manager (PostgreSQL), with its credentials in an authentication configuration. Saved connections: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="140"/>
        <source>list the packs of connection &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="149"/>
        <source>The database refused to {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="158"/>
        <source>list the tables of schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="171"/>
        <source>The table {0}.{1} cannot be opened as a pack layer{2}; check the connection&apos;s authentication configuration and that the table has &apos;fid&apos; and &apos;geom&apos; columns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="182"/>
        <source>The table {0}.{1} lacks the column(s) {2}; republish the pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="210"/>
        <source>read the pack metadata in schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="247"/>
        <source>The schema &apos;{0}&apos; of connection &apos;{1}&apos; is not an LNRS Local Habitat Map pack: it has no &apos;pack_metadata&apos; table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="254"/>
        <source>read the pack version in schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="271"/>
        <source>The schema &apos;{0}&apos; already exists in connection &apos;{1}&apos;; choose another schema or allow replacing it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="275"/>
        <source>create the schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="280"/>
        <source>Publishing was cancelled; the schema &apos;{0}&apos; was left unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="288"/>
        <source>replace the schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="304"/>
        <source>write the pack metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="313"/>
        <source>create the table {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="333"/>
        <source>write the rows of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="335"/>
        <source>index {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="376"/>
        <source>The pack file {0} cannot be opened ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="83"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="96"/>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="115"/>
        <source>, inside buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="120"/>
        <source>not applicable: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="131"/>
        <source>Site {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="131"/>
        <source> ({0} ha)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="136"/>
        <source>Not screened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="144"/>
        <source>Verdict: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="150"/>
        <source>u2022 u2026and {0} more (see the findings below)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="152"/>
        <source>Irreplaceable habitats: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="152"/>
        <source>Designated sites: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="152"/>
        <source>Strategic significance: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="152"/>
        <source>Search distance: {0} m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="158"/>
        <source>Strategic significance: {0} ({1}) u2013 {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="160"/>
        <source>Strategic significance: not assessed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="162"/>
        <source>Proposed habitat: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="164"/>
        <source>not in the pack&apos;s measures catalogue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="167"/>
        <source>No LNRS measure is mapped on the site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="173"/>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="173"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="173"/>
        <source>Overlap (m²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="173"/>
        <source>Distance (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="173"/>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="182"/>
        <source>No irreplaceable habitat or designated site within the search distance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="185"/>
        <source>Local Habitat Map: {0}, version {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="186"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="186"/>
        <source>sha256 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="187"/>
        <source>Officer: {0}. Generated {1} with LNRS Toolkit {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="190"/>
        <source>{0} marked not applicable by {1} on {2}: {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="292"/>
        <source>There is nothing to report yet: check a site first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="298"/>
        <source>The report template could not be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="306"/>
        <source>The PDF could not be written to {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="306"/>
        <source>check the folder exists and is writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="310"/>
        <source>Could not write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="313"/>
        <source>The PDF report could not be made; the details are in the LNRS Toolkit tab of the message log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/project_layers.py" line="60"/>
        <source>Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/project_layers.py" line="74"/>
        <source>The table &apos;{0}&apos; of the pack {1} cannot be opened in QGIS.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AddToHabitatMapAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="77"/>
        <source>Add layer to Local Habitat Map pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="80"/>
        <source>Local Habitat Map packs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="86"/>
        <source>Adds one layer or table to a Local Habitat Map pack (a GeoPackage in EPSG:27700), creating the pack if it does not exist.

ROLE says what the layer is: designated (designated sites), irreplaceable (irreplaceable habitats), trees (ancient and veteran trees), opportunity (areas that could become of particular importance, with measure codes), interim, area (the strategy area), measures (the measures catalogue, a table such as a CSV) or metadata (key/value table).

Map the layer&apos;s fields with the *_FIELD parameters, or give a fixed DESIGNATION or HABITAT_TYPE. Measure codes are split on MEASURES_SEPARATOR (default: any of ; , | or whitespace), trimmed and upper-cased.

Layers are reprojected to EPSG:27700; invalid geometries are repaired and counted in the log. Re-adding the same source replaces its rows. The pack is written atomically: a failed or cancelled run leaves the previous pack untouched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="102"/>
        <source>Local Habitat Map pack (GeoPackage, created if missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="102"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="105"/>
        <source>Input layer or table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="107"/>
        <source>Role of the layer in the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="111"/>
        <source>Designation (fixed value for every feature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="115"/>
        <source>Irreplaceable habitat type (fixed value for every feature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="121"/>
        <source>Designation field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="122"/>
        <source>Habitat type field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="123"/>
        <source>Status field (ancient woodland ASNW/PAWS, tree status)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="124"/>
        <source>Name field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="125"/>
        <source>Reference field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="126"/>
        <source>Measure codes field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="127"/>
        <source>Catalogue: measure code field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="128"/>
        <source>Catalogue: habitat theme field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="129"/>
        <source>Catalogue: priority field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="130"/>
        <source>Catalogue: measure text field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="131"/>
        <source>Catalogue: delivering broad habitats field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="132"/>
        <source>Trees: stem diameter field (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="133"/>
        <source>Trees: crown radius field (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="138"/>
        <source>Measure codes separator (empty: any of ; , | or whitespace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="143"/>
        <source>Strategy name (pack metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="145"/>
        <source>Map version (pack metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="147"/>
        <source>Responsible authority (pack metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="150"/>
        <source>Pack table written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="151"/>
        <source>Rows added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="152"/>
        <source>Rows in the table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="153"/>
        <source>Invalid geometries repaired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="154"/>
        <source>Features dropped (no usable geometry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="155"/>
        <source>Content hash of the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="161"/>
        <source>ROLE: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="169"/>
        <source>Cancelled: the pack was left unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="173"/>
        <source>The pack could not be written ({0}); the previous pack, if any, is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="191"/>
        <source>Adding &apos;{0}&apos; to {1} as &apos;{2}&apos; (table {3}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="203"/>
        <source>role &apos;{0}&apos; needs a {1} layer, but &apos;{2}&apos; holds {3} geometries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="206"/>
        <source>role &apos;{0}&apos; needs a {1} layer, but &apos;{2}&apos; is a table without geometry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="214"/>
        <source>Reprojected {0} features from {1} to EPSG:27700.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="235"/>
        <source>Pack metadata updated: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="235"/>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="238"/>
        <source>{0} rows added to &apos;{1}&apos;, which now holds {2} rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="240"/>
        <source>Pack content hash: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="254"/>
        <source>PACK is empty: give the path of the pack GeoPackage (.gpkg) to create or update.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="258"/>
        <source>PACK must be a GeoPackage file ending in .gpkg, not &apos;{0}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="276"/>
        <source>Repaired {0} invalid geometries in &apos;{1}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="278"/>
        <source>All geometries in &apos;{0}&apos; are valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="280"/>
        <source>Dropped {0} features of &apos;{1}&apos; with no usable geometry (null, empty, or not a {2} after repair).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsDockWidget</name>
    <message>
        <location filename="../plugin/gui/dock.py" line="123"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="439"/>
        <source>No Local Habitat Map loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="155"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="155"/>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="155"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="155"/>
        <source>Measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="163"/>
        <source>Screened sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="177"/>
        <source>S&amp;ite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="178"/>
        <source>&amp;Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="186"/>
        <source>Habitat map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="192"/>
        <source>Local Habitat Map packs (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="193"/>
        <source>Choose a Local Habitat Map pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="195"/>
        <source>The Local Habitat Map pack (.gpkg) to screen against</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="200"/>
        <source>Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="201"/>
        <source>Recently used packs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="217"/>
        <source>Site to check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="221"/>
        <source>&amp;Draw site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="224"/>
        <source>Draw the site on the map: click to add corners (snapping applies), Backspace removes the last corner, right-click finishes, Esc cancels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="228"/>
        <source>Use &amp;selected features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="230"/>
        <source>Screen the selected polygons of the active layer, one site each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="234"/>
        <source>No site yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="243"/>
        <source>e.g. 24/01234/FUL (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="244"/>
        <source>Re&amp;ference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="263"/>
        <source>optional, e.g. Woodland and forest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="264"/>
        <source>The habitat proposed on the site (statutory metric habitat or broad habitat), for strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="266"/>
        <source>Proposed &amp;habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="274"/>
        <source> m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="278"/>
        <source>How far from the site to look for designated sites and irreplaceable habitats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="280"/>
        <source>Search distanc&amp;e</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="287"/>
        <source>Your name as it appears on reports and on findings you mark not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="290"/>
        <source>&amp;Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="296"/>
        <source>&amp;Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="298"/>
        <source>Screen the site(s) against the habitat map (Ctrl+Return)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="301"/>
        <source>Cance&amp;l</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="318"/>
        <source>&amp;Not applicable…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="320"/>
        <source>Mark the selected finding not applicable, with a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="322"/>
        <source>Cop&amp;y summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="325"/>
        <source>&amp;JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="327"/>
        <source>Export the results as JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="329"/>
        <source>H&amp;TML…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="331"/>
        <source>Export the results as an HTML report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="333"/>
        <source>&amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="335"/>
        <source>Export a PDF report with a map, one page per site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="377"/>
        <source>Habitat map {0} will load when the panel opens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="402"/>
        <source>Demo pack (bundled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="413"/>
        <source>The habitat map could not be loaded: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="417"/>
        <source>The habitat map could not be loaded; the details are in the LNRS Toolkit tab of the message log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="444"/>
        <source>&lt;b&gt;{0}&lt;/b&gt;&lt;br&gt;version {1} u00b7 published {2} u00b7 sha256 {3}u2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="447"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="447"/>
        <source>sha256 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="467"/>
        <source>Click the site&apos;s corners on the map; right-click to finish, Backspace to remove the last corner, Esc to cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="481"/>
        <source>The map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="484"/>
        <source>The site cannot be used: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="487"/>
        <source>The drawn site has no area; draw at least three corners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="489"/>
        <source>Drawn site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="495"/>
        <source>Make a polygon layer active in the Layers panel and select the site(s) in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="499"/>
        <source>No features are selected in {0}; select one or more site polygons.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="521"/>
        <source>Some selected features cannot be used: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="532"/>
        <source>One site, {0} ha.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="534"/>
        <source>{0} sites (references from the layer&apos;s display name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="556"/>
        <source>A check is already running; wait for it or cancel it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="559"/>
        <source>Choose a Local Habitat Map pack first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="562"/>
        <source>Give a site first: draw it on the map or use selected features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="571"/>
        <source>LNRS screening of {0} site(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="592"/>
        <source>The check was cancelled; no results were kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="595"/>
        <source>The check could not run: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="606"/>
        <source>not screened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="628"/>
        <source>Screened {0} sites: {1} red, {2} amber, {3} green, {4} not screened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="656"/>
        <source>That feature is not in the loaded habitat map any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="694"/>
        <source>Select a finding in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="696"/>
        <source>Mark not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="696"/>
        <source>Why does this finding not apply? (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="703"/>
        <source>A reason is required to mark a finding not applicable; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="708"/>
        <source>{0} marked not applicable; the report keeps the original finding and your reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="725"/>
        <source>The summary is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="741"/>
        <source>Export JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="741"/>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="763"/>
        <source>Could not write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="794"/>
        <source>Saved {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="756"/>
        <source>Export HTML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="756"/>
        <source>HTML files (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="772"/>
        <source>Export PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="772"/>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsProvider</name>
    <message>
        <location filename="../plugin/processing/provider.py" line="27"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsToolkitPlugin</name>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="52"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="55"/>
        <source>Show or hide the LNRS Toolkit panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="81"/>
        <source>&amp;LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParcelSignificanceAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="100"/>
        <source>Strategic significance of habitat parcels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="103"/>
        <source>Screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="109"/>
        <source>Gives each baseline or proposed habitat parcel the statutory biodiversity metric&apos;s strategic significance (category, multiplier and exact wording) from a Local Habitat Map pack, splitting parcels where significance or the local planning authority changes (pieces keep their parent&apos;s attributes and a reference such as P1-a). High needs a mapped measure the parcel&apos;s broad habitat delivers. Parcels on irreplaceable habitat are flagged. ISSUES lists parcel problems a validating officer would raise (invalid geometry, overlaps over 1 mm, gaps in and parts outside the red line, slivers, missing or unknown habitat, missing condition, wrong area), each with a fix hint. When INPUT is the Habitats layer of a Defra digital metric GeoPackage and OUTPUT is a .gpkg (or temporary), OUTPUT is a copy of that GeoPackage with the parcels split and the Strategic Significance field filled; every other field and layer is carried over unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="122"/>
        <source>Habitat parcels (polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="124"/>
        <source>Local Habitat Map pack (.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="126"/>
        <source>Habitat field (default: Baseline/Proposed Habitat Type)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="129"/>
        <source>Phase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="131"/>
        <source>Red line boundary (default: the GeoPackage&apos;s Red Line Boundary)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="134"/>
        <source>Local planning authority boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="137"/>
        <source>Parcels with strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="139"/>
        <source>Parcel issues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="153"/>
        <source>INPUT could not be opened as a vector layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="160"/>
        <source>INPUT has no field &apos;{0}&apos;; choose the habitat field in HABITAT_FIELD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="169"/>
        <source>INPUT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="173"/>
        <source>RED_LINE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="179"/>
        <source>Red line: the GeoPackage&apos;s &apos;{0}&apos; layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="186"/>
        <source>LPA_BOUNDARIES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="237"/>
        <source>Wrote the Defra metric GeoPackage {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="244"/>
        <source>{0} parcel(s) -&gt; {1} piece(s); {2} issue(s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <location filename="../plugin/gui/results_view.py" line="82"/>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="82"/>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="88"/>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="95"/>
        <source>Details of the selected finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="104"/>
        <source>No result yet: choose a site and press Check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="113"/>
        <source>found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="115"/>
        <source>clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="116"/>
        <source>not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="119"/>
        <source>RED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="119"/>
        <source>AMBER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="119"/>
        <source>GREEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="128"/>
        <source>Site {0}: not screened. {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="137"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; &amp;mdash; site {1} ({2} ha)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="144"/>
        <source>Notes ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="184"/>
        <source>not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="305"/>
        <source>Marked not applicable by {0} on {1}: {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="188"/>
        <source>Irreplaceable habitats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="197"/>
        <source>Designated sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="210"/>
        <source>Strategic significance and measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="284"/>
        <source>Not in the pack&apos;s measures catalogue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="220"/>
        <source>on the site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="222"/>
        <source>adjoins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="222"/>
        <source>, buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="224"/>
        <source>{0} m, in buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="225"/>
        <source>{0} m away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="269"/>
        <source> (assumed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="270"/>
        <source>Habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="278"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="278"/>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="279"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="279"/>
        <source>Overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="280"/>
        <source>Distance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="273"/>
        <source>Standing-advice buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="274"/>
        <source>Site area inside the buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="278"/>
        <source>Designation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="285"/>
        <source>Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="285"/>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="285"/>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="286"/>
        <source>Mapped on</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScreenSitesAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="82"/>
        <source>Screen sites against the Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="85"/>
        <source>Screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="91"/>
        <source>Screens each polygon site against a Local Habitat Map pack: irreplaceable habitats with Natural England&apos;s standing-advice buffers, designated sites within the search distance, the biodiversity metric&apos;s strategic significance (optionally for a proposed habitat) and the LNRS measures mapped on the site. OUTPUT holds one summary row per site; JSON holds the full explainable result (schema lnrs-screening/1), one object per site in input order. Sites in any CRS are reprojected to EPSG:27700; invalid sites are repaired and the repair is reported; unusable sites get an error message instead of a verdict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="101"/>
        <source>Sites (polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="103"/>
        <source>Local Habitat Map pack (.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="105"/>
        <source>Site reference field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="107"/>
        <source>Proposed habitat (statutory metric habitat or broad habitat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="110"/>
        <source>Search distance (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="113"/>
        <source>Screened sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="115"/>
        <source>Screening results (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="115"/>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="121"/>
        <source>INPUT could not be opened as a vector layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="124"/>
        <source>points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="124"/>
        <source>lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="125"/>
        <source>INPUT holds {0}; screening needs polygons (each application&apos;s red line boundary).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="134"/>
        <source>INPUT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="139"/>
        <source>Habitat map: {0}, version {1}, sha256 {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="187"/>
        <source>Site {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="166"/>
        <source>Cancelled: nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="182"/>
        <source>Site {0} not screened: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="192"/>
        <source>Could not write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="194"/>
        <source>Screened {0} site(s): {1} red, {2} amber, {3} green, {4} not screened.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
