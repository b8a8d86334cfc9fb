"""losses.Objective(losses=…): a student's own loss functions plug into the package's objective."""

import pytest
import tensorflow as tf

import nst_helpers as nst


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
