"""Boundaries of a geography folder: centre fit quality, ward coverage and aligned proposals.

Also decides which small-area-to-centre memberships a build uses (the build file's
``centre_fit:`` setting) and lists where the given memberships and a boundary best fit disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .bestfit import BestFit, best_fit, membership_quality
from .coverage import AlignedProposal, WardCoverage, aligned_proposals, ward_coverage
from .errors import ConfigError
from .geometry import Layer, overlapping_pairs, read_boundaries, read_points
from .models import Geography, Level, Membership

BOUNDARY_LEVELS = ("ward", "lsoa", "centre")
#: Values of ``centre_fit:``: ``auto`` is ``boundaries`` when the geography folder has boundary
#: files, otherwise ``memberships``.
CENTRE_FIT_CHOICES = ("auto", "boundaries", "memberships")


@dataclass(frozen=True)
class FitDifference:
    """A small area the given memberships and the boundary best fit place differently."""

    small_area: str
    given: tuple[tuple[str, float], ...]  # (centre code, share), largest share first
    fitted: tuple[tuple[str, float], ...]
    population: float | None

    @staticmethod
    def describe_side(side: tuple[tuple[str, float], ...]) -> str:
        return ", ".join(f"{code} {share:.0%}" for code, share in side) or "no centre"

    def __str__(self) -> str:
        return (f"{self.small_area}: memberships.csv {self.describe_side(self.given)}; "
                f"boundary fit {self.describe_side(self.fitted)}")


@dataclass(frozen=True)
class CentreFit:
    """Which small-area-to-centre memberships a build uses, and how the two sources differ."""

    setting: str
    used: str  # "boundaries" or "memberships"
    given_count: int  # small areas with a centre in memberships.csv
    fitted_count: int | None  # small areas the boundary fit placed; None without boundaries
    differences: list[FitDifference] = field(default_factory=list)

    def summary(self) -> str:
        source = ("a best fit of small areas to centre boundaries" if self.used == "boundaries"
                  else "the small-area-to-centre rows of memberships.csv")
        text = f"centre fit (centre_fit: {self.setting}): centres are made of {source}"
        if self.used == "boundaries" and self.given_count:
            text += f", replacing the {self.given_count} given in memberships.csv"
        if self.fitted_count is None or not self.given_count:
            return text
        if not self.differences:
            return text + "; memberships.csv and the boundary fit agree"
        return text + (f"; {len(self.differences)} small area(s) placed differently by "
                       f"memberships.csv and the boundary fit")

    def report_lines(self, limit: int = 10) -> list[str]:
        """The summary and up to ``limit`` differences, one line each."""
        lines = [self.summary()] + [f"  {d}" for d in self.differences[:limit]]
        if len(self.differences) > limit:
            lines.append(f"  and {len(self.differences) - limit} more (listed in the coverage "
                         f"profile)")
        return lines


@dataclass(frozen=True)
class Spatial:
    """What the boundaries tell: best fit of small areas to centres, and ward coverage."""

    fit: BestFit
    coverage: list[WardCoverage]
    proposals: list[AlignedProposal]
    centre_overlaps: list[tuple[str, str, float]]
    repairs: list[str]
    given_quality: dict[str, float] = field(default_factory=dict)
    centre_fit: CentreFit | None = None
    #: The boundary layers read (``ward``, ``lsoa``, ``centre``), kept for drawing maps.
    layers: dict[str, Layer] = field(default_factory=dict)
    #: The geography folder they came from (its ``boundaries/attribution.txt`` names the licence).
    directory: Path | None = None

    def fit_quality(self) -> dict[str, float]:
        """Per centre, the share of its population its small areas really hold, for the
        memberships in use."""
        if self.centre_fit is not None and self.centre_fit.used == "memberships":
            return dict(self.given_quality)
        return {t.code: t.quality for t in self.fit.targets if t.quality is not None}


def boundary_files(directory: Path) -> dict[str, Path] | None:
    """The ward, LSOA and centre boundary files of a geography folder, or None if incomplete."""
    files = {level: directory / "boundaries" / f"{level}.geojson" for level in BOUNDARY_LEVELS}
    return files if all(p.is_file() for p in files.values()) else None


def missing_boundary_files(directory: str | Path) -> list[Path]:
    """The boundary files a coverage profile needs that ``directory`` does not have."""
    directory = Path(directory)
    return [directory / "boundaries" / f"{level}.geojson" for level in BOUNDARY_LEVELS
            if not (directory / "boundaries" / f"{level}.geojson").is_file()]


def _centre_memberships(geography: Geography) -> list[Membership]:
    centres = {a.code for a in geography.at_level(Level.CENTRE)}
    return [m for m in geography.memberships if m.parent in centres]


def load_spatial(directory: str | Path, geography: Geography) -> Spatial | None:
    """Read a geography folder's boundaries and centroids; None when it has no boundaries."""
    directory = Path(directory)
    files = boundary_files(directory)
    if files is None:
        return None
    layers = {level: read_boundaries(path, "code", name_field="name")
              for level, path in files.items()}
    centroid_file = directory / "lsoa_centroids.csv"
    centroids = read_points(centroid_file, "code", "x", "y") if centroid_file.exists() else None
    populations = {a.code: a.population for a in geography.at_level(Level.LSOA)}
    known = {c: p for c, p in populations.items() if p is not None}
    fit = best_fit(layers["lsoa"], layers["centre"], centroids=centroids, method="pwc",
                   populations=known or None)  # None: fit quality weighted by land area
    coverage = ward_coverage(layers["ward"], layers["centre"], layers["lsoa"], populations)
    proposals = aligned_proposals(layers["centre"], layers["lsoa"], populations)
    repairs = [r for layer in layers.values() for r in layer.repairs]
    given = membership_quality(_centre_memberships(geography), layers["lsoa"], layers["centre"],
                               known or None)
    return Spatial(fit, coverage, proposals, overlapping_pairs(layers["centre"]), repairs, given,
                   layers=layers, directory=directory)


