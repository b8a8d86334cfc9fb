"""The exercises where the student computes a number from printed measurements (notebook 4's γ for
another size, notebook 5's α per content layer, fair β per style depth and the sorted α/β panels):
each check accepts the notebook's hidden solution (run from the notebook's own solution cell) and
rejects the usual wrong answers, each with its own hint.

The inputs are made-up measurements with round numbers, so every expected value below is plain
arithmetic written out here, independent of the package's experiments."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from nst_helpers import checks

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"


def solution(notebook, cell_id, **names):
    """Run the code of the notebook's solution cell ``cell_id`` with ``names`` defined; return its
    namespace."""
    nb = json.loads((NOTEBOOKS / notebook).read_text())
    text = next("".join(c["source"]) for c in nb["cells"] if c.get("id") == cell_id)
    assert "<summary><b>Solution</b>" in text
    namespace = {"np": np, **names}
    exec(re.search(r"```python\n(.*?)```", text, re.S).group(1), namespace)
    return namespace


def stub(notebook, cell_id):
    nb = json.loads((NOTEBOOKS / notebook).read_text())
    return next("".join(c["source"]) for c in nb["cells"] if c.get("id") == cell_id)


def verdict(capsys, ok):
    out = capsys.readouterr().out
    return ok, out


# --- notebook 4, Exercise 11: the γ that weighs TV at 100 px as γ = 30 does at 400 px -----------
# 100 px: γ·TV = 1e4, β·style = 1e9; 400 px: γ·TV = 9e4 (9×, fewer than the 16× pixels), β·style = 5e8.
# TV ÷ style: 1e-5 at 100 px, 1.8e-4 at 400 px, so γ' = 30 × 18 = 540.
ROWS = [{"size": 100, "pixels": 10_000, "tv": 1e4, "style": 1e9},
        {"size": 200, "pixels": 40_000, "tv": 4e4, "style": 7e8},
        {"size": 400, "pixels": 160_000, "tv": 9e4, "style": 5e8}]


def test_tv_weight_hidden_solution_and_reference():
    assert checks.reference_tv_weight(ROWS) == pytest.approx(540.0)
    assert checks.check_tv_weight(solution("04_style_transfer.ipynb", "04-tvgammas", by_size=ROWS)["my_gamma"], ROWS)
    assert checks.check_tv_weight(545.0, ROWS)  # read off rounded printed numbers: within 3 %


@pytest.mark.parametrize("answer,hint", [
    (30 / 18, "the other way round"),            # the ratio upside down
    (30 * 16, "the pixel count alone"),           # 480: scaled by the pixels only
    (30 * 9, "the style term changed"),           # 270: the TV ratio alone
    (18, "multiply your ratio by 30"),            # the ratio without γ = 30
    (3000, "make γ·TV ÷ β·style"),                # anything else: the rule
])
def test_tv_weight_wrong_answers_name_their_slip(capsys, answer, hint):
    ok, out = verdict(capsys, checks.check_tv_weight(answer, ROWS))
    assert not ok and hint in out and "✗" in out


def test_tv_weight_stub_is_reported_not_raised(capsys):
    assert "my_gamma = None" in stub("04_style_transfer.ipynb", "04-tvgammac")
    ok, out = verdict(capsys, checks.check_tv_weight(None, ROWS))
    assert not ok and "Write your answer" in out
    ok, out = verdict(capsys, checks.check_tv_weight("a lot", ROWS))
    assert not ok and "not a number" in out


# --- notebook 5, Exercise 12: α per content layer -------------------------------------------------
MEAN_SQUARES = [8e3, 5.6e5, 3.2e4]   # block5_conv2, block4_conv2, block2_conv1: factors 1, 1/70, 1/4


def test_content_factors_hidden_solution():
    got = solution("05_experiments.ipynb", "05-exalphas", mean_squares=MEAN_SQUARES)["my_factors"]
    assert np.allclose(got, [1, 1 / 70, 0.25])
    assert checks.check_content_factors(got, MEAN_SQUARES)


@pytest.mark.parametrize("answer,hint", [
    ([1, 70, 4], "the other way round"),
    ([1 / 8e3, 1 / 5.6e5, 1 / 3.2e4], "relative to block5_conv2's mean square"),
    ([1e4, 1e4 / 70, 2.5e3], "leave out the 1e4"),
    ([1, 1, 1], "each factor is block5_conv2's mean square"),
])
def test_content_factors_wrong_answers_name_their_slip(capsys, answer, hint):
    ok, out = verdict(capsys, checks.check_content_factors(answer, MEAN_SQUARES))
    assert not ok and hint in out


def test_content_factors_shape_and_stub(capsys):
    assert not checks.check_content_factors([1, 0.5], MEAN_SQUARES)
    assert not checks.check_content_factors(None, MEAN_SQUARES)
    assert not checks.check_content_factors([1, -1, 0.25], MEAN_SQUARES)
    out = capsys.readouterr().out
    assert "2 number(s), expected 3" in out and "Write your answer" in out and "positive" in out


# --- notebook 5, Exercise 13: the fair β per style depth ------------------------------------------
STARTS = [5e8, 6.25e8, 5e6]   # 1–5, 1–4 (÷ 4 instead of 5), 1–3: factors 1, 0.8, 100
ENDS = [2e8, 2.4e8, 4e6]      # factors from the end: 1, 0.833, 50


def test_beta_factors_hidden_solution():
    got = solution("05_experiments.ipynb", "05-exbetas", starts=STARTS)["my_beta_factors"]
    assert np.allclose(got, [1, 0.8, 100])
    assert checks.check_beta_factors(got, STARTS, ENDS)


@pytest.mark.parametrize("answer,hint", [
    ([1, 1.25, 0.01], "the other way round"),
    ([1, 2e8 / 2.4e8, 50], "not at the end"),
    ([0.01, 0.008, 1], "relative to the 1–5 run"),
    ([1, 0.8, 10], "the 1–5 run's start loss ÷ the run's own"),
])
def test_beta_factors_wrong_answers_name_their_slip(capsys, answer, hint):
    ok, out = verdict(capsys, checks.check_beta_factors(answer, STARTS, ENDS))
    assert not ok and hint in out


# --- notebook 5, Exercise 14: the shuffled α/β panels ---------------------------------------------
def test_ratio_order_hidden_solution_and_shuffle():
    order = solution("05_experiments.ipynb", "05-exsorts")["my_order"]
    assert checks.check_ratio_order(order)
    assert checks.check_ratio_order(order.lower())
    grid = [(f"α/β = {r:.0e}", np.full((1, 2, 2, 3), i, np.float32)) for i, r in enumerate((1e4, 1e6, 1e7, 1e8))]
    panels = checks.shuffled_panels(grid)
    # sorted by the student's letters, the panels are the grid in its order again
    by_letter = dict(panels)
    assert [float(by_letter[letter].mean()) for letter in order] == [0.0, 1.0, 2.0, 3.0]
    assert [letter for letter, _ in panels] == ["A", "B", "C", "D"]


@pytest.mark.parametrize("answer,hint", [
    ("CADB", "the other way round"),
    ("DBAC", "the first panel should be"),
    ("BDCA", "the last panel should be"),
    ("BADC", "the two middle panels"),
    ("BDA", "each once"),
    ("????", "Write your answer"),
])
def test_ratio_order_wrong_answers_name_their_slip(capsys, answer, hint):
    ok, out = verdict(capsys, checks.check_ratio_order(answer))
    assert not ok and hint in out
