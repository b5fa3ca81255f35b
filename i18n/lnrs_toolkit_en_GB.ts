<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="126"/>
        <source>The table has a single field &apos;{0}&apos;: it looks like a delimited file separated by {1} that was read with another delimiter. Load it as a delimited text layer with the right delimiter, or save it with commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="150"/>
        <source>The layer &apos;{0}&apos; has no coordinate reference system (CRS). Set its CRS in the layer properties (Source tab) or with &apos;Assign projection&apos;, then run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="185"/>
        <source>Feature {0} of &apos;{1}&apos; cannot be reprojected from {2} to {3} ({4}); check the layer&apos;s CRS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="247"/>
        <source>the field name &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="252"/>
        <source>row {0}, field &apos;{1}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="257"/>
        <source>&apos;{0}&apos; holds characters that could not be decoded ({1}): the file is not in the encoding it was read with. Save it as UTF-8, or set the layer&apos;s encoding, and run again. Fields found: {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="74"/>
        <source>&apos;{0}&apos; is not a PostGIS pack address (postgis:CONNECTION/SCHEMA).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="114"/>
        <source>&apos;{0}&apos; is not a usable schema name: use letters, digits and &apos;_&apos; (at most 63, not starting with a digit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="123"/>
        <source>QGIS&apos;s PostgreSQL provider is not available in this installation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="206"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="130"/>
        <source>There is no saved PostgreSQL connection called &apos;{0}&apos;. Add it in the Data Source Manager (PostgreSQL), with its credentials in an authentication configuration. Saved connections: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="145"/>
        <source>list the packs of connection &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_reads.py" line="92"/>
        <source>The database refused to {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="161"/>
        <source>list the tables of schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_reads.py" line="109"/>
        <source>The table {0}.{1} lacks the column(s) {2}; republish the pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="193"/>
        <source>read the pack metadata in schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="202"/>
        <source>The schema &apos;{0}&apos; of connection &apos;{1}&apos; is not an LNRS Local Habitat Map pack: it has no &apos;pack_metadata&apos; table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="248"/>
        <source>read the pack version in schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="272"/>
        <source>The schema &apos;{0}&apos; already exists in connection &apos;{1}&apos;; choose another schema or allow replacing it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="276"/>
        <source>create the schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="281"/>
        <source>Publishing was cancelled; the schema &apos;{0}&apos; was left unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="293"/>
        <source>replace the schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="283"/>
        <source>write the pack metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="342"/>
        <source>create the table {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="364"/>
        <source>write the rows of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="366"/>
        <source>index {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="407"/>
        <source>The pack file {0} cannot be opened ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="262"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="310"/>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="193"/>
        <source>Verdict: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="230"/>
        <source>u2022 u2026and {0} more (see the findings below)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="205"/>
        <source>Irreplaceable habitats: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="205"/>
        <source>Designated sites: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="205"/>
        <source>Search distance: {0} m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="315"/>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="315"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="315"/>
        <source>Overlap (m²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="315"/>
        <source>Distance (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="380"/>
        <source>There is nothing to report yet: check a site first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="390"/>
        <source>The report template could not be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="397"/>
        <source>The PDF could not be written to {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="397"/>
        <source>check the folder exists and is writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="401"/>
        <source>Could not write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="404"/>
        <source>The PDF report could not be made; the details are in the LNRS Toolkit tab of the message log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/project_layers.py" line="61"/>
        <source>Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/project_layers.py" line="75"/>
        <source>The table &apos;{0}&apos; of the pack {1} cannot be opened in QGIS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/parcel_layers.py" line="139"/>
        <source>the layer was already read for this run; run the check again to read it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="113"/>
        <source>the phase must be baseline or proposed, not &apos;{0}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/parcel_layers.py" line="279"/>
        <source>{0} does not hold polygons; choose a polygon layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="117"/>
        <source>{0} has no field &apos;{1}&apos;; choose the field that holds the habitat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/parcel_layers.py" line="337"/>
        <source>{0} is not the Habitats layer of a Defra metric GeoPackage, so there is no GeoPackage to fill; add the results to the map instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/parcel_layers.py" line="341"/>
        <source>{0} had unsaved edits when it was checked, so the GeoPackage on disk differs from the parcels checked; save the layer&apos;s edits and run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pg_connection.py" line="40"/>
        <source>Editing a PostGIS pack needs the Python module psycopg2 (Debian/Ubuntu: apt install python3-psycopg2; the OSGeo4W and macOS QGIS installers include it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pg_connection.py" line="63"/>
        <source>The authentication configuration of the connection &apos;{0}&apos; cannot be read; unlock QGIS&apos;s authentication database (master password) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pg_connection.py" line="109"/>
        <source>Cannot connect to the database of connection &apos;{0}&apos;: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="272"/>
        <source>Another editor has been saving to the pack {0} for more than {1:g} s; nothing was saved and your edits are still in your working copy. Save again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="280"/>
        <source>The connection to the database was lost while saving to {0} ({1}); nothing was saved and your edits are still in your working copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="282"/>
        <source>Saving to the pack {0} failed: {1}. Nothing was saved; your edits are still in your working copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="295"/>
        <source>The pack {0} has no &apos;{1}&apos; table to save opportunity areas into; publish a pack with opportunity areas first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="334"/>
        <source>The audit trail of {0} cannot be read: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_versions.py" line="200"/>
        <source>Another user is saving to the pack in schema &apos;{0}&apos;; try again in a moment. Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_versions.py" line="206"/>
        <source>The database refused to {0} in schema &apos;{1}&apos;: {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_versions.py" line="235"/>
        <source>publish a version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_versions.py" line="258"/>
        <source>read the versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_versions.py" line="285"/>
        <source>read version {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="33"/>
        <source>added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="66"/>
        <source>changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="33"/>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="65"/>
        <source>new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="41"/>
        <source>removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="120"/>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="85"/>
        <source>When (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="85"/>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="50"/>
        <source>Feature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="51"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="52"/>
        <source>Old measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="53"/>
        <source>New measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="72"/>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="55"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="84"/>
        <source>Audit trail: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="88"/>
        <source>&amp;Feature id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="91"/>
        <source>all features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="93"/>
        <source>Show only the changes to one opportunity area (its pack feature id)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="111"/>
        <source>Audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="159"/>
        <source>{0} of {1} changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="54"/>
        <source>(deleted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="85"/>
        <source>Measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="85"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="85"/>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="78"/>
        <source>The audit trail does not say who changed it (it was changed outside the LNRS Toolkit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="80"/>
        <source>Changed by {0} on {1}. Their reason: u201c{2}u201d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="90"/>
        <source>Someone else changed this area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="108"/>
        <source>When you started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="108"/>
        <source>Your version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="108"/>
        <source>In the map now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="136"/>
        <source>Keep &amp;mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="138"/>
        <source>Take &amp;theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_form.py" line="53"/>
        <source>Pack feature id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_form.py" line="110"/>
        <source>Pick at least one measure: an opportunity area without measures is refused when it is saved to the Local Habitat Map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_map.py" line="69"/>
        <source>Not assessed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_map.py" line="77"/>
        <source>Parcel issues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/reason_dialog.py" line="56"/>
        <source>Save to the Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/reason_dialog.py" line="63"/>
        <source>&amp;Why are you making these changes? The reason is kept with every change in the map&apos;s audit trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/reason_dialog.py" line="73"/>
        <source>e.g. 2026 review: woodland creation moved off the floodplain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_map.py" line="39"/>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_map.py" line="39"/>
        <source>Removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_map.py" line="39"/>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_map.py" line="57"/>
        <source>Changes {0} u2192 {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_map.py" line="61"/>
        <source>Screened sites whose answers change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_map.py" line="62"/>
        <source>Opportunity area changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/pack_parameter.py" line="25"/>
        <source>PACK is empty: give a .gpkg pack or postgis:CONNECTION/SCHEMA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/dataset_bundle.py" line="101"/>
        <source>&apos;{0}&apos; cannot be opened as a .zip ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/dataset_bundle.py" line="104"/>
        <source>&apos;{0}&apos; in &apos;{1}&apos; is a CSV: unzip the download and give the folder, so its WKT geometry column can be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/dataset_bundle.py" line="111"/>
        <source>{0} could not be opened as a vector layer: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/dataset_bundle.py" line="114"/>
        <source>&apos;{0}&apos; holds no vector layer (looked for {1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="166"/>
        <source>The pack&apos;s &apos;{0}.{1}&apos; is a {2}, not a table, so its rows cannot be trusted or read in bounded time; republish the pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="172"/>
        <source>read the geometry columns of schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="307"/>
        <source>audit rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="307"/>
        <source>published versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="309"/>
        <source>count the {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="316"/>
        <source>Discarding the history of the pack in schema &apos;{0}&apos; deletes {1} for good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pack_source.py" line="316"/>
        <source> and </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/pg_connection.py" line="160"/>
        <source>You cannot {0} of the pack {1}: your database role has no privilege on it. Ask the pack's owner to run LNRS Toolkit ▸ Local Habitat Map packs ▸ Set up PostGIS roles for a pack (lnrs:setuppostgisroles) for your role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="276"/>
        <source>Nothing was saved. {0} (The database said: {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="276"/>
        <source>save opportunity areas and their audit rows to the tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_opportunity_store.py" line="333"/>
        <source>read the audit table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_roles.py" line="53"/>
        <source>Name at least one editor or reader role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_roles.py" line="66"/>
        <source>The database has no role {0}; create it first (CREATE ROLE … LOGIN) or check the spelling.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_roles.py" line="87"/>
        <source>The roles of the pack in schema &apos;{0}&apos; could not be set up: {1}. Run this as the pack&apos;s owner (the role that published it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_versions.py" line="205"/>
        <source>in schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="56"/>
        <source>Name and reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="63"/>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="63"/>
        <source>reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/layout_tables.py" line="162"/>
        <source>LNRS screening report u2013 site {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/layout_tables.py" line="162"/>
        <source>Page {0} of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="138"/>
        <source>Findings (habitats and designated sites)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="188"/>
        <source>Local planning authority not named in the habitat map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="202"/>
        <source>Not screened: no check was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="255"/>
        <source>Scale 1:{0} on A4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="260"/>
        <source>Strategy area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="291"/>
        <source>Not screened: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="296"/>
        <source>Not every layer could be checked (see the checks and the notes); none of the layers checked has a feature within {0} m.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="299"/>
        <source>No irreplaceable habitat or designated site within {0} m of the site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="310"/>
        <source>Findings within {0} m of the site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="315"/>
        <source>Officer&apos;s decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="323"/>
        <source>Section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="323"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="66"/>
        <source>Repaired {0} invalid geometries in &apos;{1}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="68"/>
        <source>Dropped {0} features of &apos;{1}&apos; with no usable geometry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="132"/>
        <source>&apos;{0}&apos; is {1}, which the pack already holds from &apos;{2}&apos;: its rows replace those of &apos;{2}&apos; (an earlier download of the same dataset).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="144"/>
        <source>&apos;{0}&apos; and &apos;{1}&apos; are both {2}: two downloads of the same dataset. Keep one and run again; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="163"/>
        <source>{0}: not a recognised dataset (fields: {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="163"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="177"/>
        <source>The layers are in different coordinate reference systems ({0}); each was reprojected to EPSG:27700 from its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="181"/>
        <source>Skipped {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="183"/>
        <source>Nothing in &apos;{0}&apos; is a recognised dataset; nothing was written. Add the layers one by one with their ROLE and *_FIELD parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/recognised_input.py" line="193"/>
        <source>{0} rows added to &apos;{1}&apos;, which now holds {2} rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/layer_rows.py" line="225"/>
        <source>&apos;{0}&apos;: the field &apos;{1}&apos; holds values of more than one type (for example numbers in some features and text or true/false in others). QGIS reads such a property (GDAL&apos;s JSON subtype) as empty, so its values would be lost. Give &apos;{1}&apos; one type in every feature (all text, or all numbers) and run again; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_notify.py" line="126"/>
        <source>Cannot listen for colleagues&apos; saves to the pack in schema {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_notify.py" line="133"/>
        <source>The listener is not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_notify.py" line="145"/>
        <source>The connection listening for colleagues&apos; saves was lost: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_reads.py" line="56"/>
        <source>table &apos;{0}.{1}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_reads.py" line="61"/>
        <source>tables in schema &apos;{0}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_reads.py" line="66"/>
        <source>Reading the pack&apos;s {0} took longer than {1:g} s and was stopped, so the pack was not used: the table may be locked by another program, or be a view or a function that does not end. Ask the pack&apos;s owner to check it (or republish the pack), then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_reads.py" line="97"/>
        <source>list the columns of {0}.{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/postgis_reads.py" line="120"/>
        <source>read the table {0}.{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="55"/>
        <source>area habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="55"/>
        <source>hedgerow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="55"/>
        <source>watercourse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="55"/>
        <source>tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="93"/>
        <source>polygons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="93"/>
        <source>lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="94"/>
        <source>points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="97"/>
        <source>{0} does not hold {1}; choose a layer of {1} as the {2} layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="100"/>
        <source>{0} has an unknown coordinate reference system, so where its features lie cannot be known; set it in Layer Properties u25b8 Source (e.g. EPSG:27700, British National Grid) and run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="126"/>
        <source>{0} has no {1} type field; add one named &apos;{2}&apos; holding the metric&apos;s {1} types and run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="132"/>
        <source>red line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/adapters/project_survey.py" line="190"/>
        <source>No red line layer was chosen, so the features were not checked against a red line; Defra&apos;s service needs one (the saved GeoPackage&apos;s Red Line Boundary layer is empty).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="116"/>
        <source>&amp;History of this areau2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/audit_dialog.py" line="119"/>
        <source>Every state of the selected area (or the feature id typed above): show one on the map or restore it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="108"/>
        <source>If you keep yours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/conflict_dialog.py" line="129"/>
        <source>Keep mine saves the fields you changed over theirs; what they changed in any other field stays (the last column shows the result; both changes stay in the audit trail). Take theirs drops your change to this area and puts the map&apos;s version in your working copy. Cancel saves nothing; your working copy keeps every change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="66"/>
        <source>version {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="71"/>
        <source>until {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="74"/>
        <source>(select to read)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="76"/>
        <source>(shape not kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="78"/>
        <source>(not on the map)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="85"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="85"/>
        <source>Area (m²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="86"/>
        <source>Reason or note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="125"/>
        <source>History of an opportunity area: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="137"/>
        <source>Opportunity &amp;area (feature id):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="143"/>
        <source>Show &amp;history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="163"/>
        <source>States of the area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="171"/>
        <source>Show on &amp;map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="173"/>
        <source>Add the area as it was in the selected state to the map, as a temporary layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="175"/>
        <source>&amp;Restore this stateu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="177"/>
        <source>Save the area as it was in the selected state to the Local Habitat Map now: validated and recorded in the audit trail with your note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="200"/>
        <source>The history could not be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="206"/>
        <source>Now: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="206"/>
        <source>, measures {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="206"/>
        <source>opportunity area {0} is not on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="210"/>
        <source>{0} recorded change(s) and {1} published version(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="210"/>
        <source>No audit row or published version holds opportunity area {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="243"/>
        <source>Version {0} could not be read: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="276"/>
        <source>Opportunity area {0} was not on the map in {1}: there is no shape to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="279"/>
        <source>Opportunity area {0} as in {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="285"/>
        <source>Added the layer ‘{0}’ to the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="296"/>
        <source>remove opportunity area {0} from the map, as it was absent in {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="296"/>
        <source>put opportunity area {0} back as it was in {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="299"/>
        <source>Restore: {0}. This is saved to the Local Habitat Map now, validated, and recorded in the audit trail as ‘{1}’ with your note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="310"/>
        <source>Restoring an opportunity area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="322"/>
        <source>Restored: opportunity area {0} saved to the Local Habitat Map (audit row {1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="327"/>
        <source>Nothing was saved: someone else changed this area after it was shown here. Its history has been read again; choose the state to restore again.
{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/history_dialog.py" line="332"/>
        <source>The area could not be restored: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_map.py" line="39"/>
        <source>Area habitats with strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_map.py" line="40"/>
        <source>Hedgerows with strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_map.py" line="41"/>
        <source>Watercourses with strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_map.py" line="42"/>
        <source>Trees with strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="205"/>
        <source>LNRS measures on the site: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="205"/>
        <source>Priority habitats: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/report_export.py" line="315"/>
        <source>Parts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AddToHabitatMapAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="91"/>
        <source>Add layer to Local Habitat Map pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="126"/>
        <source>Local Habitat Map pack (GeoPackage, created if missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="126"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="129"/>
        <source>Input layer or table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="136"/>
        <source>Designation (fixed value for every feature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="140"/>
        <source>Irreplaceable habitat type (fixed value for every feature)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="146"/>
        <source>Designation field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="147"/>
        <source>Habitat type field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="148"/>
        <source>Status field (ancient woodland ASNW/PAWS, tree status)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="149"/>
        <source>Name field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="150"/>
        <source>Reference field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="151"/>
        <source>Measure codes field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="152"/>
        <source>Catalogue: measure code field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="153"/>
        <source>Catalogue: habitat theme field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="154"/>
        <source>Catalogue: priority field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="155"/>
        <source>Catalogue: measure text field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="156"/>
        <source>Catalogue: delivering broad habitats field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="157"/>
        <source>Trees: stem diameter field (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="158"/>
        <source>Trees: crown radius field (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="173"/>
        <source>Measure codes separator (empty: any of ; , | or whitespace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="181"/>
        <source>Strategy name (pack metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="183"/>
        <source>Map version (pack metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="185"/>
        <source>Responsible authority (pack metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="194"/>
        <source>Pack table written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="195"/>
        <source>Rows added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="196"/>
        <source>Rows in the table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="200"/>
        <source>Invalid geometries repaired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="201"/>
        <source>Features dropped (no usable geometry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="202"/>
        <source>Content hash of the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="212"/>
        <source>ROLE: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="234"/>
        <source>Cancelled: the pack was left unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="238"/>
        <source>The pack could not be written ({0}); the previous pack, if any, is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="271"/>
        <source>Adding &apos;{0}&apos; to {1} as &apos;{2}&apos; (table {3}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="283"/>
        <source>role &apos;{0}&apos; needs a {1} layer, but &apos;{2}&apos; holds {3} geometries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="286"/>
        <source>role &apos;{0}&apos; needs a {1} layer, but &apos;{2}&apos; is a table without geometry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="295"/>
        <source>Reprojected {0} features from {1} to EPSG:27700.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="317"/>
        <source>Pack metadata updated: {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="317"/>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="387"/>
        <source>{0} rows added to &apos;{1}&apos;, which now holds {2} rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="403"/>
        <source>Pack content hash: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="419"/>
        <source>PACK is empty: give the path of the pack GeoPackage (.gpkg) to create or update.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="423"/>
        <source>PACK must be a GeoPackage file ending in .gpkg, not &apos;{0}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="441"/>
        <source>Repaired {0} invalid geometries in &apos;{1}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="443"/>
        <source>All geometries in &apos;{0}&apos; are valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="445"/>
        <source>Dropped {0} features of &apos;{1}&apos; with no usable geometry (null, empty, or not a {2} after repair).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="94"/>
        <source>Adds one layer or table to a Local Habitat Map pack (a GeoPackage in EPSG:27700), creating the pack if it does not exist.

With only PACK and INPUT, national datasets are recognised from their fields (planning.data.gov.uk downloads and Natural England&apos;s open data layers, see docs/recognised_datasets.md), and so are LNRS opportunity maps (codes in one column, one row per measure, one flag column per measure) and measures catalogues; the log says which dataset was recognised and which field went where. INPUT may also be a folder, a .zip or a multi-layer GeoPackage: every recognised layer is added in one atomic write, the rest are listed as skipped. An opportunity map whose measures are in a separate table: give the table as MEASURES_TABLE and the polygons&apos; id field as AREA_ID_FIELD.

ROLE says what the layer is: designated (designated sites), irreplaceable (irreplaceable habitats), trees (ancient and veteran trees), opportunity (areas that could become of particular importance, with measure codes), interim, area (the strategy area), measures (the measures catalogue, a table such as a CSV), metadata (key/value table), priority_habitats (priority habitat polygons) or lpa (local planning authority boundaries).

Map the layer&apos;s fields with the *_FIELD parameters, or give a fixed DESIGNATION or HABITAT_TYPE. Measure codes are split on MEASURES_SEPARATOR (default: any of ; , | or whitespace), trimmed and upper-cased.

LNRS_STATUS (published or not_published) and PUBLISHED_DATE record whether the strategy has been published: the parcel check applies the metric&apos;s Table 7 (published) or Table 8 (not yet published) from it.

Layers are reprojected to EPSG:27700; invalid geometries are repaired and counted in the log. Re-adding the same source replaces its rows. REPLACES names other sources (as the pack&apos;s source_layer column lists them, e.g. acb_2025.gpkg; several separated by ;) whose rows this layer replaces, such as the same layer saved under another file name; without it, rows of another source are added beside them. Feature ids stay stable: rows of other sources keep theirs, an incoming row takes the id of the row it replaces (matched by REF_FIELD, the source&apos;s own id, where it names one row, else by identical geometry), and new rows get ids never used before (not even by deleted features).

The pack is written atomically: a failed or cancelled run leaves the previous pack untouched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="131"/>
        <source>Role of the layer in the pack (empty: recognise the dataset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="159"/>
        <source>Priority habitats: main habitat field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="160"/>
        <source>Priority habitats: additional habitats field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="161"/>
        <source>Priority habitats: habitat codes field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="162"/>
        <source>Priority habitats: confidence field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="167"/>
        <source>Opportunity: separate table of area id -&gt; measure codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="170"/>
        <source>Opportunity: area id field joining INPUT to MEASURES_TABLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="178"/>
        <source>Replace the rows of these earlier sources (source_layer names, separated by ;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="187"/>
        <source>Strategy status (pack metadata): published or not_published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="191"/>
        <source>Strategy publication date, YYYY-MM-DD (pack metadata)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="197"/>
        <source>Rows replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="198"/>
        <source>Added rows that kept the id of the row they replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="203"/>
        <source>Layers recognised (one per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="204"/>
        <source>Layers skipped, with the reason (one per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="225"/>
        <source>Incorrect parameter value for {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="246"/>
        <source>&apos;{0}&apos; holds several layers, which are added by recognition only: leave ROLE empty, or add its layers one by one with their ROLE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="323"/>
        <source>{0} earlier rows replaced; {1} added rows kept the id of the row they replace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="344"/>
        <source>Reading {0} layer(s) for {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="372"/>
        <source>{0} given without ROLE: set ROLE too, or leave the *_FIELD parameters empty to have the dataset recognised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_add_to_habitat_map.py" line="377"/>
        <source>&apos;{0}&apos; could not be read as an opportunity map.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareVersionsAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="50"/>
        <source>Compare versions of the Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="53"/>
        <source>Compares two versions of a Local Habitat Map pack: the opportunity areas added, removed and changed (measure codes added or removed, geometry changed with the area difference), matched by their feature id (fid) in the pack, and per measure code the area gained and lost. OUTPUT holds one polygon per change; SUMMARY (optional) is an HTML, text or JSON file (by its extension).

FROM_VERSION and TO_VERSION are published version numbers; leave TO_VERSION empty to compare with the current, possibly unpublished, state.

With SITES (e.g. the output of Screen sites against the Local Habitat Map) every site is re-screened against both versions with the same engine, and SITES_OUTPUT lists the sites whose verdict, strategic significance category or measure codes would change. Their reference comes from REF_FIELD, else the site_ref field, else the feature id; use the same search distance and proposed habitat as the original screening.

PACK is a .gpkg file or postgis:CONNECTION/SCHEMA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="68"/>
        <source>Local Habitat Map pack (.gpkg, or postgis:CONNECTION/SCHEMA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="70"/>
        <source>From version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="72"/>
        <source>To version (empty: the current state)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="76"/>
        <source>Previously screened sites (polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="79"/>
        <source>Site reference field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="81"/>
        <source>Proposed habitat used when the sites were screened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="83"/>
        <source>Search distance used when the sites were screened (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="86"/>
        <source>Opportunity area changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="94"/>
        <source>Sites whose answers change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="91"/>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="91"/>
        <source>HTML files (*.html);;Text files (*.txt);;JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="94"/>
        <source>Opportunity areas added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="94"/>
        <source>Opportunity areas removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="94"/>
        <source>Opportunity areas changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="114"/>
        <source>SITES must be a polygon layer (e.g. the output of Screen sites against the Local Habitat Map).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="120"/>
        <source>SITES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="133"/>
        <source>Site {0} cannot be re-screened: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="157"/>
        <source>Cancelled: nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="187"/>
        <source>Could not write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_compare_versions.py" line="190"/>
        <source>{0} u2192 {1}: {2}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DockContext</name>
    <message>
        <location filename="../plugin/gui/dock_context.py" line="172"/>
        <source>The habitat map could not be reloaded: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock_context.py" line="95"/>
        <source>Show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock_context.py" line="96"/>
        <source>Read the whole message in a window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock_context.py" line="118"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EditingPanel</name>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="101"/>
        <source>Opportunity areas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="110"/>
        <source>&amp;Start editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="113"/>
        <source>Chec&amp;k changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="134"/>
        <source>&amp;Audit trailu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="136"/>
        <source>Every change saved to the pack&apos;s opportunity areas: who, when, what and why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="129"/>
        <source>&amp;Update from the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="131"/>
        <source>Bring in what others saved to the Local Habitat Map since you started, for every area you have not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="37"/>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="40"/>
        <source>No problems found yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="54"/>
        <source>Problems with the changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="198"/>
        <source>Your working copy cannot be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="201"/>
        <source>Your working copy cannot be read; the details are in the LNRS Toolkit tab of the message log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="218"/>
        <source>(not in the project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="219"/>
        <source>Editing &lt;b&gt;{0}&lt;/b&gt; in the layer &lt;i&gt;{1}&lt;/i&gt;. Nothing reaches the map until it passes the checks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="225"/>
        <source>Load a Local Habitat Map pack (a GeoPackage or a PostGIS schema) to edit its opportunity areas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="229"/>
        <source>You have a working copy of &lt;b&gt;{0}&lt;/b&gt; from an earlier session. Start editing to resume it; nothing in it is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="234"/>
        <source>Start editing to check out the opportunity areas of &lt;b&gt;{0}&lt;/b&gt; into a working copy you edit with QGIS&apos;s tools.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="239"/>
        <source>Pending changes: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="241"/>
        <source> ({0} new, {1} changed, {2} deleted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="247"/>
        <source>; more edits on the layer are not saved in the working copy yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="260"/>
        <source>Check the pack&apos;s opportunity areas out into a working copy and edit it with QGIS&apos;s tools; the form picks measures from the catalogue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="260"/>
        <source>Load a Local Habitat Map pack first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="265"/>
        <source>Put the working layer back in the project, in edit mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="286"/>
        <source>{0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="289"/>
        <source>{0}: an unexpected error; the details are in the LNRS Toolkit tab of the message log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_questions.py" line="13"/>
        <source>Resume editing?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_questions.py" line="15"/>
        <source>Resume my working copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_questions.py" line="16"/>
        <source>Discard it and start again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="312"/>
        <source>Load a Local Habitat Map pack first: a GeoPackage or a PostGIS schema with opportunity areas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="317"/>
        <source>There is a working copy of {0} from an earlier session (perhaps QGIS closed while you were editing). Resume it to keep every change in it, or discard it and check the map out again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="332"/>
        <source>{0} has no opportunity areas layer to edit; add one with Add layer to Local Habitat Map pack (role opportunity).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="332"/>
        <source>{0} has no measures catalogue, so measures cannot be picked or checked; add it with Add layer to Local Habitat Map pack (role measures) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="355"/>
        <source>The opportunity areas could not be checked out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="361"/>
        <source>LNRS: check out the opportunity areas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="377"/>
        <source>The working copy {0} cannot be resumed: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="383"/>
        <source>Resumed your working copy with {0} change(s) not yet saved to the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="411"/>
        <source>Measures to choose from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="411"/>
        <source>Opportunity areas u2014 my edits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="415"/>
        <source>The working copy {0} cannot be opened in QGIS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="429"/>
        <source>Editing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="74"/>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="75"/>
        <source>Your edits could not be saved into the working copy: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="105"/>
        <source>Your {0} change(s) pass every check{1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="105"/>
        <source>, with {0} warning(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/working_copy_save.py" line="46"/>
        <source>Start editing first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="123"/>
        <source>You have no changes to save: the working copy matches the Local Habitat Map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="154"/>
        <source>Nothing was saved to the Local Habitat Map: {0} problem(s) must be fixed first. {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="154"/>
        <source> …and {0} more in the Problems list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="172"/>
        <source>Nothing was saved: a reason is needed for the audit trail. Your changes are still in the working copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="180"/>
        <source>You are saving {0} change(s) to {1}: {2} new, {3} changed, {4} deleted area(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="185"/>
        <source>{0} warning(s), which do not stop the save:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="189"/>
        <source>u2026 and {0} more in the Problems list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="219"/>
        <source>LNRS: save the opportunity areas to the Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="230"/>
        <source>Nothing was saved: others keep changing the same areas. Try again in a moment; your changes are still in the working copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="238"/>
        <source>{0} of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="241"/>
        <source>Nothing was saved. Your changes are still in the working copy; save again when you are ready to resolve the conflict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="250"/>
        <source>Nothing was saved to the Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="262"/>
        <source>The map was saved, but your working copy could not be brought up to date ({0}); discard it and start editing again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="273"/>
        <source> ({0} area(s) taken from the map as others left them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="275"/>
        <source>Saved {0} change(s) to the Local Habitat Map{1}; its content hash is now {2}u2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="308"/>
        <source>Your working copy already has everything others saved to the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="311"/>
        <source>{0} area(s) you changed were also changed in the map: they stay as you have them, and saving asks which version to keep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="347"/>
        <source>Brought in what others saved to the map: {0} area(s) changed, {1} new, {2} deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="63"/>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="63"/>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="75"/>
        <source>No problems found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="77"/>
        <source>{0} error(s) to fix before saving, {1} warning(s). Click a problem to see it on the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_issues.py" line="80"/>
        <source>{0} check(s) could not be applied to this pack (hover for why).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_discard_audit.py" line="53"/>
        <source>Throw away your {0} change(s) not yet saved to the Local Habitat Map? The map itself is not changed. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_discard_audit.py" line="53"/>
        <source>Throw away the working copy of {0} from an earlier session? The map itself is not changed. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_discard_audit.py" line="57"/>
        <source>Discard my changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_discard_audit.py" line="63"/>
        <source>Your working copy was discarded; the Local Habitat Map is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_discard_audit.py" line="85"/>
        <source>The working copy {0} could not be deleted: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_discard_audit.py" line="99"/>
        <source>Load a Local Habitat Map pack first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_discard_audit.py" line="104"/>
        <source>The audit trail could not be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/map_notice.py" line="64"/>
        <source>Someone saved changes to the Local Habitat Map since your working copy last took them in: Update from the map brings them in (the areas you changed stay as you have them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="244"/>
        <source>; {0} more edit(s) left unsaved on the layer come back when you resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="90"/>
        <source>Your edits are saved in the working copy; they go to the map as soon as the map has finished loading or saving.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="136"/>
        <source>Your changes could not be checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="146"/>
        <source>LNRS: check the changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="163"/>
        <source>The map is being read or saved; save again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="334"/>
        <source>What others saved to the map could not be brought into your working copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_check_in.py" line="343"/>
        <source>LNRS: bring in what others saved to the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="115"/>
        <source>Check changes: list the problems the Local Habitat Map would refuse, without saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="118"/>
        <source>Save to t&amp;he mapu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="120"/>
        <source>Save to the Local Habitat Map: check your changes and, with a reason, save them to the pack (QGIS&apos;s Save Layer Edits on the working layer does the same)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="124"/>
        <source>&amp;Discard changesu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/editing_panel.py" line="126"/>
        <source>Discard my changes: throw the working copy away; the Local Habitat Map is not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/map_notice.py" line="71"/>
        <source>Someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/map_notice.py" line="72"/>
        <source>{0} saved changes to {1} area(s) of the Local Habitat Map: Update from the map brings them in (the areas you changed stay as you have them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/map_notice.py" line="83"/>
        <source>Update from the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/postgis_setup_menu.py" line="47"/>
        <source>&amp;PostGIS set-upu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/postgis_setup_menu.py" line="48"/>
        <source>Share a pack through PostgreSQL: publish it, update its layers keeping its history, give editors and readers their privileges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/postgis_setup_menu.py" line="54"/>
        <source>Publish this pack to PostGISu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/postgis_setup_menu.py" line="56"/>
        <source>Update a PostGIS pack&apos;s layers (keeping its history)u2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/postgis_setup_menu.py" line="59"/>
        <source>Set up PostGIS roles for this packu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/postgis_setup_menu.py" line="79"/>
        <source>The Processing dialog {0} could not be opened ({1}); is the Processing plugin enabled?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/working_copy_save.py" line="28"/>
        <source>Save &amp;working copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/working_copy_save.py" line="30"/>
        <source>Save to my working copy: keep your edits without sending them to the Local Habitat Map; they are listed as pending, stay when QGIS closes, and are saved to the map when you choose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/working_copy_save.py" line="49"/>
        <source>A save to the map is running; wait for it to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/working_copy_save.py" line="58"/>
        <source>Saved in your working copy: {0} change(s) wait to be saved to the Local Habitat Map, which is unchanged. They stay when QGIS closes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/working_copy_save.py" line="62"/>
        <source>Your working copy already holds every edit: {0} change(s) wait to be saved to the Local Habitat Map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="57"/>
        <source>S&amp;nap to the boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="79"/>
        <source>Snap the chosen area&apos;s vertices onto the neighbouring area&apos;s boundary, closing the gap (Edit &gt; Undo takes it back)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="83"/>
        <source>For a problem &apos;outside the strategy area&apos; or &apos;narrow gap&apos;: snap the area&apos;s vertices onto the strategy boundary or its neighbour, within {0:g} m (Edit &gt; Undo takes it back)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="95"/>
        <source>Choose a problem &apos;outside the strategy area&apos; or &apos;narrow gap&apos; in the Problems list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="103"/>
        <source>The map is being read or saved; snap again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="109"/>
        <source>{0} is no longer in the working layer; check the changes again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="140"/>
        <source>The area could not be snapped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="146"/>
        <source>LNRS: snap to the boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="177"/>
        <source>The area changed while it was being snapped, so it was left as it is; snap it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="181"/>
        <source>The working layer cannot be put in edit mode, so the area was not snapped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="186"/>
        <source>Snap to the boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="189"/>
        <source>QGIS did not accept the snapped shape, so the area was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="196"/>
        <source>Checked again: your changes pass every check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="196"/>
        <source>Checked again: {0} problem(s) still to fix in the Problems list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snap_action.py" line="199"/>
        <source>Edit &gt; Undo (Ctrl+Z) takes the snap back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snapping.py" line="53"/>
        <source>Snap to the &amp;boundary and neighbours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snapping.py" line="55"/>
        <source>While you edit the opportunity areas, QGIS snaps to the strategy boundary and to the neighbouring areas (vertices and edges); your own snapping settings come back when editing stops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/edit_snapping.py" line="178"/>
        <source>Strategy area (snapping)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsAlgorithm</name>
    <message>
        <location filename="../plugin/processing/lnrs_algorithm.py" line="25"/>
        <source>Screening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/lnrs_algorithm.py" line="26"/>
        <source>Local Habitat Map packs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsDockWidget</name>
    <message>
        <location filename="../plugin/gui/dock.py" line="43"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="67"/>
        <source>S&amp;ite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="69"/>
        <source>&amp;Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="71"/>
        <source>Parce&amp;ls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="73"/>
        <source>&amp;Versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="75"/>
        <source>Edit &amp;map</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsProvider</name>
    <message>
        <location filename="../plugin/processing/provider.py" line="34"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsToolkitPlugin</name>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="56"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="59"/>
        <source>Show or hide the LNRS Toolkit panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="85"/>
        <source>&amp;LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="32"/>
        <source>The OSTN15 grid could not be installed; WGS84 sites are moved to British National Grid with a Helmert transformation good to a few metres.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PackChooser</name>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="73"/>
        <source>Habitat map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="87"/>
        <source>Local Habitat Map packs (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="88"/>
        <source>Choose a Local Habitat Map pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="90"/>
        <source>The Local Habitat Map pack (.gpkg) to screen against</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="95"/>
        <source>Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="96"/>
        <source>Recently used packs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="103"/>
        <source>PostGISu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="104"/>
        <source>Open a pack held in a PostGIS schema, through one of QGIS&apos;s saved PostgreSQL connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="110"/>
        <source>Add to map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="111"/>
        <source>Add the pack&apos;s layers to the project, styled, in a group named after the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="325"/>
        <source>No Local Habitat Map loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="149"/>
        <source>Habitat map {0} will load when the panel opens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="176"/>
        <source>Demo pack (bundled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="205"/>
        <source>The habitat map could not be loaded: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="209"/>
        <source>The habitat map could not be loaded; the details are in the LNRS Toolkit tab of the message log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="241"/>
        <source>Sites can be checked now, from the map&apos;s spatial index; the whole map is loading in the background (see the task manager) for the other tabs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="253"/>
        <source>The whole habitat map could not be loaded: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="258"/>
        <source>Loading the Local Habitat Map {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="289"/>
        <source>Connection skipped: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="291"/>
        <source>No Local Habitat Map pack was found in the saved PostgreSQL connections. Add a connection in the Browser panel (PostgreSQL u25b8 New Connection) with an authentication configuration, and publish a pack into one of its schemas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="296"/>
        <source>Open a pack from PostGIS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="296"/>
        <source>Connection / schema:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="307"/>
        <source>Load a habitat map first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="314"/>
        <source>The pack&apos;s layers could not be added: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="341"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="333"/>
        <source>loading the whole map in the backgroundu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="341"/>
        <source>sha256 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="333"/>
        <source>&lt;b&gt;{0}&lt;/b&gt;&lt;br&gt;version {1} u00b7 published {2}&lt;br&gt;sha256 {3}u2026 u00b7 </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="348"/>
        <source>LNRS status not recorded in the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="351"/>
        <source>LNRS published {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="352"/>
        <source>LNRS published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="353"/>
        <source>LNRS not yet published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="359"/>
        <source>{0} (metric Table 7 assumed: published)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/pack_chooser.py" line="362"/>
        <source>{0} (metric {1})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParcelSignificanceAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="53"/>
        <source>Strategic significance of habitat parcels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="85"/>
        <source>Local Habitat Map pack (.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="87"/>
        <source>Habitat field (default: Baseline/Proposed Habitat Type)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="90"/>
        <source>Phase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="92"/>
        <source>Red line boundary (default: the GeoPackage&apos;s Red Line Boundary)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="99"/>
        <source>Parcels with strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="101"/>
        <source>Parcel issues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="129"/>
        <source>INPUT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="129"/>
        <source>RED_LINE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="135"/>
        <source>Red line: the GeoPackage&apos;s &apos;{0}&apos; layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="181"/>
        <source>LPA_BOUNDARIES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="160"/>
        <source>Wrote the Defra metric GeoPackage {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="168"/>
        <source>{0} parcel(s) -&gt; {1} piece(s); {2} issue(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="193"/>
        <source>Cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="79"/>
        <source>Habitat parcels (polygons; leave empty with GEOPACKAGE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="82"/>
        <source>Defra metric GeoPackage, either template (all its layers are read)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="103"/>
        <source>Filled Defra GeoPackage (with GEOPACKAGE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="103"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="114"/>
        <source>Give INPUT or GEOPACKAGE, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="119"/>
        <source>Give INPUT (a habitat parcel layer) or GEOPACKAGE (a Defra metric GeoPackage).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="175"/>
        <source>RED_LINE is not used with GEOPACKAGE: the GeoPackage&apos;s own Red Line Boundary is checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="183"/>
        <source>{0}: {1} feature(s) in {2}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="191"/>
        <source>Wrote the filled GeoPackage {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="210"/>
        <source>{0} feature(s) -&gt; {1} piece(s); {2} issue(s), {3} error(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="56"/>
        <source>Gives each baseline or proposed habitat parcel, hedgerow, watercourse and individual tree the statutory biodiversity metric&apos;s strategic significance (category, multiplier and exact wording) from a Local Habitat Map pack, splitting features where significance or the local planning authority changes (pieces keep their parent&apos;s attributes and a reference such as P1-a; lines are measured in km). The rules follow the metric user guide (June 2026): Table 7 when the pack&apos;s LNRS is published (baseline always Low; post-intervention High only where a mapped measure is consistent with the proposed habitat; Medium cannot be applied), Table 8 when it is not yet published. A High piece on an area of particular importance gets a footnote 6 warning. Without LPA_BOUNDARIES the pack&apos;s own local planning authority boundaries (its lpa_boundaries table) are used, as the log says.

GEOPACKAGE takes a whole Defra metric GeoPackage of either template (Natural England: Habitats, Hedgerows, Rivers, Urban Trees; BNG Metric service: Area Habitats, Hedgerows, Watercourses, Individual Trees, Baseline or Post-Intervention by PHASE) with its own Red Line Boundary; INPUT is then left empty. OUTPUT_GEOPACKAGE is the filled copy in the same template, every module&apos;s Strategic Significance filled.

ISSUES lists Defra&apos;s validation rules with Defra&apos;s codes and tolerances (severity error: Defra&apos;s service refuses the file) and our advice (severity warning), each with layer, reference, message and fix. When INPUT is the Habitats layer of a Defra digital metric GeoPackage and OUTPUT is a .gpkg (or temporary), OUTPUT is a copy of that GeoPackage with the parcels split and the Strategic Significance field filled; every other field and layer is carried over unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_parcel_significance.py" line="95"/>
        <source>Local planning authority boundaries (default: the pack&apos;s lpa_boundaries table)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParcelsPanel</name>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="108"/>
        <source>R&amp;un</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="112"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="78"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="83"/>
        <source>Significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="85"/>
        <source>Habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="83"/>
        <source>Area (ha)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="84"/>
        <source>Multiplier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="85"/>
        <source>Metric wording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="86"/>
        <source>Measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="86"/>
        <source>Irreplaceable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="87"/>
        <source>Split from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="144"/>
        <source>Issues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="174"/>
        <source>&amp;Add results to map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="180"/>
        <source>&amp;Save filled GeoPackageu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="74"/>
        <source>Baseline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="79"/>
        <source>P&amp;hase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="73"/>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="88"/>
        <source>LPA &amp;boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="216"/>
        <source>Load a Local Habitat Map pack in the Habitat map group above first: significance comes from its opportunity areas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="254"/>
        <source>Open a Defra metric GeoPackage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="442"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="295"/>
        <source>Load a Local Habitat Map pack in the Habitat map group first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="330"/>
        <source>The parcel check was cancelled; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="333"/>
        <source>no answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="129"/>
        <source>not assessed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="134"/>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="358"/>
        <source>Assessed against the pack {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="216"/>
        <source>{0} ({1}): {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="219"/>
        <source>Strategic significance not assessed: the pack has no opportunity areas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="222"/>
        <source>Measures: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="224"/>
        <source>Local planning authority: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="226"/>
        <source>Split from {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="403"/>
        <source>This issue has no location on the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="435"/>
        <source>Run the parcel check first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="424"/>
        <source>Parcel significance: {0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="426"/>
        <source>Added &apos;{0}&apos; to the map as temporary layers; save them (Export) to keep them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="440"/>
        <source>Save the filled Defra GeoPackage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="452"/>
        <source>The GeoPackage was not saved: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="455"/>
        <source>The GeoPackage was not saved: {0} ({1}). Choose another folder or file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="464"/>
        <source>Saved the filled GeoPackage {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="29"/>
        <source>Survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="35"/>
        <source>Defra GeoPackage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="36"/>
        <source>Layers in this project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="37"/>
        <source>Check a Defra metric GeoPackage, or survey layers of this project (digitised in QGIS or loaded from a shapefile; saved as a new GeoPackage in the Natural England template)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="41"/>
        <source>S&amp;ource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="55"/>
        <source>No GeoPackage open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="57"/>
        <source>&amp;Openu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="59"/>
        <source>Open a GeoPackage of the statutory biodiversity metric, in the Natural England template or the BNG Metric service template: every module is checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="63"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="69"/>
        <source>Template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="75"/>
        <source>Post-intervention (proposed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="76"/>
        <source>Which of the metric&apos;s phases to assess: the baseline (existing) or the post-intervention (proposed) habitats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="86"/>
        <source>Local planning authority boundaries: features are split where the authority changes (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="108"/>
        <source>open a GeoPackage of either Defra template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="111"/>
        <source>{0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_inputs.py" line="113"/>
        <source>Recognised from the file&apos;s layer names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="38"/>
        <source>Habitat &amp;parcels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="38"/>
        <source>The habitat parcels: a polygon layer, in any CRS (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="44"/>
        <source>The field holding each parcel&apos;s habitat (empty: the phase&apos;s &apos;Baseline Habitat Type&apos; or &apos;Proposed Habitat Type&apos;, as the Processing algorithm takes it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="48"/>
        <source>Habitat fiel&amp;d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="49"/>
        <source>H&amp;edgerows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="49"/>
        <source>Hedgerows as lines, with a &apos;Baseline Hedge Type&apos; (or &apos;type&apos;) field (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="53"/>
        <source>&amp;Watercourses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="53"/>
        <source>Watercourses as lines, with a &apos;Baseline River Type&apos; (or &apos;type&apos;) field (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="57"/>
        <source>&amp;Trees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="57"/>
        <source>Individual trees as points (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="60"/>
        <source>&amp;Red line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="60"/>
        <source>The site&apos;s red line boundary (optional; Defra&apos;s service needs one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_layer_inputs.py" line="104"/>
        <source>choose the layer of area habitat parcels first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="127"/>
        <source>Open a Defra metric GeoPackage, or choose layers in this project, and press Run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="135"/>
        <source>Issues: Defra&apos;s errors and our warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="140"/>
        <source>Features of every module with their strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="145"/>
        <source>Features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="176"/>
        <source>Add the issues and every module&apos;s features with their significance to the project as temporary layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="182"/>
        <source>Write a copy of the GeoPackage, in its own template, with features split and every module&apos;s Strategic Significance filled (the input is never changed); for layers in this project, a new GeoPackage in the Natural England template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="219"/>
        <source>Choose the layer of area habitat parcels first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="278"/>
        <source>Open a Defra metric GeoPackage first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="222"/>
        <source>Check the survey with Defra&apos;s rules and score every feature&apos;s strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="239"/>
        <source>Rule: load a Local Habitat Map pack above; whether its LNRS is published decides the metric&apos;s Table 7 or Table 8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="245"/>
        <source>&lt;b&gt;Rule: metric {0}&lt;/b&gt; u00b7 {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="261"/>
        <source>{0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="284"/>
        <source>The layers were not checked: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="290"/>
        <source>The survey is already being checked; wait for it or cancel it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="303"/>
        <source>LNRS parcel check of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="333"/>
        <source>The survey could not be checked: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="354"/>
        <source>Issues ({0} errors, {1} warnings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="356"/>
        <source>Features ({0}, {1} pieces)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="441"/>
        <source>Save the layers as a filled Defra GeoPackage (Natural England template)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_panel.py" line="461"/>
        <source>Saved the filled GeoPackage {0} in the Natural England template (the project layers are unchanged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="31"/>
        <source>Area habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="31"/>
        <source>Hedgerow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="32"/>
        <source>Watercourse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="32"/>
        <source>Tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="36"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="36"/>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="76"/>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="76"/>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="87"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="82"/>
        <source>Ref</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="78"/>
        <source>Fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="82"/>
        <source>Module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="84"/>
        <source>Length (km)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="173"/>
        <source>{0}: {1} ({2} pieces{3})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="177"/>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;errors: {0}&lt;/b&gt; (Defra&apos;s service would refuse the file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="179"/>
        <source>&lt;b&gt;errors: 0&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="180"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; u00b7 {1} ({2}) u00b7 {3} u00b7 warnings: {4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="185"/>
        <source> u00b7 features split: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="188"/>
        <source> u00b7 &lt;b&gt;on irreplaceable habitat: {0}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="195"/>
        <source>Layers in this project (saved in the {0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="203"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; ({1}) {2}&lt;br&gt;{3}&lt;br&gt;&lt;i&gt;Fix:&lt;/i&gt; {4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/parcels_tables.py" line="212"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; ({1}): {2} u00b7 {3}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PublishPackToPostgisAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="42"/>
        <source>Publish a pack to PostGIS (or update its layers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="45"/>
        <source>Copies a Local Habitat Map pack (a GeoPackage) into a schema of a PostgreSQL database with PostGIS, through a saved QGIS PostgreSQL connection whose credentials are in an authentication configuration. Every table is created, the audit trail and the published versions too, so editors never need the right to create tables. The new schema replaces the old one in one transaction: readers never see half a pack, and on any failure or cancel the schema is left as it was.

To update the layers of a pack already in the schema, tick &apos;Replace the pack already in the schema&apos;. Its audit trail and published versions are KEPT: they move into the updated pack.

&apos;Discard the audit trail and published versions&apos; deletes them for good: who changed which area, when and why, and every published version, with no way back. The log says how many audit rows and versions were deleted. Leave it unticked unless you mean exactly that.

Replacing a schema takes the privileges granted on it with it: name the EDITORS and READERS roles here (separated by commas) to give them their privileges again at once (as Set up PostGIS roles for a pack does), or run that algorithm afterwards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="61"/>
        <source>Local Habitat Map pack (GeoPackage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="63"/>
        <source>PostgreSQL connection (saved in QGIS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="65"/>
        <source>Schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="66"/>
        <source>Replace the pack already in the schema (update its layers, keep its history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="69"/>
        <source>Discard the audit trail and published versions (deleted for good)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="72"/>
        <source>Editor roles to (re)grant (separated by commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="74"/>
        <source>Reader roles to (re)grant (separated by commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="76"/>
        <source>Content hash of the published pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="77"/>
        <source>History discarded (in words)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="78"/>
        <source>Tables covered by the roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="89"/>
        <source>Give the pack (a .gpkg file), a saved PostgreSQL connection and a schema.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="92"/>
        <source>&apos;Discard the audit trail and published versions&apos; only applies when replacing the pack already in the schema; nothing was done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="97"/>
        <source>The schema {0} holds no Local Habitat Map pack (no pack_metadata table): it is not replaced. Choose another schema.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="109"/>
        <source>Updated the layers of the pack in schema {0}; its audit trail and published versions were kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="112"/>
        <source>Updated the layers of the pack in schema {0}; {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="112"/>
        <source>it had no history to discard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="115"/>
        <source>Published the pack to schema {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="117"/>
        <source>Editors {0} and readers {1} have their privileges on the {2} tables of schema {3}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="122"/>
        <source>Privileges granted on the old schema went with it: run Set up PostGIS roles for a pack (lnrs:setuppostgisroles) for its editors and readers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_pack_to_postgis.py" line="124"/>
        <source>Content hash {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PublishVersionAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_publish_version.py" line="29"/>
        <source>Publish a version of the Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_version.py" line="32"/>
        <source>Freezes the current state of a Local Habitat Map pack as its next version (1, 2, 3 u2026), with the date (UTC), the content hash, who published it (the officer name in the LNRS Toolkit settings, else the system user) and NOTE. The frozen content is kept inside the pack (GeoPackage) or its schema (PostGIS), so any version can later be screened and compared; screening reports cite the version, its date and hash, and say when a pack has unpublished edits.

PACK is a .gpkg file or postgis:CONNECTION/SCHEMA (a saved QGIS PostgreSQL connection whose credentials are in an authentication configuration). Publishing content unchanged since the last version is refused. Publishing is one transaction: on any failure the pack is left as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_version.py" line="43"/>
        <source>Local Habitat Map pack (.gpkg, or postgis:CONNECTION/SCHEMA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_version.py" line="45"/>
        <source>Note: what this version changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_version.py" line="47"/>
        <source>Version number published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_version.py" line="48"/>
        <source>Content hash of the version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_publish_version.py" line="58"/>
        <source>Published version {0} of {1} on {2} by {3}: sha256 {4}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="90"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="90"/>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="90"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="90"/>
        <source>Measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="98"/>
        <source>Screened sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="113"/>
        <source>&amp;Not applicable…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="115"/>
        <source>Mark the selected finding not applicable, with a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="117"/>
        <source>Cop&amp;y summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="120"/>
        <source>&amp;JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="122"/>
        <source>Export the results as JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="124"/>
        <source>H&amp;TML…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="126"/>
        <source>Export the results as an HTML report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="128"/>
        <source>&amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="130"/>
        <source>Export a PDF report with a map, one page per site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="132"/>
        <source>&amp;Withdraw…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="134"/>
        <source>The selected finding applies after all: withdraw its override, with a reason (the override stays in the record)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="155"/>
        <source>Stale: these results are for the site(s) checked before ({0}), not for the site(s) now given. Check the new site(s) to see their results; these results cannot be exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="173"/>
        <source>These results are stale: they belong to the site(s) checked before, not to the site(s) now given. Check the new site(s) first; nothing was exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="191"/>
        <source>could not be screened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="210"/>
        <source>Screened {0} sites: {1} red, {2} amber, {3} green, {4} not screened (outside the map), {5} could not be screened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="261"/>
        <source>That feature is not in the loaded habitat map any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="302"/>
        <source>Select a finding in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="304"/>
        <source>Mark not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="304"/>
        <source>Why does this finding not apply? (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="312"/>
        <source>A reason is required to mark a finding not applicable; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="317"/>
        <source>{0} marked not applicable; the report keeps the original finding and your reason. The decision is kept in the project for this site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="331"/>
        <source>Select a finding marked not applicable first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="333"/>
        <source>Withdraw override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="333"/>
        <source>Why does this finding apply after all? (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="340"/>
        <source>A reason is required to withdraw an override; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="344"/>
        <source>The override of {0} was withdrawn; the record keeps who marked it, who withdrew it, when and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="361"/>
        <source>To review: marked not applicable against another version of the habitat map, so not applied: {0}. Mark a finding again if the decision still holds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="361"/>
        <source>{0} ({1}, by {2} on {3}: {4})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="380"/>
        <source>The summary is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="398"/>
        <source>Saved {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="404"/>
        <source>Export JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="404"/>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="439"/>
        <source>Could not write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="421"/>
        <source>Export HTML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="421"/>
        <source>HTML files (*.html)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="447"/>
        <source>Export PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="447"/>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_panel.py" line="183"/>
        <source>{0} override(s) of this site were not in the project; read back from {1} and kept in the project.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <location filename="../plugin/gui/results_view.py" line="86"/>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="86"/>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="92"/>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="99"/>
        <source>Details of the selected finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="111"/>
        <source>No result yet: choose a site and press Check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="120"/>
        <source>found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="122"/>
        <source>clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="281"/>
        <source>not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="126"/>
        <source>RED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="126"/>
        <source>AMBER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="126"/>
        <source>GREEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="145"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; &amp;mdash; site {1} ({2} ha)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="153"/>
        <source>Notes ({0})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="203"/>
        <source>not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="414"/>
        <source>Marked not applicable by {0} on {1}: {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="207"/>
        <source>Irreplaceable habitats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="211"/>
        <source>Designated sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="282"/>
        <source>Strategic significance and measures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="384"/>
        <source>Not in the pack&apos;s measures catalogue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="292"/>
        <source>on the site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="294"/>
        <source>adjoins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="294"/>
        <source>, buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="296"/>
        <source>{0} m, in buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="297"/>
        <source>{0} m away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="352"/>
        <source> (assumed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="390"/>
        <source>Habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="364"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="364"/>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="391"/>
        <source>Relation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="373"/>
        <source>Overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="374"/>
        <source>Distance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="359"/>
        <source>Standing-advice buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="360"/>
        <source>Site area inside the buffer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="364"/>
        <source>Designation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="385"/>
        <source>Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="385"/>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="385"/>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="386"/>
        <source>Mapped on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="127"/>
        <source>NOT SCREENED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="136"/>
        <source>Site {0}: could not be screened. {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="390"/>
        <source>unnamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="255"/>
        <source>{0} ({1} parts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="259"/>
        <source>part {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="277"/>
        <source>{0} measure(s) mapped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="279"/>
        <source>no measures mapped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="390"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="391"/>
        <source>Parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="392"/>
        <source>Total overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="393"/>
        <source>Nearest distance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="395"/>
        <source>Site area inside the buffers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="217"/>
        <source>Priority habitats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="220"/>
        <source>No priority habitat within {0} m of the site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="220"/>
        <source>The pack holds no Priority Habitats Inventory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="223"/>
        <source>main habitat not given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="239"/>
        <source>{0}% of the site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="356"/>
        <source>Inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="378"/>
        <source>Main habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="370"/>
        <source>Additional habitats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="371"/>
        <source>Habitat codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/results_view.py" line="371"/>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScreenSitesAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="118"/>
        <source>Screen sites against the Local Habitat Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="133"/>
        <source>Sites (polygons)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="135"/>
        <source>Local Habitat Map pack (.gpkg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="137"/>
        <source>Site reference field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="139"/>
        <source>Proposed habitat (statutory metric habitat or broad habitat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="142"/>
        <source>Search distance (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="146"/>
        <source>Screened sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="148"/>
        <source>Screening results (JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="148"/>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="156"/>
        <source>INPUT could not be opened as a vector layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="159"/>
        <source>points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="159"/>
        <source>lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="160"/>
        <source>INPUT holds {0}; screening needs polygons (each application&apos;s red line boundary).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="173"/>
        <source>INPUT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="183"/>
        <source>Habitat map: {0}, version {1}, sha256 {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="245"/>
        <source>Site {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="212"/>
        <source>Cancelled: nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="250"/>
        <source>Could not write {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="238"/>
        <source>Site {0} could not be screened: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="259"/>
        <source>Screened {0} site(s): {1} red, {2} amber, {3} green, {4} not screened (outside the map), {5} could not be screened (errors).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="121"/>
        <source>Screens each polygon site against a Local Habitat Map pack: irreplaceable habitats with Natural England&apos;s standing-advice buffers, designated sites within the search distance, the biodiversity metric&apos;s strategic significance (optionally for a proposed habitat), the LNRS measures mapped on the site and, when the pack holds the Priority Habitats Inventory, the priority habitats on or near it (on the site: amber). A site wholly outside the pack&apos;s area gets the verdict not_screened (never amber, never green). OUTPUT holds one summary row per site; JSON holds the full explainable result (schema lnrs-screening/1), one object per site in input order. Sites in any CRS are reprojected to EPSG:27700; invalid sites are repaired and the repair is reported; unusable sites get an error message instead of a verdict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="180"/>
        <source>{0} site(s) on a {1:,.0f} MB pack: read near each site through the pack&apos;s spatial index, without loading it whole.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_screen_sites.py" line="257"/>
        <source>Priority habitat lies on {0} of the {1} site(s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetupPostgisRolesAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="27"/>
        <source>Set up PostGIS roles for a pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="30"/>
        <source>Run by the pack&apos;s owner (the role that published it) after publishing a Local Habitat Map pack to PostGIS, and again after updating its layers. It creates any history table the pack lacks (the audit trail and the published versions), then gives EDITORS the right to read and change every table of the pack&apos;s schema (check-in, audit trail, publishing versions) and READERS the right to read them, now and for tables created later (default privileges).

PACK is postgis:CONNECTION/SCHEMA. EDITORS and READERS are database roles separated by commas; the roles must exist (CREATE ROLE name LOGIN). Everything happens in one transaction.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="40"/>
        <source>Local Habitat Map pack (postgis:CONNECTION/SCHEMA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="42"/>
        <source>Editor roles (separated by commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="44"/>
        <source>Reader roles (separated by commas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="46"/>
        <source>Tables covered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="51"/>
        <source>PACK must be a pack in PostGIS (postgis:CONNECTION/SCHEMA); a GeoPackage has no database roles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="60"/>
        <source>Created the history tables {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_setup_postgis_roles.py" line="61"/>
        <source>Editors {0} and readers {1} now have their privileges on the {2} tables of schema {3}, and on tables created there later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SitePanel</name>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="79"/>
        <source>Site to check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="83"/>
        <source>&amp;Draw site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="86"/>
        <source>Draw the site on the map: click to add corners (snapping applies), Backspace removes the last corner, right-click finishes, Esc cancels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="96"/>
        <source>&amp;Import fileu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="98"/>
        <source>Use the polygons of a GeoJSON, Shapefile, GeoPackage, KML or DXF file, one site each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="103"/>
        <source>No site yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="112"/>
        <source>the application reference, e.g. 24/01234/FUL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="113"/>
        <source>Re&amp;ference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="116"/>
        <source>the site&apos;s address, for the report (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="117"/>
        <source>&amp;Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="134"/>
        <source>optional, e.g. Woodland and forest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="135"/>
        <source>The habitat proposed on the site (statutory metric habitat or broad habitat), for strategic significance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="137"/>
        <source>Proposed &amp;habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="143"/>
        <source> m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="147"/>
        <source>How far from the site to look for designated sites and irreplaceable habitats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="149"/>
        <source>Search distanc&amp;e</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="154"/>
        <source>Your name as it appears on reports and on findings you mark not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="157"/>
        <source>&amp;Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="161"/>
        <source>&amp;Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="163"/>
        <source>Screen the site(s) against the habitat map (Ctrl+Return)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="166"/>
        <source>Cance&amp;l</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="199"/>
        <source>Click the site&apos;s corners on the map; right-click to finish, Backspace to remove the last corner, Esc to cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="213"/>
        <source>The map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="216"/>
        <source>The site cannot be used: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="219"/>
        <source>The drawn site has no area; draw at least three corners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="221"/>
        <source>Drawn site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="229"/>
        <source>Make a polygon layer active in the Layers panel and select the site(s) in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="234"/>
        <source>No features are selected in {0}; select one or more site polygons.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="247"/>
        <source>Some features cannot be used as sites: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="256"/>
        <source>Import site boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="256"/>
        <source>Vector files (*.geojson *.json *.shp *.gpkg *.kml *.kmz *.dxf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="264"/>
        <source>{0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="272"/>
        <source>{0} cannot be opened as a vector file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="275"/>
        <source>{0} holds no polygons; a site needs its red line boundary as a polygon.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="280"/>
        <source>{0} holds no features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="296"/>
        <source>One site, {0} ha.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="298"/>
        <source>{0} sites (references from the layer&apos;s display name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="311"/>
        <source>Type the application reference of the new site (it goes on the results and reports), then Check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="332"/>
        <source>A check is already running; wait for it or cancel it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="337"/>
        <source>Choose a Local Habitat Map pack first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="340"/>
        <source>Give a site first: draw it on the map or use selected features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="350"/>
        <source>LNRS screening of {0} site(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="366"/>
        <source>The check was cancelled; no results were kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="370"/>
        <source>The check could not run: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="90"/>
        <source>Use &amp;selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/site_panel.py" line="92"/>
        <source>Use selected features: screen the selected polygons of the active layer, one site each</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ValidateOpportunitiesAlgorithm</name>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="68"/>
        <source>Validate opportunity areas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="71"/>
        <source>Checks every opportunity area (ACB polygon) of a Local Habitat Map pack with the same rules the plugin applies when edits are saved: measure codes missing, malformed or not in the pack&apos;s catalogue; missing, non-polygon or invalid geometry; parts outside the strategy area; measures that contradict each other on the same land or the irreplaceable habitat beneath; overlaps with Areas of Particular Importance the strategy&apos;s policy forbids; and warnings (very small polygons, slivers, duplicates, many codes). The rules and their defaults are in docs/editing.md; a pack can set its own in the metadata key &apos;opportunity_rules&apos;. PACK is a .gpkg pack or postgis:CONNECTION/SCHEMA (a saved PostgreSQL connection). OUTPUT holds one point per issue (on the problem) with the opportunity area&apos;s pack fid, the rule, the severity (error or warning) and a message that says how to fix it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="83"/>
        <source>Local Habitat Map pack (.gpkg, or postgis:CONNECTION/SCHEMA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="85"/>
        <source>Opportunity area issues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="87"/>
        <source>Opportunity areas checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="88"/>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="89"/>
        <source>Warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="95"/>
        <source>Reading the pack {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="105"/>
        <source>Habitat map: {0}, version {1}, sha256 {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="108"/>
        <source>The pack has no opportunity areas layer: there was nothing to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="123"/>
        <source>Could not write the issues to OUTPUT: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="132"/>
        <source>... and {0} more issue(s) in OUTPUT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_validate_opportunities.py" line="136"/>
        <source>{0} opportunity area(s) checked: {1} error(s), {2} warning(s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VersionsPanel</name>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="75"/>
        <source>No Local Habitat Map loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="82"/>
        <source>&amp;Publishu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="84"/>
        <source>Freeze the current state of the habitat map as its next version, with a note; screening reports then cite that version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="93"/>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="93"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="93"/>
        <source>sha256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="93"/>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="93"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="95"/>
        <source>Published versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="105"/>
        <source>Compare versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="111"/>
        <source>&amp;From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="114"/>
        <source>&amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="120"/>
        <source>Optional: sites screened before (e.g. the output of Screen sites); each is re-screened against both versions with this panel&apos;s search distance and proposed habitat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="123"/>
        <source>Screened &amp;sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="125"/>
        <source>&amp;Compareu2026</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="127"/>
        <source>Opportunity areas and measure codes added, removed and changed, as layers on the map and a summary below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="131"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="144"/>
        <source>Comparison summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="146"/>
        <source>Choose two versions and press Compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="176"/>
        <source>Load a Local Habitat Map pack in the Habitat map group above to publish or compare its versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="180"/>
        <source>version {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="180"/>
        <source>never published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="182"/>
        <source>, published {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="184"/>
        <source> u00b7 unpublished edits since version {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="185"/>
        <source>{0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="186"/>
        <source>sha256 {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="190"/>
        <source>The versions of this pack could not be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="214"/>
        <source>version {0} u2013 {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="217"/>
        <source>current state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="227"/>
        <source>Publish a version first: comparisons are between published versions and the current state.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="299"/>
        <source>Wait for the running task to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="240"/>
        <source>Load a Local Habitat Map pack first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="243"/>
        <source>Publish a version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="243"/>
        <source>What does this version change? The note is kept with the version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="250"/>
        <source>Give a note saying what this version changes; nothing was published.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="253"/>
        <source>LNRS: publish a version of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="263"/>
        <source>Nothing was published: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="263"/>
        <source>cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="267"/>
        <source>Published version {0} ({1}, sha256 {2}u2026).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="281"/>
        <source>{0} holds no polygons; choose the screened sites layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="303"/>
        <source>Publish a version of the loaded pack first: there is nothing to compare yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="313"/>
        <source>LNRS: compare versions of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="324"/>
        <source>The comparison was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="327"/>
        <source>The versions could not be compared: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="327"/>
        <source>no answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/versions_panel.py" line="335"/>
        <source>{0} u2192 {1}: {2} The changes were added to the map as temporary layers.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
