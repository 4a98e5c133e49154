"""The layout template drives the profile; bad templates give precise errors."""

from __future__ import annotations

import pytest

from demo_build import demo_profile
from xl_profile.errors import ConfigError
from xl_profile.layout import build_cluster_layout, load_template, ordered_indicators


def test_shipped_template_orders_sections_and_indicators(tmp_path):
    profile = demo_profile(tmp_path / "data")
    template = load_template()
    order = ordered_indicators(profile, template)
    assert [s.value for s, _ in order][:3] == ["Be healthy", "Stay safe", "Enjoy and achieve"]
    healthy = dict(order)[order[0][0]]
    assert healthy[:3] == ["NI53", "NI55", "LBW"]
    shown = {i for _, ids in order for i in ids}
    assert shown == set(profile.results)  # unlisted indicators are appended, none lost


def test_a_changed_template_changes_the_profile_without_code(tmp_path):
    profile = demo_profile(tmp_path / "data")
    path = tmp_path / "layout.yaml"
    path.write_text("title: My profile\nsections:\n  - section: Enjoy and achieve\n"
                    "    indicators: [NI72]\n    only_listed: true\n"
                    "charts:\n  cluster_colour: '#FF0000'\nhow_to_read: Read me.\n")
    template = load_template(path)
    cluster = profile.geography.at_level("cluster")[0]
    layout = build_cluster_layout(profile, cluster.code, template)
    assert [b.result.definition.id for b in layout.blocks] == ["NI72"]
    highlighted = {w.highlight for b in layout.blocks for w in b.wards if w.in_cluster}
    assert highlighted == {"#FF0000"}


@pytest.mark.parametrize("text, words", [
    ("title: x\nsections: []\ncharts: {cluster_colour: '#FF0000'}\nhow_to_read: r\n",
     "sections"),
    ("title: x\nsections: [{section: Be wealthy}]\ncharts: {cluster_colour: '#FF0000'}\n"
     "how_to_read: r\n", "sections.0.section"),
    ("title: x\nsections: [{section: Stay safe}]\ncharts: {cluster_colour: red}\n"
     "how_to_read: r\n", "charts.cluster_colour"),
    ("title: x\nsections: [{section: Stay safe}]\ncharts: {cluster_colour: '#FF0000', "
     "colour: 1}\nhow_to_read: r\n", "charts.colour"),
])
def test_bad_templates_name_the_field(tmp_path, text, words):
    path = tmp_path / "layout.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_template(path)
    assert "layout.yaml" in str(err.value) and words in str(err.value)
