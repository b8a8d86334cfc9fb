"""NST_LANG=ko in the package: Korean checks, explorer and picker labels, figures with a Hangul font
(and the warning without one), English for an unknown language, with one warning."""

import warnings

import pytest


def test_a_check_speaks_korean_with_nst_lang_ko(monkeypatch, capsys):
    import tensorflow as tf

    from nst_helpers import checks

    def wrong(image):  # forgets to reverse the channels
        return image * 255.0 - tf.constant([103.939, 116.779, 123.68])

    monkeypatch.setenv("NST_LANG", "ko")
    assert checks.check_preprocess(wrong) is False
    out = capsys.readouterr().out
    assert "최대 상대 오차" in out and "힌트: 채널 순서를 뒤집고" in out
    assert checks.check_answer("ratio_1e9", "photo") is True
    assert "✓ 맞습니다: 스타일 가중치가" in capsys.readouterr().out
    monkeypatch.setenv("NST_LANG", "en")
    checks.check_preprocess(wrong)
    assert "Hint: reverse the channels" in capsys.readouterr().out


def test_explorer_and_picker_labels_are_korean_with_nst_lang_ko(monkeypatch, content64, style64):
    from nst_helpers import widgets

    monkeypatch.setenv("NST_LANG", "ko")
    ex = widgets.TransferExplorer(content64, style64, warm_up=False)
    assert ex.run_button.description == "실행" and ex.stop_button.description == "중지"
    assert ex.controls["steps"].description == "스텝" and ex.controls["content_weight"].description == "콘텐츠 α"
    assert "<b>실행</b>" in ex.status.value
    # A8: the optimisers by their names, the argument values behind them
    assert ex.controls["optimizer"]._options_labels == ("L-BFGS", "Adam") and ex.controls["optimizer"].value == "lbfgs"
    assert "L-BFGS" in ex._describe(ex.settings()) and "lbfgs" not in ex._describe(ex.settings())
    picker = widgets.ImagePicker("chelsea", max_dim=64)
    assert picker.upload.description == "내 이미지 업로드"


def test_an_unknown_nst_lang_falls_back_to_english_with_one_warning(monkeypatch):
    from nst_helpers import language

    monkeypatch.setattr(language, "_warned", set())
    monkeypatch.setenv("NST_LANG", "fr")
    with pytest.warns(UserWarning, match=r"NST_LANG='fr' is not one of en, ko: using English") as caught:
        assert language.t("Run") == "Run"
        assert language.t("Stop") == "Stop"  # warned once, not on every string
    assert len(caught) == 1 and "\n" not in str(caught[0].message)


def _render_korean_figure():
    """Draw a Korean title, axis label and legend with Agg; return the warnings it raised."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure()
    FigureCanvasAgg(fig)  # a bare Figure's canvas draws nothing, so it would warn of nothing
    ax = fig.add_subplot()
    ax.plot([0, 1], [1, -1], label="콘텐츠 손실")
    ax.set_title("스타일 전이 — 단계별 손실")
    ax.set_xlabel("스텝")
    ax.legend()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught]


def test_a_korean_figure_renders_with_no_missing_glyph(monkeypatch):
    import matplotlib

    from nst_helpers import language

    monkeypatch.setenv("NST_LANG", "ko")
    with matplotlib.rc_context():
        assert language.use_hangul_font(), "no Hangul font: pip install koreanize-matplotlib (requirements.txt)"
        assert not [m for m in _render_korean_figure() if "Glyph" in m]


def test_without_the_font_the_same_figure_warns_of_missing_glyphs(monkeypatch):
    """The check above can fail: matplotlib's own font has no Hangul."""
    import matplotlib

    from nst_helpers import language

    monkeypatch.setenv("NST_LANG", "ko")
    monkeypatch.setattr(language, "hangul_font", lambda: None)
    monkeypatch.setattr(language, "_warned", set())
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with pytest.warns(UserWarning, match="koreanize-matplotlib"):
            assert language.use_hangul_font() is False
        assert [m for m in _render_korean_figure() if "Glyph" in m and "missing" in m]


def test_package_figures_label_in_korean(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from nst_helpers import plotting

    monkeypatch.setenv("NST_LANG", "ko")
    with matplotlib.rc_context():
        fig = plotting.show_gram([[1.0, 0.5], [0.5, 1.0]])
        ax = fig.axes[0]
        assert ax.get_xlabel() == "채널" and ax.get_title().startswith("그람 행렬")
        matplotlib.pyplot.close(fig)
