"""The multiple-choice questions of notebooks 2, 3 and 5: the right replies, the plausible wrong
ones with their own hints, and :func:`check_answer`."""


from ...errors import ArgumentError
from ...language import N_, t
from ...method.layers import canonical_layer


def check_answer(question, answer):
    """Check a multiple-choice answer to one of the notebooks' questions (see ``ANSWERS``)."""
    if question not in ANSWERS:
        raise ArgumentError(f"no question {question!r}: use one of {', '.join(ANSWERS)}")
    right, why = ANSWERS[question]
    reply = str(answer).strip().rstrip(".!").strip().lower()  # "사라진다." is "사라진다"
    if not reply or "?" in reply:  # still the placeholder: no hint, so nothing is given away
        print(t("Write your answer in the cell first, then run it."))
        return False
    if question == "layout_without_detail":  # "conv5_2" (the paper's name) = "block5_conv2"
        try:
            reply = canonical_layer(reply)
        except ValueError:
            pass
    reply = _korean_form(question, reply)
    if reply in right:
        print(t("✓ right: {why}", why=t(why)))
        return True
    hint = next((named for replies, named in WRONG_ANSWERS.get(question, ()) if reply in replies), None)
    if hint is None and question in ANSWER_FORMS and not _looks_like_an_answer(question, reply):
        print(t(ANSWER_FORMS[question]))  # neither side: say how to answer, give nothing away
        return False
    hint = hint or HINTS.get(question, N_("Look at the figure again."))
    print(t("✗ not quite ({answer}). {hint}", answer=repr(answer), hint=t(hint)))
    return False


#: Korean number words a student may write for "how many layers" (F-4 of issue 31's second review).
_KOREAN_NUMBERS = {"하나": "1", "한": "1", "둘": "2", "두": "2", "셋": "3", "세": "3", "넷": "4", "네": "4",
                   "다섯": "5"}


def _korean_form(question, reply):
    """The reply in the form ``ANSWERS`` lists: natural Korean sentences ("탑은 그대로 남는다",
    "남아있다", "4개", "넷") reduced to their key word, so a right Korean answer is not marked wrong."""
    compact = "".join(reply.split())
    if question == "texture_scale":
        number = compact.removesuffix("개").removesuffix("층").removesuffix("개")
        return _KOREAN_NUMBERS.get(number, number)
    if question == "ratio_1e2" and any("\uac00" <= ch <= "\ud7a3" for ch in compact):
        if any(word in compact for word in ("사라", "없어", "없다", "없습", "지워", "안남", "않")):
            return "사라진다"
        if any(word in compact for word in ("흐려", "희미", "반쯤")):
            return "흐려진다"
        if "남" in compact or "그대로" in compact:
            return "남는다"
    if question == "ratio_1e9" and "사진" in compact and "명화" not in compact:
        return "사진"
    return reply


def _looks_like_an_answer(question, reply):
    """Whether a reply that is not right is at least one of the question's choices."""
    if question == "texture_scale":
        return reply.isdigit()
    return any(reply in replies for replies, _ in WRONG_ANSWERS.get(question, ()))


#: What to print for a reply that is neither right nor one of the choices (F-4): how to answer.
ANSWER_FORMS = {
    "texture_scale": N_("Answer with a number of style layers from 1 to 5."),
    "ratio_1e2": N_("Answer \"stays\" or \"vanishes\"."),
}

# Keys name the question, never its answer; each answer is the set of replies that are right.
ANSWERS = {
    # notebook 02: which layer will give the reconstruction that keeps the layout but loses detail?
    "layout_without_detail": ({"block5_conv2", "block5"}, N_("the deepest layer keeps the arrangement of objects "
                                                "but has thrown away the exact pixel values")),
    # notebook 03: with how many style layers does the texture have the largest structures?
    "texture_scale": ({"4", "5"}, N_("each added layer sees larger patches of the painting (68 px for conv4_1, "
                                  "156 px for conv5_1) and, on the rescaled network, has its say in the loss: "
                                  "1–4's long light bands already cross the picture, 1–5 adds round swirls a "
                                  "third of it across (5 counts too)")),
    # notebook 05: α/β = 1e9 — does the photo or the painting win?
    "ratio_1e9": ({"photo", "사진"}, N_("with the style weight a billion times smaller than the content "
                             "weight, the content term wins and the result stays the photo")),
    # notebook 05: α/β = 1e2 from the photo — does the bridge's tower stay or vanish?
    # The Korean notebook may be answered in Korean too (A10 of issue 31): the forms a student writes.
    "ratio_1e2": ({"stays", "stay", "남는다", "남습니다", "남아요", "남음", "남아 있다", "그대로"}, N_("below α/β = 1e4 nothing changes any more: the style term only asks for "
                                     "the painting's texture statistics, not for where things are, so from "
                                     "the photo the optimiser keeps the tower where it was")),
}

#: The plausible wrong answers, each with its own hint (any other wrong reply gets ``HINTS``).
#: Layer names are compared in Keras' spelling (``conv4_2`` is ``block4_conv2``).
WRONG_ANSWERS = {
    "layout_without_detail": (
        ({"block1_conv2", "block2_conv2", "block1", "block2"},
         N_("The shallow layers give the photo back almost exactly, fine detail included: the layer you want "
         "has thrown more away.")),
        ({"block3_conv2", "block3"}, N_("Block 3 still gives the photo back closely, with only coloured fringes: "
                                     "look deeper.")),
        ({"block4_conv2", "block4"}, N_("Block 4 (Gatys et al.'s content layer) still keeps the fur and the eyes: "
                                     "which layer keeps little more than where things are?")),
    ),
    "texture_scale": (
        ({"1"}, N_("conv1_1 alone sees 3 × 3 patches: it fixes which colours sit next to each other, nothing "
                "larger. Which layers see the largest patches of the painting?")),
        ({"2", "3"}, N_("conv2_1 and conv3_1 see patches of only 10 and 24 pixels. Which layers see larger "
                     "patches of the painting?")),
    ),
    "ratio_1e2": (
        ({"vanishes", "vanish", "disappears", "disappear", "gone", "goes", "사라진다", "사라집니다", "사라져요",
          "사라짐", "없어진다"},
         N_("The style loss compares Gram matrices, which forget where things are: nothing in it asks the "
         "tower to go, and the run starts from the photo, where the tower is.")),
        ({"fades", "fade", "partly", "blurred", "blurs", "half", "흐려진다", "흐려집니다", "희미해진다", "반쯤"},
         N_("Not even fading: the style term has no reason to move or blur the tower. Answer \"stays\" or "
         "\"vanishes\".")),
    ),
}

HINTS = {
    "layout_without_detail": N_("Which layer has seen the most processing — and thrown the most away?"),
    "texture_scale": N_("Which layers see the largest patches of the painting?"),
    "ratio_1e9": N_("α multiplies the content loss, β the style loss. Which wins when α/β is huge?"),
    "ratio_1e2": N_("Does the style loss know where the tower is? The run starts from the photo."),
}