def _by_small_area(memberships: list[Membership]) -> dict[str, tuple[tuple[str, float], ...]]:
    grouped: dict[str, list[tuple[str, float]]] = {}
    for m in memberships:
        grouped.setdefault(m.child, []).append((m.parent, float(m.share)))
    return {c: tuple(sorted(v, key=lambda p: (-p[1], p[0]))) for c, v in grouped.items()}


def fit_differences(geography: Geography, given: list[Membership],
                    fitted: list[Membership], tolerance: float = 0.005) -> list[FitDifference]:
    """Small areas whose centres (or shares, beyond ``tolerance``) differ between two fits."""
    a, b = _by_small_area(given), _by_small_area(fitted)
    areas = geography.by_code
    differences = []
    for code in sorted(set(a) | set(b)):
        left, right = dict(a.get(code, ())), dict(b.get(code, ()))
        if set(left) == set(right) and all(abs(left[c] - right[c]) <= tolerance for c in left):
            continue
        area = areas.get(code)
        differences.append(FitDifference(code, a.get(code, ()), b.get(code, ()),
                                          area.population if area else None))
    return differences


def choose_centre_fit(setting: str, geography: Geography, spatial: Spatial | None,
                      directory: str | Path) -> tuple[Geography, CentreFit]:
    """The geography with the centre memberships ``setting`` asks for, and what was decided.

    Raises:
        ConfigError: ``boundaries`` without boundary files, or ``memberships`` when
            memberships.csv gives no small area a centre.
    """
    given = _centre_memberships(geography)
    if setting == "boundaries" and spatial is None:
        missing = ", ".join(str(p) for p in missing_boundary_files(directory))
        raise ConfigError(f"centre_fit: boundaries needs the centre, ward and LSOA boundary files; "
                          f"missing: {missing}")
    if setting == "memberships" and not given:
        raise ConfigError(f"centre_fit: memberships, but {Path(directory) / 'memberships.csv'} "
                          f"places no small area in a centre")
    used = setting if setting != "auto" else ("boundaries" if spatial is not None
                                              else "memberships")
    fitted = spatial.fit.memberships if spatial is not None else None
    differences = fit_differences(geography, given, fitted) if fitted is not None and given \
        else []
    decision = CentreFit(setting, used, len({m.child for m in given}),
                         None if fitted is None else len({m.child for m in fitted}), differences)
    if used == "boundaries":
        geography = with_centre_fit(geography, fitted)
    return geography, decision


def with_centre_fit(geography: Geography, fitted: list[Membership]) -> Geography:
    """The geography with its small-area-to-centre memberships replaced by a best fit."""
    centres = {a.code for a in geography.at_level(Level.CENTRE)}
    kept = [m for m in geography.memberships if m.parent not in centres]
    return Geography(areas=geography.areas, memberships=tuple(kept + list(fitted)))


def with_decision(spatial: Spatial | None, decision: CentreFit) -> Spatial | None:
    """``spatial`` carrying the centre-fit decision (for the coverage profile)."""
    return None if spatial is None else replace(spatial, centre_fit=decision)
