"""Issue 23: with NST_LANG=ko every figure the notebooks show is Korean. Each figure function the
notebooks call draws with the labels the experiments make and the titles the notebooks' code cells
pass in; every matplotlib text drawn is read back and must not be English (two or more English
words in a row, or one English word alone), and drawing must warn of no missing glyph.

The optimisations are replaced by a stub that returns a small Result at once: the labels are
made by the real experiment functions, only the pixels are fake."""

import ast
import json
import re
import sys
import types
import warnings
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The English notebooks: the Korean ones have the same code cells up to the text they print
# (tests/course/test_korean.py, tests/course/test_korean_code.py).
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))

# Words that stay English in the Korean edition (docs/glossary.ko.md: names, algorithms, units).
ALLOWED = {"Adam", "BFGS", "VGG19", "ImageNet", "AdaIN", "TV", "CC0", "ms", "px", "RGB", "Gatys",
           "Johnson", "Ulyanov", "Huang", "Belongie", "scikit", "image", "mean", "std"}
WORD = r"(?<![\w\-])[A-Za-z][A-Za-z'’]+(?![\w\-])"


def english_in(text):
    """The lines of ``text`` a Korean figure should not show: two or more English words in a row
    (separated by spaces only), or one lowercase English word of three letters or more (``steps``,
    ``photo``); ALLOWED words do not count. Layer names (``block5_conv2``), symbols, numbers and
    one-letter units never match."""
    found = []
    for line in text.split("\n"):
        if line.startswith("$"):  # mathtext: the log axes' tick labels, 10^{-1}
            continue
        words = [m for m in re.finditer(WORD, line) if m.group() not in ALLOWED]
        pairs = any(line[a.end():b.start()].strip() == "" for a, b in zip(words, words[1:]))
        if pairs or any(re.fullmatch(r"[a-z][a-z'’]{2,}", m.group()) for m in words):
            found.append(line)
    return found


def _fstring_sample(node):
    """A string literal, or an f-string with every field filled by 5 (a number, as at run time)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "5" for v in node.values)
    return None


def notebook_titles():
    """The titles the notebooks' code cells (the same in both editions) pass to the figure functions: show_images'
    titles, ``title=`` of show/plot_losses/show_gram, and the feature-map row names."""
    found = []
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                tree = ast.parse(code)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                    continue
                name = node.func.attr
                if name == "show_images" and len(node.args) > 1 and isinstance(node.args[1], ast.List):
                    found += [_fstring_sample(e) for e in node.args[1].elts]
                if name in ("show", "plot_losses", "show_gram", "show_images"):
                    found += [_fstring_sample(k.value) for k in node.keywords if k.arg in ("title", "suptitle")]
                if name == "show_feature_maps" and node.args and isinstance(node.args[0], ast.DictComp):
                    comp = node.args[0]
                    rows = [c for gen in comp.generators if isinstance(gen.iter, ast.Tuple)
                            for c in gen.iter.elts if isinstance(c, ast.Tuple)]
                    found += [_fstring_sample(r.elts[0]) + "\nblock1_conv1" for r in rows]
    return [f for f in found if f]


@pytest.fixture
def korean(monkeypatch):
    """NST_LANG=ko, Agg, no window; yields a list that collects every figure drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("NST_LANG", "ko")
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _fake_result(steps=4, style_start=1.0):
    from nst_helpers.method.engine import Result

    rng = np.random.default_rng(steps)
    history = {"total": [3.0, 2.0, 1.0], "content": [0.0, 0.5, 0.4], "style": [style_start, 1.0, 0.5],
               "tv": [0.2, 0.1, 0.1]}
    return Result(image=rng.uniform(size=(1, 24, 32, 3)).astype(np.float32), history=history,
                  times=[0.0, 1.0, 2.0], steps=steps, evaluations=steps + 1, seconds=3.0)


