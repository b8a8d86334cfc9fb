"""checks.quiz: the multiple-choice answers, their named wrong replies, an unknown question."""

import pytest

import nst_helpers as nst
from nst_helpers import checks


def test_answers(capsys):
    assert checks.check_answer("layout_without_detail", " block5_conv2 ")
    assert not checks.check_answer("ratio_1e9", "painting")
    # What notebook 3's figure shows: 1–4 and 1–5 look alike with the tutorial's weights.
    assert checks.check_answer("texture_scale", 5) and checks.check_answer("texture_scale", "4")
    assert not checks.check_answer("texture_scale", 3)
    for key, (right, _) in checks.ANSWERS.items():
        assert not any(answer in key for answer in right), key  # a key never gives its answer away


def test_exercise_15_and_the_photo_question_take_korean_answers(capsys):
    """A10: the Korean notebook's student may answer in Korean; a Korean wrong answer gets the
    same named hint as its English form."""
    assert checks.check_answer("ratio_1e2", "남는다") and checks.check_answer("ratio_1e2", " 남습니다. ")
    assert checks.check_answer("ratio_1e9", "사진")
    capsys.readouterr()
    for korean, english in (("사라진다", "vanishes"), ("흐려진다", "fades")):
        assert not checks.check_answer("ratio_1e2", korean)
        assert not checks.check_answer("ratio_1e2", english)
        hints = [line.split("). ", 1)[1] for line in capsys.readouterr().out.splitlines()]
        assert hints[0] == hints[1], (korean, hints)
    assert not checks.check_answer("ratio_1e2", "명화")


def test_an_unknown_question_is_an_argument_error_naming_the_known_ones():
    with pytest.raises(nst.ArgumentError, match="no question 'nope': use one of"):
        checks.check_answer("nope", "a")
