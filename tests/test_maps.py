"""Maps of centre reach areas over wards: drawing data, rendering, and the workbooks that show
them (demo borough and Westminster's real ward and LSOA boundaries)."""

from __future__ import annotations

import contextlib
import csv
import re
import struct
import zipfile
import zlib

import numpy as np
import openpyxl
import pytest
import shapely

from demo_build import BUILT_ON
from workbooks.cluster_profile import write_cluster_profiles
from workbooks.coverage_profile import write_coverage_profile
from workbooks.maps import MapImage, render_map
from xl_profile.config import load_config
from xl_profile.demo.inputs import DEMO_MAP_NOTICE, write_demo_inputs
from xl_profile.geometry import Layer, read_boundaries
from xl_profile.mapdata import (attribution_text, borough_map, cluster_map, label_points,
                                short_centre_names)
from xl_profile.models import Area, Geography, Level, Membership
from xl_profile.pipeline import load_inputs, quiet

OS_ONS = ("Contains OS data © Crown copyright and database right 2008. Source: Office for "
          "National Statistics licensed under the Open Government Licence v3.0.")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("maps")
    inputs = load_inputs(load_config(write_demo_inputs(root / "data")), quiet)
    return root, inputs


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk of a PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        chunks.append((png[at + 4:at + 8], png[at + 8:at + 8 + length]))
        at += 12 + length
    return chunks


def test_rings_keep_holes_and_labels_fall_inside():
    outer = shapely.Polygon([(0, 0), (0, 1000), (1000, 1000), (1000, 0)],
                            [[(400, 400), (600, 400), (600, 600), (400, 600)]])
    from xl_profile.mapdata import _shape

    shape = _shape("A", "Area", outer)
    exterior, hole = shape.rings
    signed = [shapely.LinearRing(r).is_ccw for r in (exterior, hole)]
    assert signed == [True, False]  # the hole runs the other way round, so it stays unfilled
    points = label_points(outer)
    assert len(points) > 5
    assert all(outer.contains(shapely.Point(p)) for p in points)
    assert not shapely.Polygon(hole).contains(shapely.Point(shape.label_at))


def test_attribution_is_the_licence_wording_unless_the_folder_says_otherwise(tmp_path):
    assert attribution_text(tmp_path, 2008) == OS_ONS
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "boundaries" / "attribution.txt").write_text(
        "Contains data from Somewhere ©\n {year}\n", encoding="utf-8")
    assert attribution_text(tmp_path, 2011) == "Contains data from Somewhere © 2011"


def test_centre_names_lose_only_a_shared_ending():
    assert short_centre_names(["Abbey Children's Centre", "Bay Children's Centre"]) == (
        ["Abbey", "Bay"], True)
    assert short_centre_names(["Abbey Children's Centre", "Bay Family Hub"]) == (
        ["Abbey Children's Centre", "Bay Family Hub"], False)


def test_cluster_map_plan_shows_the_cluster_and_says_what_it_shows(demo):
    _, inputs = demo
    geography, layers = inputs.profile.geography, inputs.spatial.layers
    plan = cluster_map(geography, layers["ward"], layers["centre"], "CL-C", "attribution")
    own = {c.code for c in geography.children("CL-C", Level.CENTRE)}
    assert {c.code for c in plan.centres if c.in_focus} == own
    wards = {w.code for w in geography.wards_of_cluster("CL-C")}
    assert {w.code for w in plan.wards if w.in_focus} == wards
    minx, miny, maxx, maxy = plan.extent
    for ward in wards:
        x0, y0, x1, y1 = layers["ward"].geometries[layers["ward"].index()[ward]].bounds
        assert minx <= x0 and x1 <= maxx and miny <= y0 and y1 <= maxy
    assert plan.outlines[-1].code == "CL-C"  # drawn last, over its neighbours
    for centre in geography.children("CL-C", Level.CENTRE):
        assert centre.name in plan.alt_text
    assert plan.legend["outline"] == "Central cluster boundary"


