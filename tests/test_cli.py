"""``python -m nst_helpers transfer``: argument errors in this process (``cli.main(argv)``, fast);
end-to-end runs as real processes and in this one (Ctrl-C and SIGKILL: test_cli_signals.py)."""

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from nst_helpers.cli import main

ENV = {**os.environ, "NST_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
ROOT_IMAGES = __import__("pathlib").Path(__file__).resolve().parent.parent / "images"


def test_the_command_says_which_rule_ended_the_run(tmp_path, capsys):
    # 0.99: ten steps never lower the loss by 99 %, so the progress rule ends the run at step 10
    # of at most 50; with --min-progress 0 all 12 steps run. In this process (cli.main, real runs):
    # a fresh process's start is test_blended_masked_colour_preserving_picture_with_intermediate_pictures'
    # (and the Ctrl-C tests' in test_cli_signals.py, with the paintings named as here).
    assert main(["transfer", "chelsea", "starry_night", "-o", str(tmp_path / "a.png"), "--size", "48",
                 "--steps", "50", "--min-progress", "0.99", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "10 steps" in out and "ended: the last 10 steps lowered the loss by less than 0.99" in out
    assert main(["transfer", "chelsea", "starry_night", "-o", str(tmp_path / "b.png"), "--size", "48",
                 "--steps", "12", "--min-progress", "0", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "12 steps" in out and "ended: all steps done" in out


def test_help(capsys):
    assert main(["transfer", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--coarse-to-fine" in out and "bundled" in out and "--save-every" in out


# ---- argument errors, in this process: the same checks and messages as transfer(), exit 2 ----------

def _mask_file(path, width, height, left=255, right=0):
    """A greyscale mask picture: ``left`` on the left half, ``right`` on the right half."""
    m = np.full((height, width), right, np.uint8)
    m[:, : width // 2] = left
    Image.fromarray(m).save(path)
    return path


@pytest.fixture
def mask_files(tmp_path):
    # chelsea is 451×300; at --size 64 the photo is 64×43. Masks may have any size of that shape.
    return {"left": _mask_file(tmp_path / "left.png", 90, 60),
            "square": _mask_file(tmp_path / "square.png", 60, 60),
            "black": _mask_file(tmp_path / "black.png", 90, 60, left=0, right=0),
            "folder": _make_folder(tmp_path / "folder.png")}


def _make_folder(path):
    path.mkdir()
    return path


TWO = ["--style", "starry_night", "--style", "hubble"]


@pytest.mark.parametrize("args,expect", [
    (["missing.jpg", "starry_night"], "missing.jpg: no such file"),
    (["chelsea", "starry_night", "-o", "{tmp}/o.xyz"], "unknown image format"),
    (["chelsea", "starry_night", "-o", "{tmp}/nofolder/o.png"], "does not exist"),
    (["chelsea", "starry_night", "-o", "{folder}"], "is a folder"),
    (["chelsea", "starry_night", "--steps", "0"], "must be at least 1"),
    (["chelsea", "starry_night", "--size", "5"], "max_dim=5"),
    (["chelsea", "starry_night", "--content-layers", "fc7"], "not a VGG19"),
    (["chelsea", "starry_night", "--optimizer", "sgd"], "invalid choice"),
    (["chelsea", "starry_night", "--min-progress", "1.5"], "must be below 1"),
    (["chelsea", "starry_night", "--max-seconds", "-3"], "must not be negative"),
    (["chelsea", "starry_night", "--save-every", "0"], "must be at least 1"),
    (["chelsea", "starry_night", "--preserve-colour", "rgb"], "invalid choice"),
    (["chelsea", "starry_night", "--recipe", "gatys2015"], "invalid choice"),
    # measured and lost (issue 21 §5): no longer offered
    (["chelsea", "starry_night", "--basis", "pyramid+colour"], "invalid choice"),
    (["chelsea", "starry_night", "--lbfgs-memory", "5"], "unrecognized arguments"),
    (["chelsea"], "no painting given"),
    (["chelsea", *TWO, "--blend", "0.7,0.2,0.1"], "--blend has 3 weight(s) for 2 painting(s)"),
    (["chelsea", *TWO, "--blend", "0.7,x"], "'x' is not a number"),
    (["chelsea", *TWO, "--blend", "0.7,-0.3"], "must not be negative"),
    (["chelsea", *TWO, "--blend", "0,0"], "all zero"),
    # from transfer() itself, after the pictures are loaded and before any network work
    (["chelsea", *TWO, "--mask", "{left}"], "masks: 1 given for 2 style(s); give one mask per style"),
    (["chelsea", "starry_night", "--mask", "{square}"], "must have the content's aspect ratio"),
    (["chelsea", "starry_night", "--mask", "{black}"], "zero everywhere"),
    (["chelsea", "starry_night", "--mask", "{tmp}/nomask.png"], "nomask.png: no such file"),
])
def test_bad_arguments_fail_cleanly(tmp_path, mask_files, capsys, args, expect):
    names = {"tmp": tmp_path, **mask_files}
    argv = ["transfer", "--size", "64", *[a.format(**names) for a in args]]  # a later --size wins
    if "-o" not in argv:
        argv += ["-o", str(tmp_path / "o.png")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expect in err, err
    assert len([line for line in err.splitlines() if "error" in line]) == 1, err
    assert not (tmp_path / "o.png").exists()


def _spy_transfer(monkeypatch):
    """Replace tasks.transfer by a recorder that returns a grey picture at the photo's size."""
    from types import SimpleNamespace

    from nst_helpers import tasks

    calls = []

    def transfer(content, style, **kwargs):
        calls.append((content, style, kwargs))
        image = np.full((1, *np.shape(content)[1:3], 3), 0.5, np.float32)
        return SimpleNamespace(image=image, stop_reason="steps", history={"total": [1.0]}, loss=1.0,
                               steps=1, why="all steps done")

    monkeypatch.setattr(tasks, "transfer", transfer)
    return calls


def test_the_recipe_sets_what_the_command_line_leaves_unsaid(tmp_path, monkeypatch):
    # transfer() lets the recipe fill in only what is not given, so the command line must not
    # pass its own defaults for those: --recipe gatys2016 alone gets the paper's α, β, γ, layers,
    # start and optimiser; a flag given explicitly is passed on.
    from nst_helpers import defaults

    calls = _spy_transfer(monkeypatch)
    base = ["transfer", "chelsea", "starry_night", "--size", "48", "-o", str(tmp_path / "o.png")]
    assert main([*base, "--recipe", "gatys2016"]) == 0
    kwargs = calls[-1][2]
    assert kwargs["recipe"] == "gatys2016"
    assert not set(kwargs) & {"content_weight", "style_weight", "tv_weight", "content_layers",
                              "style_layers", "init", "optimizer", "rescaled"}, kwargs
    assert kwargs["steps"] == defaults.CLI_MAX_STEPS["lbfgs"]
    assert main([*base, "--recipe", "gatys2016", "--no-rescaled"]) == 0
    assert calls[-1][2]["rescaled"] is False
    assert main([*base, "--rescaled"]) == 0
    assert calls[-1][2]["rescaled"] is True
    assert main([*base, "--recipe", "gatys2016", "--content-weight", "5", "--init", "content",
                 "--style-layers", "block1_conv1,block2_conv1"]) == 0
    kwargs = calls[-1][2]
    assert (kwargs["content_weight"], kwargs["init"], kwargs["style_layers"]) == (
        5.0, "content", ["block1_conv1", "block2_conv1"])
    assert main([*base, "--optimizer", "adam"]) == 0
    assert calls[-1][2]["steps"] == defaults.CLI_MAX_STEPS["adam"]


def test_several_paintings_blend_and_masks_reach_transfer(tmp_path, monkeypatch, mask_files):
    calls = _spy_transfer(monkeypatch)
    right = _mask_file(tmp_path / "right.png", 90, 60, left=64, right=255)
    assert main(["transfer", "chelsea", "starry_night", "--style", "hubble", "--blend", "3,1",
                 "--mask", str(mask_files["left"]), "--mask", str(right), "--size", "48",
                 "--preserve-colour", "histogram", "-o", str(tmp_path / "o.png")]) == 0
    content, style, kwargs = calls[-1]
    assert isinstance(style, list) and len(style) == 2  # the positional painting first
    # starry_night (728×576 once its frame is cropped) first, then hubble (1000×872), at 48 px
    assert [tuple(np.shape(s)[1:3]) for s in style] == [(38, 48), (42, 48)]
    assert kwargs["style_blend"] == (3.0, 1.0) and kwargs["preserve_colour"] == "histogram"
    left_mask, right_mask = kwargs["masks"]
    assert left_mask.shape == right_mask.shape == (60, 90)  # any size: transfer() resizes them
    np.testing.assert_allclose(left_mask[:, :45], 1.0)
    np.testing.assert_allclose(left_mask[:, 45:], 0.0)
    np.testing.assert_allclose(right_mask[:, :45], 64 / 255, atol=1e-6)  # grey → a weight


def test_ctrl_c_after_the_run_keeps_the_last_saved_picture(tmp_path, monkeypatch, capsys):
    # Ctrl-C after the optimisation (no result yet): the picture --save-every last wrote is
    # better than the photo, and must not be overwritten by it.
    from nst_helpers import tasks

    def transfer(content, style, callback=None, **kwargs):
        callback(5, np.full(np.shape(content), 0.75, np.float32), {"total": 1.0})
        raise KeyboardInterrupt

    monkeypatch.setattr(tasks, "transfer", transfer)
    out = tmp_path / "o.png"
    assert main(["transfer", "chelsea", "starry_night", "--size", "48", "--save-every", "5",
                 "-o", str(out)]) == 130
    assert np.all(np.asarray(Image.open(out)) == 191)  # the saved picture, not the photo
    assert f"interrupted: {out} holds the picture of step 5" in capsys.readouterr().err


def test_save_every_writes_the_coarse_stage_at_the_final_size(tmp_path, capsys):
    from nst_helpers.cli import _Saver

    content = np.full((1, 40, 60, 3), 0.25, np.float32)
    saver = _Saver(tmp_path / "o.png", content, None, quiet=False)
    assert saver(3, np.full((1, 20, 30, 3), 0.75, np.float32), {"total": 2.0}) is False  # go on
    saved = np.asarray(Image.open(tmp_path / "o.png"))
    assert saved.shape == (40, 60, 3) and np.all(saved == 191)  # round(0.75 · 255)
    assert "step 3: saved" in capsys.readouterr().out
    assert saver.count == 1


def test_not_an_image(tmp_path, capsys):
    (tmp_path / "fake.jpg").write_text("hello")
    assert main(["transfer", str(tmp_path / "fake.jpg"), "starry_night", "-o", str(tmp_path / "o.png")]) == 2
    assert "not an image" in capsys.readouterr().err


def _python(code, timeout=120):
    """Run ``code`` in a fresh interpreter (imports are part of what is tested)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV,
                          timeout=timeout)


def test_help_does_not_import_tensorflow():
    code = ("import sys, contextlib, io\nfrom nst_helpers.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['transfer', '--help'])\n    except SystemExit:\n        pass\n"
            "print('tensorflow' in sys.modules)")
    r = _python(code)
    assert r.stdout.strip() == "False", r.stderr


def test_import_leaves_device_configuration_possible():
    # Changing thread pools raises RuntimeError once TensorFlow's runtime exists, like
    # set_memory_growth / set_visible_devices do on a GPU.
    code = ("import nst_helpers as nst\nimport tensorflow as tf\n"
            "assert nst.transfer and nst.load_image\n"
            "tf.config.threading.set_intra_op_parallelism_threads(1)\n"
            "tf.config.set_logical_device_configuration(tf.config.list_physical_devices('CPU')[0],"
            " [tf.config.LogicalDeviceConfiguration()] * 2)\nprint('configurable')")
    r = _python(code)
    assert r.stdout.strip() == "configurable", r.stderr[-2000:]


def test_known_start_up_noise_is_filtered_and_real_messages_kept(capfd, monkeypatch):
    # In this process: the filter works on file descriptor 2, which capfd reads.
    from nst_helpers.machine._tf import filtered_stderr

    monkeypatch.delenv("NST_TF_LOGS", raising=False)
    capfd.readouterr()
    with filtered_stderr():
        os.write(2, b"I0000 port.cc:153] oneDNN custom operations are on. You may see\n")
        os.write(2, b"E0000 cuda_platform.cc:52] failed call to cuInit: UNKNOWN ERROR\n")
        os.write(2, b"F0000 something real broke\n")
        # TensorFlow's fatal CPU message comes from the same file as its start-up notice
        os.write(2, b"I0000 cpu_feature_guard.cc:210] This TensorFlow binary is optimized to use available CPU instructions\n")
        os.write(2, b"F0000 cpu_feature_guard.cc:37] The TensorFlow library was compiled to use AVX instructions, but these aren't available on your machine.\n")
    assert capfd.readouterr().err == ("F0000 something real broke\n" "F0000 cpu_feature_guard.cc:37] The TensorFlow library was "
                                      "compiled to use AVX instructions, but these aren't available on your machine.\n")


def test_where_tensorflow_may_abort_on_import_nothing_is_filtered(monkeypatch):
    """An abort inside the filtered import would lose its message: on an x86 CPU without AVX the
    import is not filtered at all, and a line says why first."""
    from nst_helpers.machine import _tf, cpu

    monkeypatch.setattr("platform.machine", lambda: "x86_64")
    monkeypatch.setattr(cpu, "flags", lambda: frozenset({"sse", "sse2", "ssse3"}))
    assert _tf.may_abort()
    monkeypatch.setattr(cpu, "flags", lambda: frozenset({"sse2", "avx", "avx2"}))
    assert not _tf.may_abort()
    monkeypatch.setattr(cpu, "flags", lambda: frozenset())  # unknown (no /proc/cpuinfo): filter as usual
    assert not _tf.may_abort()
    monkeypatch.setattr("platform.machine", lambda: "arm64")
    monkeypatch.setattr(cpu, "flags", lambda: frozenset({"neon"}))
    assert not _tf.may_abort()


# ---- the whole toolbox end to end, and outputs that are never half-written -------------------------

def _photo64():
    """chelsea as the command sees it at --size 64 (Pillow's Lanczos, as load_image resizes)."""
    img = Image.open(ROOT_IMAGES / "chelsea.png").convert("RGB").resize((64, 43), Image.LANCZOS)
    return np.asarray(img)


def _ycbcr(rgb):
    """Pillow's own YCbCr conversion (JPEG's; the same luma as YIQ), float [H, W, 3] in 0–255."""
    return np.asarray(Image.fromarray(np.asarray(rgb, np.uint8)).convert("YCbCr"), np.float32)


def _paintings(folder):
    """Two strongly coloured noise textures: a red painting and a blue one."""
    noise = np.random.default_rng(0).uniform(0, 1, (96, 96))
    red = np.stack([0.6 + 0.4 * noise, 0.1 * noise, 0.1 * noise], -1)
    blue = np.stack([0.1 * noise, 0.2 * noise, 0.6 + 0.4 * noise], -1)
    paths = folder / "red.png", folder / "blue.png"
    for path, picture in zip(paths, (red, blue)):
        Image.fromarray((picture * 255).round().astype(np.uint8)).save(path)
    return paths


def _run_watching(args, out, log):
    """Run the command; each time it reports a saved picture, read ``out`` at once.

    Returns (exit code, stdout, the pictures read: each a uint8 array, or the decoding error).
    """
    snapshots, lines = [], []
    with open(log, "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "nst_helpers", "transfer", *map(str, args)],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=ENV)
        for line in proc.stdout:
            lines.append(line)
            if ": saved " in line:
                try:
                    with Image.open(out) as img:
                        snapshots.append(np.asarray(img.convert("RGB")))
                except Exception as exc:  # noqa: BLE001 - a half-written file is what we look for
                    snapshots.append(exc)
        rc = proc.wait(300)
    return rc, "".join(lines), snapshots


def test_blended_masked_colour_preserving_picture_with_intermediate_pictures(tmp_path):
    red, blue = _paintings(tmp_path)
    left = _mask_file(tmp_path / "left.png", 451, 300)
    right = _mask_file(tmp_path / "right.png", 451, 300, left=0, right=255)
    out = tmp_path / "out" / "picture.png"
    out.parent.mkdir()
    rc, stdout, snapshots = _run_watching(
        ["chelsea", "--style", red, "--style", blue, "--blend", "0.7,0.3", "--mask", left,
         "--mask", right, "--preserve-colour", "luminance", "--save-every", 1, "--size", 64,
         "--steps", 8, "--min-progress", 0, "--precision", "float32", "-o", out],
        out, tmp_path / "stderr.txt")
    # The whole command in a fresh process (python -m nst_helpers): what it says, what it writes.
    assert rc == 0, (tmp_path / "stderr.txt").read_text()[-3000:]
    assert "8 pictures on the way" in stdout and "VGG19 weights:" in stdout, stdout
    assert f"wrote {out}" in stdout, stdout
    final = np.asarray(Image.open(out))
    assert final.shape == (43, 64, 3)
    photo = _photo64()
    # The photo's colours: chrominance (Cb, Cr, by Pillow) within 8-bit rounding of the photo's,
    # while the style did change the luminance; the red/blue paintings alone would be far off.
    chroma = np.abs(_ycbcr(final)[..., 1:] - _ycbcr(photo)[..., 1:]).mean()
    assert chroma < 1.5, chroma
    assert np.abs(_ycbcr(final)[..., 0] - _ycbcr(photo)[..., 0]).mean() > 3
    painting = np.asarray(Image.open(red).resize((64, 43)))
    assert np.abs(_ycbcr(painting)[..., 1:] - _ycbcr(photo)[..., 1:]).mean() > 20
    # Every picture read while the run went on was complete, at the final size, in the photo's
    # colours too; and the picture changed from save to save.
    assert len(snapshots) == 8
    for snap in snapshots:
        assert isinstance(snap, np.ndarray), snap
        assert snap.shape == (43, 64, 3)
        assert np.abs(_ycbcr(snap)[..., 1:] - _ycbcr(photo)[..., 1:]).mean() < 1.5
    assert len({snap.tobytes() for snap in snapshots}) >= 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["picture.png"]  # no temporary left


def test_masks_confine_each_painting_to_its_region(tmp_path):
    # Left half: the red painting, right half: the blue one. Compared with the photo, the left
    # half must turn redder (R − B up) and the right half bluer; ignored or swapped masks fail.
    red, blue = _paintings(tmp_path)
    left = _mask_file(tmp_path / "left.png", 64, 43)
    right = _mask_file(tmp_path / "right.png", 64, 43, left=0, right=255)
    out = tmp_path / "out.png"  # in this process (cli.main): the masks' path from the command line is the same
    assert main(["transfer", "chelsea", "--style", str(red), "--style", str(blue), "--mask", str(left),
                 "--mask", str(right), "--size", "64", "--steps", "12", "--min-progress", "0",
                 "--precision", "float32", "--quiet", "-o", str(out)]) == 0
    result, photo = (np.asarray(a, np.float32) / 255 for a in (Image.open(out), _photo64()))

    def redder(picture, columns):
        half = picture[:, columns]
        return float(half[..., 0].mean() - half[..., 2].mean())

    left_cols, right_cols = slice(0, 28), slice(36, 64)  # away from the soft border
    left_change = redder(result, left_cols) - redder(photo, left_cols)
    right_change = redder(result, right_cols) - redder(photo, right_cols)
    assert left_change > 0 > right_change, (left_change, right_change)
    assert left_change - right_change > 0.08, (left_change, right_change)
