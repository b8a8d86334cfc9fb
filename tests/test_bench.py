"""The benchmark script's reporting (its measurements are the benchmark's job, not the tests')."""

import importlib.util
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def bench():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
    spec = importlib.util.spec_from_file_location("bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_report_with_only_throughput_prints(bench, capsys):
    report = {"throughput": [{"size": "256×192", "precision": "float32", "seconds_per_eval": 0.44,
                              "gflop_per_eval": 78.0, "gflops": 176.0, "of_matmul_peak": 0.83}],
              "peak": {"matmul_gflops": 213.0, "theoretical_gflops": 166.4, "theoretical_how": "x"},
              "precision_choice": [{"size": 256, "chosen": "float32", "reason": "auto: …",
                                    "chosen_over_best": 1.0}]}
    bench.print_table(report)  # used to raise KeyError: 'time_to_quality'
    out = capsys.readouterr().out
    assert "| 256×192 | float32 | 0.44 |" in out and "auto at 256 px: float32" in out
    assert "recipe (Adam)" not in out and "peak resident memory" not in out


def test_precision_choice_compares_auto_with_the_faster_precision(bench, monkeypatch):
    monkeypatch.setattr(bench.features, "choose_precision", lambda p, size: ("bfloat16", "measured"))
    rows = [{"size": "256×192", "precision": "float32", "seconds_per_eval": 0.5},
            {"size": "256×192", "precision": "bfloat16", "seconds_per_eval": 0.55}]
    (choice,) = bench.precision_choice(rows, (256,))
    assert choice["chosen"] == "bfloat16" and choice["chosen_over_best"] == pytest.approx(1.1)


def test_high_frequency_measure_on_known_pictures(bench):
    import numpy as np

    flat = np.full((1, 20, 30, 3), 0.4)
    assert bench.high_frequency(flat) == 0.0
    board = (np.indices((20, 30)).sum(0) % 2).astype(float)[None, ..., None].repeat(3, -1)
    assert bench.high_frequency(board) == pytest.approx(4 * 255)  # |4v − 4(1 − v)| = 4 at every pixel
    ramp = np.linspace(0, 1, 30)[None, None, :, None].repeat(20, 1).repeat(3, -1)
    assert bench.high_frequency(ramp) == pytest.approx(0.0, abs=1e-9)  # a linear ramp has no curvature


def test_first_reaching_returns_the_time_and_picture(bench):
    class Objective:
        def terms(self, image):
            return {"total": image}

    frames = [(0.5, 10.0), (1.0, 7.0), (1.5, 4.0), (2.0, 3.0)]
    assert bench._first_reaching(frames, Objective(), 5.0) == (1.5, 4.0)
    assert bench._first_reaching(frames, Objective(), 1.0) is None
