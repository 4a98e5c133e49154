"""Build an authority's geography folder from the files it already has.

Inputs: ward and small-area (LSOA) boundaries, optionally population-weighted centroids and census
populations, a clusters CSV placing every ward in a cluster, and the centres either as polygons
or as a table of the small areas each centre is made of. Small areas are best-fitted to wards by
the ONS method (the ward holding the population-weighted centroid); centres given as polygons get
their small areas by the same best fit (:mod:`xl_profile.bestfit`), centres given as a table get
polygons dissolved from their small areas (:mod:`xl_profile.geography_shapes`). A centre's cluster
is the one given, else the cluster holding most of its people.

The result is the geography folder ``xl-profile build`` reads (see
:mod:`xl_profile.geography_io`) and the facts for the report of what was done
(:mod:`xl_profile.geography_report`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from .bestfit import best_fit
from .errors import ConfigError, GeometryError, InputError, Problem
from .geography_report import CentreCluster, GeographyFacts, PopulationFacts
from .geography_inputs import (CentreRows, Clusters, Matched, Populations, feature_values,
                               read_centre_rows, read_clusters, read_populations)
from .geography_shapes import dissolve, feature_collection, layer_items
from .geometry import Layer, overlapping_pairs, read_boundaries, read_points
from .mapdata import without_slivers
from .models import Area, Geography, Level, Membership
from .names import NameIndex

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class LayerSource:
    """A boundary file and the properties holding each feature's code and name."""

    path: Path
    code: str
    name: str | None = None
    crs: str | None = None  # a hint for a file that states no CRS
    crs_option: str = "--crs"  # the option the hint came from, for messages


@dataclass(frozen=True)
class PointSource:
    """A CSV of population-weighted centroids."""

    path: Path
    code: str = "code"
    x: str = "x"
    y: str = "y"
    crs: str | None = None
    crs_option: str = "--crs"


@dataclass(frozen=True)
class PopulationSource:
    """A census CSV: a column of area codes and a column of people."""

    path: Path
    code: str = "code"
    field: str = "population"


@dataclass(frozen=True)
class CentreSource:
    """Centres as polygons (GeoJSON) or as a table of their small areas (CSV)."""

    path: Path
    code: str = "code"
    name: str | None = None
    cluster: str | None = None  # property of a polygon naming its cluster
    crs: str | None = None
    crs_option: str = "--centres-crs"
    method: str = "pwc"  # best fit of small areas to centre polygons

    @property
    def is_table(self) -> bool:
        return self.path.suffix.lower() in TABLE_SUFFIXES


@dataclass(frozen=True)
class GeographySources:
    """Everything ``xl-profile geography`` reads."""

    authority: str  # CODE:NAME
    wards: LayerSource
    small_areas: LayerSource
    clusters: Path
    centres: CentreSource
    centroids: PointSource | None = None
    population: PopulationSource | None = None


@dataclass(frozen=True)
class BuiltGeography:
    """A geography ready to write, with its boundaries, centroids and the facts for the report."""

    geography: Geography
    boundaries: dict[str, dict]
    centroids: list[tuple[str, float, float]] | None
    facts: GeographyFacts


@dataclass(frozen=True)
class _Centres:
    names: dict[str, str]
    memberships: list[Membership]
    polygons: dict[str, object]
    given_clusters: dict[str, str]


def parse_authority(text: str) -> tuple[str, str]:
    """'E09000033:Westminster' -> ('E09000033', 'Westminster').

    Raises:
        ConfigError: no colon, or a blank code or name.
    """
    code, _, name = text.partition(":")
    if not code.strip() or not name.strip():
        raise ConfigError(f"--authority {text!r}: expected CODE:NAME, e.g. E09000033:Westminster")
    return code.strip(), name.strip()


