"""Section ``ablation``: which optimiser levers cut the evaluations style transfer needs.

    python -m benchmarks ablation [--evaluations 300] [--size 256] [--precision float32]
                                  [--levers "NAME;NAME"] [--pairs a+b,c+d] [--judge float32|own]

Each lever is one run of the package's L-BFGS on the same objective (the tutorial's, float32 by
default), from the same start, on pairs the package was not tuned on; what is compared is the
number of loss-and-gradient evaluations to reach the TensorFlow recipe's 200-, 500- and 1000-step
losses (read from this CPU's ``bench`` results, :func:`benchmarks.common.recipe_targets`).
Counting evaluations, not seconds, makes the comparison independent of the machine's speed and
of other load; the seconds one evaluation costs are measured by the ``bench`` section. Writes
``ablation-<date>-<size>px-<precision>.json`` (``-own-loss`` added with ``--judge own``); runs on
other pairs or levers the same day add their rows to that file.

    python -m benchmarks ablation --step-time [--evaluations 40] [--repeats 3] [--pairs …]

measures instead what one step of ``transfer``'s defaults costs (milliseconds, in a warm
process, precision ``auto``) with and without L-BFGS's one-thread BLAS limit: seconds, so only on
a quiet machine. Writes ``ablation-<date>-<size>px-step-time.json``. Numbers so far:
docs/performance.md.
"""

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import nst_helpers as nst  # noqa: E402
from nst_helpers import basis as bases  # noqa: E402
from nst_helpers import engine, losses, optimizers, tasks, weights  # noqa: E402

from . import common  # noqa: E402
from .common import first_reaching, high_frequency  # noqa: E402

#: name → (basis options (None: the pixels; else Pyramid's, private levers included), L-BFGS
#: memory, start image)
LEVERS = {
    "pixels, memory 20 (default)": (None, 20, "colour"),
    "pixels, memory 50": (None, 50, "colour"),
    "pixels, memory 100": (None, 100, "colour"),
    "pixels, start from the photo": (None, 20, "content"),
    "pyramid, 4 levels": ({"levels": 4}, 20, "colour"),
    "pyramid, 4 levels, decorrelated colour": ({"levels": 4, "_colour": True}, 20, "colour"),
    "pyramid, 6 levels": ({"levels": 6}, 20, "colour"),
    "pyramid, 4 levels, memory 50": ({"levels": 4}, 50, "colour"),
    "pyramid, 6 levels, decay 1.5": ({"levels": 6, "_decay": 1.5}, 20, "colour"),
    "pyramid, 6 levels, decay 2": ({"levels": 6, "_decay": 2.0}, 20, "colour"),
}


#: Levers of what one step costs rather than how many evaluations it takes (``--step-time``):
#: name → whether L-BFGS limits NumPy's and SciPy's BLAS to one thread inside the run.
STEP_LEVERS = {"BLAS on one thread (default)": True, "BLAS on its default threads": False}


class Counting:
    """An objective that logs every evaluation's loss."""

    def __init__(self, objective):
        self.objective, self.losses = objective, []
        self.extractor = objective.extractor

    def value_and_grad(self, image):
        out = self.objective.value_and_grad(image)
        self.losses.append(float(out[0]))
        return out


def evaluations_to(frames, reference, target):
    """Evaluations used when an accepted iterate's float32 loss first reached ``target``."""
    hit = first_reaching(frames, reference, target)
    return None if hit is None else hit[0]


def evaluations_to_own(curve, target):
    """Evaluations used when the run's own loss (in its own precision) at an accepted iterate first
    reached ``target``: how the first ablation run counted (bfloat16 losses come out a little
    lower, so compare such rows with each other only)."""
    return next((n for n, loss in curve if loss <= target), None)


def step_time(content, style, vgg, steps, one_thread_blas):
    """``(milliseconds per step, final loss)`` of ``transfer`` with its defaults and no stopping
    rule, in a process that has already traced the run, with or without L-BFGS's one-thread
    BLAS limit (the engine's private hook, swapped for the run and restored)."""
    import contextlib

    saved = optimizers.single_threaded_blas
    if not one_thread_blas:
        optimizers.single_threaded_blas = contextlib.nullcontext
    try:
        tasks.transfer(content, style, steps=2, progress=False, weights=vgg)  # trace, warm up
        result = tasks.transfer(content, style, steps=steps, progress=False, weights=vgg)
    finally:
        optimizers.single_threaded_blas = saved
    return 1000 * result.seconds / max(1, result.steps), result.loss


