"""Errors the engine raises with a message meant for the user, not a traceback."""

from __future__ import annotations


class LnrsError(Exception):
    """Base class: ``str(error)`` is a complete, actionable sentence."""


class PackError(LnrsError):
    """The Local Habitat Map pack cannot be read, or is not a pack."""


class PackVersionError(PackError):
    """The pack was written by a newer schema than this plugin understands."""


class InputError(LnrsError):
    """An input (site, layer, parameter) cannot be used as given."""


class VocabularyError(InputError):
    """A value is not in a controlled vocabulary."""