def build_geography(sources: GeographySources) -> BuiltGeography:
    """Read every input and make the geography (see the module docstring).

    Raises:
        InputError: rows of the clusters, centres or population CSV that cannot be used, each
            named with file, row and column (unmatched names with the closest name).
        GeometryError: unreadable boundaries or centroids, or a CRS contradicted.
        ConfigError: two areas given the same code.
    """
    facts = GeographyFacts(authority=parse_authority(sources.authority))
    wards = _read_layer(sources.wards, "wards", facts)
    small = _read_layer(sources.small_areas, "small areas", facts)
    centroids = _read_centroids(sources.centroids, facts)
    populations = read_populations(sources.population.path, sources.population.code,
                                   sources.population.field) if sources.population else None
    matched = Matched()
    clusters = read_clusters(sources.clusters, NameIndex("ward", wards.codes, wards.names),
                             wards.source, matched)
    people = populations.values if populations else {}
    facts.ward_fit = best_fit(small, wards, centroids=centroids, method="pwc",
                              populations=people or None)
    ward_of = facts.ward_fit.lookup()
    if not ward_of:
        raise GeometryError(f"{small.source}: none of the {len(small)} small areas lies in a ward "
                            f"of {wards.source} (expected files of the same place)")
    kept = _subset(small, [c for c in small.codes if c in ward_of])
    centres = _centres(sources.centres, kept, small, centroids, clusters, people, facts, matched)
    facts.matched = list(matched.rows)
    geography = _geography(facts.authority, wards, kept, ward_of, clusters, centres, people,
                           populations, facts)
    boundaries = _boundaries(geography, wards, kept, centres, clusters)
    return BuiltGeography(geography, boundaries, _centroid_rows(kept, centroids), facts)


def _read_layer(source: LayerSource, what: str, facts: GeographyFacts) -> Layer:
    layer = read_boundaries(source.path, source.code, name_field=source.name, crs=source.crs,
                            crs_option=source.crs_option)
    facts.inputs.append((what, layer.source, f"{len(layer)} polygons", layer.crs_note))
    facts.repairs += layer.repairs
    return layer


def _read_centroids(source: PointSource | None, facts: GeographyFacts) -> Layer | None:
    if source is None:
        return None
    layer = read_points(source.path, source.code, source.x, source.y, crs=source.crs,
                        crs_option=source.crs_option)
    facts.inputs.append(("centroids", layer.source, f"{len(layer)} points", layer.crs_note))
    return layer


def _subset(layer: Layer, codes: list[str]) -> Layer:
    index = layer.index()
    rows = [index[c] for c in codes]
    return Layer(codes, [layer.names[i] for i in rows], layer.geometries[rows], layer.source,
                 layer.repairs, layer.crs_note)


def _centres(source: CentreSource, kept: Layer, small: Layer, centroids: Layer | None,
             clusters: Clusters, people: dict[str, float], facts: GeographyFacts,
             matched: Matched) -> _Centres:
    cluster_index = NameIndex("cluster", list(clusters.names), list(clusters.names.values()))
    if source.is_table:
        outside = set(small.codes) - set(kept.codes)
        rows = read_centre_rows(source.path, NameIndex("small area", small.codes, small.names),
                                small.source, cluster_index, outside, matched)
        facts.inputs.append(("centres", str(source.path), f"{len(rows.names)} centres made of "
                             f"{len(rows.of_small_area)} small areas", ""))
        return _centres_from_rows(rows, kept, facts)
    layer = read_boundaries(source.path, source.code, name_field=source.name, crs=source.crs,
                            crs_option=source.crs_option)
    facts.inputs.append(("centres", layer.source, f"{len(layer)} polygons", layer.crs_note))
    facts.repairs += layer.repairs
    facts.overlaps = overlapping_pairs(layer)
    given = _polygon_clusters(source, layer, cluster_index, matched) if source.cluster else {}
    fit = best_fit(kept, layer, centroids=centroids, method=source.method,
                   populations=people or None)
    facts.centre_fit = fit
    return _Centres(dict(zip(layer.codes, layer.names)), list(fit.memberships),
                    dict(zip(layer.codes, layer.geometries)), given)


