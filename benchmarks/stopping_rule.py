"""Section ``stopping-rule``: which progress rule ends the command line's run at the recipe's
500-step quality?

    python -m benchmarks stopping-rule collect --pairs tubingen+great_wave,... [--held-out]
    python -m benchmarks stopping-rule analyse [--rules 0.05/10,0.015/10] [--markdown]

``collect``: for each pair at 256 px, the TensorFlow recipe's loss after 200 and 500 Adam steps
(``recipe.tutorial_recipe``), then 150 steps of the package's defaults with every iterate's loss
re-evaluated in float32 (the recipe's objective exactly). Appends to the JSON file, one entry per
pair, marked ``tuning`` or ``held-out``: to the newest ``stopping-rule-<date>-collected.json`` of
this CPU (or ``--file``), a new one dated today if there is none.

``analyse``: applies ``min_progress=(fraction, window)`` to each run's own (bfloat16 or float32)
losses with the optimiser's own rule, and reports the step each rule stops at and
the float32 loss there over the recipe's 500-step loss (≤ 1: the picture is as good). A rule is
chosen on the tuning pairs only and then checked on the held-out ones.

Steps, not seconds: the rule counts steps, and the steps of this engine take a CPU-dependent
time (multiply by the seconds per step of the ``bench`` section's first-picture table).
Numbers so far: docs/performance.md.
"""

import argparse
import json
from pathlib import Path

import numpy as np

from . import common


def default_file():
    """The newest collection of this CPU, or a new one dated today."""
    return common.newest("stopping-rule", "collected") or common.result_path("stopping-rule", "collected")


def collect(pairs, kind, out=None, steps=150):
    pictures = {pair: common.pair(pair) for pair in pairs}  # the shared pictures, or a clear error

    import nst_helpers as nst
    from nst_helpers import losses, tasks, weights

    from . import recipe

    out = out or default_file()
    vgg = weights.resolve_weights()
    out.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(out.read_text()) if out.is_file() else {
        **common.provenance(), "size": 256, "runs": []}
    for pair, (c, s) in pictures.items():
        content, style = nst.load_image(c, max_dim=256), nst.load_image(s, max_dim=256)
        _, _, _, at = recipe.tutorial_recipe(content, style, 500, vgg, (200, 500))
        frames = []

        def keep(step, image, terms, frames=frames):
            frames.append(image.numpy())

        result = tasks.transfer(content, style, steps=steps, progress=False, every=1, callback=keep)
        objective = losses.Objective(content, style, precision="float32")
        data["runs"].append({
            "pair": pair, "kind": kind, "recipe_loss": {str(m): v[1] for m, v in at.items()},
            "precision": result.settings["precision"], "loss": result.history["total"],
            "float32_loss": [float(objective.terms(im)["total"]) for im in frames]})
        out.write_text(json.dumps(data, indent=1))
        print(f"{pair}: done", flush=True)


def stop(loss, fraction, window):
    """``(step, fired)``: the step ``min_progress=(fraction, window)`` ends a run with these
    per-step losses at, by the optimiser's own rule (:func:`nst_helpers.method.engine.progress_stalled`
    on the best loss so far), and whether it fired at all (if not: the last step)."""
    from nst_helpers.method.engine import progress_stalled

    best = list(np.minimum.accumulate(np.asarray(loss, np.float64)))
    for k in range(1, len(best)):
        if progress_stalled(best[:k + 1], fraction, window):
            return k, True
    return len(best) - 1, False


def stop_step(loss, fraction, window):
    """The step of :func:`stop`."""
    return stop(loss, fraction, window)[0]


def quality(run, step):
    """float32 loss at ``step`` (best so far) over the recipe's 500-step loss."""
    fp = np.minimum.accumulate([run["loss"][0]] + run["float32_loss"])
    return float(fp[min(step, len(fp) - 1)] / run["recipe_loss"]["500"])


def analyse(data, rules):
    rows = []
    for fraction, window in rules:
        row = {"rule": [fraction, window], "runs": []}
        for run in data["runs"]:
            k, fired = stop(run["loss"], fraction, window)
            row["runs"].append({"pair": run["pair"], "kind": run["kind"], "step": k, "fired": fired,
                                "over_recipe_500": round(quality(run, k), 3)})
        rows.append(row)
    return rows


def needed(run):
    """The first step whose float32 loss reaches the recipe's 500-step loss (None: not in the run)."""
    return next((k for k in range(len(run["loss"])) if quality(run, k) <= 1.0), None)


def markdown(data, rules):
    """The README's table: per pair, the step the recipe's 500-step loss is first reached and, per
    rule, where the rule stops and the loss there over that target."""
    head = "| pair | used for | reaches the recipe's 500-step loss at step | " + " | ".join(
        f"{f:g} in {w} steps: stops at (loss ÷ target)" for f, w in rules) + " |"
    lines = [head, "|" + "---|" * (3 + len(rules))]
    table = analyse(data, rules)
    for i, run in enumerate(data["runs"]):
        cells = []
        for row in table:
            r = row["runs"][i]
            mark = " **short**" if r["over_recipe_500"] > 1 else ""
            # Not fired within the collected steps: it would stop later, with a lower loss.
            step = r["step"] if r["fired"] else f"> {r['step']}"
            cells.append(f"{step} ({r['over_recipe_500']:.2f}{mark})")
        lines.append(f"| {run['pair'].replace('+', ' + ')} | {run['kind']} | {needed(run)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks stopping-rule", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("collect", "analyse"))
    parser.add_argument("--pairs", default="", help="content+style names, comma-separated")
    parser.add_argument("--held-out", action="store_true", help="mark the collected pairs held-out")
    parser.add_argument("--file", type=Path, default=None,
                        help="the collection (default: the newest stopping-rule-<date>-collected.json)")
    parser.add_argument("--rules", default="", help="fraction/window pairs, comma-separated, e.g. 0.05/10,0.015/10")
    parser.add_argument("--markdown", action="store_true", help="the README's table for --rules")
    args = parser.parse_args(argv)
    if args.command == "collect":
        collect([p for p in args.pairs.split(",") if p], "held-out" if args.held_out else "tuning", args.file)
        return
    path = args.file or default_file()
    if not path.is_file():
        parser.error(f"no collection at {path}: run `python -m benchmarks stopping-rule collect` first")
    data = json.loads(path.read_text())
    rules = [(float(f), int(w)) for f, w in (r.split("/") for r in args.rules.split(",") if r)] or [
        (f, w) for w in (10, 20) for f in (0.015, 0.02, 0.025, 0.03, 0.04, 0.05)]
    if args.markdown:
        print(markdown(data, rules))
        return
    print("pair (kind): the step where the float32 loss first reaches the recipe's 500-step loss")
    for run in data["runs"]:
        print(f"  {run['pair']} ({run['kind']}): {needed(run)}")
    print("\nrule (fraction, window): stop step (float32 loss / recipe's 500-step loss; ✗ above 1)")
    for row in analyse(data, rules):
        cells = " ".join(f"{r['step']:4d}({r['over_recipe_500']:.2f}{'✗' if r['over_recipe_500'] > 1 else ''})"
                         for r in row["runs"])
        print(f"  {tuple(row['rule'])!s:13s} {cells}")
