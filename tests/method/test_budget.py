"""NST_MODE=auto: figures fitted to the machine. Machines are faked by replacing the one timing
function, :func:`nst_helpers.method.budget.seconds_per_evaluation`, so no test depends on this CPU's load."""

import json
import math

import pytest

import nst_helpers as nst
from nst_helpers import budget, precision

FULL, DEMO, FAST = (224, 200), (128, 60), (64, 5)


@pytest.fixture
def auto(monkeypatch, tmp_path):
    """Auto mode, an empty disk cache, nothing remembered from other tests."""
    monkeypatch.delenv("NST_FAST", raising=False)
    monkeypatch.setenv("NST_MODE", "auto")
    monkeypatch.setenv("NST_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(budget, "_FAILED", {})
    monkeypatch.setattr(precision, "_MEMORY", {})
    return monkeypatch


def machine(monkeypatch, seconds):
    """Fake a machine on which one evaluation at 256 px takes ``seconds``."""
    asked = []

    def timer(side=256, precision="auto"):
        asked.append((side, precision))
        return seconds

    monkeypatch.setattr(budget, "seconds_per_evaluation", timer)
    return asked


def test_cost_model_by_hand():
    # 1 s of tracing + (100 steps × 1.25 + 3) evaluations of 0.1 s at 256 px.
    assert budget.figure_seconds(256, 100, 1, "lbfgs", 0.1) == pytest.approx(1 + 128 * 0.1)
    # 128 px has a quarter of the pixels: 0.4 s → 0.1 s per evaluation; Adam is 1 evaluation a step.
    assert budget.figure_seconds(128, 40, 2, "adam", 0.4) == pytest.approx(2 * (1 + 43 * 0.1))


def test_a_shallow_run_costs_its_share_of_the_network():
    # Convolution FLOPs ∝ h·w·C_in·C_out, h·w quartered per block: by hand, block1_conv1 … block2_conv1
    # is 3·64 + 64·64 + 64·128/4 = 6336 of the 41152 up to block5_conv2 (the layers the timing runs).
    assert budget.depth_share("block2_conv1") == pytest.approx(0.07 + 0.93 * 6336 / 41152)
    assert budget.depth_share("conv5_2") == pytest.approx(1.0)
    # Notebook 3's five textures (deepest layers conv1_1 … conv5_1) cost the sum of their shares.
    shares = [0.07 + 0.93 * f / 41152 for f in (192, 6336, 12480, 26816, 40128)]
    want = sum(1 + (60 * 1.25 + 3) * 0.4 / 4 * share for share in shares)
    assert budget.figure_seconds(128, 60, nst.STYLE_LAYERS, "lbfgs", 0.4) == pytest.approx(want)
    with pytest.raises(nst.LayerError):
        budget.figure_seconds(128, 60, ["block9_conv1"], "lbfgs", 0.4)


def test_runs_named_by_their_layers_fit_more_than_as_many_full_runs(auto, capsys):
    machine(auto, 0.4)
    five = nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST, precision="float32")
    textures = nst.fit(runs=nst.STYLE_LAYERS, full=FULL, demo=DEMO, fast=FAST, precision="float32")
    assert five == DEMO and textures > DEMO  # the five textures cost about 2.3 full-depth runs
    assert "a figure of 5 runs" in capsys.readouterr().out
    with pytest.raises(nst.LayerError):
        nst.fit(runs=["block6_conv1"], full=FULL, demo=DEMO, fast=FAST)


def test_a_fast_machine_gets_full_quality(auto, capsys):
    asked = machine(auto, 0.001)
    assert nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST, precision="float32") == FULL
    assert asked == [(256, "float32")]  # timed at 256 px in the precision the figure uses
    out = capsys.readouterr().out
    assert "this machine: 0.001 s per evaluation at 256 px → figures at 224 px, 200 steps" in out
    assert "NST_MODE=demo/full/fast to override" in out


def test_a_slow_machine_gets_demo_and_is_told_it_overruns(auto, capsys):
    machine(auto, 5.0)
    assert nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST) == DEMO
    out = capsys.readouterr().out
    # 5 × (1 + (60 × 1.25 + 3) × 5 s / 4) = 492.5 s: said, not hidden.
    assert "figures at 128 px, 60 steps" in out and "about 492 s" in out and "over the 30 s budget" in out