def _centres_from_rows(rows: CentreRows, kept: Layer, facts: GeographyFacts) -> _Centres:
    index = kept.index()
    polygons = {}
    for centre in rows.names:
        inside = np.array([rows.of_small_area.get(code) == centre for code in kept.codes])
        done = dissolve(kept.geometries[inside], kept.geometries[~inside])
        polygons[centre] = done.geometry
        facts.dissolved[centre] = (done.holes_filled, done.area_added)
    memberships = [Membership(child=code, parent=centre, share=1.0, method="lookup")
                   for code, centre in sorted(rows.of_small_area.items(),
                                              key=lambda item: index[item[0]])]
    return _Centres(dict(rows.names), memberships, polygons, dict(rows.clusters))


def _polygon_clusters(source: CentreSource, layer: Layer, clusters: NameIndex,
                      matched: Matched) -> dict[str, str]:
    """Cluster codes from each centre polygon's ``source.cluster`` property, where given."""
    given, problems = {}, []
    for i, (code, written) in enumerate(zip(layer.codes, feature_values(source.path,
                                                                         source.cluster)), 1):
        if not written:
            continue
        match = clusters.match(written)
        if match.code is None:
            problems.append(Problem(layer.source, None, None, f"feature {i} ({code}), property "
                                    f"{source.cluster!r}: {clusters.problem_text(written, match)}",
                                    expected="a cluster code or name from the clusters CSV",
                                    found=written))
        else:
            given[code] = match.code
            if match.how != "code" and written != clusters.name_of(match.code):
                matched.rows.append((layer.source, i, written, match.code))
    if problems:
        raise InputError(problems)
    return given


def _centre_clusters(centres: _Centres, kept: Layer, ward_of: dict[str, str],
                     clusters: Clusters, people: dict[str, float],
                     wards: Layer) -> list[CentreCluster]:
    """Each centre's cluster: given, else the one holding most of its people (or land)."""
    result = []
    for centre in centres.names:
        if centre in centres.given_clusters:
            result.append(CentreCluster(centre, centres.given_clusters[centre], "given", 1.0))
            continue
        members = [m for m in centres.memberships if m.parent == centre]
        weights, basis = _cluster_weights(members, kept, ward_of, clusters, people)
        if not weights:
            weights, basis = _cluster_overlaps(centres.polygons[centre], wards, clusters), "land"
        if not weights:
            raise GeometryError(f"centre {centre} lies outside every ward of {wards.source}; "
                                f"its cluster cannot be found")
        total = sum(weights.values())
        best = max(clusters.names, key=lambda c: weights.get(c, 0.0))
        result.append(CentreCluster(centre, best, basis, weights[best] / total))
    return result


def _cluster_weights(members: list[Membership], kept: Layer, ward_of: dict[str, str],
                     clusters: Clusters, people: dict[str, float]) -> tuple[dict[str, float], str]:
    """People (or, where any small area has no population, land area) per cluster."""
    index = kept.index()
    by_people = all(m.child in people for m in members)
    weights: dict[str, float] = {}
    for m in members:
        size = people[m.child] if by_people \
            else float(shapely.area(kept.geometries[index[m.child]]))
        cluster = clusters.of_ward[ward_of[m.child]]
        weights[cluster] = weights.get(cluster, 0.0) + m.share * size
    return weights, "people" if by_people else "land"


def _cluster_overlaps(polygon, wards: Layer, clusters: Clusters) -> dict[str, float]:
    """Land of ``polygon`` in each cluster's wards (a centre holding no small area)."""
    areas = shapely.area(shapely.intersection(wards.geometries, polygon))
    weights: dict[str, float] = {}
    for code, area in zip(wards.codes, areas):
        if area > 0:
            cluster = clusters.of_ward[code]
            weights[cluster] = weights.get(cluster, 0.0) + float(area)
    return weights


