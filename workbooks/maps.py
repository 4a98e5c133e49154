"""Maps of centre reach areas over ward boundaries, drawn with matplotlib as static PNGs.

A workbook circulated to cluster boards must show its map without Python or the add-in, so the
map is a picture inserted with alt text. The drawing data (rings, label points, extent,
attribution) come from :mod:`xl_profile.mapdata`; this module only styles and renders them. Output
is deterministic: a fixed size and resolution, matplotlib's own bundled font, and no software or
date metadata in the PNG, so rebuilding the same inputs gives byte-identical workbooks.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Patch
from matplotlib.patheffects import withStroke
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from xl_profile.mapdata import (MapPlan, MapShape, attribution_text, borough_map, cluster_label,
                                cluster_map, label_lines)
from xl_profile.profile import ProfileData
from xl_profile.spatial import Spatial

from .common import print_setup

#: Centre fills (ColorBrewer Set3 without its grey, which marks centres outside the cluster).
CENTRE_COLOURS = ("#8DD3C7", "#FFED6F", "#BEBADA", "#FB8072", "#80B1D3", "#FDB462", "#B3DE69",
                  "#FCCDE5", "#BC80BD", "#CCEBC5", "#FFFFB3", "#A6CEE3")
OUTLINE_COLOUR = "#1F4E79"  # the workbooks' heading colour
DPI = 200
#: Smallest text on a map (points, at the picture's size): a cover prints at about 81%, so
#: 10 pt prints at 8 pt.
MAP_TEXT = 10
#: DejaVu Sans ships with matplotlib, so text is drawn the same on every machine.
STYLE = {"font.family": "DejaVu Sans", "font.size": 7, "path.simplify": True}


@dataclass(frozen=True)
class MapImage:
    """A rendered map: PNG bytes, its alt text and its size on the sheet (inches)."""

    png: bytes
    alt_text: str
    width_in: float
    height_in: float

    def rows(self, row_points: float = 15.0) -> int:
        """Rows of ``row_points`` height (the sheet's default) the picture covers."""
        return math.ceil(self.height_in * 72 / row_points)


def _path(shape: MapShape) -> MplPath:
    """One compound path per area; holes run the other way round, so they stay unfilled."""
    vertices, codes = [], []
    for ring in shape.rings:
        vertices.extend(ring.tolist())
        codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(vertices, codes)


def _inside(extent, point) -> bool:
    minx, miny, maxx, maxy = extent
    return minx <= point[0] <= maxx and miny <= point[1] <= maxy


def _draw_areas(ax, plan: MapPlan) -> None:
    for ward in plan.wards:
        ax.add_patch(PathPatch(_path(ward), facecolor="#F7F7F7" if ward.in_focus else "#FCFCFC",
                               edgecolor="#808080" if ward.in_focus else "#C8C8C8",
                               linewidth=0.6, zorder=1))
    for i, centre in enumerate(plan.centres):
        colour = CENTRE_COLOURS[i % len(CENTRE_COLOURS)] if centre.in_focus else "#DDDDDD"
        ax.add_patch(PathPatch(_path(centre), facecolor=colour, alpha=0.75 if centre.in_focus
                               else 0.5, edgecolor="#595959" if centre.in_focus else "#BBBBBB",
                               linewidth=0.5, zorder=2))
    for outline in plan.outlines:
        focus = plan.focus_outline is None or outline.code == plan.focus_outline
        ax.add_patch(PathPatch(_path(outline), fill=False, edgecolor=OUTLINE_COLOUR if focus
                               else "#8497B0", linewidth=2.4 if focus else 1.0, zorder=4))


#: Pixels kept clear around every label, so that no two labels touch.
LABEL_GAP = 4


def _box(text, renderer):
    """The label as drawn (its white box too, where it has one), with a clear margin."""
    patch = text.get_bbox_patch()
    if patch is not None:
        text.update_bbox_position_size(renderer)  # the box follows the text only when drawn
    box = patch.get_window_extent(renderer) if patch is not None else \
        text.get_window_extent(renderer)
    return box.padded(LABEL_GAP)


def _placed(ax, text, taken: list, options, extent, *, required: bool = True,
            avoid=None, fits=None) -> tuple[float, float] | None:
    """Move ``text`` to the first of ``options`` (inside the extent) where it overlaps no label
    already placed, and return that point. Where every option overlaps, a ``required`` label goes
    where it overlaps least; any other is hidden (None). ``avoid`` is a box (pixels) the label
    must keep clear of, for places outside the areas; ``fits`` says whether a box (pixels) is a
    place the label may go at all."""
    renderer = ax.figure.canvas.get_renderer()
    # The label is measured once; at each option its box is that box moved.
    measured, origin = _box(text, renderer), ax.transData.transform(text.get_position())
    best, best_overlap = None, math.inf
    for point in options:
        if not _inside(extent, point):
            continue
        dx, dy = ax.transData.transform(point) - origin
        box = measured.translated(dx, dy)
        if avoid is not None and (_overlap(box, avoid) or not _within(box, ax.bbox)):
            continue
        if fits is not None and not fits(box):
            continue
        overlap = sum(_overlap(box, other) for other in taken)
        if overlap < best_overlap:
            best, best_overlap = (point, box), overlap
        if overlap == 0:
            break
    if best is None or (best_overlap > 0 and not required):
        text.set_visible(False)
        return None
    text.set_position(best[0])
    taken.append(best[1])
    return best[0]


#: Points tested along each side of a label's box when checking it lies within an area.
EDGE_SAMPLES = 12


def _inside_shape(drawn: MplPath):
    """Whether a box (pixels) lies wholly within the area whose path in pixels is ``drawn``:
    points all round its edge inside it, none across its boundary (holes, such as a park, are
    outside)."""
    steps = np.linspace(0.0, 1.0, EDGE_SAMPLES)

    def fits(box) -> bool:
        xs, ys = box.x0 + steps * box.width, box.y0 + steps * box.height
        edge = np.concatenate([np.column_stack([xs, np.full_like(xs, box.y0)]),
                               np.column_stack([xs, np.full_like(xs, box.y1)]),
                               np.column_stack([np.full_like(ys, box.x0), ys]),
                               np.column_stack([np.full_like(ys, box.x1), ys])])
        return bool(drawn.contains_points(edge).all())
    return fits


def _overlap(a, b) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width * height if width > 0 and height > 0 else 0.0


def _within(box, frame) -> bool:
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def _areas_box(ax, plan: MapPlan):
    """The drawn areas' bounding box in pixels."""
    points = np.concatenate([ring for shape in plan.wards + plan.centres + plan.outlines
                             for ring in shape.rings])
    return Bbox(ax.transData.transform([points.min(axis=0), points.max(axis=0)]))


def _margin_options(ax, text, areas, outline) -> list[tuple[float, float]]:
    """Places beside the drawn areas, left and right, at the heights of the outline's own label
    places: where a cluster's name has no room inside, it stands outside with a leader line."""
    renderer = ax.figure.canvas.get_renderer()
    half = text.get_window_extent(renderer).width / 2 + 2 * LABEL_GAP
    to_data = ax.transData.inverted()
    xs = [to_data.transform((areas.x0 - half, 0))[0], to_data.transform((areas.x1 + half, 0))[0]]
    heights = sorted({y for _x, y in outline.label_options or (outline.label_at,)},
                     key=lambda y: abs(y - outline.label_at[1]))
    nearer = sorted(xs, key=lambda x: abs(x - outline.label_at[0]))
    return [(x, y) for y in heights for x in nearer]


def _draw_labels(ax, plan: MapPlan, extent, furniture: list) -> tuple[str, ...]:
    """Centre names first (bold, on white), then cluster names, then ward names (small, grey)
    where they fit, and numbers for the wards in focus whose names do not; return the names of
    the numbered wards, in number order."""
    taken: list = list(furniture)  # the scale bar and north arrow are never covered
    for centre in plan.centres:
        if centre.in_focus:
            text = ax.text(*centre.label_at, label_lines(centre.name), ha="center", va="center",
                           fontsize=MAP_TEXT + 1, fontweight="bold", color="#1A1A1A", zorder=6,
                           bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                                 "alpha": 0.8, "edgecolor": "none"})
            _placed(ax, text, taken, centre.label_options or (centre.label_at,), extent)
    if plan.focus_outline is None:  # a map of several clusters names each one
        _cluster_labels(ax, plan, extent, taken)
    return _ward_labels(ax, plan, extent, taken)