@pytest.mark.parametrize("seconds", [0.05, 0.1, 0.2])
def test_a_medium_machine_gets_settings_between_within_the_budget(auto, seconds):
    machine(auto, seconds)
    size, steps = nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST)
    assert DEMO[0] <= size <= FULL[0] and DEMO[1] <= steps <= FULL[1]
    assert (size, steps) not in (FULL, DEMO)
    assert size % 16 == 0 and steps % 5 == 0
    # The cost written out here, not taken from the code: 5 runs of 1 s + (1.25·steps + 3) evaluations.
    per_evaluation = seconds * (size / 256) ** 2
    assert 5 * (1 + (1.25 * steps + 3) * per_evaluation) <= 30
    # And it is not needlessly small: 16 px and 10 steps more would overrun.
    bigger = seconds * ((size + 16) / 256) ** 2
    assert 5 * (1 + (1.25 * (steps + 10) + 3) * bigger) > 30


def test_faster_machines_never_get_less(auto):
    chosen = []
    for seconds in [10 ** (k / 4) for k in range(-12, 5)]:  # 1 ms … 10 s per evaluation
        machine(auto, seconds)
        chosen.append(nst.fit(runs=3, full=(256, 100), demo=(160, 30), fast=(64, 5), verbose=False))
    assert chosen[0] == (256, 100) and chosen[-1] == (160, 30)
    for faster, slower in zip(chosen, chosen[1:]):
        assert faster.size >= slower.size and faster.steps >= slower.steps


def test_fit_steps_keeps_the_size_and_fits_the_steps(auto, capsys):
    machine(auto, 0.001)
    assert nst.fit_steps(160, full=300, demo=60, fast=6, optimizer="adam") == 300
    machine(auto, 50.0)
    assert nst.fit_steps(160, full=300, demo=60, fast=6, optimizer="adam") == 60
    # 160 px: an evaluation costs (160/256)² of 0.4 s = 0.15625 s; 1 s of tracing leaves 29 s,
    # i.e. 29 / 0.15625 − 3 = 182.6 Adam steps, rounded down to a multiple of 5.
    machine(auto, 0.4)
    assert nst.fit_steps(160, full=300, demo=60, fast=6, optimizer="adam") == 180
    assert "180 Adam steps at 160 px" in capsys.readouterr().out  # the name, not the argument value


def test_the_other_modes_never_time_anything(auto, capsys):
    def no_timing(*args, **kwargs):
        raise AssertionError("timed in a mode that must not time")

    auto.setattr(budget, "seconds_per_evaluation", no_timing)
    for mode, want in (("fast", FAST), ("demo", DEMO), ("full", FULL)):
        auto.setenv("NST_MODE", mode)
        assert nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST) == want
        assert nst.fit_steps(want[0], full=FULL[1], demo=DEMO[1], fast=FAST[1]) == want[1]
        assert f"NST_MODE={mode}" in capsys.readouterr().out
    auto.delenv("NST_MODE")
    auto.setenv("NST_FAST", "1")
    assert nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST) == FAST


def test_pick_in_auto_mode_is_demo(auto):
    assert nst.pick(full=512, fast=64, demo=160) == 160
    assert nst.pick(full=512, fast=64) == 512


@pytest.mark.parametrize("failure", [RuntimeError("no device"), nst.WeightsError("no weights")])
def test_a_failed_measurement_falls_back_to_demo_with_a_message(auto, capsys, failure):
    calls = []

    def broken_timer(precision, side, shape=None):
        calls.append(precision)
        raise failure

    auto.setattr(precision, "_evaluation_timer", broken_timer)
    assert nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST, precision="float32") == DEMO
    out = capsys.readouterr().out
    assert "demo mode's values" in out and f"{type(failure).__name__}: no" in out
    assert nst.fit_steps(128, full=200, demo=60, fast=5, precision="float32") == 60
    assert calls == ["float32"]  # not retried in the same process
    assert not precision.cache_file().exists()  # a failure is never remembered on disk


@pytest.mark.parametrize("seconds", [0.0, math.nan, math.inf])
def test_a_meaningless_measurement_falls_back_to_demo(auto, capsys, seconds):
    machine(auto, seconds)
    assert nst.fit(runs=5, full=FULL, demo=DEMO, fast=FAST) == DEMO
    assert "could not be timed" in capsys.readouterr().out


def fake_timer(calls, samples=(0.3, 0.1, 0.2)):
    def make(precision, side, shape=None):
        calls.append((precision, side))
        values = iter(samples)
        return lambda: next(values)

    return make


# The cache file itself (hostile content, unwritable folders, runs writing at once) is
# precision.py's and is tested in test_precision.py; here, that budget goes through it.

