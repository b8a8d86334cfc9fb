"""What every benchmark section shares: the pictures, where results go and what they are called,
and the two measures of a picture the sections report.

Result files follow one rule (:func:`result_path`)::

    benchmarks/results/<cpu-slug>/<section>-<YYYY-MM-DD>-<variant>.<json|log>

``<cpu-slug>`` names the kind of CPU (model plus bf16/AMX flags, :func:`nst_helpers.machine.cpu.slug`),
``<section>`` the harness section that wrote it (``bench``, ``ablation``, ``stopping-rule``,
``explorer``), ``<variant>`` what that run measured (``full``, ``quick``, ``first``,
``256px-bfloat16``, …). A ``.log`` is the console output of the ``.json`` of the same name.
No pointer files: "the latest" of a section is the newest date (:func:`newest`).
"""

import datetime
import json
import os
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
#: The course's shared pictures, beside the repository; never copied into it.
SHARED = ROOT.parent / "shared" / "images"
SECTIONS = ("bench", "ablation", "stopping-rule", "explorer", "auto-fit")
_NAME = re.compile(r"^(?P<section>[a-z-]+?)-(?P<date>\d{4}-\d{2}-\d{2})-(?P<variant>[a-z0-9.-]+)\.(json|log)$")


class MissingPictures(FileNotFoundError):
    """The shared pictures the benchmark measures on are not where it looks."""


def shared_images(shared=None):
    """The shared pictures' folder (``content/`` and ``styles/``), or :class:`MissingPictures`
    naming the folder and the fix. The benchmark never substitutes other pictures: its numbers
    are only comparable on the same ones."""
    shared = Path(shared or SHARED)
    if not (shared / "content").is_dir() or not (shared / "styles").is_dir():
        raise MissingPictures(
            f"the benchmark needs the course's shared pictures in {shared} (with content/ and "
            f"styles/), and that folder is missing or incomplete: put the shared folder beside "
            f"the repository ({ROOT.parent / 'shared'}); the benchmark never measures on other pictures")
    return shared


def picture(name, kind, shared=None):
    """The picture ``name`` (a file stem) of ``kind`` (``"content"`` or ``"styles"``): the shared
    folder's ``<kind>/<name>.jpg``; a bundled picture (``nst_helpers.images.BUNDLED``, e.g. the
    tuning pair's ``chelsea``) only for a name the shared folder does not have. The shared folder
    must exist either way, so that a name means the same picture on every machine."""
    from nst_helpers.images import BUNDLED

    path = shared_images(shared) / kind / f"{name}.jpg"
    if path.is_file():
        return str(path)
    if name in BUNDLED:
        return name
    raise MissingPictures(f"no picture {path}, and {name!r} is not a bundled picture either: "
                          f"check the name (the shared {kind}: "
                          f"{', '.join(sorted(p.stem for p in path.parent.glob('*.jpg')))})")


def pair(label, shared=None):
    """``(content path, style path)`` of a ``content+style`` label such as ``tubingen+great_wave``."""
    content, style = label.split("+")
    return picture(content, "content", shared), picture(style, "styles", shared)


def results_dir(cpu_slug=None):
    """This kind of CPU's results folder (not created here)."""
    if cpu_slug is None:
        from nst_helpers import cpu

        cpu_slug = cpu.slug()
    return RESULTS / cpu_slug


def result_path(section, variant, date=None, ext="json", folder=None):
    """The one name a result file may have: ``<folder>/<section>-<date>-<variant>.<ext>``."""
    if section not in SECTIONS:
        raise ValueError(f"section must be one of {SECTIONS}, not {section!r}")
    date = date or datetime.date.today().isoformat()
    name = f"{section}-{date}-{variant}.{ext}"
    if not _NAME.match(name):
        raise ValueError(f"{name!r} breaks the naming rule: a variant is lower-case letters, digits, "
                         "'.' and '-'")
    return Path(folder or results_dir()) / name


