"""Section ``bench``: the package's style transfer against the TensorFlow tutorial's recipe.

    python -m benchmarks bench            # everything (part of `make bench`; the longest section)
    python -m benchmarks bench --quick    # one pair at 256 px, throughput at 256/512 px
    python -m benchmarks bench --sections throughput --keep-from FILE   # one part, the rest from FILE

1. Time to quality. The reference is the TensorFlow tutorial's recipe, written out below (its
   own model, loss and compiled Adam step), run for 1000 steps (the tutorial's own length) with
   its loss recorded at 200, 500 and 1000 steps; each is a target. The package's defaults
   minimise the same objective (checked: both compute the same loss for the recipe's result);
   their iterates are re-evaluated in float32 afterwards to find the moment each target is first
   reached. Same run, same machine, same weights; neither timing includes its one-off trace.
   Three held-out pairs at 256 px, and the first of them at 512 px (not with --quick). For each
   mark: the high-frequency energy (mean |Laplacian|) of both pictures at that moment.
2. Start-up and the first picture: where a fresh process's first seconds go, and
   ``python -m nst_helpers transfer`` with its defaults at 256 px on each pair, timed from launch
   to the written file, with an empty cache (the precision is measured) and a warm one; its loss
   against the recipe's 500-step loss, and the rule that ended it.
3. Throughput: seconds per loss-and-gradient evaluation at 256, 512 and 1024 px in float32 and
   bfloat16, the FLOPs of one evaluation counted from the layer shapes, the achieved GFLOP/s
   against the measured fp32 matrix-multiply peak, and what ``precision="auto"`` chose against
   the faster of the two.
4. Memory: peak resident memory of a 512 px and a 1024 px transfer (each in its own process).

Writes the tables to the terminal and ``bench-<date>-<variant>.json`` into this CPU's results
folder (the naming rule: :mod:`benchmarks.common`). Numbers measured so far: docs/performance.md.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import nst_helpers as nst  # noqa: E402
from nst_helpers import cpu, losses, tasks, weights  # noqa: E402
from nst_helpers.machine._tf import tf  # noqa: E402

from . import common  # noqa: E402
from .common import first_reaching, high_frequency  # noqa: E402
from .peak import flops_per_evaluation, matmul_peak, theoretical_peak  # noqa: E402
from .recipe import tutorial_recipe  # noqa: E402
from .report import precision_choice, print_table  # noqa: E402

# Pairs the package's settings were NOT tuned on (tuning used chelsea + starry_night).
PAIRS = ("tubingen+great_wave", "green_sea_turtle+composition_vii", "grace_hopper+the_scream")

#: The package's fastest settings = its defaults (L-BFGS on a Laplacian pyramid of the clipped
#: image, starting from the photo with the painting's colour statistics) at the recipe's precision,
#: float32, so a speed-up is the method's alone; what bfloat16 adds where the CPU has it is the
#: throughput section's ratio, and the first picture's (the command line's ``auto``).
FAST = dict(optimizer="lbfgs", precision="float32", init="colour", basis="pyramid")
#: The recipe's losses the package is timed against: the tutorial itself runs 1000 steps.
MARKS = (200, 500, 1000)
#: What ``--sections`` can pick: time to quality, start-up and first picture, throughput, memory.
SECTIONS = ("quality", "first", "throughput", "memory")


# ------------------------------------------------------------------------------------------
# Time to quality
# ------------------------------------------------------------------------------------------

def time_to_quality(content, style, marks, package_steps, vgg_weights, label):
    """One recipe run, its loss recorded at each step count in ``marks``; then the package's
    defaults, and for each mark the time they take to reach that loss (same objective, float32)."""
    marks = tuple(sorted(marks))
    recipe_s, _, _, at = tutorial_recipe(content, style, marks[-1], vgg_weights, marks)
    objective = losses.Objective(content, style, weights=vgg_weights, precision="float32")
    # The same objective: both losses of the recipe's result must agree.
    ours = float(objective.terms(at[marks[-1]][2])["total"])
    assert abs(ours - at[marks[-1]][1]) <= 1e-3 * at[marks[-1]][1], (ours, at[marks[-1]][1])

    tasks.transfer(content, style, steps=2, progress=False, weights=vgg_weights, **FAST)  # trace
    # Losses of the package's iterates are re-evaluated in float32 after the run (untimed), so
    # the target is judged on exactly the recipe's objective whatever precision the run used.
    frames = []
    t0 = time.perf_counter()
    result = tasks.transfer(content, style, steps=package_steps, progress=False, weights=vgg_weights,
                               callback=lambda step, im, terms: frames.append((time.perf_counter() - t0, im)),
                               every=1, **FAST)
    rows = []
    for mark in marks:
        seconds, target, recipe_image = at[mark]
        reached = first_reaching(frames, objective, target)
        package_s = None if reached is None else reached[0]
        row = {
            "pair": label, "size": int(max(content.shape[1:3])), "recipe_steps": mark,
            "recipe_seconds": round(seconds, 2), "recipe_loss": target,
            "recipe_high_frequency": round(high_frequency(recipe_image), 2),
            "package_settings": {k: list(v) if isinstance(v, tuple) else v for k, v in FAST.items()},
            "package_seconds_to_target": None if package_s is None else round(package_s, 2),
            "package_high_frequency": None if reached is None else round(high_frequency(reached[1]), 2),
            "package_final_loss": float(objective.terms(result.image)["total"]),
            "package_total_seconds": round(result.seconds, 2), "package_precision": result.settings["precision"],
            "package_precision_reason": result.settings["precision_reason"],
            "package_stop_reason": result.stop_reason,
            "speedup": None if package_s is None else round(seconds / package_s, 2),
        }
        rows.append(row)
        print(f"  {label} @ {row['size']} px, recipe's {mark}-step loss {target:.4g} ({seconds:.1f} s): package "
              + (f"{package_s:.1f} s, {row['speedup']}× faster; high frequency {row['package_high_frequency']} "
                 f"vs the recipe's {row['recipe_high_frequency']}" if package_s else
                 f"did not reach it in {result.seconds:.1f} s (final {result.loss:.4g})"), flush=True)
    return rows


def first_picture(content, style, target, size=256, cold=True):
    """The newcomer's first command, in a fresh process, timed from launch to the written file
    (import, weights, tracing included). ``cold``: with an empty cache, so the one-off precision
    measurement is included too, as on a machine that never ran the package."""
    import tempfile

    out = Path(tempfile.mkdtemp()) / "first.png"
    env = _fresh_process_env(cold)
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "nst_helpers", "transfer", content, style, "-o", str(out),
                          "--size", str(size), "--quiet"], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    if run.returncode != 0:
        return {"error": run.stderr.strip().splitlines()[-1:]}
    picture = nst.load_image(out)
    c, s = nst.load_image(content, max_dim=size), nst.load_image(style, max_dim=size)
    loss = float(losses.Objective(c, s, precision="float32").terms(picture)["total"])
    return {"cache": "cold" if cold else "warm", "seconds": round(seconds, 1), "loss": loss,
            "recipe_500_loss": target,
            "reaches_recipe_500": loss <= target, "high_frequency": round(high_frequency(picture), 2),
            **parse_cli_line(run.stdout.strip().splitlines()[-1])}


def _fresh_process_env(cold):
    """The environment of a timed fresh process: offline, and with ``cold`` an empty cache, so
    the one-off precision measurement is part of what is timed."""
    import tempfile

    return common.child_env(**({"NST_CACHE_DIR": tempfile.mkdtemp()} if cold else {}))


def parse_cli_line(line):
    """``{"steps", "ended"}`` from the command's last line, ``wrote OUT (W×H px, N steps, loss L,
    T s; ended: WHY)``."""
    words = line.split()
    steps = next((int(w) for w, n in zip(words, words[1:]) if n.startswith("steps") and w.isdigit()), None)
    # Drop only the line's own closing parenthesis: WHY may end with one too.
    ended = line.split("ended: ", 1)[1][:-1] if "ended: " in line else line
    return {"steps": steps, "ended": ended}


STARTUP_SNIPPET = """
import json, os, sys, time
t0 = time.perf_counter()
laps = {{}}
def lap(name):
    laps[name] = round(time.perf_counter() - t0, 2)
