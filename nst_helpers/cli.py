"""``python -m nst_helpers transfer CONTENT STYLE -o OUT.png``: style transfer from a terminal;
``python -m nst_helpers gallery FOLDER``: the class gallery page (:mod:`nst_helpers.teaching.classroom`).

Everything notebook 6 teaches is reachable here: several paintings (``--style`` repeated, mixed by
``--blend``), one mask per painting (``--mask``), ``--preserve-colour`` and ``--recipe gatys2016``.
``--save-every N`` rewrites the output every N steps, so a first picture appears within seconds
and can be watched improving (jcjohnson/neural-style's ``-save_iter`` writes numbered files
instead; here the output itself is rewritten, so an image viewer can keep it open).

The output is only ever replaced whole (:func:`~nst_helpers.images.save_image_atomic`): a run
killed at any moment, even ``kill -9`` during a write, leaves the previous file or a complete new
picture. A ``.png`` output carries the run's settings in a text chunk, as
:func:`nst_helpers.teaching.pins.pin` writes them, so it can go into the class gallery; JPEG has no such
chunk (the settings are kept only in PNG).

Exit codes: 0 success; 1 the result could not be written (disk full, permissions; one line);
2 bad arguments or unusable input (one line, the same checks and messages as
:func:`~nst_helpers.method.tasks.transfer`); 130 interrupted (Ctrl-C at any moment after the photo is
loaded still writes a picture at its size: the best image so far, or the start image). Parsing
the arguments (``--help``) imports no TensorFlow; its choices come from the package's own lists.
"""

import argparse
import os
import sys
import time

from .errors import ArgumentError, ImageError, NSTError
from .images import bundled_names
from .method import defaults

EXIT_OK, EXIT_WRITE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: Flags a recipe sets unless given (``transfer`` keeps an explicitly given value): left out of
#: the call when absent, so ``--recipe gatys2016`` really gets the paper's values.
RECIPE_FLAGS = ("content_weight", "style_weight", "tv_weight", "content_layers", "style_layers",
                "init", "optimizer", "rescaled")
BASIS_CHOICES = defaults.BASIS_CHOICES


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


def _short_text(text):
    """A ``--name`` or ``--note``: refused before the run when a pin could not keep it."""
    from .teaching.pins import MAX_TEXT

    if len(text) > MAX_TEXT:
        raise argparse.ArgumentTypeError(f"{len(text)} characters; at most {MAX_TEXT} fit in the picture")
    return text