def test_timed_once_per_process_in_precisions_cache(auto):
    calls = []
    auto.setattr(precision, "_evaluation_timer", fake_timer(calls))
    assert budget.seconds_per_evaluation(256, "float32") == 0.1  # the best of three samples
    saved = json.loads(precision.cache_file().read_text())
    assert list(saved.values()) == [{"float32": 0.1}] and list(saved)[0].endswith("|256")
    assert budget.seconds_per_evaluation(256, "float32") == 0.1  # precision's memory: not timed again
    assert calls == [("float32", 256)]
    precision.cache_file().write_text(json.dumps(saved))
    auto.setattr(precision, "_MEMORY", {})  # a new process: read from disk, not timed again
    assert budget.seconds_per_evaluation(256, "float32") == 0.1 and len(calls) == 1
    assert budget.seconds_per_evaluation(256, "bfloat16") == 0.1 and len(calls) == 2  # another key


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]", b'{"KEY": "fast"}', b'{"KEY": {"float32": -1}}'])
def test_a_broken_cache_file_is_measured_again(auto, content):
    calls = []
    auto.setattr(precision, "_evaluation_timer", fake_timer(calls))
    key = precision._key(precision._device(), 256)
    precision.cache_file().write_bytes(content.replace(b"KEY", key.encode()))
    assert budget.seconds_per_evaluation(256, "float32") == 0.1 and len(calls) == 1


def test_an_unwritable_cache_is_no_error(auto, tmp_path):
    calls = []
    auto.setattr(precision, "_evaluation_timer", fake_timer(calls))
    blocker = tmp_path / "file"
    blocker.write_text("")
    auto.setenv("NST_CACHE_DIR", str(blocker / "sub"))  # a directory below a file cannot exist
    assert budget.seconds_per_evaluation(256, "float32") == 0.1 and len(calls) == 1


@pytest.mark.parametrize("kwargs, match", [
    (dict(runs=0), "runs must be a whole number"),
    (dict(runs=2.5), "runs must be a whole number"),
    (dict(full=(100, 200)), "full=.* is below demo"),
    (dict(demo=(128,)), r"demo must be \(size, steps\)"),
    (dict(fast=(64, 0)), r"fast must be \(size, steps\)"),
    (dict(optimizer="sgd"), "optimizer must be one of"),
    (dict(precision="float64"), "precision must be one of"),
    (dict(budget=0), "budget must be a positive number"),
])
def test_bad_arguments_say_what_is_valid(auto, kwargs, match):
    machine(auto, 0.1)
    with pytest.raises(nst.ArgumentError, match=match):
        nst.fit(**{**dict(runs=5, full=FULL, demo=DEMO, fast=FAST), **kwargs})


def test_nst_mode_auto_is_a_mode_and_a_typo_lists_it(monkeypatch):
    monkeypatch.setenv("NST_MODE", "auto")
    assert nst.config.mode() == "auto" and not nst.fast_mode()
    monkeypatch.setenv("NST_MODE", "atuo")
    with pytest.raises(nst.ArgumentError, match="auto, fast, demo, full"):
        nst.config.mode()


def test_lbfgs_takes_at_most_1_1_evaluations_per_step(content64, style64):
    # The cost model's premise, checked in the engine: a line search rarely needs a second try.
    for basis in ("pyramid", "pixels"):
        r = nst.transfer(content64, style64, steps=30, basis=basis, progress=False)
        assert r.steps == 30 and r.evaluations <= 1.1 * r.steps + 2, (basis, r.evaluations)


def test_a_real_measurement_is_a_positive_number(auto):
    seconds = budget.seconds_per_evaluation(64, "float32")
    assert 0 < seconds < math.inf  # positive and finite; how fast is the benchmark's question


# ---- the setup cell (info.describe) times the machine in auto mode only -------------------------

@pytest.mark.parametrize("mode", ["auto", "fast", "demo", "full"])
def test_describe_times_the_machine_in_auto_mode_only(auto, capsys, mode):
    from nst_helpers import info

    auto.setenv("NST_MODE", mode)
    calls = []
    auto.setattr(budget, "seconds_per_evaluation", lambda side, p: calls.append((side, p)) or 0.25)
    facts = info.describe(weights=False)
    out = capsys.readouterr().out
    if mode == "auto":
        assert calls == [(256, "auto")]
        assert ("this machine: 0.25 s per evaluation at 256 px → each figure's size and steps are "
                "fitted to ~30 s (the cells that pick them print the choice)") in out
        assert facts["machine"] in out
    else:
        assert calls == [] and "this machine" not in out and "machine" not in facts


def test_describe_prints_the_demo_fallback_when_timing_fails(auto, capsys):
    from nst_helpers import info

    def broken(side, p):
        raise RuntimeError("no device")
    auto.setattr(budget, "seconds_per_evaluation", broken)
    info.describe(weights=False)  # never raises
    out = capsys.readouterr().out
    assert "could not be timed (RuntimeError: no device)" in out and "demo mode's size and steps" in out
