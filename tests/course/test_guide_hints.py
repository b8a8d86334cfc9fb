"""The guide's "Common mistakes" quote what the checks print for those very mistakes (D-3 of issue
31's second Korean review): each mistake is written the way a student would write it, run through
its check in English and in Korean, and the hint printed must be the one the guide (English and
Korean) quotes. A check whose slip hint changes, or a guide quoting the general hint, fails here."""

import re
from pathlib import Path

import pytest
import tensorflow as tf

from nst_helpers import checks, language

ROOT = Path(__file__).resolve().parents[2]
GUIDES = {"en": ROOT / "docs" / "INSTRUCTOR_GUIDE.md", "ko": ROOT / "docs" / "INSTRUCTOR_GUIDE.ko.md"}
HINT = {"en": "Hint: ", "ko": "힌트: "}
BGR_MEAN = tf.constant([103.939, 116.779, 123.68])


def rgb_not_bgr(image):            # Exercise 1: scaled and centred, but the channels not reversed
    return image * 255.0 - BGR_MEAN


def gram_without_division(x):      # Exercise 5: forgot to divide by H·W
    return tf.linalg.einsum("bijc,bijd->bcd", x, x)


def style_loss_sum(features, target):  # Exercise 8: sum instead of mean
    g = tf.linalg.einsum("bijc,bijd->bcd", features, features)
    g = g / tf.cast(tf.shape(features)[1] * tf.shape(features)[2], tf.float32)
    return tf.reduce_sum(tf.square(g - target))


MISTAKES = [(checks.check_preprocess, rgb_not_bgr), (checks.check_gram_matrix, gram_without_division),
            (checks.check_style_loss, style_loss_sum)]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("check,mistake", MISTAKES, ids=["preprocess", "gram_matrix", "style_loss"])
def test_the_guide_quotes_the_hint_the_check_prints_for_its_mistake(lang, check, mistake, capsys):
    with language.speaking(lang):
        assert check(mistake) is False
    printed = capsys.readouterr().out
    hint = printed.split(HINT[lang], 1)[1].strip()
    guide = " ".join(GUIDES[lang].read_text(encoding="utf-8").split())
    quoted = re.findall(re.escape(HINT[lang]) + r'([^"]+)"', guide)
    assert hint in quoted, (hint, quoted)
