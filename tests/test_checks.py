"""The exercise checks accept right answers and reject the usual mistakes."""

import numpy as np
import pytest
import tensorflow as tf

import nst_helpers as nst
from nst_helpers import checks


def test_package_functions_pass():
    assert checks.check_gram_matrix(nst.gram_matrix)
    assert checks.check_preprocess(nst.preprocess)
    assert checks.check_total_variation(nst.total_variation_loss)
    assert checks.check_content_loss(lambda a, b: nst.content_loss({"x": a}, {"x": b}))
    assert checks.check_style_loss(lambda a, g: nst.style_loss({"x": a}, {"x": g}))


def test_common_mistakes_fail(capsys):
    unnormalised = lambda x: tf.linalg.einsum("bijc,bijd->bcd", x, x)  # noqa: E731
    assert not checks.check_gram_matrix(unnormalised)
    assert not checks.check_preprocess(lambda x: x * 255.0 - [123.68, 116.779, 103.939])  # forgot BGR
    assert not checks.check_content_loss(lambda a, b: tf.reduce_sum(tf.square(a - b)))  # sum, not mean
    assert not checks.check_total_variation(lambda x: tf.reduce_sum(tf.square(x[:, 1:] - x[:, :-1])))
    out = capsys.readouterr().out
    assert out.count("✗") == 4 and "Hint" in out


def test_stub_and_crash_are_reported_not_raised(capsys):
    def stub(x):
        raise NotImplementedError

    assert not checks.check_gram_matrix(stub)
    assert not checks.check_gram_matrix(lambda x: x.undefined)
    out = capsys.readouterr().out
    assert "not implemented yet" in out and "raised AttributeError" in out


def test_answers(capsys):
    assert checks.check_answer("layout_without_detail", " block5_conv2 ")
    assert not checks.check_answer("ratio_1e9", "painting")
    # What notebook 3's figure shows: 1–4 and 1–5 look alike with the tutorial's weights.
    assert checks.check_answer("texture_scale", 5) and checks.check_answer("texture_scale", "4")
    assert not checks.check_answer("texture_scale", 3)
    for key, (right, _) in checks.ANSWERS.items():
        assert not any(answer in key for answer in right), key  # a key never gives its answer away


def test_a_scalar_may_come_as_shape_one(capsys):
    # tf.image.total_variation returns shape (1,) for one image; that is a right answer too.
    assert checks.check_total_variation(lambda x: tf.image.total_variation(x))
    assert checks.check_content_loss(lambda a, b: tf.reshape(tf.reduce_mean(tf.square(a - b)), (1,)))
    assert not checks.check_content_loss(lambda a, b: tf.fill((2,), tf.reduce_mean(tf.square(a - b))))


@pytest.fixture
def agg():
    """pyplot on the non-interactive Agg backend for one test; the previous backend comes back."""
    import matplotlib
    import matplotlib.pyplot as plt

    before = matplotlib.get_backend()
    plt.switch_backend("Agg")
    yield plt
    plt.close("all")
    plt.switch_backend(before)


def test_a_zero_content_term_is_a_gap_on_log_plots_not_a_spike(monkeypatch, agg):
    from nst_helpers import plotting, tasks

    r = tasks.Result(image=np.zeros((1, 4, 4, 3)), history={"total": [9.0, 5.0, 4.0], "content": [0.0, 2.0, 1.5],
                                                               "style": [9.0, 3.0, 2.5], "tv": [0.0, 0.0, 0.0]},
                        times=[0.0, 1.0, 2.0], steps=2, evaluations=3, seconds=2.0)
    monkeypatch.setattr(plotting.grids._plt(), "show", lambda: None)
    fig = plotting.plot_losses(r)
    content = next(line for line in fig.axes[0].lines if line.get_label() == "content")
    y = content.get_ydata()
    assert np.isnan(y[0]) and y[1] == 2.0  # the first point is missing, not drawn at the floor
    assert min(fig.axes[0].get_ylim()) > 0.5  # no axis stretched down towards zero
    # one legend, below the axes: inside, it covered the content curve's first steps
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not any(ax.get_legend() for ax in fig.axes) and len(fig.legends) == 1
    assert [text.get_text() for text in fig.legends[0].get_texts()] == ["total", "content", "style"]
    legend = fig.legends[0].get_window_extent(renderer)
    assert not any(legend.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)


def test_sgd_step_check_accepts_the_step_and_catches_the_usual_slips(capsys):
    def right(image, loss_fn, lr):
        with tf.GradientTape() as tape:
            loss = loss_fn(image)
        image.assign(tf.clip_by_value(image - lr * tape.gradient(loss, image), 0.0, 1.0))
        return loss

    def no_clip(image, loss_fn, lr):
        with tf.GradientTape() as tape:
            loss = loss_fn(image)
        image.assign_sub(lr * tape.gradient(loss, image))
        return loss

    def uphill(image, loss_fn, lr):
        with tf.GradientTape() as tape:
            loss = loss_fn(image)
        image.assign(tf.clip_by_value(image + lr * tape.gradient(loss, image), 0.0, 1.0))
        return loss

    assert checks.check_sgd_step(right)
    assert not checks.check_sgd_step(no_clip)
    assert not checks.check_sgd_step(uphill)


def test_students_losses_plug_into_the_objective(content64, style64):
    from nst_helpers import losses

    def my_gram(x):  # written differently: reshape and matmul instead of einsum
        f = tf.reshape(x, (-1, x.shape[-1]))
        return (tf.transpose(f) @ f)[None] / tf.cast(tf.shape(f)[0], tf.float32)

    def my_style(f, a):
        return tf.reduce_mean((my_gram(f) - a) ** 2)

    def my_tv(image):
        return tf.image.total_variation(image)  # shape (1,): accepted

    x = tf.clip_by_value(content64 + 0.1, 0, 1)
    package = losses.Objective(content64, style64).terms(x)
    mine = losses.Objective(content64, style64, losses=dict(gram_matrix=my_gram, style_loss=my_style,
                                                           total_variation=my_tv)).terms(x)
    for k in package:
        assert float(mine[k]) == pytest.approx(float(package[k]), rel=1e-4), k
    wrong = losses.Objective(content64, style64, losses=dict(style_loss=lambda f, a: tf.reduce_sum((my_gram(f) - a) ** 2)))
    assert float(wrong.terms(x)["style"]) > 10 * float(package["style"])
    with pytest.raises(nst.ArgumentError, match="unknown"):
        losses.Objective(content64, style64, losses=dict(gram=my_gram))


def test_working_keeps_only_functions_that_pass(capsys):
    good = checks.working(total_variation=nst.total_variation_loss,
                          style_loss=lambda f, a: tf.reduce_sum(f))  # wrong
    assert list(good) == ["total_variation"]
    assert "the package's style_loss" in capsys.readouterr().out


def test_working_with_none_passing_says_so_in_english(capsys):
    wrong = lambda *args: tf.constant(0.0)  # noqa: E731
    assert checks.working(style_loss=wrong, total_variation=wrong) == {}
    out = capsys.readouterr().out.strip()
    assert out == ("using none of yours yet (the package's style_loss and total_variation stand in; "
                   "yours do not pass their checks yet)")


def test_an_unknown_question_is_an_argument_error_naming_the_known_ones():
    with pytest.raises(nst.ArgumentError, match="no question 'nope': use one of"):
        checks.check_answer("nope", "a")
