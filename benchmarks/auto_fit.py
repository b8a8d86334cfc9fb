"""Section ``auto-fit``: does ``NST_MODE=auto``'s printed prediction hold on this machine?

    python -m benchmarks auto-fit [--pair tubingen+the_kiss] [--figures transfer3,texture5] [--tolerance 0.3]

For each figure kind (``transfer3``: 3 transfers from the photo, as notebook 4's; ``blend5``: 5
two-painting transfers, as notebook 6's blend strip; ``texture5``: 5 textures from 1…5 style layers
on the rescaled network, as notebook 3's series), it asks :func:`nst_helpers.method.budget.fit` in auto mode
for the size and steps that fit 30 s, with an empty timing cache (so this machine is timed now,
not remembered from another load), takes the seconds the cost model predicts for them
(:func:`nst_helpers.method.budget.figure_seconds`), then makes that figure on an untold pair and times it
from the first target to the last picture, tracing included. It fails (exit code 1) when a figure
is outside ``±tolerance`` of its prediction. Wall-clock limits belong here, not in ``tests/``: a busy
machine fails it, so the load average before and after is printed and recorded. Results:
``benchmarks/results/<cpu>/auto-fit-<date>-<variant>.json``; numbers so far: docs/performance.md.
"""

import argparse
import json
import os
import tempfile
import time

from nst_helpers.method.defaults import STYLE_LAYERS  # no TensorFlow

from . import common

#: figure → (runs as the notebook passes them to ``fit``, its full / demo / fast pairs, precision)
FIGURES = {
    "transfer3": (3, (256, 100), (160, 40), (64, 5), "auto"),
    "blend5": (5, (256, 100), (160, 40), (64, 5), "auto"),
    "texture5": (STYLE_LAYERS, (224, 200), (128, 60), (64, 5), "float32"),
}


def make(kind, size, steps, content, style, style_b):
    """The figure's runs, as the notebooks make them; returns the Results."""
    import nst_helpers as nst
    from nst_helpers import control, experiments

    photo = nst.load_image(content, max_dim=size)
    painting = nst.load_image(style, max_dim=size)
    if kind == "transfer3":
        return [nst.transfer(photo, painting, init="content", steps=steps, progress=False, tv_weight=tv)
                for tv in (0.0, 30.0, 3000.0)]
    if kind == "blend5":
        second = nst.load_image(style_b, max_dim=size)
        return [r for _, r in control.blend_strip(photo, painting, second, init="content", steps=steps,
                                                      progress=False)]
    return [r for _, r in experiments.style_series(painting, steps=steps, rescaled=True, progress=False)]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks auto-fit", description=__doc__.split("\n")[0])
    parser.add_argument("--pair", default="tubingen+the_kiss", help="content+style (untold: tuned on nothing)")
    parser.add_argument("--second-style", default="great_wave", help="the blend's second painting")
    parser.add_argument("--figures", default=",".join(FIGURES))
    parser.add_argument("--tolerance", type=float, default=0.3)
    args = parser.parse_args(argv)
    content, style = common.pair(args.pair)
    style_b = common.picture(args.second_style, "styles")
    os.environ["NST_MODE"] = "auto"
    os.environ["NST_CACHE_DIR"] = tempfile.mkdtemp(prefix="nst-auto-fit-")  # time this machine now
    os.environ.pop("NST_FAST", None)
    import nst_helpers as nst
    from nst_helpers import budget

    rows, ok = [], True
    load_before = os.getloadavg()[0]
    for kind in args.figures.split(","):
        runs, full, demo, fast, precision = FIGURES[kind]
        size, steps = nst.fit(runs=runs, full=full, demo=demo, fast=fast, precision=precision)
        per_eval = budget.seconds_per_evaluation(budget.REFERENCE_SIDE, precision)
        predicted = budget.figure_seconds(size, steps, runs, "lbfgs", per_eval)
        t0 = time.perf_counter()
        results = make(kind, size, steps, content, style, style_b)
        seconds = time.perf_counter() - t0
        error = seconds / predicted - 1
        ok &= abs(error) <= args.tolerance
        rows.append({"figure": kind, "runs": runs if isinstance(runs, int) else len(runs), "size": size, "steps": steps,
                     "seconds_per_evaluation_256": round(per_eval, 4), "predicted": round(predicted, 1),
                     "measured": round(seconds, 1), "error": round(error, 3),
                     "evaluations": [r.evaluations for r in results], "load_before": round(os.getloadavg()[0], 2)})
        print(f"{kind}: {len(results)} runs at {size} px, {steps} steps: predicted {predicted:.1f} s, measured "
              f"{seconds:.1f} s ({error:+.0%}); evaluations {[r.evaluations for r in results]}", flush=True)
    report = {**common.provenance(), "load_average_before": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2),
              "tolerance": args.tolerance, "figures": rows}
    out = common.result_path("auto-fit", "avx2" if os.environ.get("ONEDNN_MAX_CPU_ISA") else "native")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    print(f"load average {load_before:.2f} before, {report['load_average_after']:.2f} after "
          f"(a busy machine fails this benchmark; measure on a quiet one); written to {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
