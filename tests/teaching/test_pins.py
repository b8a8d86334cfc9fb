"""The class gallery: pinned results keep their settings in the PNG (``nst.pin``, the command line's
PNG output), ``read_pin`` reads them back without decoding pixels or running anything, and
``python -m nst_helpers gallery FOLDER`` writes ``FOLDER/index.html`` from the good files, skipping
every other file with one line naming it."""

import datetime
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import types
import zlib
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

import nst_helpers as nst
from nst_helpers import classroom, pins
from nst_helpers.errors import ArgumentError
from nst_helpers.method.arguments import Settings

ENV = {**os.environ, "NST_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args, lang="en"):
    env = {**ENV, "NST_LANG": lang, "PYTHONPATH": ROOT}
    return subprocess.run([sys.executable, "-m", "nst_helpers", *map(str, args)], capture_output=True,
                          text=True, timeout=600, env=env)


def fake_result(seed=0, **changes):
    """A Result-like object: a 30×40 picture and the Settings of a transfer."""
    given = dict(kind="transfer", steps=7, optimizer="adam", basis="pixels", init="content", seed=3,
                 size=40, precision="float32", content_layers=("block5_conv2",),
                 style_layers=("block1_conv1", "block2_conv1"), content_weight=1e4, style_weight=1e-2,
                 tv_weight=30.0, styles=1, recipe="tutorial")
    settings = Settings(**{**given, **changes})
    image = np.random.default_rng(seed).random((1, 30, 40, 3), dtype=np.float32)
    return types.SimpleNamespace(image=image, settings=settings)


def png(path, text=None, size=(40, 30), itxt=False):
    """A small PNG, with the text chunk ``nst-settings`` = ``text`` when given."""
    info = None
    if text is not None:
        info = PngInfo()
        (info.add_itxt if itxt else info.add_text)("nst-settings", text)
    Image.new("RGB", size, (200, 30, 30)).save(path, pnginfo=info)
    return path


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_header_png(path, width=20000, height=20000):
    """A PNG whose header claims ``width``×``height`` px (and a valid pin chunk), with no pixels."""
    text = b"nst-settings\0" + json.dumps({"format": "nst-pin/1", "steps": 1}).encode()
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", text) + chunk(b"IEND", b""))
    path.write_bytes(data)
    return path


# ---- pin and read_pin ---------------------------------------------------------------------------

def test_a_pin_round_trips_its_settings(tmp_path):
    result = fake_result()
    path = nst.pin(result, tmp_path / "kim.png", name="Kim", note="더 많은 소용돌이", content="photos/cat.jpg",
                   style="starry_night")
    want = {  # written out by hand: what the Settings above hold, as JSON's plain values
        "format": "nst-pin/1", "kind": "transfer", "steps": 7, "optimizer": "adam", "basis": "pixels",
        "min_progress": None, "max_seconds": None, "init": "content", "seed": 3, "size": 40,
        "precision": "float32", "precision_reason": None, "rescaled": False, "scales": None,
        "recipe": "tutorial", "content_layers": ["block5_conv2"],
        "style_layers": ["block1_conv1", "block2_conv1"], "style_layer_weights": None,
        "content_weight": 10000.0, "style_weight": 0.01, "tv_weight": 30.0, "styles": 1,
        "style_blend": None, "masks": None, "preserve_colour": None,
        "content": "cat.jpg", "style": "starry_night", "who": "Kim", "note": "더 많은 소용돌이",
    }
    got = pins.read_pin(path)
    assert got.pop("nst_helpers") == nst.__version__
    assert abs(datetime.datetime.fromisoformat(got.pop("date")) - datetime.datetime.now()).total_seconds() < 60
    assert got == want
    pixels = np.asarray(Image.open(path))
    assert pixels.shape == (30, 40, 3)
    assert np.array_equal(pixels, (np.clip(result.image[0], 0, 1) * 255 + 0.5).astype(np.uint8))


def test_read_pin_never_decodes_the_pixels(tmp_path, monkeypatch):
    path = nst.pin(fake_result(), tmp_path / "a.png")

    def refuse(*args, **kwargs):
        raise AssertionError("read_pin decoded the pixels")

    monkeypatch.setattr(Image.Image, "load", refuse)
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    assert pins.read_pin(path)["steps"] == 7


def test_pin_refuses_what_it_could_not_read_back(tmp_path):
    with pytest.raises(ArgumentError, match=r"a pin is a PNG file \(settings are kept only in PNG\).*a\.png"):
        nst.pin(fake_result(), tmp_path / "a.jpg")
    with pytest.raises(ArgumentError, match="note must be text of at most 1000 characters"):
        nst.pin(fake_result(), tmp_path / "a.png", note="x" * 1001)
    assert not list(tmp_path.iterdir())


def test_pin_names_a_file_in_pins_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = nst.pin(fake_result(), name="Lee Min-ji")
    assert path.parent.name == "pins" and re.fullmatch(r"Lee_Min-ji-\d{8}-\d{6}\.png", path.name)
    assert pins.read_pin(path)["who"] == "Lee Min-ji"


@pytest.fixture(scope="module")
def real_result():
    return nst.transfer("chelsea", "starry_night", steps=1, size=48, progress=False)


def test_a_real_transfer_pinned_and_read(tmp_path, real_result):
    path = nst.pin(real_result, tmp_path / "r.png", content="chelsea", style="starry_night")
    got = pins.read_pin(path)
    assert (got["steps"], got["size"], got["optimizer"], got["recipe"]) == (1, 48, "lbfgs", "tutorial")
    assert (got["content_weight"], got["style_weight"], got["tv_weight"]) == (1e4, 1e-2, 30.0)
    assert (got["content"], got["style"], got["kind"]) == ("chelsea", "starry_night", "transfer")
    assert got["style_layers"] == ["block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1",
                                   "block5_conv1"]
    assert Image.open(path).size == (48, 32)  # chelsea is 451×300


# ---- the command line ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_output(tmp_path_factory):
    """One real ``transfer`` run's PNG output (and its JPEG twin), written by the command (its
    ``main``, in this process: a fresh process's start is tests/test_cli.py's)."""
    from nst_helpers.cli import main

    folder = tmp_path_factory.mktemp("cli")
    assert main(["transfer", "chelsea", "starry_night", "-o", str(folder / "cli.png"), "--size", "48",
                 "--steps", "2", "--quiet", "--name", "Park", "--note", "from the terminal"]) == 0
    return folder / "cli.png"


def test_the_command_lines_png_output_carries_the_settings(cli_output):
    got = pins.read_pin(cli_output)
    assert (got["content"], got["style"], got["who"], got["note"]) == ("chelsea", "starry_night", "Park",
                                                                      "from the terminal")
    assert (got["steps"], got["size"], got["optimizer"], got["recipe"]) == (2, 48, "lbfgs", "tutorial")
    assert got["min_progress"] == [0.015, 10]  # the command's default stopping rule


def test_the_help_says_settings_are_kept_only_in_png(capsys):
    from nst_helpers.cli import main

    assert main(["transfer", "--help"]) == 0
    assert "settings are kept only in PNG" in " ".join(capsys.readouterr().out.split())
    assert main(["gallery", "--help"]) == 0
    assert "FOLDER/index.html" in capsys.readouterr().out


# ---- the gallery page ---------------------------------------------------------------------------

BAD = {  # file → words its skip line must hold
    "notes.png": "not a PNG picture",
    "photo.jpg": "not a PNG picture",
    "readme.txt": "not a PNG picture",
    "plain.png": "no pinned settings (not saved by nst.pin or the command line)",
    "badjson.png": "its settings are not valid JSON",
    "nan.png": "its settings are not valid JSON",
    "nested.png": "its setting palette holds a nested value",
    "longtext.png": "its setting remark is 5000 characters long, more than 1000",
    "huge.png": "20000×20000 px is larger than 4096×4096 px",
    "otherformat.png": "its settings are of format None",
}
SCRIPT_NOTE = '<script>alert("pwned")</script>'
SCRIPT_WHO = '"><img src=x onerror=alert(1)>'


def make_bad_files(folder):
    (folder / "notes.png").write_text("import os; os.system('echo pwned')\n")
    Image.new("RGB", (40, 30)).save(folder / "photo.jpg")
    (folder / "readme.txt").write_text("hello")
    png(folder / "plain.png")
    png(folder / "badjson.png", "{'steps': 3,")
    png(folder / "nan.png", '{"format": "nst-pin/1", "style_weight": NaN}')
    png(folder / "nested.png", json.dumps({"format": "nst-pin/1", "palette": {"name": "x"}}), itxt=True)
    png(folder / "longtext.png", json.dumps({"format": "nst-pin/1", "remark": "x" * 5000}))
    huge_header_png(folder / "huge.png")
    png(folder / "otherformat.png", json.dumps({"steps": 3}))


@pytest.fixture
def class_folder(tmp_path, cli_output):
    folder = tmp_path / "class"
    folder.mkdir()
    nst.pin(fake_result(1), folder / "ana.png", name="Ana", content="chelsea", style="starry_night")
    nst.pin(fake_result(2, style_weight=1.0), folder / "bo.png", name=SCRIPT_WHO, note=SCRIPT_NOTE,
            content="astronaut", style="hubble")
    shutil.copy(cli_output, folder / "cli.png")
    make_bad_files(folder)
    (folder / ".DS_Store").write_bytes(b"\0\1")  # hidden: passed over silently
    (folder / "sub").mkdir()
    return folder


class Page(HTMLParser):
    """The page's visible text (not inside <script> or <style>), its <img> sources and its tags."""

    def __init__(self, text):
        super().__init__()
        self.text, self.images, self.tags, self._skip = [], [], [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._skip += tag in ("script", "style")
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


GOOD = ("ana.png", "bo.png", "cli.png")


def test_the_gallery_command_makes_the_page_and_skips_crafted_files(class_folder):
    r = run("gallery", class_folder)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    for name, why in BAD.items():
        assert sum(name in line for line in lines) == 1, (name, lines)
        assert any(line.startswith(f"skipped {name}: {why}") for line in lines), (name, lines)
    assert lines[-1] == f"wrote {class_folder / 'index.html'}: 3 picture(s), {len(BAD)} file(s) skipped"
    assert len(lines) == len(BAD) + 1  # nothing about .DS_Store, sub/ or the good pictures
    text = (class_folder / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert sorted(page.images) == sorted(GOOD)
    assert page.tags.count("script") == 1 and page.tags.count("img") == 3  # the note injected nothing
    assert SCRIPT_NOTE in page.text and any(SCRIPT_WHO in t for t in page.text)  # shown as text
    assert "http" not in text.replace("http-equiv", "")  # no external assets
    for key in ("starry_night", "hubble", "Ana", "Park", "from the terminal"):
        assert key in page.text
    assert not any(p.name.startswith(".index.html") for p in class_folder.iterdir())


def test_the_gallery_cards_carry_sort_keys(class_folder):
    classroom.class_gallery(class_folder, echo=lambda line: None)
    text = (class_folder / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r"<figure ([^>]*)>", text)
    assert len(cards) == 3
    ana = dict(re.findall(r'data-([\w-]+)="([^"]*)"', cards[0]))
    assert ana["style"] == "starry_night" and float(ana["style-weight"]) == 0.01
    assert float(ana["ratio"]) == pytest.approx(1e4 / 1e-2)
    for kind in ("style", "style-weight", "ratio"):
        assert f'data-key="{kind}"' in text  # a sort button for it


def test_the_gallery_in_korean(class_folder):
    r = run("gallery", class_folder, "--title", "3반", lang="ko")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == len(BAD) + 1
    assert all(line.startswith("건너뛴 파일 ") for line in lines[:-1])
    assert lines[-1].startswith("페이지를 저장했습니다: ")
    page = Page((class_folder / "index.html").read_text(encoding="utf-8"))
    assert "3반" in page.text and '<html lang="ko">' in (class_folder / "index.html").read_text()


def _english_words(texts, data):
    """Words of three or more Latin letters in ``texts`` that are not in ``data`` (values, names)."""
    allowed = {"PNG", "JSON", "VGG", "nst", "pin", "python", "nst_helpers", "transfer", "NAME", "png",
               "result"}
    found = set()
    for text in texts:
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, " ")
        found |= set(re.findall(r"[A-Za-z_]{3,}", text)) - allowed
    return found


def test_the_korean_page_and_lines_have_no_english_ui_words(tmp_path, monkeypatch):
    folder = tmp_path / "class"
    folder.mkdir()
    for i, (who, style) in enumerate((("Ana", "starry_night"), ("민지", "hubble"))):
        nst.pin(fake_result(i, rescaled=True), folder / f"p{i}.png", name=who, note="memo text",
                content="chelsea", style=style)
    make_bad_files(folder)
    data = {"Ana", "민지", "starry_night", "hubble", "chelsea", "memo text", "adam", "tutorial", "None",
            "palette", "remark", str(folder / "index.html"), *(p.name for p in folder.iterdir())}
    for lang, expect_english in (("en", True), ("ko", False)):
        monkeypatch.setenv("NST_LANG", lang)
        lines = []
        classroom.class_gallery(folder, echo=lines.append)
        page = Page((folder / "index.html").read_text(encoding="utf-8"))
        english = _english_words(lines + page.text, data)
        assert bool(english) == expect_english, (lang, english)
    assert "수업 갤러리" in page.text and "정렬:" in page.text and "예" in page.text  # rescaled: yes


def test_every_gallery_label_has_a_korean_entry():
    from nst_helpers.language import KO

    labels = {label for label, _ in classroom.ROWS} | {label for label, _, _ in classroom.SORTS}
    assert not {label for label in labels if label != "α/β"} - set(KO)


def test_a_folder_without_pins_exits_non_zero_and_says_what_to_do(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    make_bad_files(folder)
    r = run("gallery", folder)
    assert r.returncode == 1
    assert r.stdout.count("skipped ") == len(BAD)
    assert "no pinned picture in" in r.stderr and "nst.pin(result)" in r.stderr
    assert not (folder / "index.html").exists()
    r = run("gallery", tmp_path / "missing", lang="ko")
    assert r.returncode == 1 and r.stderr.startswith("폴더가 아닙니다: ")
    with pytest.raises(ArgumentError, match="no pinned picture"):
        classroom.class_gallery(folder, echo=lambda line: None)


def test_the_page_is_written_atomically(class_folder, monkeypatch, capsys):
    page = class_folder / "index.html"
    page.write_text("the old page")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert classroom.main(str(class_folder)) == 1
    assert "could not write the page: [Errno 28] No space left on device" in capsys.readouterr().err
    assert page.read_text() == "the old page"
    assert sorted(p.name for p in class_folder.iterdir() if p.name.startswith(".")) == [".DS_Store"]
    monkeypatch.undo()
    assert classroom.main(str(class_folder)) == 0
    assert "<figure" in page.read_text(encoding="utf-8")


def test_the_command_refuses_a_note_too_long_before_the_run(capsys):
    from nst_helpers.cli import main

    assert main(["transfer", "chelsea", "starry_night", "-o", "x.png", "--note", "x" * 1001]) == 2
    assert "1001 characters; at most 1000 fit in the picture" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_skipped_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(pins.NotAPin, match=r"pipe\.png: not a readable file"):
        pins.read_pin(tmp_path / "pipe.png")  # opening it would wait for a writer forever
