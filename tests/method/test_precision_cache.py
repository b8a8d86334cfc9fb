"""The precision cache (``precision.json`` in the cache folder) is hostile input: bad contents are
measured again and replaced, an unreadable or unwritable folder never stops a run, and two runs
writing at once keep every entry (two real processes)."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from precision_support import CPU, fake_timer, key, reason

from nst_helpers import precision

# ---- the cache file is hostile input -------------------------------------------------------------


BAD_CACHES = {
    "a list": b"[1, 2]",
    "a string per key": json.dumps({"KEY": "x"}).encode(),
    "strings for times": json.dumps({"KEY": {"float32": "a"}}).encode(),
    "one precision missing": json.dumps({"KEY": {"float32": 0.5}}).encode(),
    "negative time": json.dumps({"KEY": {"float32": -1.0, "bfloat16": 0.2}}).encode(),
    "NaN time": b'{"KEY": {"float32": NaN, "bfloat16": 0.2}}',
    "infinite time": b'{"KEY": {"float32": Infinity, "bfloat16": 0.2}}',
    "booleans": json.dumps({"KEY": {"float32": True, "bfloat16": 1}}).encode(),
    "a list entry": json.dumps({"KEY": [0.1, 0.2]}).encode(),
    "null": b"null",
    "a number": b"42",
    "empty": b"",
    "truncated": b'{"KEY": {"float32": 0.',
    "corrupt bytes": b"\xff\xfe\x00\x81garbage\x00",
    "nested too deep": b"[" * 100_000,
}


@pytest.mark.parametrize("content", BAD_CACHES.values(), ids=BAD_CACHES.keys())
def test_a_bad_cache_is_measured_again_and_replaced(monkeypatch, fresh, content):
    other = {"float32": 0.7, "bfloat16": 0.9}  # a good entry of another machine, kept
    path = fresh / "precision.json"
    path.write_bytes(content.replace(b"KEY", key().encode()))
    calls = []
    fake_timer(monkeypatch, {"float32": 0.4, "bfloat16": 0.2}, calls)
    assert precision.choose("auto", 256) == ("bfloat16", reason("bfloat16", CPU, 256,
                                                                {"float32": 0.4, "bfloat16": 0.2}))
    assert len(calls) == 2
    saved = json.loads(path.read_text())
    assert saved == {key(): {"float32": 0.4, "bfloat16": 0.2}}
    # A good entry beside bad ones survives the rewrite; the bad ones do not.
    saved = {"Other CPU|x|tf0|256": other, key(512): "garbage", "Junk CPU|x|tf0|256": {"float32": "a"}}
    path.write_text(json.dumps(saved))
    precision.choose("auto", 512)
    assert json.loads(path.read_text()) == {"Other CPU|x|tf0|256": other,
                                            key(512): {"float32": 0.4, "bfloat16": 0.2}}


@pytest.mark.parametrize("content", BAD_CACHES.values(), ids=BAD_CACHES.keys())
def test_evaluation_seconds_measures_a_bad_cache_again(monkeypatch, fresh, content):
    path = fresh / "precision.json"
    path.write_bytes(content.replace(b"KEY", key().encode()))
    calls = []
    fake_timer(monkeypatch, {"float32": 0.4, "bfloat16": 0.2}, calls)
    assert precision.evaluation_seconds("bfloat16", 256) == 0.2 and len(calls) == 3
    assert precision.evaluation_seconds("bfloat16", 256) == 0.2 and len(calls) == 3  # kept in memory
    saved = json.loads(path.read_text())
    assert saved[key()]["bfloat16"] == 0.2 and set(saved[key()]) <= {"float32", "bfloat16"}


def _break_folder_with_a_directory(folder):
    (folder / "precision.json").mkdir()  # neither readable nor replaceable as a file
    return folder


def _break_folder_under_a_file(folder):
    (folder / "a file").write_text("x")
    return folder / "a file" / "cache"  # mkdir fails: its parent is a file


def _break_folder_read_only(folder):
    folder.chmod(0o500)
    return folder


@pytest.mark.parametrize("break_it", [
    _break_folder_with_a_directory, _break_folder_under_a_file,
    pytest.param(_break_folder_read_only, marks=pytest.mark.skipif(
        hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to read-only folders")),
], ids=["cache file is a folder", "cache folder under a file", "read-only folder"])
def test_an_unreadable_or_unwritable_cache_never_stops_a_run(monkeypatch, fresh, break_it):
    folder = break_it(fresh)
    monkeypatch.setenv("NST_CACHE_DIR", str(folder))
    calls = []
    fake_timer(monkeypatch, {"float32": 0.4, "bfloat16": 0.2, "float16": 0.8}, calls)
    try:
        assert precision.choose("auto", 256)[0] == "bfloat16" and len(calls) == 2
        assert precision.choose("auto", 256)[0] == "bfloat16" and len(calls) == 2  # kept in memory
        assert precision.evaluation_seconds("float16", 256) == 0.8 and len(calls) == 5
        assert precision.evaluation_seconds("float16", 256) == 0.8 and len(calls) == 5
        assert not list(fresh.glob(".precision-*"))  # no temporary file left behind
    finally:
        fresh.chmod(0o700)


def test_reading_the_file_keeps_what_this_process_measured_when_it_could_not_write(monkeypatch, fresh):
    calls = []
    fake_timer(monkeypatch, {"float32": 0.4, "bfloat16": 0.2}, calls)

    def unwritable(path):
        raise OSError("read-only")
    monkeypatch.setattr(precision, "_locked", unwritable)
    assert precision.evaluation_seconds("float32", 256) == 0.4 and len(calls) == 3
    assert not (fresh / "precision.json").exists()
    # Another run wrote an older float32 for the same key, and a bfloat16 this process lacks.
    (fresh / "precision.json").write_text(json.dumps({key(): {"float32": 0.9, "bfloat16": 0.25}}))
    assert precision.evaluation_seconds("bfloat16", 256) == 0.25 and len(calls) == 3  # read
    assert precision.evaluation_seconds("float32", 256) == 0.4 and len(calls) == 3  # still ours


def test_a_write_keeps_what_another_run_wrote_meanwhile(monkeypatch, fresh):
    calls = []
    fake_timer(monkeypatch, {"float32": 0.4, "bfloat16": 0.2}, calls)
    precision.choose("auto", 256)
    path = fresh / "precision.json"
    theirs = {**json.loads(path.read_text()), "Their CPU|f|tf0|256": {"float32": 0.3, "bfloat16": 0.6}}
    path.write_text(json.dumps(theirs))  # another run, after this one read the file
    precision.choose("auto", 1024)
    assert json.loads(path.read_text()) == {**theirs, key(1024): {"float32": 0.4, "bfloat16": 0.2}}
    assert sorted(p.name for p in fresh.iterdir()) == ["precision.json", "precision.json.lock"]


WRITER = """
import json, sys, time
from pathlib import Path
from nst_helpers import cpu, precision