import nst_helpers as nst
from nst_helpers.machine._tf import tf
lap("import TensorFlow")
from nst_helpers import losses, weights
from nst_helpers.method.precision import choose as choose_precision
weights.resolve_weights()
lap("weights")
c = nst.load_image({content!r}, max_dim={size})
s = nst.load_image({style!r}, max_dim={size})
precision, reason = choose_precision("auto", c.shape[1:3])
lap("precision")
objective = losses.Objective(c, s, precision=precision)
lap("targets")
objective.value_and_grad(c)[2].numpy()
lap("first evaluation (trace)")
objective.value_and_grad(c)[2].numpy()
lap("second evaluation")
print(json.dumps({{"laps": laps, "precision": precision, "reason": reason}}))
"""


def startup(content, style, size=256, cold=True):
    """Where a fresh process's first seconds go, cumulative: importing TensorFlow, reading the
    weights, choosing the precision (measured when ``cold``), the targets, the first evaluation
    (which traces the loss) and a second one for comparison."""
    env = _fresh_process_env(cold)
    out = subprocess.run([sys.executable, "-c", STARTUP_SNIPPET.format(content=content, style=style,
                                                                        size=size)],
                         capture_output=True, text=True, env=env, timeout=600)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1:]}
    return {"cache": "cold" if cold else "warm", **json.loads(out.stdout.strip().splitlines()[-1])}


# ------------------------------------------------------------------------------------------
# Throughput and FLOPs
# ------------------------------------------------------------------------------------------

def throughput(sizes, vgg_weights, content, style, precision):
    rows = []
    for size in sizes:
        c = nst.images.fit(content, size)
        objective = losses.Objective(c, nst.images.fit(style, size), weights=vgg_weights, precision=precision)
        objective.value_and_grad(c)  # trace
        n = 5 if size <= 512 else 2
        t0 = time.perf_counter()
        for _ in range(n):
            objective.value_and_grad(c)[0].numpy()
        seconds = (time.perf_counter() - t0) / n
        h, w = int(c.shape[1]), int(c.shape[2])
        flops = flops_per_evaluation(h, w)
        rows.append({"size": f"{w}×{h}", "precision": precision, "seconds_per_eval": round(seconds, 4),
                     "gflop_per_eval": round(flops / 1e9, 2), "gflops": round(flops / seconds / 1e9, 1)})
        print(f"  {w}×{h} {precision}: {seconds:.3f} s/eval, {flops / 1e9:.1f} GFLOP, {flops / seconds / 1e9:.1f} GFLOP/s",
              flush=True)
    return rows


MEMORY_SNIPPET = """
import resource
import nst_helpers as nst
c = nst.load_image({content!r}, max_dim={size})
s = nst.load_image({style!r}, max_dim={size})
r = nst.transfer(c, s, steps={steps}, progress=False, scales={scales})
# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the (larger) parent's peak.
try:
    kib = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
