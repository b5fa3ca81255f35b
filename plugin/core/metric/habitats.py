"""The statutory biodiversity metric's habitat table (a bundled copy of habitat_LUT.csv).

Labels are "Broad habitat - Habitat type", as in the metric's drop-downs. A proposed habitat may
be given as a full label, a habitat type alone (when unique) or a broad habitat.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_TABLE = Path(__file__).resolve().parents[3] / "resources" / "data" / "habitat_LUT.csv"

#: Default broad habitats that deliver each measure theme, used when a catalogue gives no
#: habitat list of its own (themes are those of the Leicestershire, Leicester and Rutland LNRS).
#: "Hedgerows" and "Watercourses" stand for the whole hedgerow and watercourse modules.
THEME_BROAD_HABITATS: dict[str, tuple[str, ...]] = {
    "woodland": ("Woodland and forest", "Individual trees"),
    "freshwater": ("Lakes", "Wetland", "Watercourse footprint", "Watercourses"),
    "grasslands": ("Grassland",),
    "grassland": ("Grassland",),
    "urban": ("Urban",),
    "agricultural": ("Cropland", "Grassland", "Hedgerows"),
    "open mosaic habitats": ("Sparsely vegetated land", "Urban"),
    "green and blue corridors": ("Grassland", "Woodland and forest", "Individual trees",
                                 "Heathland and shrub", "Lakes", "Watercourse footprint", "Hedgerows",
                                 "Watercourses"),
    "heathland": ("Heathland and shrub",),
    "wetland": ("Wetland",),
    "coastal": ("Coastal saltmarsh", "Intertidal sediment", "Coastal lagoons", "Rocky shore"),
    "geodiversity": (),
}


@dataclass(frozen=True)
class Habitat:
    label: str
    broad_habitat: str
    habitat_type: str
    distinctiveness: str
    #: "Yes", "No" or "Yes/No" (only some sub-types are irreplaceable).
    irreplaceable: str


@dataclass(frozen=True)
class ResolvedHabitat:
    """What a proposed-habitat string turned out to be."""

    text: str
    broad_habitat: str
    habitat: Habitat | None  # None when only a broad habitat was given


def _fold(text: str) -> str:
    return " ".join(str(text).replace("–", "-").split()).lower()


class HabitatTable:
    """Lookup over the metric's habitat labels."""

    def __init__(self, habitats: Iterable[Habitat]) -> None:
        self.habitats: tuple[Habitat, ...] = tuple(habitats)
        self._by_label = {_fold(h.label): h for h in self.habitats}
        by_type: dict[str, list[Habitat]] = {}
        for h in self.habitats:
            by_type.setdefault(_fold(h.habitat_type), []).append(h)
        self._by_type = {k: v[0] for k, v in by_type.items() if len(v) == 1}
        self.broad_habitats: tuple[str, ...] = tuple(dict.fromkeys(h.broad_habitat for h in self.habitats))
        self._broad = {_fold(b): b for b in self.broad_habitats}

    @classmethod
    def from_csv(cls, path: Path = DEFAULT_TABLE) -> HabitatTable:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        habitats = []
        for row in rows:
            label = " ".join((row.get("Labelling column") or "").split())
            if " - " not in label:
                continue
            broad, _, htype = label.partition(" - ")
            habitats.append(Habitat(label, broad.strip(), htype.strip(),
                                    (row.get("Distinctiveness Category") or "").strip(),
                                    (row.get("Irreplaceable") or "No").strip()))
        unique = {h.label: h for h in habitats}
        return cls(unique.values())

    def get(self, label: str) -> Habitat | None:
        return self._by_label.get(_fold(label))

    def broad(self, text: str) -> str | None:
        return self._broad.get(_fold(text))

    def resolve(self, text: str) -> ResolvedHabitat | None:
        """A full label, a unique habitat type, or a broad habitat; ``None`` if none fits."""
        folded = _fold(text)
        habitat = self._by_label.get(folded) or self._by_type.get(folded)
        if habitat is not None:
            return ResolvedHabitat(text, habitat.broad_habitat, habitat)
        broad = self._broad.get(folded)
        if broad is not None:
            return ResolvedHabitat(text, broad, None)
        return None

    def suggest(self, text: str, n: int = 3) -> tuple[str, ...]:
        """The closest valid labels (or broad habitats) for an unknown one."""
        choices = {**{_fold(h.label): h.label for h in self.habitats}, **self._broad}
        folded = _fold(text)
        close = difflib.get_close_matches(folded, list(choices), n=n, cutoff=0.45)
        if len(close) < n:
            # also match on the habitat type part alone ("Lowland meadow" -> "Grassland - Lowland meadows")
            by_type = {_fold(h.habitat_type): h.label for h in self.habitats}
            for match in difflib.get_close_matches(folded, list(by_type), n=n, cutoff=0.5):
                label = by_type[match]
                if _fold(label) not in close:
                    close.append(_fold(label))
        return tuple(choices.get(c, c) for c in close[:n])


@lru_cache(maxsize=4)
def default_table(path: str = str(DEFAULT_TABLE)) -> HabitatTable:
    return HabitatTable.from_csv(Path(path))


def theme_habitats(theme: str | None) -> tuple[str, ...]:
    """Default delivering broad habitats for a measure theme (empty when unknown)."""
    if not theme:
        return ()
    return THEME_BROAD_HABITATS.get(_fold(theme), ())