name, go, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
precision._gpu = lambda: None
precision._cpu_has_bf16 = lambda: True
precision._tf_version = lambda: "test"
cpu.isa_cap = lambda: ""  # no oneDNN cap, as in ``fresh``
precision._evaluation_timer = lambda p, side, shape=None: (lambda: {"float32": 0.2, "bfloat16": 0.1}[p])
while not go.exists():
    time.sleep(0.001)
answers = []
for i in range(n):
    cpu.model = lambda i=i: f"{name} {i}"  # another machine each time: one more entry to write
    answers.append(precision.choose("auto", 256)[0])
print(json.dumps(answers))
"""


def test_two_runs_writing_at_once_keep_every_entry_and_finish(tmp_path):
    n = 40
    go = tmp_path / "go"
    env = {**os.environ, "NST_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, "-c", WRITER, name, str(go), str(n)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in ("run A", "run B")]
    go.touch()  # both start writing at the same moment
    for run in runs:
        out, err = run.communicate(timeout=600)  # a guard against a hang, not a speed limit
        assert run.returncode == 0, err
        assert json.loads(out) == ["bfloat16"] * n
    saved = json.loads((tmp_path / "cache" / "precision.json").read_text())
    names = {k.split("|")[0] for k in saved}
    assert names == {f"{name} {i}" for name in ("run A", "run B") for i in range(n)}
    assert all(v == {"float32": 0.2, "bfloat16": 0.1} for v in saved.values())


RUNNER = """
import json, sys, time
from pathlib import Path
import numpy as np
import nst_helpers as nst
from nst_helpers import cpu, precision

go = Path(sys.argv[1])
precision._gpu = lambda: None  # a CPU with bfloat16 instructions, whatever this one has
precision._cpu_has_bf16 = lambda: True
cpu.model = lambda: CPU_NAME
cpu.isa_cap = lambda: ""  # no oneDNN cap, as in ``fresh``
precision._evaluation_timer = lambda p, side, shape=None: (lambda: {"float32": 0.1, "bfloat16": 0.2}[p])
content, style = nst.load_image("chelsea", max_dim=64), nst.load_image("starry_night", max_dim=64)
while not go.exists():
    time.sleep(0.001)
r = nst.transfer(content, style, steps=2, precision="auto", progress=False)
image = np.asarray(r.image)
print(json.dumps({"shape": list(image.shape), "content": list(np.shape(content)),
                  "finite": bool(np.isfinite(image).all()), "lo": float(image.min()),
                  "hi": float(image.max()), "precision": r.settings["precision"],
                  "reason": r.settings["precision_reason"]}))
""".replace("CPU_NAME", repr(CPU))  # the fake CPU of precision_support


def test_two_real_runs_at_once_over_a_corrupt_cache_finish_with_their_pictures(tmp_path):
    # End to end, as a user meets it: real transfers, only the machine and its timer faked. The
    # cache a crash mid-write would leave (truncated JSON); every other bad content, "a list"
    # included, is read and replaced by the same code in test_a_bad_cache_is_measured_again_and_replaced.
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "precision.json").write_bytes(BAD_CACHES["truncated"].replace(b"KEY", key(128).encode()))
    go = tmp_path / "go"
    env = {**os.environ, "NST_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT), "NST_OFFLINE": "1"}
    runs = [subprocess.Popen([sys.executable, "-c", RUNNER, str(go)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    go.touch()  # both past their imports and loads may be a while; both then start at once
    for run in runs:
        out, err = run.communicate(timeout=900)  # a guard against a hang, not a speed limit
        assert run.returncode == 0, err
        r = json.loads(out.strip().splitlines()[-1])
        assert r["shape"] == r["content"] and r["shape"][0] == 1 and r["shape"][-1] == 3
        assert r["finite"] and 0.0 <= r["lo"] <= r["hi"] <= 1.0 and r["hi"] > r["lo"]
        assert r["precision"] == "float32"
        assert r["reason"].startswith(f"auto: float32 measured faster on {CPU} at 128 px (float32 0.100 s")
    saved = json.loads((cache / "precision.json").read_text())  # replaced by a whole, valid file
    assert list(saved.values()) == [{"float32": 0.1, "bfloat16": 0.2}]
    assert list(saved)[0].startswith(f"{CPU}|") and list(saved)[0].endswith("|128")