def _ward_labels(ax, plan: MapPlan, extent, taken: list) -> tuple[str, ...]:
    """Ward names where they are clear of every other label; a number for each ward in focus
    whose name is not. Numbers go down first, so that no name is then covered by one; a name
    that no longer fits is numbered too, and the wards are laid out again."""
    numbered: set[str] = set()
    while True:  # ends: each pass numbers at least one more ward in focus, or returns
        placed = list(taken)
        artists = []
        order = sorted((w for w in plan.wards if w.in_focus and w.code in numbered),
                       key=lambda w: w.name)
        for number, ward in enumerate(order, start=1):
            text = ax.text(*ward.label_at, str(number), ha="center", va="center",
                           fontsize=MAP_TEXT, fontweight="bold", color="#404040", zorder=7,
                           path_effects=[withStroke(linewidth=2.5, foreground="white")])
            artists.append(text)
            _placed(ax, text, placed, ward.label_options or (ward.label_at,), extent)
        missed = set()
        for ward in sorted(plan.wards, key=lambda w: not w.in_focus):
            if ward.code in numbered:
                continue
            text = ax.text(*ward.label_at, label_lines(ward.name, 14), ha="center", va="center",
                           fontsize=MAP_TEXT, style="italic",
                           color="#404040" if ward.in_focus else "#A0A0A0", zorder=5)
            artists.append(text)
            if _placed(ax, text, placed, ward.label_options or (ward.label_at,), extent,
                       required=False) is None and ward.in_focus:
                missed.add(ward.code)
        if not missed:
            return tuple(w.name for w in order)
        numbered |= missed
        for artist in artists:
            artist.remove()


