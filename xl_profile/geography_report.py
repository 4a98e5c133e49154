"""What ``xl-profile geography`` did, as facts gathered while building and a one-page report.

The report lists every input with the CRS it was read in (and how that was known), every name
matched other than exactly, how small areas were fitted to wards and centres (with the small
areas left out and the worst fits), how each centre's cluster was chosen, where populations came
from, and the files written. Long lists are cut to :data:`LIST_LIMIT` items and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .bestfit import BestFit
from .models import Geography, Level

LIST_LIMIT = 8
REPORT_NAME = "geography-report.txt"


@dataclass(frozen=True)
class CentreCluster:
    """The cluster a centre was placed in, and why."""

    centre: str
    cluster: str
    basis: str  # "given", "people" or "land": what the share below measures
    share: float  # share of the centre's people (or land) in that cluster

    def describe(self, cluster_name: str) -> str:
        if self.basis == "given":
            return f"{self.centre} -> {cluster_name} (given)"
        return f"{self.centre} -> {cluster_name} ({self.share:.0%} of its {self.basis})"


@dataclass
class PopulationFacts:
    """Where the populations written came from."""

    file: str
    blank_rows: int = 0
    small_known: int = 0
    small_missing: list[str] = field(default_factory=list)
    other_rows: int = 0  # rows for areas that are neither kept small areas nor wards
    wards_given: int = 0
    wards_summed: int = 0
    wards_unknown: list[str] = field(default_factory=list)
    wards_differ: list[tuple[str, float, float]] = field(default_factory=list)


@dataclass
class GeographyFacts:
    """Everything the report says, gathered while the geography is built."""

    authority: tuple[str, str]
    inputs: list[tuple[str, str, str, str]] = field(default_factory=list)  # what, file, n, CRS
    repairs: list[str] = field(default_factory=list)
    matched: list[tuple[str, int, str, str]] = field(default_factory=list)  # file, row, text, code
    ward_fit: BestFit | None = None
    centre_fit: BestFit | None = None  # centres given as polygons
    dissolved: dict[str, tuple[int, float]] = field(default_factory=dict)  # holes, m² added
    centre_clusters: list[CentreCluster] = field(default_factory=list)
    overlaps: list[tuple[str, str, float]] = field(default_factory=list)  # centre polygons
    populations: PopulationFacts | None = None


def listing(items: list[str], limit: int = LIST_LIMIT) -> str:
    """'a, b, c' or 'a, b, ... and 12 more'."""
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def report_lines(facts: GeographyFacts, geography: Geography, written: list[str]) -> list[str]:
    """The one-page report, line by line."""
    code, name = facts.authority
    lines = [f"Geography of {name} ({code}) made by xl-profile geography", ""]
    for section in (_inputs, _names, _wards, _small_areas, _centres, _populations):
        part = section(facts, geography)
        if part:
            lines += part + [""]
    return lines + ["Written", *(f"  {path}" for path in written)]


def summary_lines(facts: GeographyFacts, geography: Geography) -> list[str]:
    """A few lines for the terminal: counts, and what needs a look."""
    counts = {level: len(geography.at_level(level)) for level in
              (Level.CLUSTER, Level.WARD, Level.LSOA, Level.CENTRE)}
    lines = [f"{counts[Level.WARD]} wards in {counts[Level.CLUSTER]} clusters, "
             f"{counts[Level.LSOA]} small areas, {counts[Level.CENTRE]} centres"]
    if facts.ward_fit and facts.ward_fit.outside:
        lines.append(f"Left out: {len(facts.ward_fit.outside)} small area(s) in no ward")
    if facts.matched:
        lines.append(f"Matched ignoring case and punctuation: {len(facts.matched)} name(s)")
    if facts.centre_fit and facts.centre_fit.empty_targets:
        lines.append(f"Centres holding no small area: {listing(facts.centre_fit.empty_targets)}")
    return lines


def _inputs(facts: GeographyFacts, _geography: Geography) -> list[str]:
    lines = ["Inputs"]
    for what, path, count, crs in facts.inputs:
        lines.append(f"  {what}: {path}: {count}" + (f", CRS {crs}" if crs else ""))
    if facts.populations is not None:
        lines.append(f"  populations: {facts.populations.file}")
    lines += [f"  repaired: {r}" for r in facts.repairs[:LIST_LIMIT]]
    return lines


def _names(facts: GeographyFacts, geography: Geography) -> list[str]:
    if not facts.matched:
        return []
    lines = [f"Names matched ignoring case, punctuation and 'and'/'&' ({len(facts.matched)})"]
    for file, row, written, code in facts.matched[:LIST_LIMIT]:
        area = geography.by_code.get(code)
        known = f"{area.name!r} ({code})" if area is not None else code
        lines.append(f"  {file}, row {row}: {written!r} is {known}")
    if len(facts.matched) > LIST_LIMIT:
        lines.append(f"  and {len(facts.matched) - LIST_LIMIT} more")
    return lines


def _wards(_facts: GeographyFacts, geography: Geography) -> list[str]:
    clusters = geography.at_level(Level.CLUSTER)
    parts = [f"{c.name} ({len(geography.wards_of_cluster(c.code))})" for c in clusters]
    return ["Wards and clusters",
            f"  {len(geography.at_level(Level.WARD))} wards in {len(clusters)} clusters: "
            f"{', '.join(parts)}"]


def _indented(text: str, noun: str) -> list[str]:
    """A best-fit summary's lines, indented, its targets called ``noun`` (plural)."""
    text = text.replace("Targets", noun.capitalize()).replace("targets", noun)
    return [f"  {line.replace('every target', 'every ' + noun[:-1])}" for line in text.splitlines()]


