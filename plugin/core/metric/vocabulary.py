"""Controlled vocabularies of the pack: designations, irreplaceable habitats, roles.

Rules are data: every list here is read by the engine, the builder and the UI alike.
"""

from __future__ import annotations

from ..errors import VocabularyError

#: Designation code -> full name, strongest protection first.
DESIGNATIONS: dict[str, str] = {
    "SAC": "Special Area of Conservation",
    "SPA": "Special Protection Area",
    "Ramsar": "Ramsar site",
    "SSSI": "Site of Special Scientific Interest",
    "NNR": "National Nature Reserve",
    "LNR": "Local Nature Reserve",
    "LWS": "Local Wildlife Site",
}

#: Irreplaceable habitat polygon types -> label (ancient and veteran trees are points, see TREE_HABITAT).
IRREPLACEABLE_TYPES: dict[str, str] = {
    "ancient_woodland": "Ancient woodland",
    "blanket_bog": "Blanket bog",
    "lowland_fen": "Lowland fen",
    "limestone_pavement": "Limestone pavement",
    "coastal_sand_dunes": "Coastal sand dunes",
    "spartina_saltmarsh_swards": "Spartina saltmarsh swards",
    "mediterranean_saltmarsh_scrub": "Mediterranean saltmarsh scrub",
}

#: The habitat value that findings about ancient and veteran trees carry.
TREE_HABITAT = "ancient_veteran_tree"

#: Ancient woodland status (Natural England inventory) -> label.
ANCIENT_WOODLAND_STATUSES: dict[str, str] = {
    "ASNW": "Ancient semi-natural woodland",
    "PAWS": "Plantation on ancient woodland site",
    "wood_pasture": "Ancient wood pasture and parkland",
}

#: Tree status -> label.
TREE_STATUSES: dict[str, str] = {
    "ancient": "Ancient tree",
    "veteran": "Veteran tree",
    "notable": "Notable tree",
}

#: Roles a layer can play when it is added to a pack.
ROLES: tuple[str, ...] = ("designated", "irreplaceable", "trees", "opportunity", "interim", "area",
                          "measures", "metadata", "priority_habitats", "lpa")

_ALIASES: dict[str, dict[str, str]] = {
    "designation": {
        "special area of conservation": "SAC", "special protection area": "SPA",
        "ramsar site": "Ramsar", "site of special scientific interest": "SSSI",
        "national nature reserve": "NNR", "local nature reserve": "LNR",
        "local wildlife site": "LWS", "sinc": "LWS", "snci": "LWS", "cws": "LWS",
    },
    "habitat_type": {
        "ancient woodland": "ancient_woodland", "blanket bog": "blanket_bog",
        "lowland fen": "lowland_fen", "lowland fens": "lowland_fen",
        "limestone pavement": "limestone_pavement", "limestone pavements": "limestone_pavement",
        "coastal sand dunes": "coastal_sand_dunes",
        "spartina saltmarsh swards": "spartina_saltmarsh_swards",
        "mediterranean saltmarsh scrub": "mediterranean_saltmarsh_scrub",
    },
    "woodland_status": {
        "ancient & semi-natural woodland": "ASNW", "ancient semi-natural woodland": "ASNW",
        "ancient replanted woodland": "PAWS", "plantation on ancient woodland site": "PAWS",
        "wood pasture": "wood_pasture", "wood-pasture": "wood_pasture",
        "ancient wood pasture": "wood_pasture", "wpp": "wood_pasture", "wood pasture and parkland": "wood_pasture",
    },
    "tree_status": {
        "ancient tree": "ancient", "veteran tree": "veteran", "notable tree": "notable",
        "vet": "veteran", "ancient/veteran": "ancient",
    },
}


def _normalise(value: str, vocabulary: dict[str, str], kind: str) -> str:
    text = " ".join(str(value).split())
    if text in vocabulary:
        return text
    folded = text.lower()
    for code in vocabulary:
        if code.lower() == folded or code.lower().replace("_", " ") == folded:
            return code
    alias = _ALIASES.get(kind, {}).get(folded)
    if alias is not None:
        return alias
    allowed = ", ".join(vocabulary)
    raise VocabularyError(f"'{value}' is not a known {kind.replace('_', ' ')}; use one of: {allowed}.")


def normalise_designation(value: str) -> str:
    """``'sssi'`` -> ``'SSSI'``; full names and common aliases are accepted."""
    return _normalise(value, DESIGNATIONS, "designation")


def normalise_habitat_type(value: str) -> str:
    return _normalise(value, IRREPLACEABLE_TYPES, "habitat_type")


def normalise_woodland_status(value: str | None) -> str | None:
    """ASNW / PAWS / wood_pasture, or ``None`` when not given."""
    if value is None or not str(value).strip():
        return None
    return _normalise(value, ANCIENT_WOODLAND_STATUSES, "woodland_status")


def normalise_tree_status(value: str | None, default: str = "veteran") -> str:
    """ancient / veteran / notable; ``default`` when not given."""
    if value is None or not str(value).strip():
        return default
    return _normalise(value, TREE_STATUSES, "tree_status")


def normalise_role(value: str) -> str:
    text = str(value).strip().lower()
    if text not in ROLES:
        raise VocabularyError(f"'{value}' is not a known role; use one of: {', '.join(ROLES)}.")
    return text


def habitat_label(habitat: str, status: str) -> str:
    """The label of an irreplaceable habitat finding (tree status for trees)."""
    if habitat == TREE_HABITAT:
        return TREE_STATUSES.get(status, "Ancient or veteran tree")
    return IRREPLACEABLE_TYPES.get(habitat, habitat)
