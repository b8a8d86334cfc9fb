"""Ablation: which optimiser levers cut the evaluations style transfer needs.

    python benchmarks/ablation.py [--evaluations 300] [--size 256]

Each lever is one run of the package's L-BFGS on the same objective (the tutorial's, float32 by
default), from the same start, on pairs the package was not tuned on; what is compared is the
number of loss-and-gradient evaluations to reach the TensorFlow recipe's 200-, 500- and 1000-step
losses (read from the recipe runs in ``benchmarks/results/latest.json`` or
``benchmarks/results/recipe-targets.json``). Counting evaluations, not seconds, makes the
comparison independent of the machine's speed and of other load; the seconds one evaluation
costs are measured by ``bench.py``. Writes ``benchmarks/results/ablation-<date>.json``.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench import SHARED, _first_reaching, high_frequency  # noqa: E402

import nst_helpers as nst  # noqa: E402
from nst_helpers import basis as bases  # noqa: E402
from nst_helpers import cpu, engine, losses, optimize, weights  # noqa: E402
from nst_helpers._tf import tf  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / cpu.slug()

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


class Counting:
    """An objective that logs every evaluation's loss."""

    def __init__(self, objective):
        self.objective, self.losses = objective, []
        self.extractor = objective.extractor

    def value_and_grad(self, image):
        out = self.objective.value_and_grad(image)
        self.losses.append(float(out[0]))
        return out


def _evaluations_to(frames, reference, target):
    """Evaluations used when an accepted iterate's float32 loss first reached ``target``."""
    hit = _first_reaching(frames, reference, target)
    return None if hit is None else hit[0]


def targets_for(label, size):
    found = {}
    for path in (RESULTS / "latest.json", RESULTS / "recipe-targets.json"):
        if path.is_file():
            for r in json.loads(path.read_text()).get("time_to_quality", []):
                if r["pair"] == label and r["size"] == size:
                    found[r["recipe_steps"]] = r["recipe_loss"]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluations", type=int, default=300)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--precision", default="float32")
    parser.add_argument("--levers", default=";".join(LEVERS), help="names separated by ;")
    parser.add_argument("--pairs", default="tubingen+great_wave,green_sea_turtle+composition_vii,"
                                           "grace_hopper+the_scream")
    args = parser.parse_args(argv)
    vgg = weights.resolve_weights()
    report = {"date": datetime.date.today().isoformat(), "cpu": cpu.model(), "tensorflow": tf.__version__,
              "size": args.size, "precision": args.precision, "evaluations": args.evaluations, "rows": []}
    for label in args.pairs.split(","):
        c, s = label.split("+")
        content, style = (nst.load_image(_picture(name, kind), max_dim=args.size)
                          for name, kind in ((c, "content"), (s, "styles")))
        targets = targets_for(label, args.size)
        objective = losses.Objective(content, style, weights=vgg, precision=args.precision)
        # Targets are judged on the float32 loss, whatever precision the run used (as bench.py).
        reference = losses.Objective(content, style, weights=vgg, precision="float32")
        for name in args.levers.split(";"):
            options, memory, init = LEVERS[name]
            start = optimize.initial_image(init, content, style=style)
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
            row = {"pair": label, "lever": name, "evaluations_run": len(counting.losses),
                   "steps": result.steps, "seconds": round(seconds, 1),
                   # No step finished within a tiny budget: the start image is what there is.
                   "final_loss": float(reference.terms(frames[-1][1] if frames else start)["total"]),
                   "high_frequency": round(high_frequency(result.image), 2),
                   "to_recipe": {m: _evaluations_to(frames, reference, t) for m, t in sorted(targets.items())},
                   "loss_at": {n: min(counting.losses[:n]) for n in (50, 100, 200, 300, 400, 600)
                               if n <= len(counting.losses)},
                   # The run's own loss after each step, with the evaluations used by then: what
                   # a progress-based stopping rule sees.
                   "curve": [(n, counting.losses[n - 1]) for n, _ in frames]}
            report["rows"].append(row)
            print(json.dumps(row), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"ablation-{report['date']}-{args.size}px-{args.precision}.json"
    if out.is_file():  # runs on other pairs or levers the same day add to the file
        done = {(r["pair"], r["lever"]) for r in report["rows"]}
        report["rows"] = [r for r in json.loads(out.read_text())["rows"]
                          if (r["pair"], r["lever"]) not in done] + report["rows"]
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


def _picture(name, kind):
    """A shared picture by stem, else a bundled one by name (the tuning pair is bundled)."""
    path = SHARED / kind / f"{name}.jpg"
    return path if path.is_file() else name


if __name__ == "__main__":
    main()