def _cluster_labels(ax, plan: MapPlan, extent, taken: list) -> None:
    """Each cluster's name inside it where it fits within the cluster's boundary (on one line,
    else two), else beside the map with a line to the cluster: a name across a boundary line
    reads as naming the cluster next door."""
    areas = _areas_box(ax, plan)
    drawn = {o.code: ax.transData.transform_path(_path(o)) for o in plan.outlines}
    for outline in plan.outlines:
        text = ax.text(*outline.label_at, cluster_label(outline.name).upper(), ha="center",
                       va="center", fontsize=MAP_TEXT + 1, fontweight="bold", color=OUTLINE_COLOUR,
                       alpha=0.85, zorder=6)
        inside = outline.label_options or (outline.label_at,)
        within = _inside_shape(drawn[outline.code])
        if _placed(ax, text, taken, inside, extent, required=False, fits=within) is not None:
            continue
        text.set_visible(True)
        text.set_text(label_lines(text.get_text(), 14))  # on two lines, then beside the map
        if _placed(ax, text, taken, inside, extent, required=False, fits=within) is not None:
            continue
        text.set_visible(True)
        # Places whose leader reaches the cluster without crossing another one come first.
        beside = sorted(_margin_options(ax, text, areas, outline),
                        key=lambda at: not _leader_run(ax, outline, at, drawn)[2])
        at = _placed(ax, text, taken, beside, extent, required=False, avoid=areas)
        if at is None:  # no room beside the map either: inside, overlapping least
            text.set_visible(True)
            _placed(ax, text, taken, inside, extent)
            continue
        box = ax.transData.inverted().transform(
            text.get_window_extent(ax.figure.canvas.get_renderer()))
        edge = (box[0][0] if at[0] > outline.label_at[0] else box[1][0], at[1])
        first, end, _clean = _leader_run(ax, outline, edge, drawn)
        ax.plot(*ax.transData.inverted().transform([first, end]).T, color=OUTLINE_COLOUR,
                linewidth=0.8, zorder=6)
        taken.append(Bbox([first, end]).padded(LABEL_GAP))  # later labels keep clear of it


#: Pixels a leader line runs on into its cluster past the boundary.
LEADER_REACH = 14


def _leader_run(ax, outline: MapShape, start: tuple[float, float], drawn: dict):
    """A level leader from ``start`` (beside the map, at the height of one of the cluster's own
    label places) towards the nearest such place, ending a little way past where it enters the
    cluster: its two ends in pixels, and whether it meets no other cluster on the way."""
    level = [p for p in outline.label_options or (outline.label_at,) if p[1] == start[1]]
    target = min(level or [outline.label_at], key=lambda p: abs(p[0] - start[0]))
    first, last = ax.transData.transform([start, target])
    along = first + np.linspace(0.0, 1.0, 400)[:, None] * (last - first)
    inside = np.flatnonzero(drawn[outline.code].contains_points(along))
    if not inside.size:
        return first, last, False
    before = along[:inside[0]]
    clean = not any(path.contains_points(before).any()
                    for code, path in drawn.items() if code != outline.code)
    run = math.dist(first, last)
    reach = min(1.0, (math.dist(first, along[inside[0]]) + LEADER_REACH) / run) if run else 1.0
    return first, first + reach * (last - first), clean