def _geography(authority: tuple[str, str], wards: Layer, kept: Layer, ward_of: dict[str, str],
               clusters: Clusters, centres: _Centres, people: dict[str, float],
               populations: Populations | None, facts: GeographyFacts) -> Geography:
    code, name = authority
    facts.centre_clusters = _centre_clusters(centres, kept, ward_of, clusters, people, wards)
    ward_people = _ward_populations(wards, kept, ward_of, people, populations, facts)
    _unique_codes(code, clusters, centres, wards, kept)
    areas = [Area(code=code, name=name, level=Level.AUTHORITY)]
    areas += [Area(code=c, name=n, level=Level.CLUSTER, parent=code)
              for c, n in clusters.names.items()]
    areas += [Area(code=cc.centre, name=centres.names[cc.centre], level=Level.CENTRE,
                   parent=cc.cluster) for cc in facts.centre_clusters]
    areas += [Area(code=c, name=n, level=Level.WARD, parent=code, population=ward_people.get(c))
              for c, n in zip(wards.codes, wards.names)]
    areas += [Area(code=c, name=n, level=Level.LSOA, parent=ward_of[c], population=people.get(c))
              for c, n in zip(kept.codes, kept.names)]
    memberships = [Membership(child=w, parent=clusters.of_ward[w], share=1.0, method="lookup")
                   for w in wards.codes]
    return Geography(areas=tuple(areas), memberships=tuple(memberships + centres.memberships))


def _ward_populations(wards: Layer, kept: Layer, ward_of: dict[str, str],
                      people: dict[str, float], populations: Populations | None,
                      facts: GeographyFacts) -> dict[str, float]:
    """Each ward's population: given in the census CSV, else summed from all its small areas."""
    if populations is None:
        return {}
    sums: dict[str, list[float | None]] = {}
    for code in kept.codes:
        sums.setdefault(ward_of[code], []).append(people.get(code))
    stats = PopulationFacts(file=populations.file, blank_rows=populations.blank_rows)
    stats.small_known = sum(1 for c in kept.codes if c in people)
    stats.small_missing = [c for c in kept.codes if c not in people]
    used = set(kept.codes) | set(wards.codes)
    stats.other_rows = sum(1 for c in people if c not in used)
    result: dict[str, float] = {}
    for ward in wards.codes:
        parts = sums.get(ward, [])
        summed = sum(parts) if parts and None not in parts else None
        if ward in people:
            result[ward] = people[ward]
            stats.wards_given += 1
            if summed is not None and abs(summed - people[ward]) > 0.005 * people[ward]:
                stats.wards_differ.append((ward, people[ward], summed))
        elif summed is not None:
            result[ward] = summed
            stats.wards_summed += 1
        else:
            stats.wards_unknown.append(ward)
    facts.populations = stats
    return result


def _unique_codes(authority: str, clusters: Clusters, centres: _Centres, wards: Layer,
                  kept: Layer) -> None:
    seen: dict[str, str] = {authority: "the authority (--authority)"}
    groups = [("cluster", clusters.names), ("centre", centres.names),
              ("ward", wards.codes), ("small area", kept.codes)]
    for what, codes in groups:
        for code in codes:
            if code in seen:
                raise ConfigError(f"{what} code {code!r} is also the code of {seen[code]}; "
                                  f"every area needs a code of its own")
            seen[code] = f"a {what}"


def _boundaries(geography: Geography, wards: Layer, kept: Layer, centres: _Centres,
                clusters: Clusters) -> dict[str, dict]:
    index = wards.index()
    outlines = [(code, name, without_slivers(shapely.union_all(
        [wards.geometries[index[w]] for w, c in clusters.of_ward.items() if c == code])))
        for code, name in clusters.names.items()]
    centre_items = [(a.code, a.name, centres.polygons[a.code])
                    for a in geography.at_level(Level.CENTRE)]
    return {"ward": feature_collection(layer_items(wards)),
            "lsoa": feature_collection(layer_items(kept)),
            "centre": feature_collection(centre_items),
            "cluster": feature_collection(outlines)}


def _centroid_rows(kept: Layer, centroids: Layer | None) -> list[tuple[str, float, float]] | None:
    if centroids is None:
        return None
    index = centroids.index()
    points = centroids.geometries[[index[c] for c in kept.codes]]
    return [(code, round(float(x), 1), round(float(y), 1))
            for code, (x, y) in zip(kept.codes, shapely.get_coordinates(points))]

