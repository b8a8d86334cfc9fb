"""The measurements the notebooks' explanations rest on, against NumPy references."""

import numpy as np
import pytest

from nst_helpers import experiments, features

LAYERS = features.STYLE_LAYERS


def np_style_loss(image, style, n):
    """The tutorial's style loss (unweighted layers) of ``image`` for ``style``'s first n layers, in NumPy."""
    layers = LAYERS[:n]
    extract = features.extractor(tuple(layers))
    a, b = extract(image), extract(style)

    def gram(x):
        f = np.asarray(x, np.float64)[0].reshape(-1, x.shape[-1])
        return f.T @ f / len(f)

    return np.mean([np.mean((gram(a[k]) - gram(b[k])) ** 2) for k in layers])


def test_equal_start_gives_every_depth_the_same_starting_style_loss(content64, style64):
    runs = experiments.style_depth_comparison(content64, style64, depths=(5, 3), steps=1,
                                              init="content", progress=False, precision="float32")
    starts = [r.settings["style_weight"] * np_style_loss(content64, style64, n) for n, (_, r) in zip((5, 3), runs)]
    assert starts[0] == pytest.approx(starts[1], rel=1e-3)
    # The optimiser's own first recorded style term agrees (the start image is the photo).
    assert runs[1][1].history["style"][0] == pytest.approx(starts[1], rel=1e-3)
    # Without it, dropping conv4_1 and conv5_1 cuts the starting style loss by orders of magnitude.
    raw = experiments.style_depth_comparison(content64, style64, depths=(5, 3), steps=1, init="content",
                                             progress=False, equal_start=False)
    assert [r.settings["style_weight"] for _, r in raw] == [1e-2, 1e-2]
    assert raw[0][1].history["style"][0] > 30 * raw[1][1].history["style"][0]


@pytest.mark.parametrize("extra", [dict(recipe="gatys2016"), dict(preserve_colour="luminance")],
                         ids=["gatys2016", "luminance"])
def test_equal_start_holds_for_every_argument_transfer_takes(content64, style64, extra):
    # The runs' own first recorded style terms: equal whatever recipe or colour mode resolves to.
    runs = experiments.style_depth_comparison(content64, style64, depths=(5, 3), steps=1, size=48,
                                              progress=False, precision="float32", **extra)
    first = [r.history["style"][0] for _, r in runs]
    assert first[0] == pytest.approx(first[1], rel=1e-3)


def test_gram_statistics_match_numpy_and_follow_the_fourth_power(content64, style64):
    stats = experiments.gram_statistics({"photo": content64, "painting": style64})
    acts = features.extractor(tuple(LAYERS))(content64)
    for k in LAYERS:
        f = np.asarray(acts[k], np.float64)[0].reshape(-1, acts[k].shape[-1])
        g = f.T @ f / len(f)
        assert stats["photo"][k]["mean"] == pytest.approx(f.mean(), rel=1e-4)
        assert stats["photo"][k]["positive"] == pytest.approx((f > 0).mean())
        assert stats["photo"][k]["gram_ms"] == pytest.approx(np.mean(g ** 2), rel=1e-3)
    for table in stats.values():
        # Across layers mean(G²) spans ~5 orders of magnitude; divided by mean⁴ it spans < 2.
        ms = np.array([table[k]["gram_ms"] for k in LAYERS])
        ratio = ms / np.array([table[k]["mean"] ** 4 for k in LAYERS])
        assert ms.max() / ms.min() > 1e4
        assert ratio.max() / ratio.min() < 100