except (OSError, StopIteration):
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(kib, r.seconds)
"""


def peak_memory(size, content, style, steps=3, scales=None):
    code = MEMORY_SNIPPET.format(content=content, style=style, size=size, steps=steps,
                                 scales=scales)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600,
                         env=common.child_env())
    if out.returncode != 0:
        return {"size": size, "error": out.stderr.strip().splitlines()[-1]}
    kib, seconds = out.stdout.split()[-2:]
    gib = int(kib) / 1024 ** 2
    print(f"  {size} px{' coarse-to-fine' if scales else ''}: peak RSS {gib:.2f} GiB ({steps} steps, "
          f"{float(seconds):.0f} s)", flush=True)
    return {"size": size, "peak_rss_gib": round(gib, 2), "steps": steps, "scales": scales,
            "seconds": round(float(seconds), 1)}


# ------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one pair, 256 px only, no 1024 px")
    parser.add_argument("--big", action="store_true", help="also a 2048 px coarse-to-fine transfer")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the JSON (default: this CPU's folder under benchmarks/results/)")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help="comma-separated subset of " + ", ".join(SECTIONS) + " (first needs the "
                             "recipe's 500-step losses: from quality, or from an earlier bench result)")
    parser.add_argument("--keep-from", type=Path, default=None,
                        help="an earlier bench JSON whose other sections this run's file keeps")
    args = parser.parse_args(argv)
    sections = set(args.sections.split(","))
    if not sections <= set(SECTIONS):
        parser.error(f"--sections: pick from {', '.join(SECTIONS)}, not {', '.join(sorted(sections - set(SECTIONS)))}")
    out_dir = args.out or common.results_dir()
    pairs = [(*common.pair(label), label) for label in PAIRS]  # the shared pictures, or a clear error
    if args.quick:
        pairs = pairs[:1]
    # A crash must not leave a multi-gigabyte core file in the repository.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    vgg_weights = weights.resolve_weights()
    report = {**common.provenance(), "gpu": [d.name for d in tf.config.list_physical_devices("GPU")],
              "package_settings": str(FAST)}
    if args.keep_from:
        old = json.loads(args.keep_from.read_text())
        report.update({k: old[k] for k in ("time_to_quality", "startup", "first_picture", "throughput",
                                           "precision_choice", "peak", "memory") if k in old})
        report["kept_from"] = args.keep_from.name

    if "quality" in sections:
        print(f"Time to the recipe's 200-, 500- and 1000-step losses (256 px; one recipe run each) on {cpu.model()}",
              flush=True)
        report["time_to_quality"] = []
        for c, s, label in pairs:
            content, style = nst.load_image(c, max_dim=256), nst.load_image(s, max_dim=256)
            report["time_to_quality"] += time_to_quality(content, style, MARKS, 400, vgg_weights, label)
        if not args.quick:
            print("The same at 512 px", flush=True)
            c, s, label = pairs[0]
            content, style = nst.load_image(c, max_dim=512), nst.load_image(s, max_dim=512)
            report["time_to_quality"] += time_to_quality(content, style, MARKS, 500, vgg_weights, label)

    if "first" in sections:
        print("First picture: `python -m nst_helpers transfer` with its defaults at 256 px, fresh process",
              flush=True)
        report["startup"] = [startup(pairs[0][0], pairs[0][1], cold=cold) for cold in (True, False)]
        for row in report["startup"]:
            print(f"  start-up ({row.get('cache')} cache): {row.get('laps', row.get('error'))}", flush=True)
        report["first_picture"] = []
        for c, s, label in pairs:
            target = _recipe_500(report, label, out_dir)
            for cold in (True, False):
                report["first_picture"].append({"pair": label, **first_picture(c, s, target, cold=cold)})
                print(f"  {report['first_picture'][-1]}", flush=True)

    c, s, _ = pairs[0]
    if "throughput" in sections:
        print("Throughput (one loss-and-gradient evaluation)", flush=True)
        content, style = nst.load_image(c), nst.load_image(s)
        sizes = (256, 512) if args.quick else (256, 512, 1024)
        report["throughput"] = []
        for precision in ("float32", "bfloat16"):
            report["throughput"] += throughput(sizes, vgg_weights, content, style, precision)
        report["precision_choice"] = precision_choice(report["throughput"], sizes)
        peak = matmul_peak()
        theory, how = theoretical_peak()
        report["peak"] = {"matmul_gflops": round(peak, 1), "theoretical_gflops": theory and round(theory, 1),
                          "theoretical_how": how}
        for row in report["throughput"]:
            row["of_matmul_peak"] = round(row["gflops"] / peak, 2) if row["precision"] == "float32" else None
        print(f"  fp32 matmul peak (4096², measured): {peak:.1f} GFLOP/s; theoretical at the nominal "
              f"clock: {theory and round(theory, 1)} GFLOP/s ({how})", flush=True)

    if "memory" in sections:
        print("Peak memory (VmHWM of a fresh process)", flush=True)
        report["memory"] = [peak_memory(512, c, s)]
        if not args.quick:
            report["memory"].append(peak_memory(1024, c, s))
        if args.big:
            report["memory"].append(peak_memory(2048, c, s, steps=6, scales=(0.25, 0.5, 1.0)))

    print_table(report)
    path = common.result_path("bench", variant(args.quick, sections), report["date"], folder=out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2))
    print(f"wrote {path}")
    return 0


def variant(quick, sections):
    """The result's variant: ``full`` or ``quick`` for every section, else the sections measured
    (``quick-`` first when quick), so that a partial run never replaces a full one."""
    kind = "quick" if quick else "full"
    if set(sections) == set(SECTIONS):
        return kind
    parts = "-".join(s for s in SECTIONS if s in sections)
    return f"quick-{parts}" if quick else parts


def _recipe_500(report, label, folder):
    """The recipe's 500-step loss for ``label`` at 256 px: from this run's quality section, else
    from an earlier bench result of this CPU; a clear error when neither has it."""
    for r in report.get("time_to_quality", []):
        if r["pair"] == label and r["size"] == 256 and r["recipe_steps"] == 500:
            return r["recipe_loss"]
    found = common.recipe_targets(label, 256, folder).get(500)
    if found is None:
        raise SystemExit(f"benchmarks bench: no recipe 500-step loss for {label} at 256 px in {folder}; "
                         "run the quality section first (--sections quality,first)")
    return found
