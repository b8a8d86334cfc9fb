"""``python -m nst_helpers.teaching.gallery``: render each notebook's key figures at full quality, in English
(``images/results/``) and Korean (``images/results/ko/``).

Each figure is computed once and drawn in every language asked for (``--lang en,ko``, the
default; ``--lang ko`` draws the Korean only). The computed arrays (runs, features, statistics)
are kept per figure in the cache folder (``nst_helpers.machine.config.cache_dir()/gallery``), keyed by the
figure's settings (name, size, steps), so a later ``--lang ko`` redraws without any optimisation;
``--recompute`` ignores them. Beside the PNGs, ``gallery.json``: per figure what it shows and how
it was made (in that language), its wall time, and where and when (date, commit, CPU, TensorFlow,
and the share of the machine's CPU that other processes took meanwhile: a time taken beside other
work is marked as no measurement). ``README.md`` is written from the English record, never read
back (:mod:`nst_helpers.teaching.gallery_record`). Uses only the bundled images, so everything it writes may
be committed. ``--fast`` renders tiny versions (for checking the script itself).
"""

import argparse
import datetime
import json
import os
import time
from pathlib import Path

from .. import images, info
from ..language import LANGUAGES, N_, shown, speaking, t
from ..machine import cpu
from ..machine.config import cache_dir
from ..method import features, losses, tasks
from ..method.weights import resolve_weights
from . import control, experiments, plotting
from .gallery_cache import Memo
from .gallery_record import (
    OUT,
    RECORD,
    RECORD_FORMAT,
    _cpu_use,
    _others_share,
    _read_record,
    expected,
    readme,
    show,
)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nst_helpers.teaching.gallery", description=__doc__)
    parser.add_argument("--fast", action="store_true", help="tiny sizes and steps")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="figure names to render (default: all)")
    parser.add_argument("--lang", default=",".join(LANGUAGES),
                        help="languages to draw, comma-separated (default: en,ko); ko goes to OUT/ko/")
    parser.add_argument("--recompute", action="store_true", help="ignore the cached arrays")
    args = parser.parse_args(argv)
    langs = [lang.strip() for lang in args.lang.split(",") if lang.strip()]
    if not langs or set(langs) - set(LANGUAGES):
        parser.error(f"--lang: one or more of {', '.join(LANGUAGES)}")
    import matplotlib

    matplotlib.use("Agg")  # a script writing files: no window (never done on import)
    folders = {lang: args.out if lang == "en" else args.out / lang for lang in langs}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    cache = cache_dir() / "gallery"
    small = 64 if args.fast else None
    steps = 5 if args.fast else None
    # The method as the notebooks explain it: float32 and the tutorial's start from the photo
    # (the package's faster defaults, bf16 and a colour-matched start, change the look a little).
    method = dict(precision="float32")
    weights = resolve_weights()
    rows = {lang: [] for lang in langs}
    stamp = {"date": datetime.date.today().isoformat(), "commit": info.commit(), "cpu": cpu.model(),
             "cores": os.cpu_count(), "tensorflow": _tf_version(), "weights": weights.source.split(" at ")[0]}
    memo = None

    figures = []  # (name, description, fn), each added by entry() beside the figure's own code

    def entry(name, description):
        def add(fn):
            figures.append((name, description, fn))
            return fn
        return add

    def cached(compute):
        return memo(compute)

    def figure(name, description, fn):
        nonlocal memo
        if args.only and name not in args.only:
            return
        memo = Memo(cache, name, [small, steps], recompute=args.recompute)
        before, t0 = _cpu_use(), time.perf_counter()
        for i, lang in enumerate(langs):
            memo.rewind()
            with speaking(lang):
                detail = fn(folders[lang] / f"{name}.png")
                what = t(description)
            if i == 0:  # the computation and the first drawing: the figure's wall time
                seconds, others, first = time.perf_counter() - t0, _others_share(before, _cpu_use()), detail
            rows[lang].append((name, {"what": what, "how": detail, "seconds": round(seconds, 1),
                                      "others_cpu_share": others, **stamp, "computed": memo.computed}))
        memo.save()
        print(f"{name} ({', '.join(langs)}): {first}, {seconds:.0f} s"
              + (" (drawn from the cached arrays)" if memo.values and not memo.computed else ""))

    photo = images.load_image("chelsea")
    bridge = images.load_image("cincinnati_bridge")
    painting = images.load_image("starry_night")
    hubble = images.load_image("hubble")

    @entry("01_feature_maps", N_("VGG19 feature maps, block 1 to 5"))
    def feature_maps(path):
        img = images.fit(photo, small or 224)
        plotting.show_feature_maps(cached(lambda: features.FeatureExtractor(features.STYLE_LAYERS)(img)),
                                   channels=6, path=path)
        return t("`chelsea` at {width}×{height} px, six most active channels per block",
                 width=img.shape[2], height=img.shape[1])

    def untimed(pairs):
        """Panels titled with their steps only: a gallery run's seconds are one machine's at one
        moment (often a busy one), and beside a notebook's measured times they contradict them."""
        return [(f"{label}\n" + t("{steps} steps", steps=r.steps), r.image) for label, r in pairs]

    def reconstruction(path, series, image, name, title, **kwargs):
        size, n = small or 224, steps or 200
        pairs = untimed(cached(lambda: series(image, size=size, steps=n, progress=True, **method, **kwargs)))
        # two rows of three, like the notebooks' live cells: legible on a projector
        experiments.show([(name, images.fit(image, size))] + pairs, ncols=3, title=t(title, size=size, steps=n),
                         path=path, width=4.0)
        return size, n

    @entry("02_content_reconstruction", N_("content reconstruction, conv1_2 … conv5_2"))
    def content_rec(path):
        size, n = reconstruction(path, experiments.content_series, photo, N_("original"),
                                 N_("Content reconstruction from white noise ({size} px, {steps} L-BFGS steps)"))
        return t("`chelsea`, {size} px, {steps} L-BFGS steps per layer, seed 0", size=size, steps=n)

    @entry("03_style_reconstruction", N_("style reconstruction, conv1_1 … conv5_1, rescaled network"))
    def style_rec(path):
        size, n = reconstruction(path, experiments.style_series, painting, N_("painting"),
                                 N_("Style reconstruction from white noise, rescaled VGG19, equal weights "
                                    "({size} px, {steps} L-BFGS steps)"), rescaled=True)
        return t("`starry_night`, {size} px, {steps} L-BFGS steps per set of layers, seed 0, rescaled network "
                 "(`rescaled=True`), equal layer weights", size=size, steps=n)

    @entry("03_style_reconstruction_raw", N_("style reconstruction, conv1_1 … conv5_1, raw network"))
    def style_rec_raw(path):
        size, n = reconstruction(path, experiments.style_series, painting, N_("painting"),
                                 N_("Style reconstruction from white noise, raw VGG19, equal weights "
                                    "({size} px, {steps} L-BFGS steps)"))
        return t("`starry_night`, {size} px, {steps} L-BFGS steps per set of layers, seed 0, raw network, "
                 "equal layer weights (the layers' shares of the loss are far from equal: notebook 3 prints them)",
                 size=size, steps=n)

    @entry("04_style_transfer", N_("style transfer (and `04_losses.png`)"))
    def transfer(path):
        size, n = small or 384, steps or 150
        result = cached(lambda: tasks.transfer(bridge, painting, size=size, steps=n, progress=True,
                                                  init="content", **method))
        plotting.show_images([images.fit(bridge, size), images.fit(painting, size), result.image],
                             [t("content"), t("style"), t("result: {steps} L-BFGS steps", steps=n)],
                             width=5, path=path)
        plotting.plot_losses(result, path=path.with_name("04_losses.png"),
                             title=t("Loss per term (weighted), L-BFGS"), seconds=False)
        return t("`cincinnati_bridge` + `starry_night`, {size} px, {steps} L-BFGS steps, default weights, "
                 "float32, init from the photo", size=size, steps=n)

    def side_by_side(experiment, images_in, who, title, width, *, ncols=None, **extra):
        """A figure of one experiment's labelled results, its panels titled without seconds
        (:func:`untimed`); returns how it was made."""
        def render(path):
            size, n = small or 256, steps or 100
            pairs = cached(lambda: experiment(*images_in, size=size, steps=n, progress=True, **extra, **method))
            pairs = untimed(pairs)
            experiments.show(pairs, title=t(title), path=path, width=width, ncols=ncols)
            how = t(who)
            if extra.get("init") == "content":
                return t("{who}, {size} px, {steps} L-BFGS steps each, float32, from the photo (`init=\"content\"`)",
                         who=how, size=size, steps=n)
            return t("{who}, {size} px, {steps} L-BFGS steps each", who=how, size=size, steps=n)
        return render

    pair = N_("`cincinnati_bridge` + `starry_night`")
    layers = side_by_side(experiments.content_layer_comparison, (photo, painting),
                          N_("`chelsea` + `starry_night`, α ÷ each layer's target mean square (`equal_scale=True`)"),
                          N_("Content layer, α scaled to each layer's activations: block5_conv2, block4_conv2, "
                             "block2_conv1"),
                          4.5, init="content", layers=("block5_conv2", "block4_conv2", "block2_conv1"), equal_scale=True)
    entry("05_content_layers", N_("content layer experiment"))(layers)

    @entry("05_style_depth", N_("number of style layers: the tutorial's raw weights, and an equal starting "
                                "style loss"))
    def depth(path):
        size, n = small or 256, steps or 100
        kw = dict(size=size, steps=n, progress=True, init="content", **method)
        pairs = untimed(cached(lambda: experiments.style_depth_comparison(photo, painting, equal_start=False, **kw)
                               + experiments.style_depth_comparison(photo, painting, style_weight=0.1, **kw)))
        experiments.show(pairs, title=t("Style layers 1–5, 1–4, 1–3: the tutorial's raw weights (top), "
                                         "the same starting style loss for every depth, β = 0.1 (bottom)"),
                         path=path, width=4.0, ncols=3)
        return t("`chelsea` + `starry_night`, {size} px, {steps} L-BFGS steps each, from the photo; bottom row "
                 "β = 0.1 (10× the tutorial's), as notebook 5's fair comparison", size=size, steps=n)

    @entry("05_layer_shares", N_("each style layer's share of the loss and its gradient"))
    def shares(path):
        side = small or 256
        plotting.layer_shares(cached(lambda: experiments.style_layer_shares(
            images.fit(photo, side), images.fit(painting, side), rescaled_network=True)), path=path)
        return t("`chelsea` + `starry_night` at {size} px, at the photo: tutorial weights, balanced, "
                 "and the tutorial weights on the rescaled network", size=side)

    def on_pixels(experiment):
        """``(size, steps, pairs)`` of a bridge + painting experiment on the pixels from the photo
        (the total-variation and speckle figures: the pyramid would hide pixel-scale noise)."""
        size, n = small or 256, steps or 100
        return size, n, cached(lambda: experiment(bridge, painting, size=size, steps=n, progress=True,
                                                  init="content", basis="pixels", **method))

    @entry("04_tv_weight", N_("total variation γ = 0, 30 (the tutorial's), 3000: zoomed crops and high-pass "
                              "images"))
    def tv(path):
        size, n, pairs = on_pixels(experiments.tv_comparison)
        plotting.detail([(N_("painting"), images.fit(painting, size))] + pairs, width=4.0, numbers=True, path=path)
        return t("`cincinnati_bridge` + `starry_night`, {size} px, {steps} L-BFGS steps each on the pixels; "
                 "the painting at the same size, then centre crops and their neighbour differences; titles: "
                 "mean neighbour difference (all, brightness, colour)", size=size, steps=n)

    ratios = side_by_side(experiments.ratio_grid, (bridge, painting), pair, N_("Content/style weight ratio α/β"), 4.0)
    entry("05_ratio_grid", N_("α/β ratio grid"))(ratios)
    colours = side_by_side(control.colour_comparison, (bridge, painting), pair,
                           N_("Keeping the photo's colours (Gatys et al. 2016)"), 4.5, init="content")
    entry("06_preserve_colour", N_("keeping the photo's colours: none, luminance only, colours matched first "
                                   "(mean and covariance)"))(colours)
    blends = side_by_side(control.blend_strip, (bridge, painting, hubble),
                          N_("`cincinnati_bridge` + `starry_night` / `hubble`"),
                          N_("Blend weight: The Starry Night / Hubble Deep Field"), 4.5, ncols=3,
                          init="content")
    entry("06_blend_strip", N_("two paintings blended, five weights"))(blends)
    recipes = side_by_side(control.recipe_comparison, (bridge, painting),
                           N_("`cincinnati_bridge` + `starry_night`, from the tutorial's loss to Gatys et al. 2016's "
                              "recipe one change at a time (L-BFGS on the pixels; from the photo, the last from "
                              "white noise)"),
                           N_("From the TensorFlow tutorial's loss to Gatys et al. 2016's recipe, one change at a time"),
                           4.5, ncols=2)
    entry("06_recipes", N_("from the tutorial's loss to the 2016 paper's recipe, one change at a time"))(recipes)

    @entry("06_masks", N_("two paintings in two regions (guided Gram matrices)"))
    def regions(path):
        size, n = small or 256, steps or 100
        content = images.fit(bridge, size)
        pictures, labels = [content], [t("photo")]
        for softness, edge in ((0.04, N_("soft edge")), (0.0, N_("hard edge"))):
            above = control.sky_mask(content, softness=softness)
            result = cached(lambda above=above: tasks.transfer(content, [painting, hubble], masks=[above, 1 - above],
                                                      size=size, steps=n, progress=True, init="content", **method))
            pictures += [above[..., None].repeat(3, -1), result.image]
            labels += [t("mask, {edge}: Starry Night above", edge=t(edge)),
                       t("{edge}: Starry Night above, Hubble below", edge=t(edge))]
        edge_at = float((above[:, 0] > 0.5).mean())
        plotting.show_images(pictures[:1] + pictures[1:3] + [pictures[0]] + pictures[3:],
                             labels[:1] + labels[1:3] + [t("photo")] + labels[3:], ncols=3, width=4.5, path=path)
        return t("`cincinnati_bridge`, `starry_night` and `hubble` with a mask built from the photo (edge "
                 "{edge} of the way down; soft and hard), {size} px, {steps} L-BFGS steps each, float32, "
                 "from the photo (`init=\"content\"`)", edge=f"{edge_at:.0%}", size=size, steps=n)

    def diagram(draw):
        def render(path):
            draw(path=path)
            return t("diagram (matplotlib); no computation")
        return render

    @entry("03_gram_heatmap", N_("Gram matrix of The Starry Night's block1_conv1 as a heat map"))
    def gram_heatmap(path):
        # The same figure as notebook 3's cell "The painting's Gram matrices", at full quality.
        img = images.fit(painting, small or 224)
        gram = cached(lambda: losses.gram_matrix(features.FeatureExtractor(["block1_conv1"])(img)["block1_conv1"]))
        plotting.show_gram(gram, title=t("block1_conv1 of The Starry Night"), path=path)
        return t("`starry_night` at {width}×{height} px, block1_conv1 (64 × 64)", width=img.shape[2], height=img.shape[1])

    @entry("03_gram_statistics", N_("each style layer's mean activation and mean(G²): the 4th-power effect "
                                    "(notebook 3, section 3.2)"))
    def gram_stats(path):
        # Notebook 3's Gram statistics chart (section 3.2): the painting charted, all three in the table.
        side = small or 224
        plotting.gram_statistics(cached(lambda: experiments.gram_statistics(
            {"starry_night": images.fit(painting, side), "chelsea": images.fit(photo, side),
             "cincinnati_bridge": images.fit(bridge, side)})), path=path)
        return t("`starry_night` (charted), `chelsea`, `cincinnati_bridge` at {size} px; raw VGG19", size=side)

    # Notebook 4's Adam run (section 4.3), made once and drawn three ways.
    adam = {}

    def adam_run():
        if not adam:
            size, n = small or 256, steps or 300
            adam["size"], adam["steps"] = size, n
            adam["frames"], adam["result"] = experiments.adam_run(bridge, painting, steps=n, size=size,
                                                                  progress=True, **method)
        return adam

    def adam_how(run):
        return t("`cincinnati_bridge` + `starry_night`, {size} px, {steps} Adam steps (the TensorFlow tutorial's: "
                 "lr 0.02, β₁ 0.99, ε 0.1) on the pixels from the photo", size=run["size"], steps=run["steps"])

    @entry("04_film_strip", N_("the Adam loop's film strip (notebook 4, section 4.3)"))
    def strip(path):
        run = cached(adam_run)
        plotting.film_strip(run["frames"], ncols=3, width=4.0, path=path)
        return adam_how(run) + t("; the photo (step 0) and five frames")

    @entry("04_adam_losses", N_("Adam's loss per term (the film strip's run)"))
    def adam_losses(path):
        run = cached(adam_run)
        plotting.plot_losses(run["result"], path=path, title=t("Loss per term (weighted), Adam"), seconds=False)
        return adam_how(run) + t("; the film strip's run")

    @entry("04_adam_vs_lbfgs", N_("Adam vs L-BFGS from the photo, the same number of loss evaluations: "
                                  "pictures and total loss per step"))
    def adam_vs_lbfgs(path):
        run = cached(adam_run)
        pairs = cached(lambda: experiments.adam_vs_lbfgs(bridge, painting, run["result"], size=run["size"],
                                                         progress=True, **method))
        plotting.optimizer_race(pairs, path=path)
        return adam_how(run) + t("; then L-BFGS on the pixels from the photo with as many steps ({first} and "
                                 "{second} loss evaluations)", first=pairs[0][1].evaluations,
                                 second=pairs[1][1].evaluations)

    @entry("04_speckle", N_("where the speckle comes from: γ = 0 with only conv4_1, only conv1_1 + conv2_1, "
                            "and only conv1_1 + conv2_1 at conv4_1's starting style loss"))
    def speckle(path):
        size, n, pairs = on_pixels(experiments.speckle_test)
        panels = [(N_("photo"), images.fit(bridge, size)), (N_("painting"), images.fit(painting, size))] + [
            (k, r.image) for k, r in pairs]
        plotting.detail(panels, width=4.0, numbers=True, path=path)

        def parts(image):
            r = experiments.roughness_parts(image)
            return t("{all} (brightness {brightness}, colour {colour})",
                     **{k: f"{r[k]:.3f}" for k in ("all", "brightness", "colour")})

        rough = "; ".join(f"{shown(label)} {parts(image)}" for label, image in panels)
        return t("`cincinnati_bridge` + `starry_night`, {size} px, {steps} L-BFGS steps each on the pixels, γ = 0; "
                 "the photo and the painting at the same size, then centre crops and their neighbour differences; "
                 "mean neighbour difference: {rough}", size=size, steps=n, rough=rough)

    @entry("02_one_layer", N_("content reconstruction from block4_conv2 alone (notebook 2, section 2.2)"))
    def one_layer(path):
        # Notebook 2's single run (section 2.2) at full quality, without the other layers'
        # panels, which would give away Exercise 4.
        size, n = small or 224, steps or 200
        result = cached(lambda: tasks.reconstruct_content(photo, "block4_conv2", size=size, steps=n,
                                                             progress=True, **method))
        plotting.show_images([images.fit(photo, size), result.image],
                             [t("photograph"), t("from {layer} ({steps} L-BFGS steps)", layer="block4_conv2", steps=n)],
                             width=4.5, path=path)
        return t("`chelsea`, {size} px, {steps} L-BFGS steps from white noise, seed 0", size=size, steps=n)

    entry("01_pipeline", N_("the method in one diagram: image → VGG19 → features → losses → gradient → image"))(diagram(plotting.pipeline_diagram))
    entry("06_field_map", N_("where style transfer went next"))(diagram(plotting.field_map))
    for name, what, fn in figures:
        figure(name, what, fn)

    if not args.fast:
        for lang, done in rows.items():
            if done:
                _write_record(folders[lang], done, english=lang == "en")
    return 0


def _write_record(folder, rows, *, english):
    """Merge ``rows`` into ``folder/gallery.json``; the English one also rewrites the README. A
    figure drawn from cached arrays keeps the wall time its record had (it measured nothing now)."""
    record = _read_record(folder)
    for name, entry in rows:
        if not entry.pop("computed") and name in record:
            entry = {**entry, **{k: record[name][k] for k in ("seconds", "others_cpu_share") if k in record[name]}}
        record[name] = entry
    (folder / RECORD).write_text(json.dumps({"format": RECORD_FORMAT, "figures": dict(sorted(record.items()))},
                                            indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if english:
        (folder / "README.md").write_text(readme(record), encoding="utf-8")
    print(f"wrote {folder / RECORD}" + (f" and {folder / 'README.md'}" if english else ""))


def _tf_version():
    from ..machine._tf import tf

    return tf.__version__


__all__ = ["expected", "main", "show"]  # gallery.expected: the call after each slow cell; gallery.show: a figure as it is


if __name__ == "__main__":
    raise SystemExit(main())
