"""The indicator catalogue: definitions shipped in ``templates/catalogue.yaml`` plus local ones.

Users add local indicators in YAML files of the same form: an ``indicators:`` list, each entry with
the fields of :class:`~xl_profile.models.IndicatorDefinition`. Entries read from such extra files
are marked ``local: true`` unless they say otherwise.

Example of a local file::

    indicators:
    - id: SPEECH_REF
      title: Referrals to speech and language therapy, 0-4
      section: Enjoy and achieve
      unit: rate
      polarity: no judgement
      numerator: Children aged 0-4 referred to speech and language therapy
      denominator: Children aged 0-4
      ci_method: rate
      multiplier: 1000
      source: PCT (speech and language therapy service)
      native_level: ward
      period_type: financial year
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from .errors import ConfigError, UnknownNameError
from .models import IndicatorDefinition, Section

SHIPPED = "catalogue.yaml"
#: How many problems one ConfigError spells out before summarising the rest.
MAX_PROBLEMS_SHOWN = 5


class Catalogue(BaseModel):
    """Indicator definitions in catalogue order (the shipped ones, then local ones)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicators: tuple[IndicatorDefinition, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        seen: set[str] = set()
        for definition in self.indicators:
            if definition.id in seen:
                raise ValueError(f"indicator id {definition.id!r} appears more than once")
            seen.add(definition.id)
        return self

    @cached_property
    def _by_id(self) -> dict[str, IndicatorDefinition]:
        return {d.id: d for d in self.indicators}

    def __iter__(self) -> Iterator[IndicatorDefinition]:  # type: ignore[override]
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    @property
    def ids(self) -> list[str]:
        """Indicator ids in catalogue order."""
        return [d.id for d in self.indicators]

    def get(self, indicator_id: str) -> IndicatorDefinition:
        """The definition with this id.

        Raises:
            UnknownNameError: no such id; the message suggests close matches.
        """
        try:
            return self._by_id[indicator_id]
        except KeyError:
            pass
        close = difflib.get_close_matches(str(indicator_id), self.ids, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownNameError(f"{indicator_id!r} is not in the catalogue{hint}")

    def by_section(self) -> dict[Section, list[IndicatorDefinition]]:
        """Definitions grouped by section in profile order; empty sections left out."""
        grouped: dict[Section, list[IndicatorDefinition]] = {s: [] for s in Section}
        for definition in self.indicators:
            grouped[definition.section].append(definition)
        return {s: defs for s, defs in grouped.items() if defs}


def load_catalogue(path: str | Path | None = None,
                   extra_paths: Sequence[str | Path] = ()) -> Catalogue:
    """Load the shipped catalogue (or the one at ``path``) and merge local indicator files.

    Args:
        path: a catalogue file to use instead of the shipped ``templates/catalogue.yaml``.
        extra_paths: files of local indicators, in the same format, added after the main ones.

    Raises:
        ConfigError: a file is missing or not valid (naming the file, the entry's position, line
            and id, the field, what is allowed and what was found), or an id is defined twice
            (naming both files).
    """
    if path is None:
        sources = [(f"templates/{SHIPPED}", _shipped_text(), False)]
    else:
        sources = [(str(path), _read(Path(path)), False)]
    sources += [(str(p), _read(Path(p)), True) for p in extra_paths]
    seen: dict[str, str] = {}
    definitions: list[IndicatorDefinition] = []
    for name, text, local in sources:
        for index, definition in _read_definitions(text, name, local):
            if definition.id in seen:
                where = (f"in both {seen[definition.id]} and {name}"
                         if seen[definition.id] != name
                         else f"twice in {name} (again at indicator {index})")
                raise ConfigError(f"indicator id {definition.id!r} is defined {where}; "
                                  "ids must be unique: rename one of them")
            seen[definition.id] = name
            definitions.append(definition)
    return Catalogue(indicators=tuple(definitions))


def _shipped_text() -> str:
    return resources.files("templates").joinpath(SHIPPED).read_text(encoding="utf-8")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: catalogue file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: expected a catalogue YAML file, found a folder") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: catalogue files must be UTF-8 text "
                          f"(undecodable byte at position {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read catalogue file ({exc.strerror})") from None


def _read_definitions(text: str, name: str,
                      local: bool) -> list[tuple[int, IndicatorDefinition]]:
    """(1-based position, definition) for every entry; every invalid entry reported at once."""
    entries = _entries(text, name)
    definitions: list[tuple[int, IndicatorDefinition]] = []
    problems: list[str] = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{_where(name, text, index, None)}: expected a mapping of fields "
                            f"(field: value lines), found {entry!r:.60}")
            continue
        if local:
            entry = {"local": True, **entry}
        try:
            definitions.append((index, IndicatorDefinition(**entry)))
        except (ValidationError, TypeError) as exc:
            problems += _entry_problems(_where(name, text, index, entry.get("id")), exc)
    if problems:
        raise ConfigError(_summary(problems))
    return definitions


def _entries(text: str, name: str) -> list[Any]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(raw, dict) or "indicators" not in raw:
        raise ConfigError(f"{name}: expected a mapping with an 'indicators:' list at the top, "
                          f"found {type(raw).__name__ if raw is not None else 'an empty file'}")
    unknown = sorted(str(k) for k in raw if k != "indicators")
    if unknown:
        raise ConfigError(f"{name}: unknown top-level key(s) {', '.join(unknown)}; "
                          "expected only 'indicators'")
    entries = raw["indicators"]
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ConfigError(f"{name}: 'indicators' must be a list of entries (lines starting "
                          f"with '- '), found {type(entries).__name__}")
    return entries


def _where(name: str, text: str, index: int, indicator_id: Any) -> str:
    line = _entry_line(text, index)
    at_line = f", line {line}" if line else ""
    ident = f", id {indicator_id!r}" if indicator_id is not None else ", no id"
    return f"{name}: indicator {index}{at_line}{ident}"


def _entry_line(text: str, index: int) -> int | None:
    """1-based line where the ``index``-th (1-based) entry starts, or None if unknown."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        for key, value in root.value:
            if key.value == "indicators":
                return value.value[index - 1].start_mark.line + 1
    except (yaml.YAMLError, AttributeError, IndexError, TypeError):
        return None
    return None


def _entry_problems(where: str, exc: ValidationError | TypeError) -> list[str]:
    if isinstance(exc, TypeError):  # e.g. a non-text field name
        return [f"{where}: field names must be text ({exc})"]
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"])
        found = err.get("input")
        if not field:  # a rule across fields (model validator)
            message = err["msg"].removeprefix("Value error, ").split(": ", 1)[-1]
            problems.append(f"{where}: {message}")
        elif err["type"] == "missing":
            problems.append(f"{where}: field {field!r} is required but missing")
        elif err["type"] == "extra_forbidden":
            allowed = ", ".join(IndicatorDefinition.model_fields)
            problems.append(f"{where}: unknown field {field!r} (found value {found!r:.40}); "
                            f"allowed fields: {allowed}")
        else:
            expected = err.get("ctx", {}).get("expected") or _plain(err["msg"])
            problems.append(f"{where}: field {field!r}: expected {expected}; found {found!r:.60}")
    return problems


def _plain(message: str) -> str:
    """Pydantic's 'Input should be a valid number' as 'a valid number'."""
    if message.startswith("Input should be "):
        return message.removeprefix("Input should be ")
    if message.startswith("String should "):
        return "text that should " + message.removeprefix("String should ")
    return message


def _summary(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS_SHOWN]
    text = "; ".join(shown)
    if len(problems) > len(shown):
        text += f"; and {len(problems) - len(shown)} more problem(s)"
    return text
