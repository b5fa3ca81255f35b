<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>LnrsDockWidget</name>
    <message>
        <location filename="../plugin/gui/dock.py" line="16"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/gui/dock.py" line="20"/>
        <source>No Local Habitat Map loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsProvider</name>
    <message>
        <location filename="../plugin/processing/provider.py" line="22"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LnrsToolkitPlugin</name>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="46"/>
        <source>LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="49"/>
        <source>Show or hide the LNRS Toolkit panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/lnrs_plugin.py" line="62"/>
        <source>&amp;LNRS Toolkit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
