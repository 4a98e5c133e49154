"""The indicator catalogue: definitions shipped in ``templates/catalogue.yaml`` plus local ones.

Users add local indicators in YAML files of the same form (``indicators:`` list, each entry with the
fields of :class:`~xl_profile.models.IndicatorDefinition`, ``local: true``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ConfigError, UnknownNameError
from .models import IndicatorDefinition, Section

SHIPPED = "catalogue.yaml"


class Catalogue(BaseModel):
    """Indicator definitions in catalogue order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicators: tuple[IndicatorDefinition, ...]

    def __iter__(self) -> Iterator[IndicatorDefinition]:  # type: ignore[override]
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return any(d.id == indicator_id for d in self.indicators)

    def get(self, indicator_id: str) -> IndicatorDefinition:
        """The definition with this id; UnknownNameError suggests close matches."""
        for definition in self.indicators:
            if definition.id == indicator_id:
                return definition
        ids = [d.id for d in self.indicators]
        close = difflib.get_close_matches(indicator_id, ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownNameError(f"{indicator_id!r} is not in the catalogue{hint}")

    def by_section(self) -> dict[Section, list[IndicatorDefinition]]:
        """Definitions grouped by section, sections in profile order."""
        grouped: dict[Section, list[IndicatorDefinition]] = {s: [] for s in Section}
        for definition in self.indicators:
            grouped[definition.section].append(definition)
        return {s: defs for s, defs in grouped.items() if defs}


def _read_entries(text: str, name: str) -> list[IndicatorDefinition]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
        raise ConfigError(f"{name}: expected a mapping with an 'indicators' list")
    definitions = []
    for index, entry in enumerate(raw["indicators"], start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{name}: indicator {index}: expected a mapping of fields, "
                              f"found {entry!r}")
        try:
            definitions.append(IndicatorDefinition(**entry))
        except ValidationError as exc:
            raise ConfigError(_entry_error(name, index, entry, exc)) from None
    return definitions


def _entry_error(name: str, index: int, entry: dict, exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "(entry)"
    where = f"{name}: indicator {index} ({entry.get('id', 'no id')})"
    expected = err.get("ctx", {}).get("expected") or err["msg"]
    if err["type"] == "extra_forbidden":
        expected = "one of " + ", ".join(IndicatorDefinition.model_fields)
    return f"{where}: field {field!r}: expected {expected}; found {err.get('input')!r}"


def load_catalogue(path: str | Path | None = None,
                   extra_paths: Sequence[str | Path] = ()) -> Catalogue:
    """Load the shipped catalogue (or ``path``) and merge local indicator files.

    Raises:
        ConfigError: a file is not valid, or an id is defined twice (naming both files).
    """
    if path is None:
        sources = [(f"templates/{SHIPPED}",
                    resources.files("templates").joinpath(SHIPPED).read_text(encoding="utf-8"))]
    else:
        sources = [(str(path), _read(Path(path)))]
    sources += [(str(p), _read(Path(p))) for p in extra_paths]
    seen: dict[str, str] = {}
    definitions = []
    for name, text in sources:
        for definition in _read_entries(text, name):
            if definition.id in seen:
                raise ConfigError(f"indicator id {definition.id!r} is defined in both "
                                  f"{seen[definition.id]} and {name}")
            seen[definition.id] = name
            definitions.append(definition)
    return Catalogue(indicators=tuple(definitions))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: catalogue file not found") from None
