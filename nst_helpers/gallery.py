"""``python -m nst_helpers.gallery``: render each notebook's key figures at full quality.

Writes PNGs into ``images/results/``, and beside them ``gallery.json``: per figure, how it was made
(size, steps, weights), its wall time, and where and when (date, commit, CPU, TensorFlow, and the
share of the machine's CPU that other processes took meanwhile: a time taken beside other work is
marked as no measurement). ``README.md`` is written from that file, never read back. Uses only the
bundled images, so everything it writes may be committed.
``--fast`` renders tiny versions (for checking the script itself).
"""

import argparse
import datetime
import json
import os
import time
from pathlib import Path

from . import cpu, experiments, features, images, info, losses, optimize, plotting
from .errors import ArgumentError
from .language import N_
from .weights import resolve_weights

OUT = images.bundled_dir() / "results"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nst_helpers.gallery", description=__doc__)
    parser.add_argument("--fast", action="store_true", help="tiny sizes and steps")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="figure names to render (default: all)")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")  # a script writing files: no window (never done on import)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    small = 64 if args.fast else None
    steps = 5 if args.fast else None
    # The method as the notebooks explain it: float32 and the tutorial's start from the photo
    # (the package's faster defaults, bf16 and a colour-matched start, change the look a little).
    method = dict(precision="float32")
    weights = resolve_weights()
    rows = []
    stamp = {"date": datetime.date.today().isoformat(), "commit": info.commit(), "cpu": cpu.model(),
             "cores": _cores(), "tensorflow": _tf_version(), "weights": weights.source.split(" at ")[0]}

    def figure(name, description, fn):
        if args.only and name not in args.only:
            return
        before = _cpu_use()
        t0 = time.perf_counter()
        detail = fn(out / f"{name}.png")
        seconds = time.perf_counter() - t0
        others = _others_share(before, _cpu_use())
        rows.append((name, {"what": description, "how": detail, "seconds": round(seconds, 1),
                            "others_cpu_share": others, **stamp}))
        print(f"{name}: {detail}, {seconds:.0f} s" + ("" if others is None else f" (others used {others:.0%} of the CPU)"))

    photo = images.load_image("chelsea")
    bridge = images.load_image("cincinnati_bridge")
    painting = images.load_image("starry_night")

    def feature_maps(path):
        img = images.fit(photo, small or 224)
        ex = features.FeatureExtractor(features.STYLE_LAYERS)
        plotting.show_feature_maps(ex(img), channels=6, path=path)
        return f"`chelsea` at {img.shape[2]}×{img.shape[1]} px, six most active channels per block"

    def reconstruction(path, series, image, name, what, network="", **kwargs):
        size, n = small or 224, steps or 200
        pairs = series(image, size=size, steps=n, progress=True, **method, **kwargs)
        title = f"{what.capitalize()} reconstruction from white noise{network} ({size} px, {n} L-BFGS steps)"
        # two rows of three, like the notebooks' live cells: legible on a projector
        experiments.show([(name, images.fit(image, size))] + pairs, ncols=3, title=title, path=path, width=4.0)
        return size, n

    def content_rec(path):
        size, n = reconstruction(path, experiments.content_series, photo, "original", "content")
        return f"`chelsea`, {size} px, {n} L-BFGS steps per layer, seed 0"

    def style_rec(path):
        size, n = reconstruction(path, experiments.style_series, painting, "painting", "style",
                                 ", rescaled VGG19, equal weights", rescaled=True)
        return (f"`starry_night`, {size} px, {n} L-BFGS steps per set of layers, seed 0, rescaled network "
                "(`rescaled=True`), equal layer weights")

    def style_rec_raw(path):
        size, n = reconstruction(path, experiments.style_series, painting, "painting", "style",
                                 ", raw VGG19, equal weights")
        return (f"`starry_night`, {size} px, {n} L-BFGS steps per set of layers, seed 0, raw network, "
                "equal layer weights (the layers' shares of the loss are far from equal: notebook 3 prints them)")

    def transfer(path):
        size, n = small or 384, steps or 150
        result = optimize.transfer(bridge, painting, size=size, steps=n, progress=True, init="content", **method)
        plotting.show_images([images.fit(bridge, size), images.fit(painting, size), result.image],
                             ["content", "style", f"result: {n} L-BFGS steps"],
                             width=5, path=path)
        plotting.plot_losses(result, path=path.with_name("04_losses.png"),
                             title="Loss per term (weighted), L-BFGS", seconds=False)
        return (f"`cincinnati_bridge` + `starry_night`, {size} px, {n} L-BFGS steps, default weights, "
                "float32, init from the photo")

    hubble = images.load_image("hubble")

    def side_by_side(experiment, images_in, who, title, width, *, ncols=None, timed=True, **extra):
        """A figure of one experiment's labelled results; returns how it was made. ``timed=False``
        leaves the seconds out of the panel titles (a gallery run's seconds are float32 and often
        taken on a busy machine: beside a notebook's measured times they contradict them)."""
        def render(path):
            size, n = small or 256, steps or 100
            pairs = experiment(*images_in, size=size, steps=n, progress=True, **extra, **method)
            if not timed:
                pairs = [(f"{label}\n{r.steps} steps", r.image) for label, r in pairs]
            experiments.show(pairs, title=title, path=path, width=width, ncols=ncols)
            start = ", float32, from the photo (`init=\"content\"`)" if extra.get("init") == "content" else ""
            return f"{who}, {size} px, {n} L-BFGS steps each{start}"
        return render

    layers = side_by_side(experiments.content_layer_comparison, (photo, painting),
                          "`chelsea` + `starry_night`, α ÷ each layer's target mean square (`equal_scale=True`)",
                          "Content layer, α scaled to each layer's activations: block5_conv2, block4_conv2, block2_conv1",
                          4.5, init="content", layers=("block5_conv2", "block4_conv2", "block2_conv1"), equal_scale=True)
    def depth(path):
        size, n = small or 256, steps or 100
        kw = dict(size=size, steps=n, progress=True, init="content", **method)
        pairs = (experiments.style_depth_comparison(photo, painting, equal_start=False, **kw)
                 + experiments.style_depth_comparison(photo, painting, style_weight=0.1, **kw))
        experiments.show(pairs, title="Style layers 1–5, 1–4, 1–3: the tutorial's raw weights (top), "
                         "the same starting style loss for every depth, β = 0.1 (bottom)", path=path, width=4.0,
                         ncols=3)
        return (f"`chelsea` + `starry_night`, {size} px, {n} L-BFGS steps each, from the photo; bottom row "
                "β = 0.1 (10× the tutorial's), as notebook 5's fair comparison")

    def shares(path):
        plotting.layer_shares(experiments.style_layer_shares(images.fit(photo, small or 256),
                                                             images.fit(painting, small or 256),
                                                             rescaled_network=True), path=path)
        return (f"`chelsea` + `starry_night` at {small or 256} px, at the photo: tutorial weights, balanced, "
                "and the tutorial weights on the rescaled network")

    def tv(path):
        size, n = small or 256, steps or 100
        pairs = experiments.tv_comparison(bridge, painting, size=size, steps=n, progress=True, init="content",
                                          basis="pixels", **method)
        plotting.detail([("painting", images.fit(painting, size))] + pairs, width=4.0, numbers=True, path=path)
        return (f"`cincinnati_bridge` + `starry_night`, {size} px, {n} L-BFGS steps each on the pixels; "
                "the painting at the same size, then centre crops and their neighbour differences; titles: "
                "mean neighbour difference (all, brightness, colour)")

    ratios = side_by_side(experiments.ratio_grid, (bridge, painting), "`cincinnati_bridge` + `starry_night`",
                          "Content/style weight ratio α/β", 4.0)
    colours = side_by_side(experiments.colour_comparison, (bridge, painting), "`cincinnati_bridge` + `starry_night`",
                           "Keeping the photo's colours (Gatys et al. 2016)", 4.5, timed=False, init="content")
    blends = side_by_side(experiments.blend_strip, (bridge, painting, hubble),
                          "`cincinnati_bridge` + `starry_night` / `hubble`",
                          "Blend weight: The Starry Night / Hubble Deep Field", 4.5, ncols=3, timed=False,
                          init="content")
    recipes = side_by_side(experiments.recipe_comparison, (bridge, painting),
                           "`cincinnati_bridge` + `starry_night`, from the tutorial's loss to Gatys et al. 2016's "
                           "recipe one change at a time (L-BFGS on the pixels; from the photo, the last from "
                           "white noise)",
                           "From the TensorFlow tutorial's loss to Gatys et al. 2016's recipe, one change at a time",
                           4.5, ncols=2, timed=False)

    def regions(path):
        size, n = small or 256, steps or 100
        content = images.fit(bridge, size)
        pictures, labels = [content], ["photo"]
        for softness, edge in ((0.04, N_("soft edge")), (0.0, N_("hard edge"))):
            above = experiments.sky_mask(content, softness=softness)
            result = optimize.transfer(content, [painting, hubble], masks=[above, 1 - above], size=size,
                                       steps=n, progress=True, init="content", **method)
            pictures += [above[..., None].repeat(3, -1), result.image]
            labels += [f"mask, {edge}: Starry Night above", f"{edge}: Starry Night above, Hubble below"]
        edge_at = float((above[:, 0] > 0.5).mean())
        plotting.show_images(pictures[:1] + pictures[1:3] + [pictures[0]] + pictures[3:],
                             labels[:1] + labels[1:3] + ["photo"] + labels[3:], ncols=3, width=4.5, path=path)
        return (f"`cincinnati_bridge`, `starry_night` and `hubble` with a mask built from the photo (edge "
                f"{edge_at:.0%} of the way down; soft and hard), {size} px, {n} L-BFGS steps each, float32, "
                "from the photo (`init=\"content\"`)")

    def field(path):
        plotting.field_map(path=path)
        return "diagram (matplotlib); no computation"

    figure("01_feature_maps", "VGG19 feature maps, block 1 to 5", feature_maps)
    figure("02_content_reconstruction", "content reconstruction, conv1_2 … conv5_2", content_rec)
    figure("03_style_reconstruction", "style reconstruction, conv1_1 … conv5_1, rescaled network", style_rec)
    figure("03_style_reconstruction_raw", "style reconstruction, conv1_1 … conv5_1, raw network", style_rec_raw)
    figure("04_style_transfer", "style transfer (and `04_losses.png`)", transfer)
    figure("05_content_layers", "content layer experiment", layers)
    figure("04_tv_weight", "total variation γ = 0, 30 (the tutorial's), 3000: zoomed crops and high-pass images", tv)
    figure("05_style_depth", "number of style layers: the tutorial's raw weights, and an equal starting style loss", depth)
    figure("05_layer_shares", "each style layer's share of the loss and its gradient", shares)
    figure("05_ratio_grid", "α/β ratio grid", ratios)
    figure("06_preserve_colour", "keeping the photo's colours: none, luminance only, colours matched first (mean and covariance)", colours)
    figure("06_blend_strip", "two paintings blended, five weights", blends)
    figure("06_masks", "two paintings in two regions (guided Gram matrices)", regions)
    figure("06_recipes", "from the tutorial's loss to the 2016 paper's recipe, one change at a time", recipes)
    figure("06_field_map", "where style transfer went next", field)

    def pipeline(path):
        plotting.pipeline_diagram(path=path)
        return "diagram (matplotlib); no computation"

    def gram_heatmap(path):
        # The same figure as notebook 3's cell "The painting's Gram matrices", at full quality.
        img = images.fit(painting, small or 224)
        act = features.FeatureExtractor(["block1_conv1"])(img)["block1_conv1"]
        plotting.show_gram(losses.gram_matrix(act), title="block1_conv1 of The Starry Night", path=path)
        return f"`starry_night` at {img.shape[2]}×{img.shape[1]} px, block1_conv1 (64 × 64)"

    def gram_stats(path):
        # Notebook 3's Gram statistics chart (section 3.2): the painting charted, all three in the table.
        side = small or 224
        plotting.gram_statistics(experiments.gram_statistics(
            {"starry_night": images.fit(painting, side), "chelsea": images.fit(photo, side),
             "cincinnati_bridge": images.fit(bridge, side)}), path=path)
        return f"`starry_night` (charted), `chelsea`, `cincinnati_bridge` at {side} px; raw VGG19"

    figure("01_pipeline", "the method in one diagram: image → VGG19 → features → losses → gradient → image", pipeline)
    figure("03_gram_heatmap", "Gram matrix of The Starry Night's block1_conv1 as a heat map", gram_heatmap)
    figure("03_gram_statistics", "each style layer's mean activation and mean(G²): the 4th-power effect (notebook 3, section 3.2)", gram_stats)

    # Notebook 4's Adam run (section 4.3), made once and drawn three ways.
    adam = {}

    def adam_run():
        if not adam:
            size, n = small or 256, steps or 300
            adam["size"], adam["steps"] = size, n
            adam["frames"], adam["result"] = experiments.adam_run(bridge, painting, steps=n, size=size,
                                                                  progress=True, **method)
        return adam

    def adam_how():
        return (f"`cincinnati_bridge` + `starry_night`, {adam['size']} px, {adam['steps']} Adam steps "
                "(the TensorFlow tutorial's: lr 0.02, β₁ 0.99, ε 0.1) on the pixels from the photo")

    def strip(path):
        plotting.film_strip(adam_run()["frames"], ncols=3, width=4.0, path=path)
        return adam_how() + "; the photo (step 0) and five frames"

    def adam_losses(path):
        plotting.plot_losses(adam_run()["result"], path=path, title="Loss per term (weighted), Adam", seconds=False)
        return adam_how() + "; the film strip's run"

    def adam_vs_lbfgs(path):
        run = adam_run()
        pairs = experiments.adam_vs_lbfgs(bridge, painting, run["result"], size=run["size"], progress=True,
                                          **method)
        plotting.optimizer_race(pairs, path=path)
        return (adam_how() + "; then L-BFGS on the pixels from the photo with as many steps "
                f"({pairs[0][1].evaluations} and {pairs[1][1].evaluations} loss evaluations)")

    def speckle(path):
        size, n = small or 256, steps or 100
        pairs = experiments.speckle_test(bridge, painting, size=size, steps=n, progress=True, init="content",
                                         basis="pixels", **method)
        photo_px, painting_px = images.fit(bridge, size), images.fit(painting, size)
        shown = [("photo", photo_px), (N_("painting"), painting_px)] + [(k, r.image) for k, r in pairs]
        plotting.detail(shown, width=4.0, numbers=True, path=path)

        def parts(image):
            r = experiments.roughness_parts(image)
            return f"{r['all']:.3f} (brightness {r['brightness']:.3f}, colour {r['colour']:.3f})"

        rough = "; ".join(f"{label} {parts(image)}" for label, image in shown)
        return (f"`cincinnati_bridge` + `starry_night`, {size} px, {n} L-BFGS steps each on the pixels, γ = 0; "
                f"the photo and the painting at the same size, then centre crops and their neighbour differences; "
                f"mean neighbour difference: {rough}")

    figure("04_speckle", "where the speckle comes from: γ = 0 with only conv4_1, only conv1_1 + conv2_1, "
           "and only conv1_1 + conv2_1 at conv4_1's starting style loss", speckle)
    figure("04_film_strip", "the Adam loop's film strip (notebook 4, section 4.3)", strip)
    figure("04_adam_losses", "Adam's loss per term (the film strip's run)", adam_losses)
    figure("04_adam_vs_lbfgs", "Adam vs L-BFGS from the photo, the same number of loss evaluations: "
           "pictures and total loss per step", adam_vs_lbfgs)

    def one_layer(path):
        # Notebook 2's single run (section 2.2) at full quality, without the other layers'
        # panels, which would give away Exercise 4.
        size, n = small or 224, steps or 200
        result = optimize.reconstruct_content(photo, "block4_conv2", size=size, steps=n, progress=True, **method)
        plotting.show_images([images.fit(photo, size), result.image],
                             [N_("photograph"), f"from block4_conv2 ({n} L-BFGS steps)"], width=4.5, path=path)
        return f"`chelsea`, {size} px, {n} L-BFGS steps from white noise, seed 0"

    figure("02_one_layer", "content reconstruction from block4_conv2 alone (notebook 2, section 2.2)", one_layer)

    if rows and not args.fast:
        record = _read_record(out)
        record.update(rows)
        (out / RECORD).write_text(json.dumps({"format": RECORD_FORMAT, "figures": dict(sorted(record.items()))},
                                             indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        (out / "README.md").write_text(readme(record), encoding="utf-8")
        print(f"wrote {out / RECORD} and {out / 'README.md'}")
    return 0


RECORD = "gallery.json"
RECORD_FORMAT = "nst-gallery/1"
#: Above this share of the machine's CPU taken by other processes, a figure's wall time is no
#: measurement (a quiet machine shows 0–2 %: the system's own background work).
BUSY_SHARE = 0.05


def _read_record(folder):
    """``{figure: entry}`` from ``folder/gallery.json`` (empty when there is none)."""
    path = Path(folder) / RECORD
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != RECORD_FORMAT:
        raise ArgumentError(f"{path} is not a {RECORD_FORMAT} file: re-render with `python -m nst_helpers.gallery`")
    return data["figures"]


def wall_time(entry):
    """A figure's wall time as the README says it: marked when other processes shared the CPU."""
    text = f"{entry['seconds']:.0f} s"
    share = entry.get("others_cpu_share")
    if share is None:
        return text + " (machine load not recorded: not a measurement)"
    if share > BUSY_SHARE:
        return text + f" (other processes took {share:.0%} of the CPU: not a measurement)"
    return text


def readme(record):
    """The gallery's README, made from its record: one row per figure, with where and when."""
    lines = ["# Gallery", "",
             "Rendered by `make gallery` (`python -m nst_helpers.gallery`) from the bundled images only; "
             f"written from `{RECORD}` (never edit either by hand). All in float32; transfers start from the "
             "photo (`init=\"content\"`), as in the TensorFlow tutorial, unless a row says otherwise.", "",
             "| figure | what | how | wall time | made |", "|---|---|---|---|---|"]
    for name, e in sorted(record.items()):
        made = (f"{e['date']}, {e.get('commit') or 'commit unknown'}, {e['cpu']} ({e['cores']} cores), "
                f"TensorFlow {e['tensorflow']}, {e['weights']}") if e.get("date") else "not recorded"
        lines.append(f"| `{name}.png` | {e['what']} | {e['how']} | {wall_time(e)} | {made} |")
    return "\n".join(lines) + "\n"


def _cpu_use():
    """``(machine busy seconds, machine total seconds, this process's CPU seconds)`` from
    ``/proc/stat`` (all cores summed), or None where there is no such file (not Linux)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    own = os.times()
    return (sum(fields) - idle) / tick, sum(fields) / tick, own.user + own.system + own.children_user + own.children_system


def _others_share(before, after):
    """The share of the machine's CPU capacity that processes other than this one used between
    two :func:`_cpu_use` readings (0 on a quiet machine), or None."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    others = (after[0] - before[0]) - (after[2] - before[2])
    return round(min(max(others / (after[1] - before[1]), 0.0), 1.0), 3)


def gallery_row(name):
    """The gallery's record of figure ``name`` (e.g. ``"02_content_reconstruction"``): a dict with
    ``what``, ``how``, ``seconds``, ``time`` (as the README says it) and where and when it was made.
    Raises ArgumentError naming the figures it has."""
    record = _read_record(OUT)
    if name not in record:
        raise ArgumentError(f"no gallery figure {name!r}; the gallery has: {', '.join(sorted(record)) or 'none'} "
                            f"(render it with `python -m nst_helpers.gallery --only {name}`)")
    return {**record[name], "time": wall_time(record[name])}


def expected(name, *, full=None, demo=None):
    """Show the gallery's full-quality picture of figure ``name`` (e.g. ``"02_content_reconstruction"``),
    how it was made, and how long the cell above takes (``full``, ``demo``: e.g. ``"≈ 4½ min"``),
    so a student on a slow laptop sees what that cell gives at full quality.

    Reads ``images/results/<name>.png`` and its README row; needs no computation. The PNG is shown
    as it is, at its own pixel size: redrawn in a fixed-width figure, the wide ones (five panels)
    shrank until their titles and legends could not be read. Returns the displayed
    ``IPython.display.Image``. The notebooks' calls get their ``full``/``demo`` times from
    ``docs/notebook-times.json`` (written into them by ``ci/section_times.py``: the measured times
    of the code cell before the call).
    """
    from IPython.display import Image, display

    from .language import shown, t

    row = gallery_row(name)
    path = OUT / f"{name}.png"
    if not path.is_file():
        raise ArgumentError(f"{path} is missing: render it with `python -m nst_helpers.gallery --only {name}`")
    picture = Image(filename=str(path))
    display(picture)
    print(t("Expected at full quality (gallery figure images/results/{name}.png): {how}.", name=name, how=row["how"]))
    if full and demo:
        print(t("The cell above: {full} at full quality, {demo} in demo mode (measured: docs/notebook-times.json).",
                full=shown(full), demo=shown(demo)))  # "≈ 2 min" in Korean: as the time cells write it
    return picture


def _cores():
    import os

    return os.cpu_count()


def _tf_version():
    from ._tf import tf

    return tf.__version__


if __name__ == "__main__":
    raise SystemExit(main())
