"""Section ``explorer``: how quickly the style-transfer explorer responds: first preview frame
after Run, and a cached setting shown again.

    NST_FAST=1 python -m benchmarks explorer [--repeats 5]    # fast mode: the figures quoted

Each Run uses a new style weight (so nothing is cached), at the explorer's default preview size.
Writes ``explorer-<date>-<mode>.json`` (``fast`` or ``full``). Numbers so far: docs/performance.md.
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import nst_helpers as nst  # noqa: E402
from nst_helpers import widgets  # noqa: E402

from . import common  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks explorer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the JSON (default: this CPU's folder under benchmarks/results/)")
    args = parser.parse_args(argv)
    repeats = args.repeats
    t0 = time.perf_counter()
    ex = widgets.TransferExplorer(nst.load_image("chelsea"), nst.load_image("starry_night"))
    built = time.perf_counter() - t0
    first_frames, settings = [], []
    for i in range(repeats):
        beta = 10.0 ** (-2 + 0.25 * (i + 1))
        ex.set(style_weight=beta)
        t = time.perf_counter()
        ex.run_button.click()
        while ex.first_frame_seconds is None and ex.running:
            time.sleep(0.002)
        first_frames.append(time.perf_counter() - t)
        ex.wait()
        settings.append(beta)
    cached = []
    for beta in settings:
        ex.set(style_weight=1e-2)
        t = time.perf_counter()
        ex.set(style_weight=beta)  # a setting computed above: shown from the cache
        cached.append(time.perf_counter() - t)
        assert "from cache" in ex.status.value
    size = ex.controls["size"].value
    print(f"explorer built (incl. warm-up compile) in {built:.2f} s; preview size {size} px, "
          f"{ex.controls['steps'].value} steps, fast mode: {nst.fast_mode()}")
    print(f"first preview frame after Run: median {statistics.median(first_frames):.3f} s, "
          f"max {max(first_frames):.3f} s over {repeats} runs")
    print(f"cached setting shown again: median {1000 * statistics.median(cached):.2f} ms, "
          f"max {1000 * max(cached):.2f} ms")
    report = {**common.provenance(), "fast_mode": nst.fast_mode(), "preview_px": size, "steps": ex.controls["steps"].value,
              "built_seconds": round(built, 3), "first_frame_seconds": [round(t, 4) for t in first_frames],
              "cached_ms": [round(1000 * t, 3) for t in cached]}
    path = common.result_path("explorer", "fast" if nst.fast_mode() else "full", report["date"], folder=args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2))
    print(f"wrote {path}")
    return 0