def main_step_time(args, pictures, vgg):
    """``--step-time``: each pair, each of :data:`STEP_LEVERS`, ``--repeats`` times, alternating."""
    report = {**common.provenance(), "size": args.size, "steps": args.evaluations, "rows": []}
    for label, (c, s) in pictures.items():
        content, style = nst.load_image(c, max_dim=args.size), nst.load_image(s, max_dim=args.size)
        for repeat in range(args.repeats):
            for name, one_thread in STEP_LEVERS.items():
                ms, loss = step_time(content, style, vgg, args.evaluations, one_thread)
                report["rows"].append({"pair": label, "lever": name, "repeat": repeat,
                                       "ms_per_step": round(ms, 1), "final_loss": loss})
                print(json.dumps(report["rows"][-1]), flush=True)
    out = common.result_path("ablation", f"{args.size}px-step-time", report["date"], folder=args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks ablation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=300)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--precision", default="float32")
    parser.add_argument("--levers", default=";".join(LEVERS), help="names separated by ;")
    parser.add_argument("--pairs", default="tubingen+great_wave,green_sea_turtle+composition_vii,"
                                           "grace_hopper+the_scream")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the JSON (default: this CPU's folder under benchmarks/results/)")
    parser.add_argument("--step-time", action="store_true",
                        help="instead: milliseconds per step of transfer's defaults for each of "
                             + "; ".join(STEP_LEVERS) + " (--evaluations is then the step count)")
    parser.add_argument("--repeats", type=int, default=3, help="with --step-time: runs per lever")
    parser.add_argument("--judge", choices=("float32", "own"), default="float32",
                        help="count evaluations to the recipe's losses on the float32 loss (default) "
                             "or on the run's own loss")
    args = parser.parse_args(argv)
    unknown = [n for n in args.levers.split(";") if n not in LEVERS]
    if unknown:
        parser.error(f"unknown levers {unknown}; the levers: {'; '.join(LEVERS)}")
    pictures = {label: common.pair(label) for label in args.pairs.split(",")}  # or a clear error
    vgg = weights.resolve_weights()
    if args.step_time:
        return main_step_time(args, pictures, vgg)
    report = {**common.provenance(), "size": args.size, "precision": args.precision, "evaluations": args.evaluations, "rows": []}
    for label, (c, s) in pictures.items():
        content, style = nst.load_image(c, max_dim=args.size), nst.load_image(s, max_dim=args.size)
        targets = common.recipe_targets(label, args.size)  # from this CPU's results, whatever --out
        objective = losses.Objective(content, style, weights=vgg, precision=args.precision)
        # Targets are judged on the float32 loss, whatever precision the run used (as bench.py).
        reference = losses.Objective(content, style, weights=vgg, precision="float32")
        for name in args.levers.split(";"):
            options, memory, init = LEVERS[name]
            start = tasks.initial_image(init, content, style=style)
            counting = Counting(objective)
            basis = bases.Pixels(start.shape) if options is None else bases.Pyramid(start.shape, **options)
            frames = []
            t0 = time.perf_counter()
            result = engine.run(counting, start, steps=args.evaluations, progress=False,
                                _lbfgs_options={"memory": memory}, basis=basis, every=1,
                                  callback=lambda step, im, terms, f=frames, c=counting: f.append((len(c.losses), im)))
            seconds = time.perf_counter() - t0
            counting.losses = counting.losses[:args.evaluations]
            frames = [f for f in frames if f[0] <= args.evaluations]
            curve = [(n, counting.losses[n - 1]) for n, _ in frames]
            row = {"pair": label, "lever": name, "evaluations_run": len(counting.losses),
                   "steps": result.steps, "seconds": round(seconds, 1),
                   # No step finished within a tiny budget: the start image is what there is.
                   "final_loss": float(reference.terms(frames[-1][1] if frames else start)["total"]),
                   "high_frequency": round(high_frequency(result.image), 2),
                   "to_recipe": {m: (evaluations_to(frames, reference, t) if args.judge == "float32"
                                     else evaluations_to_own(curve, t)) for m, t in sorted(targets.items())},
                   "loss_at": {n: min(counting.losses[:n]) for n in (50, 100, 200, 300, 400, 600)
                               if n <= len(counting.losses)},
                   # The run's own loss after each step, with the evaluations used by then: what
                   # a progress-based stopping rule sees.
                   "curve": curve}
            report["rows"].append(row)
            print(json.dumps(row), flush=True)
    report["judged_on"] = args.judge
    own = "-own-loss" if args.judge == "own" else ""
    out = common.result_path("ablation", f"{args.size}px-{args.precision}{own}", report["date"], folder=args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.is_file():  # runs on other pairs or levers the same day add to the file
        done = {(r["pair"], r["lever"]) for r in report["rows"]}
        report["rows"] = [r for r in json.loads(out.read_text())["rows"]
                          if (r["pair"], r["lever"]) not in done] + report["rows"]
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")