@pytest.fixture
def fake_runs(monkeypatch):
    """tasks.transfer and the reconstructions return a small Result at once; the style loss at
    the start grows with the number of style layers (so equal-start scales differ from 1)."""
    from nst_helpers import tasks

    def transfer(content, style, **kwargs):
        return _fake_result(kwargs.get("steps", 4), style_start=10.0 ** len(kwargs.get("style_layers") or [1] * 5))

    monkeypatch.setattr(tasks, "transfer", transfer)
    monkeypatch.setattr(tasks, "reconstruct_content", lambda image, layer, **k: _fake_result())
    monkeypatch.setattr(tasks, "reconstruct_style", lambda image, layers, **k: _fake_result())


def every_notebook_figure():
    """Draw every figure function the notebooks call; return the figures."""
    from nst_helpers import control, experiments, losses, plotting

    rng = np.random.default_rng(0)
    photo = rng.uniform(size=(1, 24, 32, 3)).astype(np.float32)
    figs = []
    titles = notebook_titles()
    figs.append(plotting.show_images([photo] * len(titles), titles, ncols=6, width=1.0))
    for title in titles:  # the same titles as suptitles (experiments.show, plot_losses, show_gram)
        figs.append(experiments.show([("photo", photo)], title=title, width=1.0))
    figs.append(plotting.pipeline_diagram())
    figs.append(plotting.field_map())
    for pairs in (experiments.content_series(photo, steps=4), experiments.style_series(photo, steps=4),
                  experiments.content_layer_comparison(photo, photo, steps=4),
                  experiments.style_depth_comparison(photo, photo, steps=4, init="content"),
                  experiments.style_depth_comparison(photo, photo, steps=4, equal_start=False),
                  experiments.style_depth_comparison(photo, photo, steps=4, style_layer_weights="balanced"),
                  experiments.ratio_grid(photo, photo, steps=4),
                  experiments.tv_comparison(photo, photo, steps=4),
                  control.colour_comparison(photo, photo, steps=4),
                  control.blend_strip(photo, photo, photo, steps=4),
                  control.recipe_comparison(photo, photo, steps=4)):
        figs.append(experiments.show([("photo", photo), ("painting", photo)] + pairs, width=1.0))
    speckle = experiments.speckle_test(photo, photo, steps=4)
    figs.append(plotting.detail([("photo", photo)] + speckle, width=1.0))
    frames, adam = [(0, photo), (2, photo)], _fake_result()
    figs.append(plotting.film_strip(frames))
    figs.append(plotting.plot_losses(adam, title="L-BFGS: loss per term"))
    figs.append(plotting.optimizer_race([("Adam", adam), ("L-BFGS", _fake_result(5))]))
    acts = {"block1_conv1": rng.uniform(size=(1, 6, 8, 4)), "yours\nblock4_conv1": rng.uniform(size=(1, 3, 4, 4))}
    figs.append(plotting.show_feature_maps(acts, channels=2))
    figs.append(plotting.show_gram(losses.gram_matrix(photo)))
    stats = {"starry_night": {k: {"mean": 2.0, "positive": 0.5, "gram_ms": 3.0} for k in ("block1_conv1", "block2_conv1")}}
    figs.append(plotting.gram_statistics(stats))
    layers = ("block1_conv1", "block2_conv1")
    figs.append(plotting.layer_shares({label: {k: (0.5, 0.5) for k in layers}
                                       for label in _share_labels()}))
    return figs


def _share_labels():
    """The labels experiments.style_layer_shares gives, read from it with a stub Objective."""
    from nst_helpers import experiments, losses

    class Stub:
        def __init__(self, *a, **k):
            pass

        def style_layer_shares(self, image):
            return {}

    original = losses.Objective
    losses.Objective = Stub
    try:
        return list(experiments.style_layer_shares(None, None))
    finally:
        losses.Objective = original


