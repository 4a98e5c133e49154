"""Cluster profile layout: the template, and the pure data pipeline the renderer draws from.

Everything a cluster workbook shows is decided here, as plain data (which indicators, in which
order, which rows in which order, which wards are highlighted); ``workbooks.cluster_profile`` only
draws it. The template (``templates/cluster_profile.yaml``) sets sections, indicator order and chart
options, so another authority can change the profile without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from .errors import ConfigError, UnknownNameError
from .models import Area, Level, Section, ValueNote
from .profile import HIDDEN_BASIS, AreaResult, IndicatorResult, ProfileData

if TYPE_CHECKING:
    from .catalogue import Catalogue

TEMPLATE = "cluster_profile.yaml"
_HEX = r"^#[0-9A-Fa-f]{6}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SectionLayout(_Strict):
    section: Section
    indicators: list[str] = []
    only_listed: bool = False


class ChartOptions(_Strict):
    width: int = Field(620, ge=200, le=2000)
    height: int = Field(300, ge=150, le=1500)
    ci_whiskers: bool = True
    bar_colour: str = Field("#9DC3E6", pattern=_HEX)
    authority_colour: str = Field("#1F4E79", pattern=_HEX)
    england_colour: str = Field("#7F7F7F", pattern=_HEX)
    other_ward_colour: str = Field("#BFBFBF", pattern=_HEX)
    #: The one treatment of the cluster's own wards and of the cluster in the area chart: a dark
    #: neutral fill (with bold names in the tables) that no comparison colour uses.
    cluster_colour: str = Field("#262626", pattern=_HEX)


class ProfileTemplate(_Strict):
    title: str
    sections: list[SectionLayout] = Field(min_length=1)
    charts: ChartOptions
    how_to_read: str
    _source: str = PrivateAttr(default=f"templates/{TEMPLATE}")


def load_template(path: str | Path | None = None) -> ProfileTemplate:
    """Load the shipped layout template, or the one at ``path``; ConfigError names the field."""
    if path is None:
        name, text = f"templates/{TEMPLATE}", resources.files("templates").joinpath(
            TEMPLATE).read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: layout template not found") from None
    try:
        template = ProfileTemplate(**(yaml.safe_load(text) or {}))
        template._source = name  # so a later check against the catalogue can name the file
        return template
    except (ValidationError, TypeError, yaml.YAMLError) as exc:
        if isinstance(exc, ValidationError):
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise ConfigError(f"{name}: {where}: {err['msg']} (found {err.get('input')!r})") \
                from None
        raise ConfigError(f"{name}: not a valid layout template ({exc})") from None


@dataclass(frozen=True)
class WardRow:
    """One row of an indicator's ward table, in rank order."""

    result: AreaResult
    in_cluster: bool
    highlight: str | None  # colour for this ward's bar, None when not in the cluster
    marker: str = ""  # SUPPRESSED_MARK or SECONDARY_MARK for a hidden figure

    @property
    def label(self) -> str:
        """The ward's name as charts and tables show it: ● for a ward of the cluster (so that
        colour is not the only sign), then its suppression marker."""
        parts = [self.result.name] + (["●"] if self.in_cluster else []) + \
            ([self.marker] if self.marker else [])
        return " ".join(parts)


@dataclass(frozen=True)
class IndicatorBlock:
    """One indicator's part of a section sheet."""

    result: IndicatorResult
    areas: tuple[AreaResult, ...]  # clusters, authority, England: ranked by value
    wards: tuple[WardRow, ...]  # every ward, ranked by value (missing last)
    fitting: str  # how the data reaches centres
    centres: tuple[AreaResult, ...] = ()  # the cluster's centres, ranked by value

    @property
    def has_ward_data(self) -> bool:
        """True when some ward has a figure (shown or hidden): the block gets a ward chart."""
        return any(w.result.value is not None or w.marker for w in self.wards)

    @property
    def centre_level(self) -> bool:
        """True for figures published for centres only (reach): the block charts centres."""
        return self.result.published_level is Level.CENTRE


@dataclass(frozen=True)
class ClusterLayout:
    """Everything one cluster workbook shows."""

    cluster: Area
    wards: tuple[Area, ...]
    centres: tuple[Area, ...]
    sections: tuple[tuple[Section, tuple[IndicatorBlock, ...]], ...]
    template: ProfileTemplate

    @property
    def blocks(self) -> list[IndicatorBlock]:
        return [b for _, blocks in self.sections for b in blocks]


def check_template(template: ProfileTemplate, catalogue: Catalogue) -> None:
    """Raise ConfigError naming every indicator the template lists that the catalogue lacks,
    with close matches where the catalogue has them (a typo must not drop an indicator)."""
    unknown = []
    for s, layout in enumerate(template.sections):
        for i, indicator_id in enumerate(layout.indicators):
            try:
                catalogue.get(indicator_id)
            except UnknownNameError as exc:
                unknown.append(f"sections.{s}.indicators.{i}: {exc}")
    if unknown:
        raise ConfigError(f"{template._source}: " + "; and ".join(unknown))


