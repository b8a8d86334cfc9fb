"""gallery: one run computes a figure once and draws it in English and Korean."""


def test_the_gallery_computes_a_figure_once_and_draws_it_in_both_languages(tmp_path, monkeypatch, capsys):
    """One run writes the English and the Korean PNG; a later ``--lang ko`` redraws from the cached
    arrays without building VGG19 again (the 2.5 h of a full gallery are not spent twice)."""
    from nst_helpers import features, gallery

    monkeypatch.setenv("NST_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "results"
    assert gallery.main(["--fast", "--out", str(out), "--only", "03_gram_heatmap"]) == 0
    english, korean = out / "03_gram_heatmap.png", out / "ko" / "03_gram_heatmap.png"
    assert english.is_file() and korean.is_file() and english.read_bytes() != korean.read_bytes()
    capsys.readouterr()

    def no_network(*args, **kwargs):
        raise AssertionError("the Korean redraw computed the features again")
    monkeypatch.setattr(features, "FeatureExtractor", no_network)
    korean.unlink()
    assert gallery.main(["--fast", "--out", str(out), "--lang", "ko", "--only", "03_gram_heatmap"]) == 0
    assert korean.is_file() and "drawn from the cached arrays" in capsys.readouterr().out
