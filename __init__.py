"""LNRS Toolkit QGIS plugin entry point.

QGIS imports this module and calls :func:`classFactory`.  Everything heavy is
imported lazily inside it so that merely scanning the plugin folder costs
nothing.
"""


def classFactory(iface):  # noqa: N802 - name required by QGIS
    """Return the plugin instance for QGIS (or a stand-in that explains a missing dependency)."""
    from .plugin.dependencies import MissingDependencyPlugin, missing_dependency_message

    problem = missing_dependency_message()
    if problem is not None:
        return MissingDependencyPlugin(iface, problem)
    from .plugin.lnrs_plugin import LnrsToolkitPlugin
    from .plugin.shapely_import import mixed_geos_warning

    warning = mixed_geos_warning()
    if warning is not None:
        from .plugin.log import log_warning

        log_warning(warning)
    return LnrsToolkitPlugin(iface)
