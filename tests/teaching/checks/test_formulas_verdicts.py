"""checks.formulas and checks.verdicts: the exercise checks accept right answers, reject the usual
mistakes, report a stub or a crash instead of raising; working() keeps only what passes."""

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


def test_a_scalar_may_come_as_shape_one(capsys):
    # tf.image.total_variation returns shape (1,) for one image; that is a right answer too.
    assert checks.check_total_variation(lambda x: tf.image.total_variation(x))
    assert checks.check_content_loss(lambda a, b: tf.reshape(tf.reduce_mean(tf.square(a - b)), (1,)))
    assert not checks.check_content_loss(lambda a, b: tf.fill((2,), tf.reduce_mean(tf.square(a - b))))


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


def test_working_keeps_only_functions_that_pass(capsys):
    good = checks.working(total_variation=nst.total_variation_loss,
                          style_loss=lambda f, a: tf.reduce_sum(f))  # wrong
    assert list(good) == ["total_variation"]
    assert "the package's style_loss" in capsys.readouterr().out


def test_working_with_none_passing_says_so_in_english(capsys):
    wrong = lambda *args: tf.constant(0.0)  # noqa: E731
    assert checks.working(style_loss=wrong, total_variation=wrong) == {}
    out = capsys.readouterr().out.strip()
    assert out == "none of yours pass their checks yet (style_loss and total_variation)"
