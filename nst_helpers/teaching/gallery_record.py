"""The gallery's record and how the notebooks show it: ``images/results/gallery.json`` (and
``images/results/ko/gallery.json`` for the Korean rendering), the README written from it, and
:func:`expected`, the call after each slow cell. The rendering itself: :mod:`nst_helpers.teaching.gallery`.
"""

import json
import os
from pathlib import Path

from .. import images
from ..errors import ArgumentError
from ..language import language, shown, shown_parts, t

OUT = images.bundled_dir() / "results"


RECORD = "gallery.json"
RECORD_FORMAT = "nst-gallery/1"
#: Above this share of the machine's CPU taken by other processes, a figure's wall time is no
#: measurement (a quiet machine shows 0–2 %: the system's own background work).
BUSY_SHARE = 0.05


def _read_record(folder):
    """``{figure: entry}`` from ``folder/gallery.json`` (empty when there is none)."""
    path = Path(folder) / RECORD
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != RECORD_FORMAT:
        raise ArgumentError(f"{path} is not a {RECORD_FORMAT} file: re-render with `python -m nst_helpers.teaching.gallery`")
    return data["figures"]


def wall_time(entry):
    """A figure's wall time as the README says it: marked when other processes shared the CPU."""
    text = f"{entry['seconds']:.0f} s"
    share = entry.get("others_cpu_share")
    if share is None:
        return text + " (machine load not recorded: not a measurement)"
    if share > BUSY_SHARE:
        return text + f" (other processes took {share:.0%} of the CPU: not a measurement)"
    return text


def readme(record):
    """The gallery's README, made from its record: one row per figure, with where and when."""
    lines = ["# Gallery", "",
             "Rendered by `make gallery` (`python -m nst_helpers.teaching.gallery`) from the bundled images only; "
             f"written from `{RECORD}` (never edit either by hand). All in float32; transfers start from the "
             "photo (`init=\"content\"`), as in the TensorFlow tutorial, unless a row says otherwise.", "",
             "| figure | what | how | wall time | made |", "|---|---|---|---|---|"]
    for name, e in sorted(record.items()):
        made = (f"{e['date']}, {e.get('commit') or 'commit unknown'}, {e['cpu']} ({e['cores']} cores), "
                f"TensorFlow {e['tensorflow']}, {e['weights']}") if e.get("date") else "not recorded"
        lines.append(f"| `{name}.png` | {e['what']} | {e['how']} | {wall_time(e)} | {made} |")
    return "\n".join(lines) + "\n"


def _cpu_use():
    """``(machine busy seconds, machine total seconds, this process's CPU seconds)`` from
    ``/proc/stat`` (all cores summed), or None where there is no such file (not Linux)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    own = os.times()
    return (sum(fields) - idle) / tick, sum(fields) / tick, own.user + own.system + own.children_user + own.children_system


def _others_share(before, after):
    """The share of the machine's CPU capacity that processes other than this one used between
    two :func:`_cpu_use` readings (0 on a quiet machine), or None."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    others = (after[0] - before[0]) - (after[2] - before[2])
    return round(min(max(others / (after[1] - before[1]), 0.0), 1.0), 3)


def gallery_row(name):
    """The gallery's record of figure ``name`` (e.g. ``"02_content_reconstruction"``): a dict with
    ``what``, ``how``, ``seconds``, ``time`` (as the README says it) and where and when it was made.
    Raises ArgumentError naming the figures it has."""
    record = _read_record(OUT)
    if name not in record:
        raise ArgumentError(f"no gallery figure {name!r}; the gallery has: {', '.join(sorted(record)) or 'none'} "
                            f"(render it with `python -m nst_helpers.teaching.gallery --only {name}`)")
    return {**record[name], "time": wall_time(record[name])}


def _korean(name):
    """``(path, record entry)`` of the Korean rendering of figure ``name`` under ``NST_LANG=ko``
    where it is rendered, else None."""
    korean = _read_record(OUT / "ko").get(name) if language() == "ko" else None
    return (OUT / "ko" / f"{name}.png", korean) if korean is not None and (OUT / "ko" / f"{name}.png").is_file() else None


def _picture(name):
    """``(English record entry, Korean (path, entry) or None, the PNG to show)`` of figure ``name``:
    the Korean rendering under ``NST_LANG=ko`` where it exists, else the English one."""
    row, korean = gallery_row(name), _korean(name)  # an unknown name: ArgumentError naming the known ones
    path = korean[0] if korean else OUT / f"{name}.png"
    if not path.is_file():
        raise ArgumentError(f"{path} is missing: render it with `python -m nst_helpers.teaching.gallery --only {name}`")
    return row, korean, path


def _display(path):
    from IPython.display import Image, display

    picture = Image(filename=str(path))
    display(picture)
    return picture


def show(name):
    """Show the gallery's picture of figure ``name`` (e.g. ``"04_style_transfer"``) as it is, in the
    notebooks' language: the Korean rendering (``images/results/ko/``) under ``NST_LANG=ko`` where it
    exists, else the English one. No computation, no caption (:func:`expected` adds one). Returns
    the displayed ``IPython.display.Image``."""
    return _display(_picture(name)[2])


def expected(name, *, full=None, demo=None):
    """Show the gallery's full-quality picture of figure ``name`` (e.g. ``"02_content_reconstruction"``),
    how it was made, and how long the cell above takes (``full``, ``demo``: e.g. ``"≈ 4½ min"``),
    so a student on a slow laptop sees what that cell gives at full quality.

    Reads ``images/results/<name>.png`` and its record; needs no computation. Under
    ``NST_LANG=ko`` it shows the Korean rendering ``images/results/ko/<name>.png`` with its Korean
    description, or, where that is not rendered yet, the English one with a Korean sentence saying
    so and the command that renders it; the description is then the English record's, translated
    from the catalogue (each ``; ``-separated part; a part the catalogue lacks stays English). The
    PNG is shown as it is, at its own pixel size (:func:`show`): redrawn in a fixed-width figure,
    the wide ones (five panels) shrank until their titles and legends could not be read. Returns the displayed ``IPython.display.Image``. The notebooks' calls get
    their ``full``/``demo`` times from ``docs/notebook-times.json`` (written into them by
    ``ci/section_times.py``: the measured times of the code cell before the call).
    """
    row, korean, path = _picture(name)
    picture = _display(path)
    shown_as = f"images/results/ko/{name}.png" if korean else f"images/results/{name}.png"
    how = korean[1]["how"] if korean else shown_parts(row["how"], "; ")
    print(t("Expected at full quality (gallery figure {path}): {how}.", path=shown_as, how=how))
    if language() == "ko" and korean is None:
        print(t("The Korean rendering of this figure is not made yet: `python -m nst_helpers.teaching.gallery --lang ko "
                "--only {name}` makes it.", name=name))
    if full and demo:
        print(t("The cell above: {full} at full quality, {demo} in demo mode (measured: docs/notebook-times.json).",
                full=shown(full), demo=shown(demo)))  # "≈ 2 min" in Korean: as the time cells write it
    return picture