def drawn_texts(fig):
    """Every non-empty text of ``fig`` after drawing it (tick labels exist only once drawn)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    return [x.get_text() for x in fig.findobj(Text) if x.get_text().strip()]


def test_every_figure_the_notebooks_show_is_korean_with_no_missing_glyph(korean, fake_runs, capsys):
    assert len(notebook_titles()) >= 30, "the notebooks' titles were not found: has the code moved?"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figs = every_notebook_figure()
        texts = [text for fig in figs for text in drawn_texts(fig)]
    english = sorted({line for text in texts for line in english_in(text)})
    assert not english, f"English in Korean figures (add catalogue entries in nst_helpers/locale/ko/LC_MESSAGES/nst_helpers.po): {english}"
    assert any("스텝" in text for text in texts) and any("사진" in text for text in texts)
    missing = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    assert not missing, missing[:5]


def test_hub_figure_is_korean(korean, monkeypatch):
    """hub_stylize's title ("feed-forward network: N ms"), with a stand-in for TensorFlow Hub."""
    from nst_helpers import config, control, plotting

    model = lambda content, style: [content]  # noqa: E731 - the stand-in network returns the photo
    monkeypatch.setitem(sys.modules, "tensorflow_hub", types.SimpleNamespace(load=lambda url: model))
    monkeypatch.setattr(config, "offline", lambda: False)
    shown = []
    monkeypatch.setattr(plotting, "show_images", lambda images, titles, **k: shown.extend(titles))
    control.hub_stylize(np.zeros((1, 8, 8, 3), np.float32), np.zeros((1, 8, 8, 3), np.float32))
    from nst_helpers.language import shown as translate

    assert shown and not [line for title in shown for line in english_in(translate(title))]


# ----- check messages ---------------------------------------------------------------------------

def _t_literals(path):
    """The English keys a module passes to t() as literals, and the hints it keeps in tuples."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "t"
            and n.args and isinstance(n.args[0], ast.Constant)]


def test_every_text_the_package_passes_to_t_has_a_korean_entry():
    from nst_helpers import checks, language

    keys = [k for path in sorted((ROOT / "nst_helpers").rglob("*.py")) for k in _t_literals(path)]
    keys += [hint for _, hint in checks.LOOP_BUGS]  # printed through t(hint)
    assert len(keys) > 80  # the AST walk found them
    assert not [k for k in keys if k not in language.KO]


def test_the_loop_check_speaks_korean(monkeypatch, capsys):
    """A loop that forgets the clip: the verdict and its hint in Korean (and in English without NST_LANG)."""
    from loop_support import make_loop

    from nst_helpers import checks

    monkeypatch.setenv("NST_LANG", "ko")
    assert checks.check_loop(make_loop(clip=False)) is False
    out = capsys.readouterr().out
    assert "✗ loop: 참조 구현과의 최대 픽셀 차이가" in out and "힌트: 픽셀이 [0, 1]을 벗어납니다" in out
    monkeypatch.setenv("NST_LANG", "en")
    assert checks.check_loop(make_loop(clip=False)) is False
    assert "Hint: the pixels leave [0, 1]" in capsys.readouterr().out


def test_the_extractor_check_speaks_korean(monkeypatch, capsys):
    """An extractor with its outputs in the wrong order fails in Korean."""
    import tensorflow as tf

    import nst_helpers as nst
    from nst_helpers import checks

    def reversed_order(layer_names):
        vgg = nst.vgg19()
        return tf.keras.Model(vgg.input, [vgg.get_layer(n).output for n in reversed(layer_names)])

    monkeypatch.setenv("NST_LANG", "ko")
    assert checks.check_extractor(reversed_order) is False
    assert "✗ 출력의 순서가 이름의 순서와 다릅니다" in capsys.readouterr().out


def test_describe_prints_korean_lines(monkeypatch, capsys):
    from nst_helpers import config, info, language

    assert all(line in language.KO for line in info.MODE_LINES.values())
    monkeypatch.setenv("NST_LANG", "ko")
    for mode in ("fast", "demo", "full"):
        monkeypatch.setattr(config, "mode", lambda mode=mode: mode)
        info.describe(weights=False)
        out = capsys.readouterr().out
        assert "장치:" in out and f"NST_MODE={mode if mode != 'full' else 'auto'}" in out and "모드 (" in out
