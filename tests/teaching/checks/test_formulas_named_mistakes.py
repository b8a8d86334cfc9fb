"""Issue 30: every exercise's check passes the notebook's hidden solution and names at least two
plausible wrong answers, each with its own hint (in English and in Korean).

This file covers the exercises whose checks were audited without such tests: 1 (preprocess),
3 (content loss), 4 (layer answer), 5 (Gram matrix), 6 (texture answer), 7 (total variation),
8 (style loss), 9 (one gradient step), 15 (α/β = 1e2 answer) and 16 (luminance split). The others
are tested in test_extractor.py (2), test_pixel_loops.py (3b, 5b, 6b), test_loop.py
(10), test_formulas.py (11–14) and test_formulas_guided_gram.py (17); test_notebooks.py runs every
hidden solution of a function exercise against its check.

Each wrong answer is written the way a student would write it (TensorFlow or NumPy), not from the
check's own slip values, so a test fails if the check accepts it or gives the general hint."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

import nst_helpers as nst
from nst_helpers import checks, language

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"
MEAN = tf.constant([103.939, 116.779, 123.68])          # BGR, as Keras' VGG19 wants it
RGB_MEAN = tf.constant([123.68, 116.779, 103.939])


def hidden_solution(notebook, cell_id, name):
    """The function ``name`` defined by the notebook's Solution cell ``cell_id``."""
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    text = next("".join(c["source"]) for c in nb["cells"] if c.get("id") == cell_id)
    assert "<summary><b>Solution</b>" in text
    namespace = {"np": np, "tf": tf, "nst": nst}
    exec(re.search(r"```python\n(.*?)```", text, re.S).group(1), namespace)
    return namespace[name]


# (exercise, check, notebook, solution cell, function name)
SOLUTIONS = [
    ("1", checks.check_preprocess, "01_vgg19_classification.ipynb", "01-07", "my_preprocess"),
    ("3", checks.check_content_loss, "02_content_reconstruction.ipynb", "02-05", "my_content_loss"),
    ("5", checks.check_gram_matrix, "03_style_reconstruction.ipynb", "03-09", "my_gram_matrix"),
    ("7", checks.check_total_variation, "04_style_transfer.ipynb", "04-05", "my_total_variation"),
    ("8", checks.check_style_loss, "04_style_transfer.ipynb", "04-ex7s", "my_style_loss"),
    ("9", checks.check_sgd_step, "04_style_transfer.ipynb", "04-ex8s", "my_sgd_step"),
    ("16", checks.check_luminance_split, "06_controlling_style_transfer.ipynb", "06-05", "luminance_split"),
]


@pytest.mark.parametrize("exercise,check,notebook,cell,name", SOLUTIONS, ids=[s[0] for s in SOLUTIONS])
def test_the_hidden_solution_passes(exercise, check, notebook, cell, name, capsys):
    assert check(hidden_solution(notebook, cell, name)) is True
    out = capsys.readouterr().out
    assert "✓" in out and "✗" not in out


def _gram(x, divide=True, channels=False):
    g = tf.linalg.einsum("bijc,bijd->bcd", x, x)
    if divide:
        g = g / tf.cast(tf.shape(x)[1] * tf.shape(x)[2], x.dtype)
    if channels:
        g = g / tf.cast(tf.shape(x)[3], x.dtype)
    return g


def _step(sign=-1.0, clip=True, rate=True, loss_after=False):
    def my_sgd_step(image, loss_fn, learning_rate):
        with tf.GradientTape() as tape:
            loss = loss_fn(image)
        grad = tape.gradient(loss, image)
        new = image + sign * (learning_rate if rate else 1.0) * grad
        image.assign(tf.clip_by_value(new, 0.0, 1.0) if clip else new)
        return loss_fn(image) if loss_after else loss
    return my_sgd_step


def _split(y_weights=(0.299, 0.587, 0.114), swap=False, q_sign=1.0):
    def luminance_split(image):
        x = np.asarray(image, np.float64)
        y = x @ np.array(y_weights)
        i = x @ np.array([0.595716, -0.274453, -0.321263])
        q = q_sign * (x @ np.array([0.211456, -0.522591, 0.311135]))
        return y, np.stack([q, i] if swap else [i, q], axis=-1)
    return luminance_split


