"""The TensorFlow tutorial's style-transfer recipe, as the tutorial writes it (its own model, loss
and compiled Adam step): the reference ``bench`` and ``stopping_rule`` time the package against."""

import time

from nst_helpers import defaults, weights
from nst_helpers.machine._tf import tf

STYLE_LAYERS = list(defaults.STYLE_LAYERS)
CONTENT_LAYERS = list(defaults.CONTENT_LAYERS)
STYLE_WEIGHT, CONTENT_WEIGHT, TV_WEIGHT = defaults.STYLE_WEIGHT, defaults.CONTENT_WEIGHT, defaults.TV_WEIGHT

def tutorial_recipe(content, style, steps, vgg_weights, marks=()):
    """Returns (seconds for ``steps`` steps, final loss, final image, {mark: (seconds, loss, image)}).
    Mirrors the tutorial; at each step count in ``marks`` the loss is evaluated with the clock stopped."""
    import keras

    vgg = keras.applications.VGG19(include_top=False, weights=None)
    for name in weights.CONV_LAYERS:
        vgg.get_layer(name).set_weights(list(vgg_weights.layers[name]))
    vgg.trainable = False
    model = keras.Model(vgg.input, [vgg.get_layer(n).output for n in STYLE_LAYERS + CONTENT_LAYERS])

    def gram_matrix(input_tensor):
        result = tf.linalg.einsum("bijc,bijd->bcd", input_tensor, input_tensor)
        input_shape = tf.shape(input_tensor)
        num_locations = tf.cast(input_shape[1] * input_shape[2], tf.float32)
        return result / num_locations

    def extractor(inputs):
        inputs = inputs * 255.0
        preprocessed_input = keras.applications.vgg19.preprocess_input(inputs)
        outputs = model(preprocessed_input)
        style_outputs, content_outputs = outputs[:len(STYLE_LAYERS)], outputs[len(STYLE_LAYERS):]
        style_outputs = [gram_matrix(o) for o in style_outputs]
        return {"content": dict(zip(CONTENT_LAYERS, content_outputs)),
                "style": dict(zip(STYLE_LAYERS, style_outputs))}

    style_targets = extractor(style)["style"]
    content_targets = extractor(content)["content"]

    def style_content_loss(outputs):
        style_outputs, content_outputs = outputs["style"], outputs["content"]
        style_loss = tf.add_n([tf.reduce_mean((style_outputs[n] - style_targets[n]) ** 2)
                               for n in style_outputs.keys()])
        style_loss *= STYLE_WEIGHT / len(STYLE_LAYERS)
        content_loss = tf.add_n([tf.reduce_mean((content_outputs[n] - content_targets[n]) ** 2)
                                 for n in content_outputs.keys()])
        content_loss *= CONTENT_WEIGHT / len(CONTENT_LAYERS)
        return style_loss + content_loss

    def total_loss(image):
        return style_content_loss(extractor(image)) + TV_WEIGHT * tf.image.total_variation(image)

    image = tf.Variable(content)
    opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

    @tf.function()
    def train_step(image):
        with tf.GradientTape() as tape:
            loss = total_loss(image)
        grad = tape.gradient(loss, image)
        opt.apply_gradients([(grad, image)])
        image.assign(tf.clip_by_value(image, clip_value_min=0.0, clip_value_max=1.0))

    train_step(image)  # the trace, untimed (the package's trace is untimed too); then `steps` steps
    # The timed run starts where the tutorial's does: the photo, and Adam with no history (the
    # trace took one step, which moved Adam's step count and moment estimates).
    image.assign(content)
    reset_adam(opt)
    recorded, elapsed = {}, 0.0
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        train_step(image)
        elapsed += time.perf_counter() - t0
        if step in marks:
            recorded[step] = (elapsed, float(tf.reduce_sum(total_loss(image))), tf.identity(image))
    final = float(tf.reduce_sum(total_loss(image)))
    return elapsed, final, tf.identity(image), recorded


def reset_adam(opt):
    """Adam as freshly made: step count and moment estimates zero, hyperparameters kept."""
    for variable in opt.variables:
        name = variable.path.rsplit("/", 1)[-1]
        if name == "iteration" or name.endswith(("_momentum", "_velocity")):
            variable.assign(tf.zeros_like(variable))
