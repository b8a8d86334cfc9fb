"""gallery_record: expected() reads the gallery's record and shows its picture (the Korean one
under NST_LANG=ko); the render's own measurements; the README written from the record."""

import numpy as np
import pytest


def test_expected_reads_the_gallery_row_and_shows_its_picture(tmp_path, monkeypatch, capsys):
    """The expected-output figure quotes the README row of exactly the figure asked for."""
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    import json

    from matplotlib import image as mpimg

    from nst_helpers import gallery_record as gallery
    from nst_helpers.errors import ArgumentError

    stamp = {"date": "2026-01-02", "commit": "abc1234", "cpu": "Test CPU", "cores": 2, "tensorflow": "9.9",
             "weights": "test weights"}
    (tmp_path / "gallery.json").write_text(json.dumps({"format": "nst-gallery/1", "figures": {
        "aa": {"what": "first", "how": "made one way", "seconds": 12.4, "others_cpu_share": 0.01, **stamp},
        "bb": {"what": "second", "how": "made another way", "seconds": 345, "others_cpu_share": 0.4, **stamp}}}))
    mpimg.imsave(tmp_path / "bb.png", np.zeros((20, 40, 3)))
    monkeypatch.setattr(gallery, "OUT", tmp_path)
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    assert gallery.gallery_row("aa")["time"] == "12 s"  # 1 % of the CPU to others: a quiet machine
    assert gallery.gallery_row("bb")["time"] == "345 s (other processes took 40% of the CPU: not a measurement)"
    picture = gallery.expected("bb", full="≈ 4½ min", demo="≈ 30 s")
    out = capsys.readouterr().out
    assert "(gallery figure images/results/bb.png): made another way." in out
    assert "The cell above: ≈ 4½ min at full quality, ≈ 30 s in demo mode" in out
    # exactly that file's bytes, shown once and not resized (no width or height set)
    assert shown == [picture] and picture.data == (tmp_path / "bb.png").read_bytes()
    assert picture.width is None and picture.height is None
    with pytest.raises(ArgumentError, match="aa, bb"):
        gallery.expected("cc")
    with pytest.raises(ArgumentError, match="aa.png is missing"):
        gallery.expected("aa")


def test_the_gallery_measures_what_other_processes_took_from_proc_stat():
    """Between two readings the machine was busy 30 of 40 core-seconds, 10 of them this process's:
    others took 20 / 40 = 50 %; no reading, or no time passed, is None, not a guess."""
    from nst_helpers import gallery_record as gallery

    assert gallery._others_share((100.0, 200.0, 5.0), (130.0, 240.0, 15.0)) == 0.5
    assert gallery._others_share((100.0, 200.0, 5.0), (110.0, 240.0, 15.0)) == 0.0  # only ours
    assert gallery._others_share(None, (1.0, 2.0, 0.0)) is None
    assert gallery._others_share((1.0, 2.0, 0.0), (1.0, 2.0, 0.0)) is None
    reading = gallery._cpu_use()
    if reading is not None:  # Linux: busy ≤ total, and this process has used some CPU
        assert 0 <= reading[0] <= reading[1] and reading[2] > 0


def test_the_readme_is_written_from_the_record_and_marks_unmeasured_times():
    from nst_helpers import gallery_record as gallery

    entry = {"what": "w", "how": "h", "seconds": 7, "others_cpu_share": None, "date": None}
    text = gallery.readme({"zz": entry, "aa": {**entry, "others_cpu_share": 0.0, "date": "2026-12-07",
                                                "commit": None, "cpu": "C", "cores": 2, "tensorflow": "T",
                                                "weights": "W"}})
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows[0] == "| `aa.png` | w | h | 7 s | 2026-12-07, commit unknown, C (2 cores), TensorFlow T, W |"
    assert rows[1] == "| `zz.png` | w | h | 7 s (machine load not recorded: not a measurement) | not recorded |"