def _small_areas(facts: GeographyFacts, _geography: Geography) -> list[str]:
    fit = facts.ward_fit
    if fit is None:
        return []
    lines = ["Small areas in wards (ONS best fit: the ward holding each small area's centroid)"]
    lines += _indented(fit.summary(), "wards")
    if fit.outside:
        lines.append(f"  Left out of the geography: the {len(fit.outside)} small area(s) above "
                     f"in no ward")
    return lines


def _centres(facts: GeographyFacts, geography: Geography) -> list[str]:
    lines = ["Centres"]
    if facts.centre_fit is not None:
        lines += _indented(facts.centre_fit.summary(), "centres")
    if facts.dissolved:
        holes = sum(h for h, _ in facts.dissolved.values())
        added = sum(a for _, a in facts.dissolved.values())
        lines.append(f"  {len(facts.dissolved)} centre polygons dissolved from their small areas; "
                     f"slivers closed: {holes} hole(s), {added:,.0f} m2 added in all")
    for a, b, area in facts.overlaps[:LIST_LIMIT]:
        lines.append(f"  Centres {a} and {b} overlap by {area:,.0f} m2: small areas in the "
                     f"overlap go to the first in file order")
    names = {a.code: a.name for a in geography.at_level(Level.CLUSTER)}
    described = [cc.describe(names[cc.cluster]) for cc in facts.centre_clusters]
    lines.append(f"  Clusters: {listing(described, 2 * LIST_LIMIT)}")
    return lines


def _populations(facts: GeographyFacts, geography: Geography) -> list[str]:
    stats = facts.populations
    if stats is None:
        return ["Populations", "  none given: areas.csv has no populations, and a centre not given "
                               "a cluster is placed in the one holding most of its land"]
    lines = ["Populations",
             f"  {stats.small_known} small areas with a population, "
             f"{len(stats.small_missing)} without"
             + (f" ({listing(stats.small_missing)})" if stats.small_missing else ""),
             f"  wards: {stats.wards_summed} summed from their small areas, {stats.wards_given} "
             f"given, {len(stats.wards_unknown)} unknown"
             + (f" ({listing(stats.wards_unknown)})" if stats.wards_unknown else "")]
    for ward, given, summed in stats.wards_differ[:LIST_LIMIT]:
        lines.append(f"  {ward}: given {given:,.0f}, its small areas sum to {summed:,.0f}")
    if stats.other_rows or stats.blank_rows:
        lines.append(f"  not used: {stats.other_rows} row(s) for other areas, {stats.blank_rows} "
                     f"with no population")
    return lines