def ordered_indicators(profile: ProfileData, template: ProfileTemplate) -> list[tuple[Section, list[str]]]:
    """Indicator ids with data, by section in template order.

    Raises:
        ConfigError: the template lists an indicator that is not in the catalogue.
    """
    check_template(template, profile.catalogue)
    by_section = {s: [d.id for d in defs] for s, defs in profile.catalogue.by_section().items()}
    out = []
    for layout in template.sections:
        ids = [i for i in layout.indicators if i in profile.results]
        if not layout.only_listed:
            ids += [i for i in by_section.get(layout.section, []) if i not in ids
                    and i in profile.results]
        if ids:
            out.append((layout.section, ids))
    return out


def fitting_text(result: IndicatorResult) -> str:
    """How values of this indicator were fitted to centres, in words for the quality table."""
    level = result.published_level
    if level in (Level.LSOA, Level.OA):
        return "Best fit by population-weighted centroids"
    if level is Level.WARD:
        return "Apportioned by population share (estimate)"
    if level is Level.CENTRE:
        return "Published for centres"
    return "Not available below the authority"


#: Short words for a figure that is not an ordinary complete figure (tables and chart labels).
NOTE_WORDS = {ValueNote.INCOMPLETE: "withheld", ValueNote.ESTIMATED: "est.",
              ValueNote.SUPPRESSED: "suppressed", ValueNote.UNRELIABLE: "unreliable",
              ValueNote.SYNTHETIC: "synthetic", ValueNote.MISSING: "no data"}


def display_name(area: AreaResult) -> str:
    """The area's name, with a word when its figure is withheld, estimated or unreliable."""
    word = NOTE_WORDS.get(area.note) if area.note is not None else None
    return f"{area.name} ({word})" if word else area.name


def note_text(area: AreaResult) -> str:
    """The ward table's note: a word for anything but an ordinary figure."""
    return NOTE_WORDS.get(area.note, "") if area.note is not None else ""


def basis_lines(block: IndicatorBlock) -> list[str]:
    """How each figure of an indicator block was made, for the lines under its area table."""
    lines = [f"{a.name}: {a.basis or 'published figure'}." for a in block.areas if a.code]
    authority = block.result.authority
    if not authority.comparable:
        why = "withheld" if authority.value is None else f"marked {authority.note.value}"
        lines.append(f"Nothing is compared with {authority.name}: its figure is {why}.")
    if not block.has_ward_data:
        return lines  # no ward figures: the block says so once, not ward by ward
    odd = [w.result for w in block.wards if w.result.note in (
        ValueNote.INCOMPLETE, ValueNote.ESTIMATED, ValueNote.MISSING, ValueNote.SUPPRESSED)
        and w.result.basis != HIDDEN_BASIS]
    if odd:
        lines += _ward_basis_lines(odd)
    if any(w.result.basis == HIDDEN_BASIS for w in block.wards):
        lines.append("Totals use the hidden wards' true counts.")
    return lines


def _ward_basis_lines(wards: list[AreaResult]) -> list[str]:
    """One line per way of making a ward figure, naming the wards with their 'k of n' counts."""
    groups: dict[str, list[str]] = {}
    for w in wards:
        basis = w.basis or NOTE_WORDS[w.note]
        counts = re.findall(r"\d+ of \d+", basis)
        key = re.sub(r"\d+ of \d+ ", "", basis)
        groups.setdefault(key, []).append(f"{w.name} ({', '.join(counts)})" if counts else w.name)
    return [f"Wards, {key}: {_some(names)}." for key, names in groups.items()]


def _some(names: list[str], shown: int = 8) -> str:
    """Names joined, the first ``shown`` only when there are many (the table marks each)."""
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def _ranked(results: list[AreaResult]) -> list[AreaResult]:
    return sorted(results, key=lambda r: (r.value is None, -(r.value or 0.0), r.name))


#: Marker after the name of a ward whose small count is hidden (primary suppression).
SUPPRESSED_MARK = "*"
#: Marker after the name of a ward hidden so that a small count cannot be worked out by
#: subtraction from a total (secondary suppression); its true count is not small.
SECONDARY_MARK = "**"
#: What each marker means, for the footnotes under tables and the cover's key.
MARK_KEY = {
    SUPPRESSED_MARK: "small count hidden (before circulation, or at source); not a zero",
    SECONDARY_MARK: "hidden so that a small count elsewhere cannot be worked out from a total; "
                    "the count itself is not small and not a zero",
}

#: The markers' meanings as short as an indicator block can print them.
MARK_SHORT = {SUPPRESSED_MARK: "small count hidden, not a zero",
              SECONDARY_MARK: "hidden to protect a small count elsewhere"}


def suppression_marker(ward: AreaResult, true_ward: AreaResult | None, threshold: int) -> str:
    """SUPPRESSED_MARK, SECONDARY_MARK or '' for a ward row (hidden wards only)."""
    if ward.note is not ValueNote.SUPPRESSED:
        return ""
    if ward.basis != HIDDEN_BASIS:
        return SUPPRESSED_MARK  # suppressed at source: a small count there
    true_count = true_ward.numerator if true_ward is not None else None
    if true_count is not None and round(true_count) >= threshold:
        return SECONDARY_MARK
    return SUPPRESSED_MARK


