"""Generate every centre's SEF for a year, never overwriting a form a manager has worked on.

A form is replaced only while it is exactly as generated: its zip comment holds a fingerprint of
every part as written, which any program saving it drops. Anything else (inputs filled, text in
another cell, an added sheet, an edited label, a comment, even a form opened and saved) is kept
byte-for-byte, and so is a file in the way that is not a readable SEF. A form of the same centre
and year under another name or saved as .xls/.ods is found by its content and kept too, instead of
writing a blank beside it. With ``beside`` the new form is written next to what was kept, under a
name with the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from xl_profile.atomic import make_output_folder
from xl_profile.config import BuildConfig
from xl_profile.errors import ConfigError
from xl_profile.models import Level
from xl_profile.pipeline import Progress, load_inputs, stderr_progress
from xl_profile.profile import ProfileData
from xl_profile.reach.run import ReachRun
from xl_profile.sef import model
from xl_profile.sef.model import FormSpec, Kind
from xl_profile.sef.part_b import Volume, figure_rows, last_year_values
from xl_profile.sef.review import RawForm, has_identity, identity, is_sef, manager_work
from xl_profile.sef.values import shown_text

from .sef_form import is_as_generated, write_sef_form
from .sef_reader import FORMAT_NAMES, other_format_identity, read_form

#: Files in a forms folder that are never forms: hidden, and Excel's and LibreOffice's lock files.
_NOT_FORMS = (".", "~$")


@dataclass
class GenerateResult:
    """What generating wrote and what it left alone (with the reason)."""

    written: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)
    beside: bool = False


@dataclass(frozen=True)
class LastYear:
    """A centre's previous form: texts to carry forward and its figures."""

    texts: dict[str, object]
    figures: dict[str, float]


def default_year(config: BuildConfig, today: dt.date | None = None) -> str:
    """The year after the data: the financial year starting the day after ``reach_as_of``."""
    day = config.reach_as_of + dt.timedelta(days=1) if config.reach_as_of else (today or
                                                                               dt.date.today())
    return model.financial_year(day)


def generate_forms(config: BuildConfig, out_dir: Path, year: str, *,
                   carry_forward: Path | None = None, beside: bool = False,
                   profile: ProfileData | None = None, reach: ReachRun | None = None,
                   progress: Progress = stderr_progress) -> GenerateResult:
    """Write ``sef-<centre>.xlsx`` for every centre of the build into ``out_dir``."""
    make_output_folder(out_dir)
    if profile is None:  # a build's own profile and reach are reused when given
        inputs = load_inputs(config, progress)
        profile, reach = inputs.profile, inputs.reach
    last_year = read_last_year(carry_forward) if carry_forward is not None else {}
    volumes = centre_volumes(config, reach)
    result = GenerateResult(beside=beside)
    found = forms_in_folder(out_dir)
    for centre in profile.geography.at_level(Level.CENTRE):
        previous = last_year.get(centre.code, LastYear({}, {}))
        cluster = profile.geography.by_code.get(centre.parent or "")
        spec = FormSpec(centre.code, centre.name, cluster.name if cluster else "", year,
                        tuple(figure_rows(profile, centre.code, volume=volumes.get(centre.code),
                                          last_year=previous.figures,
                                          threshold=config.suppression_threshold)),
                        tuple(previous.texts.items()))
        _write_unless_kept(out_dir, spec, found.get((centre.code, year), []), result)
    return result


def _write_unless_kept(out_dir: Path, spec: FormSpec, same_centre: list[tuple[Path, str]],
                      result: GenerateResult) -> None:
    """Write the centre's form unless a form a manager may have worked on is there."""
    path = out_dir / model.form_file_name(spec.centre_name)
    in_the_way = _in_the_way(path) if path.exists() else ""
    kept = [(path, in_the_way)] if in_the_way else []
    kept += [(other, why) for other, why in same_centre if other != path]
    result.kept.extend(kept)
    if not kept:
        result.written.append(write_sef_form(path, spec))
    elif result.beside:
        target = out_dir / model.beside_file_name(spec.centre_name, spec.year) if in_the_way \
            else path
        result.written.append(write_sef_form(target, spec))


def _in_the_way(path: Path) -> str:
    """Why an existing file must not be overwritten ("" when it may be: exactly as generated)."""
    if is_as_generated(path):
        return ""
    raw = read_form(path)
    if raw.unreadable:
        return f"cannot be read ({raw.unreadable})"
    if not is_sef(raw):
        return "not a SEF made by xl-profile"
    work = manager_work(raw)
    return "; ".join(work) if work else (
        "saved since it was generated (its cells hold no entries, but it may have been "
        "formatted); delete it to have it generated again")


def forms_in_folder(folder: Path) -> dict[tuple[str, str], list[tuple[Path, str]]]:
    """Every form in ``folder`` by (centre code, year), whatever its file name or format, with
    what it is in words (for saying why it was kept)."""
    found: dict[tuple[str, str], list[tuple[Path, str]]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(_NOT_FORMS) or is_as_generated(path):
            continue  # a form exactly as generated holds no one's work: never kept for it
        raw = read_form(path)
        if raw.saved_as:
            code, _name, year = other_format_identity(path)
            why = (f"this centre's form saved as {FORMAT_NAMES[raw.saved_as]}: open it and Save "
                   "As Excel Workbook (.xlsx) so that it can be collected")
        elif not raw.unreadable and has_identity(raw):
            code, year = identity(raw, "SEF_CentreCode"), identity(raw, "SEF_Year")
            work = manager_work(raw)
            why = f"this centre's {year} form under another file name" + \
                (f" ({'; '.join(work)})" if work else "")
        else:
            continue
        found.setdefault((code, year), []).append((path, why))
    return found


def read_last_year(directory: Path) -> dict[str, LastYear]:
    """Last year's forms in ``directory`` by centre code: part A and D texts, and figures.

    Dates (the form's date, action dates) are not carried forward: they belong to last year.
    """
    if not directory.is_dir():
        raise ConfigError(f"--carry-forward {str(directory)!r}: folder not found (expected last "
                          "year's folder of sef-<centre>.xlsx forms)")
    found: dict[str, LastYear] = {}
    for path in sorted(directory.glob("*.xlsx")):
        raw = read_form(path)
        if raw.unreadable or not has_identity(raw):
            continue
        found[identity(raw, "SEF_CentreCode")] = LastYear(_carried(raw),
                                                           last_year_values(raw.figures))
    return found


def _carried(raw: RawForm) -> dict[str, object]:
    texts = {}
    for name in model.CARRIED_FORWARD:
        named = raw.names.get(name)
        if named is not None and named.value not in (None, "") \
                and model.FIELDS_BY_NAME[name].kind in (Kind.LINE, Kind.TEXT):
            texts[name] = shown_text(named.value)  # never "1.0" for a typed 1
    return texts


def centre_volumes(config: BuildConfig, reach: ReachRun | None) -> dict[str, Volume]:
    """Each centre's 12-month volume from the build's reach measures (none without an extract)."""
    if reach is None or config.reach_as_of is None:
        return {}
    table = reach.results.by_centre[12]
    date = config.reach_as_of.isoformat()
    return {str(code): Volume({k: int(row[k]) for k in ("attendances", "children_seen",
                                                         "families_seen")},
                              "Children's centre database extract", date)
            for code, row in table.iterrows()}
