"""Build configuration: which inputs make up an authority's profiles.

A build file is YAML; relative paths are relative to the file::

    geography: geography            # folder with areas.csv, memberships.csv, boundaries/
    indicators: [indicators.csv]    # tidy indicator files (CSV or XLSX)
    catalogue: []                   # extra catalogue files with local indicators
    template: null                  # profile layout template (default: the shipped one)
    extract: extract                # centre database extract folder (optional)
    reach_as_of: 2008-03-31         # last day of the 12 and 24 month reach windows
    pseudonym_key: demo-key         # key for pseudonymous ids (set your own secret)
    suppression_threshold: 5        # counts 1..threshold-1 are hidden before circulation
    centre_fit: auto                # which small-area-to-centre memberships make up centres
    built_on: 2008-06-30            # date printed as "Built on" (optional; see below)
    mappings: mappings              # source mappings (optional; with agency) ...
    agency: agency                  # ... reading the agency files in this folder
    targets: targets.csv            # outcomes duty targets (optional; see xl_profile.targets)
    eyfsp: eyfsp.csv                # child-level EYFSP results (optional; a file or a list)
    eyfsp_postcodes: postcodes.csv  # postcode -> LSOA lookup for children placed by postcode

``targets`` names a CSV of the authority's targets (indicator, area, period, target, set_on,
statutory); with it the build also writes ``outcomes-duty.xlsx``: NI 72, NI 92 and every
indicator with targets against their trajectories, and the gap between the most deprived 30% of
England's small areas and the rest.

``eyfsp`` names the authority's own child-level EYFSP results (see
:mod:`xl_profile.eyfsp_feed`): NI 72 and NI 92 of the years they hold are computed from the
children and replace the tidy rows of those years for the authority's areas (the build says how
many); children that cannot be placed are left out and counted by reason.

``centre_fit`` is one of:

- ``boundaries``: best-fit each LSOA to the centre reach area holding its population-weighted
  centroid (``boundaries/lsoa.geojson``, ``boundaries/centre.geojson``, ``lsoa_centroids.csv``),
  replacing any LSOA-to-centre rows of ``memberships.csv``; an error without the boundary files.
- ``memberships``: use the LSOA-to-centre rows of ``memberships.csv`` as given (for example an
  agreed lookup); boundaries, where present, still give the coverage profile and the fit quality.
- ``auto`` (the default): ``boundaries`` when the geography folder has the boundary files, else
  ``memberships``.

``built_on`` fixes the date the workbooks print as their build date (cover and page headers).
Without it, the ``SOURCE_DATE_EPOCH`` environment variable (seconds since 1970-01-01 UTC, the
reproducible-builds convention) gives the date; without either, today. With either set, a
rebuild of the same inputs on another day gives byte-identical workbooks.

Whichever centre fit is used, the build says so, and where both exist it reports every LSOA the two place
differently (progress output and the coverage profile's "Centre fit" sheet).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError,
                      field_validator, model_validator)

from .errors import ConfigError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_EXPECTED = "a real date YYYY-MM-DD, e.g. 2008-03-31"


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: a date is checked here, so that an impossible one
    (2008-02-30) is reported as a setting, not raised from inside the YAML reader."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def parse_date(value: object, where: str) -> dt.date:
    """A real calendar date from ``YYYY-MM-DD`` text (or a date).

    Raises:
        ConfigError: naming ``where`` (the file and setting, or the option), what is expected
            and what was found.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ConfigError(f"{where}: not a real date (expected {DATE_EXPECTED}; found {text!r})")


def resolve_built_on(built_on: dt.date | None = None) -> dt.date:
    """The date a build prints: ``built_on`` when given, else from ``SOURCE_DATE_EPOCH``, else today.

    Raises:
        ConfigError: ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds.
    """
    if built_on is not None:
        return built_on
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise ConfigError("environment variable SOURCE_DATE_EPOCH: expected a whole number "
                              f"of seconds since 1970-01-01 UTC, e.g. 1214784000; found {epoch!r}")
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def check_reach_as_of(config: BuildConfig) -> dt.date:
    """The build's reach_as_of; a ConfigError when the build names an extract without one."""
    if config.reach_as_of is None:
        raise ConfigError("setting 'reach_as_of' missing: the build file names an extract, so it "
                          "needs the last day of the 12 and 24 month reach windows (expected "
                          f"{DATE_EXPECTED}; found nothing)")
    return config.reach_as_of