def test_high_pass_is_the_neighbour_difference_and_zero_on_a_flat_picture(rng):
    from nst_helpers import plotting

    x = rng.random((1, 5, 7, 3)).astype(np.float32)
    dx, dy = plotting.high_pass(x)
    assert dx.shape == (5, 6, 3) and dy.shape == (4, 7, 3)
    assert dx[2, 3, 1] == pytest.approx(x[0, 2, 4, 1] - x[0, 2, 3, 1])
    assert dy[2, 3, 1] == pytest.approx(x[0, 3, 3, 1] - x[0, 2, 3, 1])
    # Summed absolute differences are the total variation TensorFlow computes.
    import tensorflow as tf
    assert np.abs(dx).sum() + np.abs(dy).sum() == pytest.approx(float(tf.image.total_variation(tf.constant(x[0]))), rel=1e-5)
    flat = np.full((1, 4, 4, 3), 0.3, np.float32)
    assert not np.any(plotting.high_pass(flat)[0]) and not np.any(plotting.high_pass(flat)[1])


def test_ratio_grid_runs_from_painting_to_photo_and_marks_the_tutorials_ratio(monkeypatch):
    from nst_helpers import tasks

    monkeypatch.setattr(tasks, "transfer", lambda content, style, **kw: kw)
    grid = experiments.ratio_grid(None, None)
    ratios = [kw["content_weight"] / kw["style_weight"] for _, kw in grid]
    assert ratios == pytest.approx([1e4, 1e6, 1e7, 1e8])
    assert [label.endswith("(the tutorial's)") for label, _ in grid] == [False, True, False, False]
    assert all(kw["init"] == "content" for _, kw in grid)


def test_projector_figures_wrap_into_rows_and_keep_the_legend_off_the_bars(rng):
    import matplotlib
    matplotlib.use("Agg")
    from nst_helpers import plotting

    frames = [(s, rng.random((1, 8, 10, 3)).astype(np.float32)) for s in (0, 2, 14, 26, 38, 60)]
    fig = plotting.film_strip(frames, ncols=3)
    rows = {round(ax.get_position().y0, 3) for ax in fig.axes if ax.get_images()}
    assert len(rows) == 2
    layers = [f"block{i}_conv1" for i in range(1, 6)]
    shares = {"tutorial weights": {k: (v, v) for k, v in zip(layers, (1e-5, 2e-3, 3e-3, 1.0, 3e-4))},
              "balanced": {k: (v, v) for k, v in zip(layers, (0.23, 0.11, 0.14, 0.15, 0.37))}}
    fig = plotting.layer_shares(shares)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not any(ax.get_legend() for ax in fig.axes) and len(fig.legends) == 1
    legend = fig.legends[0].get_window_extent(renderer)
    assert not any(legend.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)


def test_expected_reads_the_gallery_row_and_shows_its_picture(tmp_path, monkeypatch, capsys):
    """The expected-output figure quotes the README row of exactly the figure asked for."""
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    import json

    import numpy as np
    from matplotlib import image as mpimg

    from nst_helpers import gallery_record as gallery
    from nst_helpers.errors import ArgumentError

    stamp = {"date": "2026-01-02", "commit": "abc1234", "cpu": "Test CPU", "cores": 2, "tensorflow": "9.9",
             "weights": "test weights"}
    (tmp_path / "gallery.json").write_text(json.dumps({"format": "nst-gallery/1", "figures": {
        "aa": {"what": "first", "how": "made one way", "seconds": 12.4, "others_cpu_share": 0.01, **stamp},
        "bb": {"what": "second", "how": "made another way", "seconds": 345, "others_cpu_share": 0.4, **stamp}}}))
    mpimg.imsave(tmp_path / "bb.png", np.zeros((20, 40, 3)))
    monkeypatch.setattr(gallery, "OUT", tmp_path)
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    assert gallery.gallery_row("aa")["time"] == "12 s"  # 1 % of the CPU to others: a quiet machine
    assert gallery.gallery_row("bb")["time"] == "345 s (other processes took 40% of the CPU: not a measurement)"
    picture = gallery.expected("bb", full="≈ 4½ min", demo="≈ 30 s")
    out = capsys.readouterr().out
    assert "(gallery figure images/results/bb.png): made another way." in out
    assert "The cell above: ≈ 4½ min at full quality, ≈ 30 s in demo mode" in out
    # exactly that file's bytes, shown once and not resized (no width or height set)
    assert shown == [picture] and picture.data == (tmp_path / "bb.png").read_bytes()
    assert picture.width is None and picture.height is None
    with pytest.raises(ArgumentError, match="aa, bb"):
        gallery.expected("cc")
    with pytest.raises(ArgumentError, match="aa.png is missing"):
        gallery.expected("aa")


