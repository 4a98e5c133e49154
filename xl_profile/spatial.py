"""Boundaries of a geography folder: centre fit quality, ward coverage and aligned proposals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .bestfit import BestFit, best_fit
from .coverage import AlignedProposal, WardCoverage, aligned_proposals, ward_coverage
from .geometry import overlapping_pairs, read_boundaries, read_points
from .models import Geography, Level


@dataclass(frozen=True)
class Spatial:
    """What the boundaries tell: best fit of small areas to centres, and ward coverage."""

    fit: BestFit
    coverage: list[WardCoverage]
    proposals: list[AlignedProposal]
    centre_overlaps: list[tuple[str, str, float]]
    repairs: list[str]

    def fit_quality(self) -> dict[str, float]:
        return {t.code: t.quality for t in self.fit.targets if t.quality is not None}


def boundary_files(directory: Path) -> dict[str, Path] | None:
    """The ward, LSOA and centre boundary files of a geography folder, or None if incomplete."""
    files = {level: directory / "boundaries" / f"{level}.geojson"
             for level in ("ward", "lsoa", "centre")}
    return files if all(p.exists() for p in files.values()) else None


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
    populations = {a.code: a.population or 0.0 for a in geography.at_level(Level.LSOA)}
    fit = best_fit(layers["lsoa"], layers["centre"], centroids=centroids, method="pwc",
                   populations=populations)
    coverage = ward_coverage(layers["ward"], layers["centre"], layers["lsoa"], populations)
    proposals = aligned_proposals(layers["centre"], layers["lsoa"], populations)
    repairs = [r for layer in layers.values() for r in layer.repairs]
    return Spatial(fit, coverage, proposals, overlapping_pairs(layers["centre"]), repairs)
