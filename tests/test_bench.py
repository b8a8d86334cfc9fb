"""The benchmark script's reporting (its measurements are the benchmark's job, not the tests')."""

import importlib.util
from pathlib import Path

import pytest


def _load(name):
    """A script of ``benchmarks/`` as a module (the folder is not a package)."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("bench")


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
    monkeypatch.setattr(bench, "choose_precision", lambda p, size: ("bfloat16", "measured"))
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


def test_quality_report_names_the_cpu_precision_and_what_ended_the_first_picture(bench, capsys):
    report = {"cpu": "Some CPU", "tensorflow": "2.x", "date": "2026-11-28",
              "time_to_quality": [{"pair": "a+b", "size": 256, "recipe_steps": 500, "recipe_seconds": 200.0,
                                   "recipe_loss": 1.1e7, "package_seconds_to_target": 20.0, "speedup": 10.0,
                                   "recipe_high_frequency": 70.0, "package_high_frequency": 50.0,
                                   "package_precision": "float32",
                                   "package_precision_reason": "auto: float32 measured faster"}],
              "first_picture": [{"pair": "a+b", "cache": "cold", "seconds": 29.5, "loss": 1.0e7,
                                 "recipe_500_loss": 1.1e7, "high_frequency": 50.0,
                                 "ended": "the last 10 steps lowered the loss by less than 0.02 of it"}]}
    bench.print_table(report)
    out = capsys.readouterr().out
    assert "On Some CPU" in out and "| 10.0× | 70.0 / 50.0 | float32 |" in out
    assert "auto: float32 measured faster" in out
    assert "| a+b | cold | 29.5 | 1e+07 | 1.1e+07 | 50.0 | the last 10 steps lowered" in out


def test_cpu_slug_names_the_kind_of_cpu(monkeypatch):
    from nst_helpers import cpu

    monkeypatch.setattr(cpu, "model", lambda: "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz")
    monkeypatch.setattr(cpu, "flags", lambda: frozenset({"avx512f", "avx512_bf16", "amx_bf16"}))
    assert cpu.slug() == "intel-r-xeon-r-platinum-8481c-cpu-2-70ghz-avx512bf16-amx"
    monkeypatch.setattr(cpu, "model", lambda: "AMD EPYC")
    monkeypatch.setattr(cpu, "flags", lambda: frozenset({"avx2"}))
    assert cpu.slug() == "amd-epyc"


def test_the_commands_last_line_is_read_back(bench):
    line = ("wrote /tmp/x/first.png (256×192 px, 78 steps, loss 1.097e+07, 24.1 s; ended: the last 10 steps "
            "lowered the loss by less than 0.05 of it (min_progress))")
    assert bench.parse_cli_line(line) == {
        "steps": 78, "ended": "the last 10 steps lowered the loss by less than 0.05 of it (min_progress)"}
    assert bench.parse_cli_line("wrote a.png (64×43 px, 4 steps, loss 2e+08, 3.0 s; ended: all steps done)") == {
        "steps": 4, "ended": "all steps done"}


@pytest.fixture(scope="module")
def stopping_rule():
    return _load("stopping_rule")


def test_the_rule_simulation_stops_where_a_real_run_stops(stopping_rule, content64, style64):
    import nst_helpers as nst

    # A loose rule, so that it (not the step count) ends this short run.
    r = nst.transfer(content64, style64, steps=40, progress=False, min_progress=(0.2, 3))
    assert r.stop_reason == "progress" and r.steps < 40
    assert stopping_rule.stop_step(r.history["total"], 0.2, 3) == r.steps


def test_the_rule_simulation_on_known_losses(stopping_rule):
    loss = [100, 50, 30, 25, 24, 23.5, 23.4]
    # (0.1, 2): at step 4, 30 − 24 = 6 ≥ 2.4 goes on; at step 5, 25 − 23.5 = 1.5 < 2.35 stops.
    assert stopping_rule.stop_step(loss, 0.1, 2) == 5
    assert stopping_rule.stop_step(loss, 0.001, 2) == len(loss) - 1  # never fires: the last step
    run = {"loss": loss, "float32_loss": [60, 31, 26, 24, 23, 22], "recipe_loss": {"500": 25.0}}
    assert stopping_rule.needed(run) == 4 and stopping_rule.quality(run, 1) == pytest.approx(60 / 25)