def _blend(text):
    """``"0.7,0.3"`` → ``(0.7, 0.3)``: one non-negative weight per painting, not all zero."""
    weights = tuple(_non_negative(part) for part in text.split(","))
    if not any(weights):
        raise argparse.ArgumentTypeError(f"{text!r}: the weights are all zero")
    return weights


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Shows a flag's default, unless there is nothing to show (None, off, an empty list)."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False or action.default == []:
            return action.help
        return super()._get_help_string(action)


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
        formatter_class=_Help,
    )
    t.add_argument("content")
    t.add_argument("style", nargs="?", help="the painting (or give paintings with --style)")
    t.add_argument("-o", "--output", required=True,
                   help="where to write the result (.png or .jpg); a .png keeps the run's settings "
                        "inside it for the class gallery (settings are kept only in PNG)")
    t.add_argument("--style", dest="styles", action="append", default=[], metavar="STYLE",
                   help="a painting; repeat for several (added after the positional STYLE)")
    t.add_argument("--blend", type=_blend, default=None, metavar="W1,W2,…",
                   help="one weight per painting, e.g. 0.7,0.3 (normalised to sum 1; default equal)")
    t.add_argument("--mask", dest="masks", action="append", default=None, metavar="FILE",
                   help="a greyscale picture per painting, in the paintings' order: white = this "
                        "painting here, black = not here; the photo's aspect ratio, any size")
    t.add_argument("--preserve-colour", choices=[c for c in defaults.PRESERVE_COLOUR if c],
                   default=None, help="keep the photo's colours: transfer the luminance only, or "
                                      "recolour the painting to the photo's colours first")
    t.add_argument("--recipe", choices=tuple(defaults.RECIPES), default="tutorial",
                   help="the TensorFlow tutorial's settings, or Gatys et al. 2016's (average "
                        "pooling, conv4_2, its normalisation and weights, from noise); flags you "
                        "give are kept")
    t.add_argument("--save-every", type=_positive_int, default=None, metavar="N",
                   help="rewrite the output with the picture so far every N steps (atomically)")
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
    # The recipe's flags: absent unless given (SUPPRESS), their defaults written in the help.
    recipe = argparse.SUPPRESS
    t.add_argument("--optimizer", choices=defaults.OPTIMIZERS, default=recipe,
                   help=f"(default: {defaults.OPTIMIZERS[0]})")
    t.add_argument("--content-weight", type=_non_negative, default=recipe,
                   help=f"α (default: {defaults.CONTENT_WEIGHT:g}, or the recipe's)")
    t.add_argument("--style-weight", type=_non_negative, default=recipe,
                   help=f"β (default: {defaults.STYLE_WEIGHT:g}, or the recipe's)")
    t.add_argument("--tv-weight", type=_non_negative, default=recipe,
                   help=f"γ (default: {defaults.TV_WEIGHT:g}, or the recipe's)")
    t.add_argument("--content-layers", default=recipe,
                   help=f"comma-separated (default: {','.join(defaults.CONTENT_LAYERS)}, or the recipe's)")
    t.add_argument("--style-layers", default=recipe,
                   help=f"comma-separated (default: {','.join(defaults.STYLE_LAYERS)}, or the recipe's)")
    t.add_argument("--init", choices=defaults.INITS, default=recipe,
                   help="start from the photo with the painting's colours, the photo, or noise "
                        f"(default: {defaults.INITS[0]}, or the recipe's)")
    t.add_argument("--rescaled", action=argparse.BooleanOptionalAction, default=recipe,
                   help="Gatys et al.'s rescaled VGG19, every filter's mean activation 1 (default: "
                        "off, Keras' network as in the TensorFlow tutorial, or the recipe's)")
    t.add_argument("--basis", choices=BASIS_CHOICES, default=None,
                   help="what L-BFGS optimises (default: " + defaults.DEFAULT_BASIS["lbfgs"] + "; Adam: pixels)")
    t.add_argument("--precision", choices=defaults.PRECISIONS, default=defaults.PRECISIONS[0],
                   help="VGG19's compute precision (auto: on a CPU with bfloat16 instructions the faster of "
                        "float32 and bfloat16, on a GPU of float32 and float16, measured once per "
                        "machine; float32 elsewhere)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--coarse-to-fine", action="store_true",
                   help="optimise at half size first, then refine at full size")
    t.add_argument("--weights", default=None, help="a Keras VGG19 .h5 file (default: resolve)")
    t.add_argument("--quiet", action="store_true", help="no progress bar, no line per saved picture")
    t.add_argument("--name", type=_short_text, default=None, help="who made it, shown in the class gallery (PNG only)")
    t.add_argument("--note", type=_short_text, default=None, help="a short note shown in the class gallery (PNG only)")
    g = sub.add_parser(
        "gallery", help="write FOLDER/index.html, a page of the class's pinned pictures",
        description="Write a page (FOLDER/index.html) showing every pinned picture in FOLDER with its "
                    "settings, sortable by painting or weight. Pinned pictures are PNG files saved by "
                    "nst.pin(result) or by the transfer command; other files are skipped, one line each.",
        formatter_class=_Help,
    )
    g.add_argument("folder", help="the folder holding the class's pinned PNG files")
    g.add_argument("--out", default=None, help="the page to write (default: FOLDER/index.html)")
    g.add_argument("--title", default=None, help="the page's heading (default: Class gallery)")
    return parser


