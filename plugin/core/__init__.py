"""The LNRS Toolkit engine: plain Python (shapely 2, numpy, stdlib). No Qt, no QGIS."""