def build_cluster_layout(profile: ProfileData, cluster_code: str,
                         template: ProfileTemplate, *,
                         suppression_threshold: int = 5) -> ClusterLayout:
    """The pure layout of one cluster's workbook.

    ``suppression_threshold`` (the build's) tells a hidden small count from a ward hidden only
    so that a small count cannot be worked out by subtraction.
    """
    geography = profile.geography
    cluster = geography.area(cluster_code)
    wards = tuple(geography.wards_of_cluster(cluster_code))
    in_cluster = {w.code for w in wards}
    colour = template.charts.cluster_colour
    centres = tuple(geography.children(cluster_code, Level.CENTRE))
    centre_codes = {c.code for c in centres}
    sections = []
    for section, ids in ordered_indicators(profile, template):
        blocks = []
        for indicator_id in ids:
            result = profile.results[indicator_id]
            true = {w.code: w for w in result.unsuppressed_wards}
            areas = [*result.clusters, result.authority] + ([result.england] if result.england else [])
            ward_rows = tuple(
                WardRow(w, w.code in in_cluster, colour if w.code in in_cluster else None,
                        suppression_marker(w, true.get(w.code), suppression_threshold))
                for w in _ranked(list(result.wards)))
            own_centres = tuple(_ranked([c for c in result.centres if c.code in centre_codes]))
            blocks.append(IndicatorBlock(result, tuple(_ranked(areas)), ward_rows,
                                         fitting_text(result), own_centres))
        sections.append((section, tuple(blocks)))
    return ClusterLayout(cluster, wards, centres, tuple(sections), template)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def uk_date(text: str) -> str:
    """A date as UK readers write it: '2008-03-31' -> '31/03/2008', '2007-03' -> 'March 2007'.

    Financial and academic years ('2007/08'), quarters and years are already readable and are
    returned as given, as is anything else.
    """
    text = text.strip()
    full = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if full:
        return f"{full.group(3)}/{full.group(2)}/{full.group(1)}"
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{_MONTHS[int(month.group(2)) - 1]} {month.group(1)}"
    return text


def uk_dates(texts) -> str:
    """Several dates in UK form, joined with commas."""
    return ", ".join(uk_date(t) for t in texts)


#: Reader-facing words for the level a figure was published for.
LEVEL_WORDS = {Level.ENGLAND: "England", Level.REGION: "regions",
               Level.AUTHORITY: "the authority only", Level.CLUSTER: "clusters",
               Level.CENTRE: "children's centres", Level.WARD: "wards",
               Level.LSOA: "small areas (LSOA)", Level.OA: "output areas (OA)"}


def level_words(level: Level | None) -> str:
    """The level a figure was published for, in words ('small areas (LSOA)')."""
    return LEVEL_WORDS.get(level, "not stated") if level is not None else "not stated"


#: What each note word in the tables means: the key printed on the cover and under tables.
NOTE_KEY = {
    "withheld": "a total over a part that is missing or was suppressed at source; not printed",
    "est.": "an estimate (apportioned by population or area share, or made from parts that had "
            "a rate only, their counts estimated from population); never compared with a benchmark",
    "suppressed": "hidden before circulation (see * and ** below)",
    "unreliable": "based on too few cases to be relied on; not compared",
    "synthetic": "a modelled figure, not a count; not compared",
    "no data": "no figure was published for this area; the cell is left blank",
}

#: The same words as short as an indicator block can print them; the cover has the full key.
NOTE_SHORT = {
    "withheld": "a part missing or suppressed at source, not printed",
    "est.": "an estimate, not compared",
    "suppressed": "hidden before circulation",
    "unreliable": "too few cases, not compared",
    "synthetic": "a modelled figure, not compared",
    "no data": "none published",
}


def quality_flags(result: IndicatorResult, modal_period_year: str | None) -> list[str]:
    """Reasons to read an indicator with care: old data, coarse level, gaps, unreliable values."""
    flags = []
    if modal_period_year and not result.period.startswith(modal_period_year):
        flags.append(f"period {result.period} (most indicators: {modal_period_year})")
    if result.published_level in (Level.AUTHORITY, None):
        flags.append("authority level only")
    elif result.published_level is Level.WARD and result.definition.native_level is Level.LSOA:
        flags.append("published for wards, not small areas")
    if result.missing_wards and result.published_level not in (Level.AUTHORITY, Level.CENTRE,
                                                                None):
        flags.append(f"no value for {len(result.missing_wards)} ward(s)")
    notes = {w.note for w in result.wards}
    if ValueNote.UNRELIABLE in notes:
        flags.append("some values marked unreliable")
    if result.suppressed_cells:
        flags.append(f"{result.suppressed_cells} small count(s) suppressed")
    return flags


def modal_year(profile: ProfileData) -> str | None:
    """The most common first year among indicators' latest periods."""
    years = [r.period[:4] for r in profile.results.values()]
    return max(sorted(set(years)), key=years.count) if years else None