def test_expected_shows_the_korean_rendering_or_says_in_korean_that_it_is_missing(tmp_path, monkeypatch, capsys):
    """Under NST_LANG=ko: the Korean PNG and its Korean "how" where images/results/ko has them; else
    the English PNG and one Korean sentence naming the command that renders the Korean one."""
    import json

    import IPython.display
    import numpy as np
    from matplotlib import image as mpimg

    from nst_helpers import gallery_record

    entry = {"what": "w", "how": "made one way", "seconds": 3, "others_cpu_share": 0.0, "date": None}
    for folder, figures in ((tmp_path, {"aa": entry, "bb": entry}), (tmp_path / "ko", {"aa": {**entry, "how": "한국어 설명"}})):
        folder.mkdir(exist_ok=True)
        (folder / "gallery.json").write_text(json.dumps({"format": "nst-gallery/1", "figures": figures}))
    for path, value in ((tmp_path / "aa.png", 0.0), (tmp_path / "ko" / "aa.png", 1.0), (tmp_path / "bb.png", 0.5)):
        mpimg.imsave(path, np.full((4, 4, 3), value))
    monkeypatch.setattr(gallery_record, "OUT", tmp_path)
    monkeypatch.setattr(IPython.display, "display", lambda _: None)
    monkeypatch.setenv("NST_LANG", "ko")
    picture = gallery_record.expected("aa", full="≈ 4½ min", demo="≈ 30 s")
    out = capsys.readouterr().out
    assert picture.data == (tmp_path / "ko" / "aa.png").read_bytes()
    assert "(갤러리 그림 images/results/ko/aa.png): 한국어 설명." in out and "약 4½분" in out and "약 30초" in out
    picture = gallery_record.expected("bb")
    out = capsys.readouterr().out
    assert picture.data == (tmp_path / "bb.png").read_bytes()
    assert "images/results/bb.png): made one way." in out
    assert "아직 렌더링하지 않아" in out and "python -m nst_helpers.teaching.gallery --lang ko --only bb" in out


def test_roughness_is_the_mean_neighbour_difference_per_value():
    """Notebook 4's speckle number against NumPy: (Σ|vertical| + Σ|horizontal| differences) / values."""
    import tensorflow as tf

    x = np.random.default_rng(3).uniform(size=(1, 6, 9, 3)).astype(np.float32)
    want = (np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()) / x.size
    assert experiments.roughness(tf.constant(x)) == pytest.approx(want, rel=1e-5)
    assert experiments.roughness(tf.ones((1, 4, 4, 3))) == 0.0


def np_roughness(x):
    x = np.asarray(x, np.float64)
    return (np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()) / x.size


