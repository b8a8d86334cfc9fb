"""``python -m nst_helpers transfer CONTENT STYLE -o OUT.png``: style transfer from a terminal.

Exit codes: 0 success, 2 bad arguments or unusable input (with a one-line message), 130 when
interrupted (Ctrl-C at any moment after the photo is loaded still writes a picture at its size:
the best image so far, or the start image). Parsing the arguments (``--help``) imports no
TensorFlow; its choices come from the package's own lists.
"""

import argparse
import sys
import time

from . import defaults
from .images import bundled_names

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130


def _bounded(kind, noun, minimum, rule):
    """An argparse type: ``kind(text)``, refused with a one-line reason when below ``minimum``."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} {rule}")
        return value
    return parse


_positive_int = _bounded(int, "a whole number", 1, "must be at least 1")
_non_negative = _bounded(float, "a number", 0.0, "must not be negative")


def _fraction(text):
    value = _non_negative(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"{value} must be below 1 (a fraction of the loss)")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m nst_helpers",
        description="Neural style transfer (Gatys et al.) with VGG19, from the nst-notebooks series.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser(
        "transfer", help="paint CONTENT in the style of STYLE",
        description="Paint CONTENT in the style of STYLE. Images are paths, URLs or bundled names "
                    f"({', '.join(bundled_names())}).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    t.add_argument("content")
    t.add_argument("style")
    t.add_argument("-o", "--output", required=True, help="where to write the result (.png or .jpg)")
    t.add_argument("--size", type=_positive_int, default=256, help="longest side in pixels")
    t.add_argument("--steps", type=_positive_int, default=None,
                   help="the most iterations (default: " + ", ".join(
                       f"{n} for {o}" for o, n in defaults.CLI_MAX_STEPS.items()) + ")")
    t.add_argument("--min-progress", type=_fraction, default=defaults.CLI_MIN_PROGRESS[0],
                   metavar="FRACTION",
                   help=f"stop once {defaults.CLI_MIN_PROGRESS[1]} steps lowered the loss by less than "
                        "this fraction (0: run all the steps)")
    t.add_argument("--max-seconds", type=_non_negative, default=None,
                   help="stop after this many seconds of optimisation")
    t.add_argument("--optimizer", choices=defaults.OPTIMIZERS, default=defaults.OPTIMIZERS[0])
    t.add_argument("--content-weight", type=_non_negative, default=defaults.CONTENT_WEIGHT)
    t.add_argument("--style-weight", type=_non_negative, default=defaults.STYLE_WEIGHT)
    t.add_argument("--tv-weight", type=_non_negative, default=defaults.TV_WEIGHT)
    t.add_argument("--content-layers", default=",".join(defaults.CONTENT_LAYERS), help="comma-separated")
    t.add_argument("--style-layers", default=",".join(defaults.STYLE_LAYERS), help="comma-separated")
    t.add_argument("--init", choices=defaults.INITS, default=defaults.INITS[0],
                   help="start from the photo with the painting's colours, the photo, or noise")
    t.add_argument("--basis", choices=defaults.BASES, default=None,
                   help="what L-BFGS optimises (default: " + defaults.BASIS["lbfgs"] + "; Adam: pixels)")
    t.add_argument("--precision", choices=defaults.PRECISIONS, default=defaults.PRECISIONS[0],
                   help="VGG19's compute precision (auto: bf16 on CPUs with native bf16)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--coarse-to-fine", action="store_true",
                   help="optimise at half size first, then refine at full size")
    t.add_argument("--weights", default=None, help="a Keras VGG19 .h5 file (default: resolve)")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    from .errors import NSTError

    state = {}
    try:
        return _transfer(args, state)
    except NSTError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Outside the optimisation (loading, saving): write the photo if we have it.
        return _interrupted(state)


def _interrupted(state):
    content, out = state.get("content"), state.get("output")
    if content is None or out is None:
        print("interrupted before the photo was loaded: nothing written", file=sys.stderr)
        return EXIT_INTERRUPTED
    from . import images

    try:
        images.save_image(state.get("best", content), out)
    except KeyboardInterrupt:
        images.save_image(state.get("best", content), out)
    print(f"interrupted: wrote {out} (the best image so far)", file=sys.stderr)
    return EXIT_INTERRUPTED


def _transfer(args, state):
    from pathlib import Path

    from PIL import Image

    from . import images, optimize, weights

    out = Path(args.output)
    if out.suffix.lower() not in Image.registered_extensions():
        print(f"error: {out}: unknown image format {out.suffix!r}; use .png or .jpg", file=sys.stderr)
        return EXIT_USAGE
    if out.parent and not out.parent.exists():
        print(f"error: folder {out.parent} does not exist", file=sys.stderr)
        return EXIT_USAGE
    vgg = weights.resolve_weights(args.weights) if args.weights else "imagenet"
    content = images.load_image(args.content, max_dim=args.size)
    state.update(content=content, output=out)
    style = images.load_image(args.style, max_dim=args.size)
    t0 = time.perf_counter()
    result = optimize.transfer(
        content, style,
        content_layers=[s for s in args.content_layers.split(",") if s],
        style_layers=[s for s in args.style_layers.split(",") if s],
        content_weight=args.content_weight, style_weight=args.style_weight,
        tv_weight=args.tv_weight, optimizer=args.optimizer, init=args.init,
        steps=args.steps or defaults.CLI_MAX_STEPS[args.optimizer],
        min_progress=(args.min_progress, defaults.CLI_MIN_PROGRESS[1]) if args.min_progress else None,
        max_seconds=args.max_seconds or None, basis=args.basis,
        seed=args.seed, scales=(0.5, 1.0) if args.coarse_to_fine else None,
        progress=not args.quiet, weights=vgg, precision=args.precision,
    )
    state["best"] = result.image
    if result.stop_reason == "interrupted":
        return _interrupted(state)
    images.save_image(result.image, out)
    loss = f"loss {result.loss:.4g}" if result.history["total"] else "no step finished"
    print(f"wrote {out} ({result.image.shape[2]}×{result.image.shape[1]} px, {result.steps} steps, "
          f"{loss}, {time.perf_counter() - t0:.1f} s; ended: {result.why})")
    return EXIT_OK