def test_rendering_is_fixed_in_size_and_free_of_varying_metadata(demo):
    _, inputs = demo
    geography, layers = inputs.profile.geography, inputs.spatial.layers
    plan = borough_map(geography, layers["ward"], layers["centre"], "attribution")
    first, again = render_map(plan), render_map(plan)
    assert first.png == again.png
    chunks = png_chunks(first.png)
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert (width, height) == (1300, 1000)  # 6.5 x 5 inches at 200 dpi
    text = b" ".join(data for kind, data in chunks if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert b"matplotlib" not in text.lower() and b"Software" not in text
    assert b"pHYs" in [kind for kind, _ in chunks]  # the sheet shows it at its printed size
    assert first.rows() == 24  # 5 inches of 20-pixel rows at 96 dpi


def drawing_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return " ".join(z.read(n).decode() for n in z.namelist()
                        if n.startswith("xl/drawings/drawing"))


def test_coverage_profile_has_a_map_sheet_with_alt_text_and_the_demo_notice(demo):
    root, inputs = demo
    path = write_coverage_profile(inputs.profile, inputs.spatial, root, built_on=BUILT_ON)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[1] == "Map"
    assert len(book["Map"]._images) == 1
    assert 'descr="Map of Demo Borough (fictional): 12 children' in drawing_text(path)
    assert DEMO_MAP_NOTICE.startswith("Demo Borough is fictional")
    with zipfile.ZipFile(path) as z:
        (media,) = [n for n in z.namelist() if n.startswith("xl/media/")]
        assert png_chunks(z.read(media))[0][0] == b"IHDR"


def cover_texts(path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["Cover"]
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def test_cluster_cover_has_the_map_and_builds_stay_byte_identical(demo, tmp_path):
    _, inputs = demo
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_cluster_profiles(inputs.profile, tmp_path / "a", built_on=BUILT_ON,
                                   spatial=inputs.spatial)
    again = write_cluster_profiles(inputs.profile, tmp_path / "b", built_on=BUILT_ON,
                                   spatial=inputs.spatial)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    for path in first:
        cover = openpyxl.load_workbook(path)["Cover"]
        assert len(cover._images) == 1, path.name
        assert re.search(r'descr="Map of the \w+ cluster: the reach areas of \d+ children',
                         drawing_text(path))
        assert not [t for t in cover_texts(path) if t.startswith("No map")]


def test_cover_without_boundaries_says_so_in_one_line(demo, tmp_path):
    _, inputs = demo
    (path, *_rest) = write_cluster_profiles(inputs.profile, tmp_path, built_on=BUILT_ON)
    assert openpyxl.load_workbook(path)["Cover"]._images == []
    lines = [t for t in cover_texts(path) if t.startswith("No map")]
    assert lines == ["No map: the geography folder has no ward and centre boundaries "
                     "(boundaries/ward.geojson, boundaries/centre.geojson)."]


def westminster_geography(westminster):
    """Westminster's 20 real wards in four made-up clusters (north to south), with a made-up
    centre for every other ward whose reach area is that ward's real 2011 LSOAs."""
    wards = read_boundaries(westminster / "westminster_wards_2002_2022_bng.geojson", "GSS_CODE",
                            name_field="NAME")
    lsoas = read_boundaries(westminster / "westminster_lsoa2011_gen_mhw_bng.geojson", "LSOA11CD")
    with open(westminster / "ons_bestfit_lsoa2011_to_ward2017_westminster.csv",
              encoding="utf-8-sig") as f:
        fit = {r["LSOA11CD"]: r["WD17CD"] for r in csv.DictReader(f)}
    north_first = sorted(range(len(wards)), key=lambda i: -wards.geometries[i].centroid.y)
    areas = [Area(code="E09000033", name="Westminster", level=Level.AUTHORITY)]
    areas += [Area(code=f"CL{k}", name=name, level=Level.CLUSTER, parent="E09000033")
              for k, name in enumerate(("North", "North central", "South central", "South"))]
    memberships, centre_codes, centre_shapes = [], [], []
    index = lsoas.index()
    for rank, i in enumerate(north_first):
        code, name, cluster = wards.codes[i], wards.names[i], f"CL{rank // 5}"
        areas.append(Area(code=code, name=name, level=Level.WARD, parent="E09000033"))
        memberships.append(Membership(child=code, parent=cluster, share=1.0))
        if rank % 2 == 0:
            centre = f"CC{rank:02d}"
            areas.append(Area(code=centre, name=f"{name} Children's Centre", level=Level.CENTRE,
                              parent=cluster))
            centre_codes.append(centre)
            centre_shapes.append(shapely.union_all(
                [lsoas.geometries[index[s]] for s, w in fit.items() if w == code]))
    geography = Geography(areas=tuple(areas), memberships=tuple(memberships))
    centres = Layer(centre_codes, centre_codes, np.array(centre_shapes, dtype=object), "made up")
    return geography, wards, centres


def test_westminster_ward_map_from_real_boundaries(westminster, tmp_path):
    geography, wards, centres = westminster_geography(westminster)
    plan = borough_map(geography, wards, centres, attribution_text(None, 2026))
    assert len(plan.wards) == 20 and len(plan.centres) == 10 and len(plan.outlines) == 4
    assert all(len(w.rings) >= 1 for w in plan.wards)
    image = render_map(plan, width_in=9.5, height_in=6.2)
    (tmp_path / "westminster.png").write_bytes(image.png)
    assert isinstance(image, MapImage) and image.png == render_map(plan, 9.5, 6.2).png
    assert "Open Government Licence v3.0" in plan.attribution
    assert "St. James's" in [w.name for w in plan.wards]
    plan = cluster_map(geography, wards, centres, "CL3", attribution_text(None, 2026))
    assert len([c for c in plan.centres if c.in_focus]) == 2  # ranks 16 and 18
    image = render_map(plan)
    (tmp_path / "westminster-south.png").write_bytes(image.png)
    idat = b"".join(d for kind, d in png_chunks(image.png) if kind == b"IDAT")
    assert len(set(zlib.decompress(idat))) > 50  # drawn, not blank


@contextlib.contextmanager
def borough_map_drawn(westminster):
    """Westminster's borough map laid out as ``render_map`` lays it out (9.5 x 6.2 in): the
    figure, the plan and the wards numbered, with the map style in force."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from workbooks import maps

    geography, wards, centres = westminster_geography(westminster)
    plan = borough_map(geography, wards, centres, attribution_text(None, 2026))
    with matplotlib.rc_context(maps.STYLE):
        fig = Figure(figsize=(9.5, 6.2), dpi=maps.DPI)
        FigureCanvasAgg(fig)
        yield fig, plan, maps._laid_out(fig, plan, 9.5, 6.2)


def test_ward_names_never_touch_another_label_and_wards_without_room_are_numbered(westminster):
    # Westminster's wards are small beside 10 pt names: a name goes on the map only where it
    # is clear of every other label; a ward without room gets a number, and the key under the
    # map (and the alt text) names each number.
    from workbooks import maps

    with borough_map_drawn(westminster) as (fig, plan, numbered):
        renderer = fig.canvas.get_renderer()
        shown = [t for t in fig.axes[0].texts if t.get_visible()]
        names = {w.name for w in plan.wards}
        ward_labels = [t for t in shown if t.get_text().replace("\n", " ") in names
                       and t.get_style() == "italic"]
        numbers = [t for t in shown if t.get_text().isdigit()]
        boxes = {id(t): maps._box(t, renderer) for t in shown}
        for label in ward_labels:
            assert not any(maps._overlap(boxes[id(label)], boxes[id(other)])
                           for other in shown if other is not label), label.get_text()
    named = {t.get_text().replace("\n", " ") for t in ward_labels}
    assert numbered and len(named) + len(numbered) == len(plan.wards) == 20
    assert set(numbered) == names - named and list(numbered) == sorted(numbered)
    assert sorted(int(t.get_text()) for t in numbers) == list(range(1, len(numbered) + 1))
    image = render_map(plan, width_in=9.5, height_in=6.2)
    assert image.alt_text.endswith(maps.unnamed_line(numbered))
    assert "1\u00a0" + numbered[0] in maps.unnamed_line(numbered)


def test_cluster_names_sit_within_their_cluster_or_beside_the_map_with_a_clean_leader(westminster):
    # A cluster name across a boundary line reads as naming the cluster next door. On
    # Westminster's small clusters none of the four names fits inside, so each stands beside the
    # map with a level leader line that enters its own cluster before any other.
    from workbooks import maps
    from xl_profile.mapdata import cluster_label

    with borough_map_drawn(westminster) as (fig, plan, _numbered):
        ax, renderer = fig.axes[0], fig.canvas.get_renderer()
        drawn = {o.code: ax.transData.transform_path(maps._path(o)) for o in plan.outlines}
        areas = maps._areas_box(ax, plan)
        leaders = [ax.transData.transform(line.get_xydata()) for line in ax.lines]
        by_text = {t.get_text().replace("\n", " "): t for t in ax.texts if t.get_visible()}
        beside = 0
        for outline in plan.outlines:
            text = by_text[cluster_label(outline.name).upper()]
            box = text.get_window_extent(renderer)
            edge = np.array([(x, y) for x in np.linspace(box.x0, box.x1, 30)
                             for y in np.linspace(box.y0, box.y1, 8)])
            if drawn[outline.code].contains_points(edge).all():  # within its own cluster
                continue
            beside += 1
            assert not maps._overlap(box, areas), outline.name
            leader = next(line for line in leaders
                          if min(abs(line[:, 0] - box.x0).min(), abs(line[:, 0] - box.x1).min()) < 2
                          and box.y0 <= line[0, 1] <= box.y1)
            assert leader[0, 1] == pytest.approx(leader[-1, 1])  # level
            along = leader[0] + np.linspace(0, 1, 200)[:, None] * (leader[-1] - leader[0])
            own = np.flatnonzero(drawn[outline.code].contains_points(along))
            assert own.size and own[-1] == len(along) - 1, outline.name  # ends inside its own
            others = [c for c in drawn if c != outline.code]
            assert not any(drawn[c].contains_points(along[:own[0]]).any() for c in others), \
                outline.name
    assert beside == 4