def test_roughness_parts_separate_brightness_from_colour():
    """Hand-made pictures whose answer is known without the code: a grey ramp has no colour part;
    a red/cyan checkerboard of (almost) equal luminance is all colour; and a NumPy array works
    like a tensor (notebook 4 passes both)."""
    ramp = np.repeat(np.linspace(0, 1, 8, dtype=np.float32)[None, None, :, None], 3, -1).repeat(5, 1)
    parts = experiments.roughness_parts(ramp)
    assert parts["colour"] == pytest.approx(0.0, abs=1e-6)
    # each row steps by 1/7 seven times over 8 columns; the rows are equal: (7 · 1/7) · 5 rows · 3 / (5 · 8 · 3)
    assert parts["all"] == pytest.approx(1 / 8, rel=1e-5) == parts["brightness"]
    # red (1, 0, 0) has Y = 0.299; cyan-ish (0, a, a) has the same Y when a = 0.299 / (0.587 + 0.114)
    a = 0.299 / (0.587 + 0.114)
    board = np.zeros((1, 4, 4, 3), np.float32)
    board[0, ::2, ::2] = board[0, 1::2, 1::2] = (1, 0, 0)
    board[0, 1::2, ::2] = board[0, ::2, 1::2] = (0, a, a)
    parts = experiments.roughness_parts(board)
    assert parts["brightness"] == pytest.approx(0.0, abs=1e-6)
    assert parts["all"] == pytest.approx(np_roughness(board), rel=1e-5)
    assert parts["colour"] == pytest.approx(parts["all"], rel=1e-5)   # the grey part is constant
    # a random picture: each part is the NumPy roughness of Y, and of the picture minus Y
    x = np.random.default_rng(4).uniform(size=(1, 7, 5, 3)).astype(np.float32)
    y = (x @ np.array([0.299, 0.587, 0.114]))[..., None].repeat(3, -1)
    parts = experiments.roughness_parts(x)
    assert parts["brightness"] == pytest.approx(np_roughness(y), rel=1e-5)
    assert parts["colour"] == pytest.approx(np_roughness(x - y), rel=1e-5)
    assert parts["all"] == pytest.approx(np_roughness(x), rel=1e-5)


def test_tv_grows_with_the_pixel_count_while_the_style_term_is_a_mean():
    """tv_by_size against NumPy: its TV is γ · Σ|neighbour differences| of the photo resized to each
    size, and γ · roughness · H·W·3 (a sum is the mean times the count). The style term of a picture against itself is 0 at every size."""
    from nst_helpers import images

    rng = np.random.default_rng(5)
    noise = rng.uniform(size=(1, 64, 64, 3)).astype(np.float32)
    rows = experiments.tv_by_size(noise, noise, sizes=(32, 64), weights=None, tv_weight=2.0)
    for row in rows:
        small = np.asarray(images.fit(noise, row["size"]))
        assert row["shape"] == small.shape[1:3] and row["pixels"] == small.shape[1] * small.shape[2]
        want = 2.0 * (np.abs(np.diff(small, axis=1)).sum() + np.abs(np.diff(small, axis=2)).sum())
        assert row["tv"] == pytest.approx(want, rel=1e-4)
        assert row["style"] == pytest.approx(0.0, abs=1e-6)
    assert rows[1]["roughness"] == pytest.approx(np_roughness(noise), rel=1e-5)
    for row in rows:   # the sum is the mean times the number of values (H·W·3): it grows with the pixels
        assert row["tv"] == pytest.approx(2.0 * row["roughness"] * row["pixels"] * 3, rel=1e-4)


