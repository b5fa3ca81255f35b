"""The statutory metric's three modules and their habitat types (vocabulary as data).

- Area habitats (hectares; individual trees count here through the tree helper): the metric's
  habitat table (``habitat_LUT.csv``, see :mod:`.habitats`).
- Hedgerows (km along the centre line): 13 types.
- Watercourses (km along the centre line): 5 types.

Distinctiveness as in the metric's hedgerow and watercourse tables (docs/parcels.md quotes them).
A measures catalogue's delivering habitats may name any of these: an area broad habitat or habitat,
a hedgerow or watercourse type, or a module's broad name ("Hedgerows", "Rivers and streams",
"Watercourses", "Individual trees").
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..errors import InputError
from .habitats import HabitatTable

AREA, HEDGEROW, WATERCOURSE, TREE = "area", "hedgerow", "watercourse", "tree"
MODULES: tuple[str, ...] = (AREA, HEDGEROW, WATERCOURSE, TREE)
#: How each module is measured: area habitats and trees in hectares, lines in km.
MODULE_UNITS: dict[str, str] = {AREA: "ha", HEDGEROW: "km", WATERCOURSE: "km", TREE: "ha"}

#: The broad name a catalogue uses for a whole module, as stored in the pack.
HEDGEROWS, WATERCOURSES, INDIVIDUAL_TREES = "Hedgerows", "Watercourses", "Individual trees"
MODULE_BROAD: dict[str, str] = {HEDGEROW: HEDGEROWS, WATERCOURSE: WATERCOURSES, TREE: INDIVIDUAL_TREES}
_BROAD_ALIASES: dict[str, str] = {
    "hedgerows": HEDGEROWS, "hedgerow": HEDGEROWS, "hedges": HEDGEROWS, "hedge": HEDGEROWS,
    "hedgerows and lines of trees": HEDGEROWS,
    "watercourses": WATERCOURSES, "watercourse": WATERCOURSES, "rivers and streams": WATERCOURSES,
    "rivers": WATERCOURSES, "river": WATERCOURSES, "rivers and watercourses": WATERCOURSES,
    "streams": WATERCOURSES,
    "individual trees": INDIVIDUAL_TREES, "individual tree": INDIVIDUAL_TREES, "trees": INDIVIDUAL_TREES,
}


@dataclass(frozen=True)
class ModuleType:
    label: str
    module: str
    distinctiveness: str


HEDGEROW_TYPES: tuple[ModuleType, ...] = tuple(ModuleType(label, HEDGEROW, d) for label, d in (
    ("Species-rich native hedgerow with trees - associated with bank or ditch", "V.High"),
    ("Species-rich native hedgerow with trees", "High"),
    ("Species-rich native hedgerow - associated with bank or ditch", "High"),
    ("Native hedgerow with trees - associated with bank or ditch", "High"),
    ("Species-rich native hedgerow", "Medium"),
    ("Native hedgerow - associated with bank or ditch", "Medium"),
    ("Native hedgerow with trees", "Medium"),
    ("Ecologically valuable line of trees", "Medium"),
    ("Ecologically valuable line of trees - associated with bank or ditch", "Medium"),
    ("Native hedgerow", "Low"),
    ("Line of trees", "Low"),
    ("Line of trees - associated with bank or ditch", "Low"),
    ("Non-native and ornamental hedgerow", "V.Low"),
))
WATERCOURSE_TYPES: tuple[ModuleType, ...] = tuple(ModuleType(label, WATERCOURSE, d) for label, d in (
    ("Priority habitat", "V.High"),
    ("Other rivers and streams", "High"),
    ("Ditches", "Medium"),
    ("Canals", "Medium"),
    ("Culvert", "Low"),
))
LINEAR_TYPES: dict[str, tuple[ModuleType, ...]] = {HEDGEROW: HEDGEROW_TYPES, WATERCOURSE: WATERCOURSE_TYPES}

#: Words that say which module an unknown name was meant for (first match wins; else area habitats).
_MODULE_WORDS: tuple[tuple[str, str], ...] = (
    ("hedge", HEDGEROW), ("line of trees", HEDGEROW), ("lines of trees", HEDGEROW),
    ("river", WATERCOURSE), ("stream", WATERCOURSE), ("ditch", WATERCOURSE), ("canal", WATERCOURSE),
    ("culvert", WATERCOURSE), ("watercourse", WATERCOURSE), ("brook", WATERCOURSE),
    ("tree", TREE),
)
#: A name this similar (difflib ratio) to exactly one known name is taken as a spelling of it.
CLOSE_SPELLING = 0.9


def fold(text: str) -> str:
    return " ".join(str(text).replace("–", "-").replace("&", "and").split()).lower()


_LINEAR_BY_FOLD: dict[str, ModuleType] = {fold(t.label): t for types in LINEAR_TYPES.values() for t in types}


def linear_type(text: str | None, module: str | None = None) -> ModuleType | None:
    """The hedgerow or watercourse type ``text`` names (optionally only of ``module``), else None."""
    if text is None:
        return None
    found = _LINEAR_BY_FOLD.get(fold(text))
    if found is None:
        close = difflib.get_close_matches(fold(text), list(_LINEAR_BY_FOLD), n=2, cutoff=CLOSE_SPELLING)
        found = _LINEAR_BY_FOLD[close[0]] if len(close) == 1 else None
    if found is not None and module is not None and found.module != module:
        return None
    return found


def guess_module(text: str) -> str:
    folded = fold(text)
    for word, module in _MODULE_WORDS:
        if word in folded:
            return module
    return AREA


def _choices(module: str, table: HabitatTable) -> dict[str, str]:
    """Folded name -> canonical delivering name for the names of one module."""
    if module in LINEAR_TYPES:
        names = [MODULE_BROAD[module], *(t.label for t in LINEAR_TYPES[module])]
        return {fold(n): n for n in names}
    if module == TREE:
        out = {fold(INDIVIDUAL_TREES): INDIVIDUAL_TREES}
        out.update({fold(h.label): h.label for h in table.habitats if h.broad_habitat == INDIVIDUAL_TREES})
        return out
    out = {fold(b): b for b in table.broad_habitats}
    out.update({fold(h.label): h.label for h in table.habitats})
    return out


def delivering_habitat(text: str, table: HabitatTable) -> str:
    """The canonical name a catalogue's delivering habitat ``text`` stands for.

    An area habitat becomes its broad habitat (as the pack stores it); a hedgerow or watercourse type
    stays that type; a module's broad name becomes "Hedgerows", "Watercourses" or "Individual trees".
    Close spellings (a plural, a typo) are accepted when they fit one name only. Anything else is
    refused with the closest names of the module the text seems meant for.
    """
    folded = fold(text)
    broad = _BROAD_ALIASES.get(folded)
    if broad is not None:
        return broad
    linear = _LINEAR_BY_FOLD.get(folded)
    if linear is not None:
        return linear.label
    resolved = table.resolve(text)
    if resolved is not None:
        return resolved.broad_habitat
    module = guess_module(text)
    choices = _choices(module, table)
    if module != AREA:
        choices.update({k: v for k, v in _BROAD_ALIASES.items() if v == MODULE_BROAD[module]})
    close = difflib.get_close_matches(folded, list(choices), n=3, cutoff=CLOSE_SPELLING)
    if len({choices[c] for c in close}) == 1:
        return delivering_habitat(choices[close[0]], table)
    hints = list(dict.fromkeys(choices[c] for c in difflib.get_close_matches(folded, list(choices), n=6, cutoff=0.4)))
    if module == AREA:
        hints = list(dict.fromkeys([*hints, *table.suggest(text)]))
    what = {AREA: "an area habitat", HEDGEROW: "a hedgerow type", WATERCOURSE: "a watercourse type",
            TREE: "an individual tree type"}[module]
    hint = ", ".join(hints[:3]) or ", ".join(sorted(set(choices.values()))[:5])
    raise InputError(f"'{text}' is not {what} of the statutory metric, nor a module's broad name "
                     f"(Hedgerows, Rivers and streams, Watercourses, Individual trees); did you mean: {hint}?")


def delivers(habitats: tuple[str, ...], module: str, broad: str | None, type_label: str | None) -> bool:
    """Whether a measure delivering ``habitats`` (canonical names) fits a feature of ``module``."""
    if module in LINEAR_TYPES:
        return MODULE_BROAD[module] in habitats or (type_label is not None and type_label in habitats)
    if module == TREE:
        return INDIVIDUAL_TREES in habitats
    return broad is not None and broad in habitats