def main(argv=None):
    """Run the command; returns its exit code (``python -m nst_helpers`` exits with it)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help, or a usage error argparse has already printed
        return done.code
    if args.command == "gallery":
        from .teaching import classroom

        return classroom.main(args.folder, args.out, args.title)
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

    saver = state.get("saver")
    if "best" not in state and saver is not None and saver.count:
        # Interrupted after the run (while finishing or saving): the last picture it saved is
        # better than the photo; keep it.
        print(f"interrupted: {out} holds the picture of step {saver.last_step}", file=sys.stderr)
        return EXIT_INTERRUPTED
    try:
        try:
            images.save_image_atomic(state.get("best", content), out, text=state.get("text"))
        except KeyboardInterrupt:
            images.save_image_atomic(state.get("best", content), out, text=state.get("text"))
    except OSError as exc:
        print(f"interrupted, and could not write {out}: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"interrupted: wrote {out} (the best image so far)", file=sys.stderr)
    return EXIT_INTERRUPTED


def _check_output(out):
    """Refuse an output the run could not write at its end, before any work starts."""
    from . import images

    try:
        images.check_output_path(out)
    except ImageError as error:
        raise ArgumentError(str(error)) from None
    if not out.parent.exists():
        raise ArgumentError(f"folder {out.parent} does not exist")
    if out.is_dir():
        raise ArgumentError(f"{out} is a folder; give a file name such as {out / 'out.png'}")
    if not os.access(out.parent, os.W_OK):
        raise ArgumentError(f"cannot write in folder {out.parent}; choose another -o")


def _load_mask(source):
    """A picture (any size) → an ``[H, W]`` float32 mask in [0, 1]: its luminance, black 0, white 1."""
    import numpy as np

    from . import images
    from .method import colour

    return np.clip(colour.rgb_to_yiq(images.load_image(source))[0, :, :, 0], 0.0, 1.0)


def _layers(text):
    return [s for s in text.split(",") if s]


def _transfer(args, state):
    from pathlib import Path

    out = Path(args.output)
    _check_output(out)
    styles = ([args.style] if args.style is not None else []) + args.styles
    if not styles:
        raise ArgumentError("no painting given: pass STYLE, or --style (repeat it for several)")
    if args.blend is not None and len(args.blend) != len(styles):
        raise ArgumentError(f"--blend has {len(args.blend)} weight(s) for {len(styles)} painting(s); "
                            "give one per painting, e.g. --blend 0.7,0.3")
    from . import images  # TensorFlow: only once the arguments are usable
    from .method import arguments, tasks, weights

    vgg = weights.resolve_weights(args.weights) if args.weights else "imagenet"
    content = images.load_image(args.content, max_dim=args.size)
    state.update(content=content, output=out)
    paintings = [images.load_image(s, max_dim=args.size) for s in styles]
    masks = None if args.masks is None else [_load_mask(m) for m in args.masks]
    given = {name: getattr(args, name) for name in RECIPE_FLAGS if hasattr(args, name)}
    for name in ("content_layers", "style_layers"):
        if name in given:
            given[name] = _layers(given[name])
    optimizer = arguments.resolve_recipe(args.recipe, {"optimizer": given.get("optimizer")})["optimizer"]
    saver = _Saver(out, content, args.preserve_colour, args.quiet) if args.save_every else None
    state["saver"] = saver
    t0 = time.perf_counter()
    result = tasks.transfer(
        content, paintings[0] if len(paintings) == 1 else paintings,
        style_blend=args.blend, masks=masks, preserve_colour=args.preserve_colour,
        recipe=args.recipe, **given,
        steps=args.steps or defaults.CLI_MAX_STEPS[optimizer],
        min_progress=(args.min_progress, defaults.CLI_MIN_PROGRESS[1]) if args.min_progress else None,
        max_seconds=args.max_seconds or None, basis=args.basis,
        seed=args.seed, scales=(0.5, 1.0) if args.coarse_to_fine else None,
        progress=not args.quiet, weights=vgg, precision=args.precision,
        callback=saver, every=args.save_every or 10,
    )
    state["best"] = result.image
    state["text"] = _pinned(result, args, styles)
    if result.stop_reason == "interrupted":
        return _interrupted(state)
    try:
        images.save_image_atomic(result.image, out, text=state["text"])
    except OSError as exc:
        print(f"error: could not write {out}: {exc}", file=sys.stderr)
        return EXIT_WRITE
    loss = f"loss {result.loss:.4g}" if result.history["total"] else "no step finished"
    saved = f", {saver.count} pictures on the way" if saver else ""
    print(f"wrote {out} ({result.image.shape[2]}×{result.image.shape[1]} px, {result.steps} steps, "
          f"{loss}, {time.perf_counter() - t0:.1f} s{saved}; ended: {result.why})")
    return EXIT_OK


def _pinned(result, args, styles):
    """The PNG text chunk of :func:`nst_helpers.teaching.pins.pin` for this run (the class gallery reads it)."""
    import json

    from .teaching import pins

    data = pins.pin_settings(result, name=args.name, note=args.note, content=args.content,
                             style=styles[0] if len(styles) == 1 else styles)
    return {pins.KEY: json.dumps(data, ensure_ascii=False)}


class _Saver:
    """The run's callback for ``--save-every``: writes the picture so far to the output, as the
    final one will look (the photo's colours put back, the full size for a coarse stage)."""

    def __init__(self, out, content, preserve_colour, quiet):
        self.out, self.content, self.quiet, self.count, self.last_step = out, content, quiet, 0, None
        self.luminance = preserve_colour == "luminance"

    def __call__(self, step, image, terms):
        from tqdm.auto import tqdm

        from . import images
        from .method import colour

        if self.luminance:  # the run optimises a grey picture; the output has the photo's colours
            image = colour.with_luminance(self.content, image)
        elif tuple(image.shape[1:3]) != tuple(self.content.shape[1:3]):
            image = images.resize(image, *self.content.shape[1:3])
        try:
            images.save_image_atomic(image, self.out)
        except OSError as exc:  # the run goes on; the final write will try again
            tqdm.write(f"warning: could not save {self.out} at step {step}: {exc}", file=sys.stderr)
            return False
        self.count, self.last_step = self.count + 1, step
        if not self.quiet:
            loss = f" (loss {terms['total']:.4g})" if "total" in terms else ""
            tqdm.write(f"step {step}: saved {self.out}{loss}", file=sys.stdout)
            sys.stdout.flush()  # a pipe (tee, a log) gets the line when the picture exists
        return False
