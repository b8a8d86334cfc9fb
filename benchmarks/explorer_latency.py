"""How quickly the style-transfer explorer responds: first preview frame after Run, and a cached
setting shown again. Run in fast mode for the numbers the README quotes:

    NST_FAST=1 NST_OFFLINE=1 .venv/bin/python benchmarks/explorer_latency.py

Each Run uses a new style weight (so nothing is cached), at the explorer's default preview size.
"""

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nst_helpers as nst  # noqa: E402
from nst_helpers import widgets  # noqa: E402


def main(repeats=5):
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


if __name__ == "__main__":
    main()
