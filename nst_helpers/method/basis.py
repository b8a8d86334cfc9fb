"""Image parameterisations for L-BFGS: the pixels themselves, or a preconditioned basis.

L-BFGS starts every step from a scaled identity as its guess of the inverse Hessian, so the
basis the image is written in changes its path. :class:`Pyramid` writes the image as a sum of
upsampled levels (a Laplacian pyramid; Mordvintsev et al., "Differentiable Image
Parameterizations", Distill 2018): a step then moves coarse structure as readily as single
pixels. The benchmark's ablation (``benchmarks/ablation.py``) measures it against the pixel
basis (measured: docs/performance.md).

A basis is linear: ``image = decode(z)``; ``encode(image)`` gives one ``z`` that decodes to
it; ``pullback(g)`` maps a gradient with respect to the image to one with respect to ``z``.
"""

import functools

import numpy as np

from ..errors import ArgumentError
from ..machine._tf import tf
from .defaults import BASIS_CHOICES

__all__ = ["Pixels", "Pyramid", "BASIS_CHOICES", "make_basis"]

#: The square root of ImageNet's RGB colour covariance (Olah et al., lucid), columns scaled so the
#: largest has norm 1: its first column is luminance-like, the other two colour differences.
COLOUR_SQRT = np.array([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]], np.float64)
COLOUR_SQRT = COLOUR_SQRT / np.linalg.norm(COLOUR_SQRT, axis=0).max()


class Pixels:
    """The identity: the variables are the pixels."""

    def __init__(self, shape):
        self.shape = tuple(int(d) for d in shape)
        self.size = int(np.prod(self.shape))

    def encode(self, image):
        return np.asarray(image, np.float64).ravel()

    def decode(self, z):
        return tf.constant(np.asarray(z, np.float32).reshape(self.shape))

    def pullback(self, grad):
        return np.asarray(grad, np.float64).ravel()


class Pyramid:
    """``image = Σ_k s_k · up_k(z_k)``: levels at 1, 1/2, 1/4, … of the size (at most
    ``levels``), each upsampled bilinearly and scaled by ``s_k = sqrt(h_k·w_k / (h·w)) ≈ 2^-k``.
    ``shape`` is ``[1, H, W, 3]``.

    What L-BFGS sees: a gradient step in ``z`` moves the image by ``M g`` with
    ``M = Σ_k s_k² up_k up_kᵀ``. On detail finer than level k that level contributes nothing,
    on smoother structure about ``g`` itself, so M multiplies each spatial frequency by the
    number of levels that can represent it: smooth structure moves up to ``levels`` times more
    readily than single pixels.

    ``_decay`` (level k weighted by ``_decay**k``) and ``_colour`` (levels in the decorrelated
    colour space of :data:`COLOUR_SQRT`) are private levers for ``benchmarks/ablation.py``; both
    were measured and lost.
    """

    def __init__(self, shape, levels=6, *, _decay=1.0, _colour=False):
        decay, colour = _decay, _colour
        self.shape = tuple(int(d) for d in shape)
        _, h, w, _ = self.shape
        self.sizes = []
        for k in range(levels):
            hk, wk = max(1, -(-h // 2 ** k)), max(1, -(-w // 2 ** k))
            if k and (hk, wk) == self.sizes[-1]:
                break
            self.sizes.append((hk, wk))
        self.weights = [decay ** k for k in range(len(self.sizes))]
        self.colour = np.asarray(COLOUR_SQRT if colour else np.eye(3), np.float32)
        self.inverse = np.linalg.inv(self.colour.astype(np.float64))
        self.split = [hk * wk * 3 for hk, wk in self.sizes]
        self.size = int(sum(self.split))
        self._decode = tf.function(self._synth, reduce_retracing=True)
        self._pull = tf.function(self._vjp, reduce_retracing=True)
        # The map is linear, so its transpose is the same at every point: taken at zero.
        self._origin = tf.zeros(self.size)

    def _synth(self, z):
        _, h, w, _ = self.shape
        parts = tf.split(z, self.split)
        x = 0.0
        for part, (hk, wk), wt in zip(parts, self.sizes, self.weights):
            level = tf.reshape(part, (1, hk, wk, 3))
            if (hk, wk) != (h, w):
                # s_k: the adjoint of upsampling sums a block of ~4^k pixels; s_k² cancels that,
                # so every level passes smooth structure at the pixels' own scale.
                level = tf.image.resize(level, (h, w), method="bilinear") * (hk * wk / (h * w)) ** 0.5
            x = x + wt * level
        return tf.einsum("bhwc,dc->bhwd", x, self.colour)

    def _vjp(self, z, g):
        with tf.GradientTape() as tape:
            tape.watch(z)
            x = self._synth(z)
        return tape.gradient(x, z, output_gradients=g)

    def encode(self, image):
        x = np.asarray(image, np.float64)[0] @ self.inverse.T / self.weights[0]
        z = np.zeros(self.size)
        z[:self.split[0]] = x.ravel()
        return z

    def decode(self, z):
        return self._decode(tf.constant(np.asarray(z, np.float32)))

    def pullback(self, grad):
        return self._pull(self._origin, tf.convert_to_tensor(grad, tf.float32)).numpy().astype(np.float64)


def make_basis(name, shape, levels=6):
    """A basis by name (one of :data:`BASIS_CHOICES`) for images of ``shape`` ``[1, H, W, 3]``. Pyramids
    are cached per shape and levels, so their compiled maps are traced once, not every run."""
    if name == "pixels":
        return Pixels(shape)
    if name == "pyramid":
        return _pyramid(tuple(int(d) for d in shape), int(levels))
    raise ArgumentError(f"basis must be one of {BASIS_CHOICES}, not {name!r}")


@functools.lru_cache(maxsize=16)
def _pyramid(shape, levels):
    return Pyramid(shape, levels)