class BuildConfig(BaseModel):
    """A validated build file with paths resolved against its folder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    geography: Path
    indicators: list[Path] = Field(min_length=1)
    catalogue: list[Path] = []
    template: Path | None = None
    extract: Path | None = None
    reach_as_of: dt.date | None = None
    pseudonym_key: str = "xl-profile-demo-key"
    suppression_threshold: int = Field(default=5, ge=1, le=100)
    centre_fit: Literal["auto", "boundaries", "memberships"] = "auto"
    built_on: dt.date | None = None
    #: Source mappings and the folder of agency files they read (both or neither); their tidy
    #: rows join those of ``indicators``.
    mappings: Path | None = None
    agency: Path | None = None
    targets: Path | None = None
    eyfsp: list[Path] = []
    eyfsp_postcodes: Path | None = None
    #: The build file read, for naming it in problems found later (not a setting).
    _source: Path | None = PrivateAttr(default=None)

    def setting(self, name: str) -> str:
        """``<build file>: setting '<name>'``, as a message about a setting begins."""
        return f"{self._source or 'build file'}: setting {name!r}"

    @field_validator("eyfsp", mode="before")
    @classmethod
    def _one_or_more_files(cls, value: object) -> object:
        """A single file name is a list of one; nothing (``eyfsp: null``) is none."""
        return [value] if isinstance(value, str) else [] if value is None else value

    @model_validator(mode="after")
    def _mappings_with_agency(self) -> BuildConfig:
        if (self.mappings is None) != (self.agency is None):
            raise ValueError("give both mappings (folder of source mappings) and agency (folder "
                             "of agency files), or neither")
        return self

    @model_validator(mode="after")
    def _each_file_once(self) -> BuildConfig:
        for setting in ("indicators", "eyfsp"):
            names = [str(p) for p in getattr(self, setting)]
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:  # its every row would count twice, or clash with itself
                raise ValueError(f"setting '{setting}' lists {', '.join(twice)} more than once "
                                 "(expected each file once)")
        return self

    @model_validator(mode="after")
    def _postcodes_with_eyfsp(self) -> BuildConfig:
        if self.eyfsp_postcodes is not None and not self.eyfsp:
            raise ValueError("setting 'eyfsp_postcodes' names a postcode lookup but no 'eyfsp' "
                             "file is named to use it")
        return self


def load_config(path: str | Path) -> BuildConfig:
    """Read a build file; raise ConfigError naming the file and the field on any problem."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe)
    except FileNotFoundError:
        raise ConfigError(f"{path}: build file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, found {type(raw).__name__}")
    if raw.get("built_on") is not None:
        raw["built_on"] = parse_date(raw["built_on"], f"{path}: setting 'built_on'")
    if raw.get("reach_as_of") is not None:
        raw["reach_as_of"] = parse_date(raw["reach_as_of"], f"{path}: setting 'reach_as_of'")
    elif raw.get("extract") is not None:
        raise ConfigError(f"{path}: setting 'reach_as_of' missing: the build file names an "
                          "extract, so it needs the last day of the 12 and 24 month reach "
                          f"windows (expected {DATE_EXPECTED}; found nothing)")
    try:
        config = BuildConfig(**raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        if not field:  # a rule across settings
            raise ConfigError(f"{path}: {err['msg'].removeprefix('Value error, ')}") from None
        allowed = ", ".join(BuildConfig.model_fields)
        raise ConfigError(f"{path}: setting {field!r}: {err['msg']} (settings allowed: {allowed}; "
                          f"found {err.get('input')!r})") from None
    config = _resolved(config, path.parent)
    config._source = path
    return config


def _resolved(config: BuildConfig, base: Path) -> BuildConfig:
    def fix(p: Path | None) -> Path | None:
        return None if p is None else (p if p.is_absolute() else base / p)

    return config.model_copy(update={
        "geography": fix(config.geography),
        "indicators": [fix(p) for p in config.indicators],
        "catalogue": [fix(p) for p in config.catalogue],
        "template": fix(config.template),
        "extract": fix(config.extract),
        "mappings": fix(config.mappings),
        "agency": fix(config.agency),
        "targets": fix(config.targets),
        "eyfsp": [fix(p) for p in config.eyfsp],
        "eyfsp_postcodes": fix(config.eyfsp_postcodes),
    })


def config_text(*, geography: str, indicators: list[str], extract: str | None,
                reach_as_of: dt.date | None) -> str:
    """A commented build file as a newcomer would write it."""
    lines = ["# xl-profile build file: paths are relative to this file.",
             f"geography: {geography}", "indicators:"]
    lines += [f"  - {p}" for p in indicators]
    lines += ["catalogue: []            # add YAML files of local indicators here",
              "template: null           # null = the shipped cluster profile layout"]
    if extract:
        lines.append(f"extract: {extract}")
    if reach_as_of:
        lines.append(f"reach_as_of: {reach_as_of.isoformat()}")
    lines += ["pseudonym_key: xl-profile-demo-key   # use your own secret for real extracts",
              "suppression_threshold: 5",
              "centre_fit: auto         # boundaries | memberships | auto (boundaries if present)"]
    return "\n".join(lines) + "\n"