def test_show_gram_says_first_n_channels_only_when_it_drops_some(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from nst_helpers import plotting

    monkeypatch.setenv("NST_LANG", "en")
    whole = plotting.show_gram(np.eye(64), title="g")
    cut = plotting.show_gram(np.eye(128), title="g", max_channels=64)
    assert whole.axes[0].get_title() == "g\n(64×64)"
    assert cut.axes[0].get_title() == "g\n(128×128; first 64 channels)"
    # The heat map holds exactly the channels the title names.
    assert cut.axes[0].images[0].get_array().shape == (64, 64)
    matplotlib.pyplot.close("all")


def test_gram_statistics_chart_left_axis_is_linear_right_axis_log():
    import matplotlib

    matplotlib.use("Agg")
    from nst_helpers import plotting

    layers = {k: {"mean": m, "positive": 0.5, "gram_ms": m ** 4} for k, m in zip(LAYERS, (28, 60, 100, 624, 40))}
    fig = plotting.gram_statistics({"painting": layers})
    left, right = fig.axes
    assert left.get_yscale() == "linear" and right.get_yscale() == "log"
    # Bar heights on the left are the mean activations themselves.
    assert [b.get_height() for b in left.patches] == [28, 60, 100, 624, 40]
    matplotlib.pyplot.close(fig)


def test_equal_scale_divides_alpha_by_each_content_targets_mean_square(content64, style64):
    """5.1's fair comparison: α per layer × mean(P²) of block5_conv2's target ÷ this layer's (NumPy)."""
    layers = ("block5_conv2", "block4_conv2", "block2_conv1")
    acts = features.extractor(layers)(content64)
    ms = {k: np.mean(np.asarray(acts[k], np.float64) ** 2) for k in layers}
    runs = experiments.content_layer_comparison(content64, style64, layers=layers, equal_scale=True, steps=1,
                                                init="content", progress=False, precision="float32")
    for layer, (label, r) in zip(layers, runs):
        assert r.settings["content_weight"] == pytest.approx(1e4 * ms["block5_conv2"] / ms[layer], rel=1e-4)
        assert label.startswith(f"content {layer}")
    # The raw layers differ by far more than the rounding: block4_conv2's activations are the largest.
    assert ms["block4_conv2"] > 10 * ms["block5_conv2"]
    same = experiments.content_layer_comparison(content64, style64, layers=layers[:2], steps=1, init="content",
                                                progress=False)
    assert [r.settings["content_weight"] for _, r in same] == [1e4, 1e4]


def test_the_gallery_measures_what_other_processes_took_from_proc_stat():
    """Between two readings the machine was busy 30 of 40 core-seconds, 10 of them this process's:
    others took 20 / 40 = 50 %; no reading, or no time passed, is None, not a guess."""
    from nst_helpers import gallery_record as gallery

    assert gallery._others_share((100.0, 200.0, 5.0), (130.0, 240.0, 15.0)) == 0.5
    assert gallery._others_share((100.0, 200.0, 5.0), (110.0, 240.0, 15.0)) == 0.0  # only ours
    assert gallery._others_share(None, (1.0, 2.0, 0.0)) is None
    assert gallery._others_share((1.0, 2.0, 0.0), (1.0, 2.0, 0.0)) is None
    reading = gallery._cpu_use()
    if reading is not None:  # Linux: busy ≤ total, and this process has used some CPU
        assert 0 <= reading[0] <= reading[1] and reading[2] > 0


def test_the_readme_is_written_from_the_record_and_marks_unmeasured_times():
    from nst_helpers import gallery_record as gallery

    entry = {"what": "w", "how": "h", "seconds": 7, "others_cpu_share": None, "date": None}
    text = gallery.readme({"zz": entry, "aa": {**entry, "others_cpu_share": 0.0, "date": "2026-12-07",
                                                "commit": None, "cpu": "C", "cores": 2, "tensorflow": "T",
                                                "weights": "W"}})
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows[0] == "| `aa.png` | w | h | 7 s | 2026-12-07, commit unknown, C (2 cores), TensorFlow T, W |"
    assert rows[1] == "| `zz.png` | w | h | 7 s (machine load not recorded: not a measurement) | not recorded |"


def test_the_gallery_computes_a_figure_once_and_draws_it_in_both_languages(tmp_path, monkeypatch, capsys):
    """One run writes the English and the Korean PNG; a later ``--lang ko`` redraws from the cached
    arrays without building VGG19 again (the 2.5 h of a full gallery are not spent twice)."""
    from nst_helpers import features, gallery

    monkeypatch.setenv("NST_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "results"
    assert gallery.main(["--fast", "--out", str(out), "--only", "03_gram_heatmap"]) == 0
    english, korean = out / "03_gram_heatmap.png", out / "ko" / "03_gram_heatmap.png"
    assert english.is_file() and korean.is_file() and english.read_bytes() != korean.read_bytes()
    capsys.readouterr()

    def no_network(*args, **kwargs):
        raise AssertionError("the Korean redraw computed the features again")
    monkeypatch.setattr(features, "FeatureExtractor", no_network)
    korean.unlink()
    assert gallery.main(["--fast", "--out", str(out), "--lang", "ko", "--only", "03_gram_heatmap"]) == 0
    assert korean.is_file() and "drawn from the cached arrays" in capsys.readouterr().out
