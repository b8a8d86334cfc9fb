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


def test_natural_korean_forms_of_the_right_answer_are_right(capsys, monkeypatch):
    """F-4 of the second Korean review: the forms a Korean student writes ("남아있다", "탑은 남는다",
    "그대로 남는다", "남을 것이다", "4개", "넷") were marked wrong; a negated 남 is the wrong side."""
    for reply in ("남아있다", "탑은 남는다", "그대로 남는다", "남을 것이다"):
        assert checks.check_answer("ratio_1e2", reply), reply
    for reply in ("4개", "넷", "5 개", "다섯"):
        assert checks.check_answer("texture_scale", reply), reply
    assert checks.check_answer("ratio_1e9", "사진이 이긴다")
    capsys.readouterr()
    assert not checks.check_answer("ratio_1e2", "남지 않는다")
    assert not checks.check_answer("ratio_1e2", "vanishes")
    hints = [line.split("). ", 1)[1] for line in capsys.readouterr().out.splitlines()]
    assert hints[0] == hints[1]
    assert not checks.check_answer("texture_scale", "3개")
    assert "conv2_1 and conv3_1" in capsys.readouterr().out


def test_a_reply_that_is_no_choice_is_told_how_to_answer(capsys):
    """F-4: a reply on neither side gets how to answer, not a hint that tells a student to reconsider."""
    assert not checks.check_answer("ratio_1e2", "명화")
    assert capsys.readouterr().out.strip() == 'Answer "stays" or "vanishes".'
    assert not checks.check_answer("texture_scale", "many")
    assert capsys.readouterr().out.strip() == "Answer with a number of style layers from 1 to 5."
