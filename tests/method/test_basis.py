"""Image bases for L-BFGS: each is linear, decodes what it encodes, and its pullback is the
exact transpose of its decoder (checked with NumPy dot products, not with the code's own maps)."""

import numpy as np
import pytest

from nst_helpers import basis

SHAPE = (1, 37, 50, 3)  # odd sizes: the pyramid's levels round up


@pytest.mark.parametrize("make", [lambda: basis.make_basis("pixels", SHAPE), lambda: basis.make_basis("pyramid", SHAPE),
                                  lambda: basis.Pyramid(SHAPE, levels=4, _colour=True),
                                  lambda: basis.Pyramid(SHAPE, levels=6, _decay=2.0)],
                         ids=["pixels", "pyramid", "pyramid, colour (ablation only)", "pyramid, decay (ablation only)"])
def test_encode_decode_and_adjoint(make):
    b = make()
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 1, SHAPE).astype(np.float32)
    np.testing.assert_allclose(b.decode(b.encode(image)).numpy(), image, atol=2e-6)
    # Linear: decode(a z1 + z2) = a decode(z1) + decode(z2).
    z1, z2 = rng.normal(size=b.size), rng.normal(size=b.size)
    np.testing.assert_allclose(b.decode(2.5 * z1 + z2).numpy(),
                               2.5 * b.decode(z1).numpy() + b.decode(z2).numpy(), rtol=1e-4, atol=1e-4)
    # Adjoint: <decode(z), g> = <z, pullback(g)> for random z and g.
    g = rng.normal(size=SHAPE).astype(np.float32)
    lhs = float(np.sum(b.decode(z1).numpy().astype(np.float64) * g))
    rhs = float(np.dot(z1, b.pullback(g)))
    assert lhs == pytest.approx(rhs, rel=1e-4)


def test_pyramid_levels_are_upsampled_coarse_images():
    b = basis.Pyramid(SHAPE, levels=3)
    assert b.sizes == [(37, 50), (19, 25), (10, 13)]
    # A constant on the coarsest level alone decodes to a constant image (bilinear upsampling
    # keeps constants), scaled by sqrt(hk·wk / (h·w)).
    z = np.zeros(b.size)
    z[b.split[0] + b.split[1]:] = 1.0
    out = b.decode(z).numpy()
    np.testing.assert_allclose(out, np.sqrt(10 * 13 / (37 * 50)), rtol=1e-5)


def test_decorrelated_colour_moves_luminance_most():
    # The colour map's first column is the luminance-like direction: a unit step there changes
    # the grey level of all three channels alike.
    b = basis.Pyramid(SHAPE, levels=1, _colour=True)
    z = np.zeros(b.size)
    z[0::3] = 1.0  # first colour coefficient of every pixel
    rgb = b.decode(z).numpy()[0, 0, 0]
    assert np.ptp(rgb) < 0.05 * rgb.mean()


def test_unknown_basis():
    with pytest.raises(ValueError, match="basis must be one of"):
        basis.make_basis("wavelets", SHAPE)


def test_pyramids_are_reused_so_they_trace_once():
    a = basis.make_basis("pyramid", SHAPE)
    assert basis.make_basis("pyramid", list(SHAPE)) is a
    assert basis.make_basis("pyramid", SHAPE, levels=3) is not a
    a.decode(np.zeros(a.size))
    traces = a._decode.experimental_get_tracing_count()
    basis.make_basis("pyramid", SHAPE).decode(np.ones(a.size))
    assert a._decode.experimental_get_tracing_count() == traces