def parse_name(name):
    """``{"section", "date", "variant", "ext"}`` of a result file's name, or None if it breaks the rule."""
    m = _NAME.match(Path(name).name)
    if not m or m["section"] not in SECTIONS:
        return None
    return {"section": m["section"], "date": m["date"], "variant": m["variant"], "ext": m.group(4)}


def newest(section, variant=None, folder=None):
    """The newest ``.json`` of ``section`` (and ``variant``, if given) by the date in its name; None
    if there is none. Files of the same date are ordered by name, so ask for a variant when it matters."""
    found = []
    for path in Path(folder or results_dir()).glob(f"{section}-*.json"):
        parts = parse_name(path.name)
        if parts and parts["section"] == section and variant in (None, parts["variant"]):
            found.append((parts["date"], path.name, path))
    return max(found)[2] if found else None


def provenance():
    """What every result file records about how, where and with what it was made: the date, the
    commit (``+changes`` for a dirty tree), the CPU and its oneDNN cap, TensorFlow, and the VGG19
    weights by source and SHA-256 (two machines' numbers are comparable only on the same file)."""
    import hashlib
    import platform

    from nst_helpers import cpu, info, weights
    from nst_helpers.machine._tf import tf

    vgg = weights.resolve_weights(verbose=False)
    with open(vgg.path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return {"date": datetime.date.today().isoformat(), "commit": info.commit(), "machine": platform.node(),
            "cpu": cpu.model(), "cores": os.cpu_count(),
            "onednn_max_cpu_isa": os.environ.get("ONEDNN_MAX_CPU_ISA", ""),
            "load_average_before": os.getloadavg()[0], "tensorflow": tf.__version__,
            "weights": vgg.source.split(" at ")[0], "weights_sha256": digest}


def child_env(**extra):
    """The environment of a timed child process: offline, and importing this checkout's
    ``nst_helpers`` (through ``PYTHONPATH``, not by editing ``sys.path``)."""
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "NST_OFFLINE": "1",
            "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else ""), **extra}


def high_frequency(image):
    """Mean absolute Laplacian per pixel and channel, on the 0–255 scale: how much pixel-scale
    speckle a picture has (a photo: a few units; noise: tens). ``image``: ``[1, H, W, 3]`` in [0, 1]."""
    x = np.asarray(image, np.float64)[0] * 255.0
    lap = 4 * x[1:-1, 1:-1] - x[:-2, 1:-1] - x[2:, 1:-1] - x[1:-1, :-2] - x[1:-1, 2:]
    return float(np.abs(lap).mean())


def first_reaching(frames, objective, target):
    """The first ``(key, image)`` of ``frames`` whose float32 loss (``objective.terms(image)``) is
    ≤ ``target``, or None. L-BFGS's accepted iterates decrease the loss, so bisection finds it in
    ~8 evaluations; the frames just before the found one are then checked too, in case the
    float32 loss is not quite monotone."""
    loss = lambda i: float(objective.terms(frames[i][1])["total"])  # noqa: E731
    if not frames or loss(len(frames) - 1) > target:
        return None
    lo, hi = 0, len(frames) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if loss(mid) <= target:
            hi = mid
        else:
            lo = mid + 1
    for i in range(max(0, lo - 3), lo):
        if loss(i) <= target:
            return frames[i]
    return frames[lo]


def recipe_targets(label, size, folder=None):
    """``{steps: loss}``: the TensorFlow recipe's losses for a pair at a size, from every ``bench``
    result of this CPU (the recipe is deterministic, so any run's are the same; newer files win)."""
    found = {}
    paths = sorted(Path(folder or results_dir()).glob("bench-*.json"), key=lambda p: p.name)
    for path in paths:
        for r in json.loads(path.read_text()).get("time_to_quality", []):
            if r["pair"] == label and r["size"] == size:
                found[r["recipe_steps"]] = r["recipe_loss"]
    return found