def test_expected_shows_the_korean_rendering_or_says_in_korean_that_it_is_missing(tmp_path, monkeypatch, capsys):
    """Under NST_LANG=ko: the Korean PNG and its Korean "how" where images/results/ko has them; else
    the English PNG and one Korean sentence naming the command that renders the Korean one."""
    import json

    import IPython.display
    import numpy as np
    from matplotlib import image as mpimg

    from nst_helpers import gallery_record

    entry = {"what": "w", "how": "made one way", "seconds": 3, "others_cpu_share": 0.0, "date": None}
    for folder, figures in ((tmp_path, {"aa": entry, "bb": entry}), (tmp_path / "ko", {"aa": {**entry, "how": "한국어 설명"}})):
        folder.mkdir(exist_ok=True)
        (folder / "gallery.json").write_text(json.dumps({"format": "nst-gallery/1", "figures": figures}))
    for path, value in ((tmp_path / "aa.png", 0.0), (tmp_path / "ko" / "aa.png", 1.0), (tmp_path / "bb.png", 0.5)):
        mpimg.imsave(path, np.full((4, 4, 3), value))
    monkeypatch.setattr(gallery_record, "OUT", tmp_path)
    monkeypatch.setattr(IPython.display, "display", lambda _: None)
    monkeypatch.setenv("NST_LANG", "ko")
    picture = gallery_record.expected("aa", full="≈ 4½ min", demo="≈ 30 s")
    out = capsys.readouterr().out
    assert picture.data == (tmp_path / "ko" / "aa.png").read_bytes()
    assert "(갤러리 그림 images/results/ko/aa.png): 한국어 설명." in out and "약 4½분" in out and "약 30초" in out
    picture = gallery_record.expected("bb")
    out = capsys.readouterr().out
    assert picture.data == (tmp_path / "bb.png").read_bytes()
    assert "images/results/bb.png): made one way." in out
    assert "아직 렌더링하지 않아" in out and "python -m nst_helpers.teaching.gallery --lang ko --only bb" in out


def test_a_korean_caption_under_an_english_figure_comes_from_the_catalogue(tmp_path, monkeypatch, capsys):
    """A3: where the Korean figure is not rendered yet, the caption is still Korean. The reference is
    the Korean gallery's own record: every figure rendered in both languages whose English "how"
    is made of catalogue texts must translate, part by part, to exactly the Korean record's "how"."""
    import json

    import IPython.display
    import numpy as np
    from matplotlib import image as mpimg

    from nst_helpers import gallery_record
    from nst_helpers.language import shown_parts

    results = gallery_record.OUT
    english = json.loads((results / "gallery.json").read_text(encoding="utf-8"))["figures"]
    korean = json.loads((results / "ko" / "gallery.json").read_text(encoding="utf-8"))["figures"]
    monkeypatch.setenv("NST_LANG", "ko")
    # figures whose "how" has a "; "-joined part (04_adam_losses) and one with a painting's identifier
    for name in ("02_content_reconstruction", "04_adam_losses", "01_feature_maps", "06_preserve_colour"):
        if name in korean:
            assert shown_parts(english[name]["how"], "; ") == korean[name]["how"], name
    monkeypatch.setenv("NST_LANG", "en")
    assert shown_parts(english["04_adam_losses"]["how"], "; ") == english["04_adam_losses"]["how"]

    # expected() under an English figure: the same Korean caption
    how = english["04_adam_losses"]["how"]
    (tmp_path / "gallery.json").write_text(json.dumps({"format": "nst-gallery/1", "figures": {
        "aa": {"what": "w", "how": how, "seconds": 3, "others_cpu_share": 0.0, "date": None}}}))
    mpimg.imsave(tmp_path / "aa.png", np.zeros((4, 4, 3)))
    monkeypatch.setattr(gallery_record, "OUT", tmp_path)
    monkeypatch.setattr(IPython.display, "display", lambda _: None)
    monkeypatch.setenv("NST_LANG", "ko")
    gallery_record.expected("aa")
    out = capsys.readouterr().out
    assert "images/results/aa.png" in out and "Adam 300스텝" in out and "steps" not in out and "the film" not in out


def test_show_opens_the_figure_in_the_notebooks_language(tmp_path, monkeypatch):
    """A1: gallery.show(name) is the Korean PNG under NST_LANG=ko where it exists, else the English."""
    import json

    import IPython.display
    import numpy as np
    from matplotlib import image as mpimg

    from nst_helpers import gallery_record

    entry = {"what": "w", "how": "h", "seconds": 3, "others_cpu_share": 0.0, "date": None}
    for folder, figures in ((tmp_path, {"aa": entry, "bb": entry}), (tmp_path / "ko", {"aa": entry})):
        folder.mkdir(exist_ok=True)
        (folder / "gallery.json").write_text(json.dumps({"format": "nst-gallery/1", "figures": figures}))
    for path, value in ((tmp_path / "aa.png", 0.0), (tmp_path / "ko" / "aa.png", 1.0), (tmp_path / "bb.png", 0.5)):
        mpimg.imsave(path, np.full((4, 4, 3), value))
    monkeypatch.setattr(gallery_record, "OUT", tmp_path)
    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    monkeypatch.setenv("NST_LANG", "ko")
    assert gallery_record.show("aa").data == (tmp_path / "ko" / "aa.png").read_bytes()
    assert gallery_record.show("bb").data == (tmp_path / "bb.png").read_bytes()  # no Korean yet
    monkeypatch.setenv("NST_LANG", "en")
    assert gallery_record.show("aa").data == (tmp_path / "aa.png").read_bytes()
    assert len(shown) == 3
