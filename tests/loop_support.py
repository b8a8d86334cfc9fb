"""The notebook-4 loop exercise's solution, with one mistake switched on at a time: shared by the
loop check's tests and the Korean messages' tests (a test module must not import another)."""

import nst_helpers as nst
from nst_helpers.machine._tf import tf

ALPHA, BETA, GAMMA = 1e4, 1e-2, 30.0


def make_loop(*, clip=True, fresh=False, adam=None, start="content", wrong_variable=False, uphill=False):
    """The notebook's solution to the loop exercise, with one mistake switched on at a time."""
    adam = dict(learning_rate=0.02, beta_1=0.99, epsilon=1e-1) if adam is None else adam

    def my_style_transfer(content, style, steps):
        extractor = nst.FeatureExtractor(nst.CONTENT_LAYERS + nst.STYLE_LAYERS)
        content_targets = {k: extractor(content)[k] for k in nst.CONTENT_LAYERS}
        style_targets = {k: nst.gram_matrix(extractor(style)[k]) for k in nst.STYLE_LAYERS}
        image = tf.Variable(content if start == "content" else style)
        optimizer = tf.keras.optimizers.Adam(**adam)
        losses = []
        for _ in range(steps):
            if fresh:
                optimizer = tf.keras.optimizers.Adam(**adam)
            with tf.GradientTape() as tape:
                acts = extractor(image)
                loss = (ALPHA * nst.content_loss({k: acts[k] for k in content_targets}, content_targets)
                        + BETA * nst.style_loss({k: acts[k] for k in style_targets}, style_targets)
                        + GAMMA * nst.total_variation_loss(image))
            grad = tape.gradient(loss, tf.constant(content) if wrong_variable else image)
            optimizer.apply_gradients([(-grad if uphill else grad, image)])
            if clip:
                image.assign(tf.clip_by_value(image, 0.0, 1.0))
            losses.append(float(loss))
        return image, losses

    return my_style_transfer
