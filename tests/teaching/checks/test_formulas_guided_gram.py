"""checks.formulas.check_guided_gram (notebook 6): the formula passes, the usual slips are named."""

import numpy as np

from nst_helpers import checks


def test_guided_gram_check_accepts_the_formula_and_names_the_slips(capsys):
    def right(f, m):
        f, m = np.asarray(f, np.float64), np.asarray(m, np.float64)
        fm = (f * m).reshape(-1, f.shape[-1])
        return (fm.T @ fm / np.sum(m ** 2))[None]

    def by_area(f, m):
        f, m = np.asarray(f, np.float64), np.asarray(m, np.float64)
        fm = (f * m).reshape(-1, f.shape[-1])
        return (fm.T @ fm / (f.shape[1] * f.shape[2]))[None]

    def by_m(f, m):
        f, m = np.asarray(f, np.float64), np.asarray(m, np.float64)
        fl = f.reshape(-1, f.shape[-1])
        w = m.reshape(-1)
        return ((fl * w[:, None]).T @ fl / w.sum())[None]

    assert checks.check_guided_gram(right) is True
    assert checks.check_guided_gram(by_area) is False
    assert "divided by H·W" in capsys.readouterr().out
    assert checks.check_guided_gram(by_m) is False
    assert "weighted by m" in capsys.readouterr().out