def _nice_length(span: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^n metres) near a fifth of ``span``."""
    target = span / 5
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


def _scale_bar(ax, extent) -> list:
    """The scale bar and north arrow; return them, for labels to keep clear of."""
    minx, miny, maxx, maxy = extent
    length = _nice_length(maxx - minx)
    x0, y0 = maxx - (maxx - minx) * 0.04 - length, miny + (maxy - miny) * 0.04
    bar = ax.plot([x0, x0 + length], [y0, y0], color="#1A1A1A", linewidth=2, zorder=7,
                  solid_capstyle="butt")
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    label = ax.text(x0 + length / 2, y0 + (maxy - miny) * 0.015, text, ha="center",
                    va="bottom", fontsize=MAP_TEXT, zorder=7)
    north = ax.annotate("N", xy=(0.97, 0.96), xytext=(0.97, 0.87), xycoords="axes fraction",
                        ha="center", va="center", fontsize=MAP_TEXT + 1, fontweight="bold",
                        zorder=7, arrowprops={"arrowstyle": "-|>", "color": "#1A1A1A",
                                              "linewidth": 1})
    return [*bar, label, north]


def _legend(fig, plan: MapPlan):
    handles = [Patch(facecolor=CENTRE_COLOURS[0], edgecolor="#595959", alpha=0.75,
                     label=plan.legend.get("centre", "Centre reach area")),
               Line2D([], [], color="#808080", linewidth=0.8,
                      label=plan.legend.get("ward", "Ward boundary")),
               Line2D([], [], color=OUTLINE_COLOUR, linewidth=2.4,
                      label=plan.legend.get("outline", "Cluster boundary"))]
    if plan.focus_outline is not None:
        handles.append(Patch(facecolor="#DDDDDD", edgecolor="#BBBBBB",
                             label="Other centres and wards (faint)"))
    return fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.085), ncol=2,
                      fontsize=MAP_TEXT, frameon=False, handlelength=1.6, columnspacing=1.2)


def render_map(plan: MapPlan, width_in: float = 6.5, height_in: float = 5.0) -> MapImage:
    """Draw ``plan`` as a PNG of a fixed size and resolution, with no metadata that varies.

    Where wards had to be numbered, the map is drawn again a little shorter, so that the key
    to the numbers has room between the map and the legend.
    """
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width_in, height_in), dpi=DPI)
        FigureCanvasAgg(fig)
        unnamed = _laid_out(fig, plan, width_in, height_in)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    alt = plan.alt_text + (f" {unnamed_line(unnamed)}" if unnamed else "")
    return MapImage(buffer.getvalue(), alt, width_in, height_in)


def _laid_out(fig, plan: MapPlan, width_in: float, height_in: float) -> tuple[str, ...]:
    """Draw the map on ``fig`` with the key to any numbered wards under it; return the names
    of the wards numbered, in number order."""
    key_lines = 0
    for _attempt in range(3):
        fig.clear()
        unnamed, key_bottom, map_bottom = _draw(fig, plan, width_in, height_in, key_lines)
        key = textwrap.wrap(unnamed_line(unnamed), int(width_in * 13)) if unnamed else []
        # Drawn again, shorter, only when the key does not fit under the map as it is.
        if not key or key_bottom + _key_room(len(key), height_in) <= map_bottom:
            break
        key_lines = len(key)
    if key:  # the numbered wards, named
        fig.text(0.01, key_bottom, "\n".join(key), ha="left", va="bottom",
                 fontsize=MAP_TEXT, style="italic", color="#404040")
    return unnamed


def _draw(fig, plan: MapPlan, width_in: float, height_in: float,
          key_lines: int) -> tuple[tuple[str, ...], float, float]:
    """The map, its title, legend and attribution, with room between the legend and the map
    for ``key_lines`` lines of key; return the names of the wards numbered, and where (figure
    fractions) the key starts and the map's box begins."""
    legend = _legend(fig, plan)
    legend_top = legend.get_window_extent(fig.canvas.get_renderer()).y1 / fig.bbox.height
    key_bottom = legend_top + 0.01
    bottom = max(0.24, key_bottom + _key_room(key_lines, height_in))
    box = (0.01, bottom, 0.98, 0.92 - bottom)
    ax = fig.add_axes(box)
    extent = _fit_extent(plan.extent, box[2] * width_in / (box[3] * height_in))
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal")  # metres both ways: the extent already has the box's shape
    ax.set_axis_off()
    _draw_areas(ax, plan)
    furniture = _scale_bar(ax, extent)
    renderer = fig.canvas.get_renderer()
    unnamed = _draw_labels(ax, plan, extent,
                           [a.get_window_extent(renderer).padded(LABEL_GAP) for a in furniture])
    fig.text(0.01, 0.975, plan.title, ha="left", va="top", fontsize=MAP_TEXT + 2,
             fontweight="bold", color=OUTLINE_COLOUR)
    fig.text(0.01, 0.012, "\n".join(textwrap.wrap(plan.attribution, 85)), ha="left",
             va="bottom", fontsize=MAP_TEXT, color="#404040")
    return unnamed, key_bottom, bottom


