"""Measure the raw VGG19's mean activation per conv filter and write nst_helpers/data/vgg19_filter_means.json.

`make filter-means` (or `python ci/filter_means.py` in the project's environment). The rescaled
network (`rescaled=True`, Gatys et al. 2016) divides every filter by these means; see
nst_helpers/method/rescaling.py for the pictures, sizes and why. tests/method/test_rescaling.py checks that the
committed file is what this measures.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nst_helpers import cpu, features, rescaling  # noqa: E402
from nst_helpers.method.layers import CONV_LAYERS  # noqa: E402
from nst_helpers.method.weights import resolve_weights  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python ci/filter_means.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=rescaling.MEANS_FILE)
    args = parser.parse_args(argv)
    weights = resolve_weights()
    by_side = rescaling.measure_by_side(features.FeatureExtractor(CONV_LAYERS, weights=weights, precision="float32"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rescaling.record(weights, by_side, cpu.model()), indent=1) + "\n",
                        encoding="utf-8")
    print(f"wrote {args.out}: {sum(len(by_side[rescaling.SIDES[0]][n]) for n in CONV_LAYERS)} filters "
          f"at {len(by_side)} sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
