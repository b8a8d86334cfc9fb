"""The instructor guide against what it describes: every gallery figure it names exists, every
"go further" question (the notebooks' lists and the guide's own) has an answer there, and every
``gallery.expected(...)`` in a notebook shows a figure the gallery has."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "INSTRUCTOR_GUIDE.md"
RESULTS = ROOT / "images" / "results"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.versionless


def _text(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"]) for c in cells]


def _words(text):
    return " ".join(text.split())


def figures_named(text):
    """The gallery figures a text names: ``05_ratio_grid.png`` → ``05_ratio_grid``."""
    return sorted(set(re.findall(r"\b(\d\d_[a-z0-9_]+)\.png\b", text)))


def guide_questions(text):
    """``{"5.1": (question, answer)}`` from the guide's ``- **Q5.1** question`` / ``**A.** answer`` items."""
    found = {}
    for m in re.finditer(r"^- \*\*Q(\d+\.\d+)\*\* (.+?)(?=^- \*\*Q|^#|\Z)", text, re.M | re.S):
        question, _, answer = m.group(2).partition("**A.**")
        assert m.group(1) not in found, f"Q{m.group(1)} appears twice in the guide"
        found[m.group(1)] = (_words(question), _words(answer))
    return found


def notebook_questions(path):
    """``{"5.1": question}`` from a notebook's "Exercises to go further" numbered list."""
    number = re.match(r"0?(\d+)_", path.name).group(1)
    for kind, text in _text(path):
        if kind != "markdown" or "## Exercises to go further" not in text:
            continue
        block = text.split("## Exercises to go further", 1)[1].split("\n#", 1)[0]
        items = re.findall(r"^(\d+)\. (.+?)(?=^\d+\. |\Z)", block, re.M | re.S)
        return {f"{number}.{k}": _words(q) for k, q in items}
    return {}


def test_every_figure_the_guide_names_is_in_the_gallery():
    named = figures_named(GUIDE.read_text(encoding="utf-8"))
    assert len(named) >= 10, named  # the reader below still finds the figures
    missing = [n for n in named if not (RESULTS / f"{n}.png").is_file()]
    assert not missing, f"the instructor guide names figures that images/results/ lacks: {missing}"


def test_every_go_further_question_has_an_answer_in_the_guide():
    answers = guide_questions(GUIDE.read_text(encoding="utf-8"))
    asked = {key: q for path in NOTEBOOKS for key, q in notebook_questions(path).items()}
    assert asked, "no notebook has an 'Exercises to go further' list: the reader below is broken"
    for key, question in asked.items():
        assert key in answers, f"go-further question {key} has no answer in the guide: {question[:80]}"
        assert answers[key][0] == question, f"Q{key} in the guide is not the notebook's question, word for word"
    for key, (question, answer) in answers.items():
        assert question and len(answer) > 40, f"Q{key} in the guide has no real answer: {answer!r}"


def test_every_expected_figure_a_notebook_shows_is_in_the_gallery():
    readme = (RESULTS / "README.md").read_text(encoding="utf-8")
    shown = sorted({name for path in NOTEBOOKS for kind, text in _text(path) if kind == "code"
                    for name in re.findall(r"gallery\.expected\(\"(\w+)\"", text)})
    assert shown, "no notebook calls gallery.expected"
    missing = [n for n in shown if not (RESULTS / f"{n}.png").is_file() or f"| `{n}.png` |" not in readme]
    assert not missing, f"gallery.expected names figures without a PNG or a README row: {missing}"