def _key_room(lines: int, height_in: float) -> float:
    """Height (figure fraction) of ``lines`` lines of key and the gap above them."""
    return lines * MAP_TEXT * 1.3 / 72 / height_in + 0.01 if lines else 0.0


def unnamed_line(names: tuple[str, ...]) -> str:
    """The key to the wards numbered on the map, where there was no room for their names."""
    return "Wards numbered for lack of room: " + ", ".join(
        f"{n}\u00a0{name}" for n, name in enumerate(names, start=1)) + "."  # no break after a number


def _fit_extent(extent, ratio: float) -> tuple[float, float, float, float]:
    """``extent`` widened (or heightened) about its centre to the width/height ``ratio``."""
    minx, miny, maxx, maxy = extent
    width, height = maxx - minx, maxy - miny
    if width / height < ratio:
        pad = (height * ratio - width) / 2
        return minx - pad, miny, maxx + pad, maxy
    pad = (width / ratio - height) / 2
    return minx, miny - pad, maxx, maxy + pad


def insert_map(sheet, row: int, col: int, image: MapImage, row_points: float = 15.0) -> int:
    """Insert ``image`` at (row, col) with its alt text; return the first row below it (rows
    of ``row_points``, the sheet's default height)."""
    sheet.insert_image(row, col, "map.png", {"image_data": io.BytesIO(image.png),
                                              "description": image.alt_text,
                                              "object_position": 3})
    return row + image.rows(row_points) + 1


def no_map_line(spatial: Spatial | None) -> str:
    """One line saying why no map is drawn."""
    if spatial is None or not {"ward", "centre"} <= set(spatial.layers):
        return ("No map: the geography folder has no ward and centre boundaries "
                "(boundaries/ward.geojson, boundaries/centre.geojson).")
    return "No map: the boundaries hold no ward or centre of this cluster."


def insert_cluster_map(sheet, row: int, col: int, profile: ProfileData, spatial: Spatial | None,
                       cluster_code: str, *, year: int, formats: dict | None = None,
                       width_in: float = 6.5, height_in: float = 5.0,
                       row_points: float = 15.0) -> int:
    """Insert the map of a cluster's centre reach areas over its wards at (row, col).

    Without boundaries (``spatial`` None) the sheet gets one line saying so instead. Returns the
    first free row below what was written.

    Args:
        year: year in the OS/ONS copyright line (the year the map is made).
        formats: the workbook's standard formats (the no-map line uses ``note_line``).
    """
    geography = profile.geography
    if spatial is not None and {"ward", "centre"} <= set(spatial.layers):
        try:
            plan = cluster_map(geography, spatial.layers["ward"], spatial.layers["centre"],
                               cluster_code, attribution_text(spatial.directory, year))
        except ValueError:
            plan = None
        if plan is not None:
            return insert_map(sheet, row, col, render_map(plan, width_in, height_in), row_points)
    sheet.write_string(row, col, no_map_line(spatial),
                       formats.get("note_line") if formats else None)
    return row + 1


def write_map_sheet(sheet, profile: ProfileData, spatial: Spatial, formats, *, year: int,
                    title: str) -> None:
    """A sheet with the borough map: every centre reach area over the wards, clusters outlined."""
    plan = borough_map(profile.geography, spatial.layers["ward"], spatial.layers["centre"],
                       attribution_text(spatial.directory, year))
    sheet.write_string(0, 0, "Map: centre reach areas over ward boundaries", formats["title"])
    sheet.write_string(1, 0, "Each shaded area is a children's centre's reach area, named on the "
                             "map; grey lines are ward boundaries, thick lines cluster "
                             "boundaries.", formats["note_line"])
    insert_map(sheet, 3, 0, render_map(plan, width_in=9.5, height_in=6.2))
    print_setup(sheet, title)