# (test id, check, the student's wrong function, the English hint it must get)
WRONG = [
    # Exercise 1: preprocess
    ("1-no-bgr", checks.check_preprocess, lambda x: x * 255.0 - MEAN,
     "reverse the channels (RGB → BGR) before you subtract the mean"),
    ("1-rgb-mean", checks.check_preprocess, lambda x: x * 255.0 - RGB_MEAN,
     "keep the mean as given, [103.939, 116.779, 123.68]: it is in BGR order already"),
    ("1-no-255", checks.check_preprocess, lambda x: tf.reverse(x, axis=[-1]) - MEAN, "scale to 0–255 first"),
    ("1-mean-reversed", checks.check_preprocess, lambda x: tf.reverse(x, axis=[-1]) * 255.0 - RGB_MEAN,
     "the mean is in BGR order too"),
    # Exercise 3: content loss
    ("3-sum", checks.check_content_loss, lambda a, b: tf.reduce_sum(tf.square(a - b)), "the mean, not the sum: "),
    ("3-paper-half", checks.check_content_loss, lambda a, b: 0.5 * tf.reduce_sum(tf.square(a - b)),
     "that is the paper's ½ Σ (F − P)²"),
    ("3-abs", checks.check_content_loss, lambda a, b: tf.reduce_mean(tf.abs(a - b)),
     "square the differences (tf.square), not their absolute values"),
    # Exercise 5: Gram matrix
    ("5-undivided", checks.check_gram_matrix, lambda x: _gram(x, divide=False),
     "divide by H·W, the number of locations"),
    ("5-by-channels", checks.check_gram_matrix, lambda x: _gram(x, channels=True),
     "divide by H·W only, not by the channels too"),
    # Exercise 7: total variation
    ("7-squares", checks.check_total_variation,
     lambda x: tf.reduce_sum(tf.square(x[:, 1:] - x[:, :-1])) + tf.reduce_sum(tf.square(x[:, :, 1:] - x[:, :, :-1])),
     "absolute values, not squares"),
    ("7-vertical-only", checks.check_total_variation, lambda x: tf.reduce_sum(tf.abs(x[:, 1:] - x[:, :-1])),
     "only the vertical differences"),
    ("7-horizontal-only", checks.check_total_variation,
     lambda x: tf.reduce_sum(tf.abs(x[:, :, 1:] - x[:, :, :-1])), "only the horizontal differences"),
    ("7-mean", checks.check_total_variation,
     lambda x: tf.reduce_mean(tf.abs(x[:, 1:] - x[:, :-1])) + tf.reduce_mean(tf.abs(x[:, :, 1:] - x[:, :, :-1])),
     "the sum, not the mean"),
    # Exercise 8: style loss of one layer
    ("8-sum", checks.check_style_loss, lambda f, g: tf.reduce_sum(tf.square(nst.gram_matrix(f) - g)),
     "the mean, not the sum, of the squared differences of the Gram matrices"),
    ("8-abs", checks.check_style_loss, lambda f, g: tf.reduce_mean(tf.abs(nst.gram_matrix(f) - g)),
     "square the differences of the Gram matrices"),
    ("8-undivided-gram", checks.check_style_loss,
     lambda f, g: tf.reduce_mean(tf.square(_gram(f, divide=False) - g)), "the target is divided by H·W"),
    # Exercise 9: one gradient step
    ("9-no-clip", checks.check_sgd_step, _step(clip=False), "the pixels leave [0, 1]: after the step"),
    ("9-uphill", checks.check_sgd_step, _step(sign=1.0), "the image moves uphill: subtract the gradient"),
    ("9-no-rate", checks.check_sgd_step, _step(rate=False), "multiply it by the learning rate"),
    ("9-loss-after", checks.check_sgd_step, _step(loss_after=True), "that is the loss after the step"),
    # Exercise 16: luminance and chrominance
    ("16-plain-mean", checks.check_luminance_split, _split(y_weights=(1 / 3, 1 / 3, 1 / 3)),
     "Y is not the plain mean of R, G and B"),
    ("16-bgr-weights", checks.check_luminance_split, _split(y_weights=(0.114, 0.587, 0.299)),
     "0.299 goes with R (channel 0)"),
    ("16-iq-swapped", checks.check_luminance_split, _split(swap=True), "I and Q are swapped"),
    ("16-q-sign", checks.check_luminance_split, _split(q_sign=-1.0), "Q's sign is flipped"),
]


def _korean(hint_part):
    """The Korean entry of the one catalogue hint that contains ``hint_part``."""
    keys = [k for k in language.KO if hint_part in k]
    assert len(keys) == 1, (hint_part, keys)
    return language.KO[keys[0]]


@pytest.mark.parametrize("check,wrong,hint", [w[1:] for w in WRONG], ids=[w[0] for w in WRONG])
def test_a_wrong_answer_gets_its_own_hint(check, wrong, hint, capsys, monkeypatch):
    monkeypatch.setenv("NST_LANG", "en")
    assert check(wrong) is False
    out = capsys.readouterr().out
    assert "✗" in out and "Hint: " in out and hint in out, out
    monkeypatch.setenv("NST_LANG", "ko")
    assert check(wrong) is False
    out = capsys.readouterr().out
    assert "힌트: " in out and _korean(hint) in out and hint not in out, out


def test_each_function_exercise_names_at_least_two_mistakes():
    per_check = {}
    for _, check, _, _ in WRONG:
        per_check[check.__name__] = per_check.get(check.__name__, 0) + 1
    assert set(per_check) == {s[1].__name__ for s in SOLUTIONS}
    assert min(per_check.values()) >= 2, per_check


def test_an_unnamed_mistake_still_gets_the_general_hint(capsys):
    assert checks.check_gram_matrix(lambda x: 2.0 * _gram(x)) is False
    assert "flatten to [H·W, C], multiply its transpose by itself, divide by H·W" in capsys.readouterr().out
    assert checks.check_content_loss(lambda a, b: tf.reduce_mean(tf.square(a - b)) + 1.0) is False
    assert "Hint: the mean (not the sum) of the squared differences" in capsys.readouterr().out


# ---- the answer exercises (check_answer): the reference is checks.ANSWERS ----------------------
RIGHT_ANSWERS = [
    ("4", "layout_without_detail", "block5_conv2"), ("4", "layout_without_detail", "conv5_2"),
    ("6", "texture_scale", "4"), ("6", "texture_scale", 5), ("15", "ratio_1e2", "stays"),
]


@pytest.mark.parametrize("exercise,question,answer", RIGHT_ANSWERS, ids=[f"{e}-{a}" for e, _, a in RIGHT_ANSWERS])
def test_the_right_answer_passes(exercise, question, answer, capsys):
    assert checks.check_answer(question, answer) is True
    assert "✓ right: " in capsys.readouterr().out


def test_the_notebooks_ask_these_questions():
    asked = {}
    for path in sorted(NOTEBOOKS.glob("0*.ipynb")):
        text = path.read_text(encoding="utf-8")
        asked.update({q: path.name for q in re.findall(r'check_answer\(\\"(\w+)\\"', text)})
    assert set(asked) == {q for _, q, _ in RIGHT_ANSWERS}, asked


WRONG_ANSWERS = [
    ("4-shallow", "layout_without_detail", "block1_conv2", "The shallow layers give the photo back"),
    ("4-shallow-paper-name", "layout_without_detail", "conv2_2", "The shallow layers give the photo back"),
    ("4-block3", "layout_without_detail", "block3_conv2", "Block 3 still gives the photo back closely"),
    ("4-block4", "layout_without_detail", "conv4_2", "Block 4 (Gatys et al.'s content layer) still keeps"),
    ("6-one", "texture_scale", "1", "conv1_1 alone sees 3 × 3 patches"),
    ("6-three", "texture_scale", 3, "conv2_1 and conv3_1 see patches of only 10 and 24 pixels"),
    ("15-vanishes", "ratio_1e2", "vanishes", "nothing in it asks the tower to go"),
    ("15-fades", "ratio_1e2", " Fades ", "Not even fading"),
]


@pytest.mark.parametrize("question,answer,hint", [w[1:] for w in WRONG_ANSWERS], ids=[w[0] for w in WRONG_ANSWERS])
def test_a_plausible_wrong_answer_gets_its_own_hint(question, answer, hint, capsys, monkeypatch):
    monkeypatch.setenv("NST_LANG", "en")
    assert checks.check_answer(question, answer) is False
    out = capsys.readouterr().out
    assert "✗ not quite" in out and hint in out, out
    assert out.strip() != f"✗ not quite ({answer!r}). {checks.HINTS[question]}"  # not only the general hint
    monkeypatch.setenv("NST_LANG", "ko")
    assert checks.check_answer(question, answer) is False
    out = capsys.readouterr().out
    assert "✗ 아쉽습니다" in out and _korean(hint) in out, out


def test_an_unnamed_wrong_answer_gets_the_question_hint(capsys):
    assert checks.check_answer("texture_scale", "7") is False
    assert checks.HINTS["texture_scale"] in capsys.readouterr().out


def test_no_named_wrong_answer_is_a_right_one():
    for question, named in checks.WRONG_ANSWERS.items():
        right = checks.ANSWERS[question][0]
        assert len(named) >= 2, question
        for replies, hint in named:
            assert not replies & right, question
            assert hint in language.KO, hint


def test_an_extractor_with_a_wrong_layer_names_the_layer_it_took_in_korean(monkeypatch, capsys):
    """Exercise 2's other named mistakes are in test_extractor.py; this one in Korean too."""
    def wrong_layer(layer_names):
        vgg = nst.vgg19()
        return tf.keras.Model(vgg.input, [vgg.get_layer(n.replace("conv1", "conv2")).output for n in layer_names])

    monkeypatch.setenv("NST_LANG", "ko")
    assert checks.check_extractor(wrong_layer) is False
    assert "✗ block1_conv1: 이것은 block1_conv2의 특성입니다. 힌트: vgg.get_layer('block1_conv1').output을" in (
        capsys.readouterr().out)
