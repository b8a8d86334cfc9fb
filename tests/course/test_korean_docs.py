"""The Korean README and instructor guide against their English sources (issue 23): the guide's
go-further answers in the format tests/course/test_guide.py reads, for the same questions (word for word
as the Korean notebooks ask them, once those exist); the same gallery figures, code, links and
numbers as the English; and every in-page link lands on a heading. Freshness (the English changed
since the translation) is tests/course/test_korean.py's test_translated_documents_record_the_english_they_translate."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[2]
# Korean document → its English source (ci/translate.py's DOCS says the same).
PAIRS = {"README.ko.md": "README.md", "docs/INSTRUCTOR_GUIDE.ko.md": "docs/INSTRUCTOR_GUIDE.md"}

pytestmark = pytest.mark.versionless


def _guide_module():
    return load_script(ROOT / "tests" / "course" / "test_guide.py", "test_guide_readers")


def read(rel):
    return (ROOT / rel).read_text(encoding="utf-8")


FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def fenced_blocks(text):
    """The fenced blocks; an untagged one (README's folder tree, whose comments are prose and are
    translated) by its paths only: the first word of each line that starts one."""
    return [block if not block.startswith("```\n") else
            [line.split()[0] for line in block.splitlines()[1:-1] if line and not line[0].isspace()]
            for block in FENCE.findall(text)]


def prose(text):
    """The text outside fenced code blocks (a ``# comment`` in a bash block is not a heading)."""
    return FENCE.sub("", text)


def code_spans(text):
    return re.findall(r"`([^`\n]+)`", prose(text))


def numbers(text):
    """Numbers in the prose, links and code spans excepted (``1e-5``, ``0.136``, ``2026-11-28`` → 2026, 11, 28)."""
    body = re.sub(r"\]\([^)]*\)|`[^`\n]*`", " ", prose(text))
    return set(re.findall(r"\d+(?:\.\d+)?(?:e-?\d+)?", body))


def link_targets(text):
    """Relative link targets, anchors dropped: ``[x](notebooks/01_a.ipynb#y)`` → ``notebooks/01_a.ipynb``."""
    found = [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", prose(text))]
    return [t for t in found if t and not t.startswith(("http://", "https://", "mailto:"))]


def as_english(target, korean_doc):
    """Where a Korean document's link points in the English one: the Korean editions (notebooks,
    gallery figures) map back."""
    target = re.sub(r"(^|/)notebooks/ko/", r"\1notebooks/", target)
    target = re.sub(r"(^|/)images/results/ko/", r"\1images/results/", target)  # the Korean gallery
    target = target.replace(".ko.md", ".md")
    return target


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped (Hangul kept), spaces → hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text):
    return {slug(m) for m in re.findall(r"^#+ (.+)$", prose(text), re.M)}


def in_page_links(text):
    return re.findall(r"\]\(#([^)]+)\)", prose(text))


@pytest.mark.parametrize("korean", list(PAIRS) + list(PAIRS.values()))
def test_every_in_page_link_lands_on_a_heading(korean):
    text = read(korean)
    missing = [a for a in in_page_links(text) if a not in anchors(text)]
    assert not missing, f"{korean}: links to #{missing} match no heading (headings give: {sorted(anchors(text))})"


@pytest.mark.parametrize("korean", list(PAIRS))
def test_code_links_and_numbers_are_the_englishs(korean):
    english, text = read(PAIRS[korean]), read(korean)
    assert fenced_blocks(text) == fenced_blocks(english), f"{korean}: code blocks differ from {PAIRS[korean]}"
    # a Korean document may name the Korean gallery (`images/results/ko/`) where the English names `images/results/`
    gallery = [re.sub(r"(^|/)images/results/ko/", r"\1images/results/", span) for span in code_spans(text)
               if "images/results/ko/" in span]
    lost = Counter(code_spans(english)) - Counter(code_spans(text)) - Counter(gallery)
    assert not lost, f"{korean} lacks code spans of {PAIRS[korean]}: {sorted(lost)}"
    targets = {as_english(t, korean) for t in link_targets(text)}
    lost_links = set(link_targets(english)) - targets - {Path(korean).name}
    assert not lost_links, f"{korean} lacks links of {PAIRS[korean]}: {sorted(lost_links)}"
    lost_numbers = numbers(english) - numbers(text)
    assert not lost_numbers, f"{korean} lacks numbers of {PAIRS[korean]}: {sorted(lost_numbers)}"
    for target in link_targets(text):
        path = (ROOT / Path(korean).parent / target).resolve()
        if "/notebooks/ko/" in path.as_posix() and path.suffix == ".ipynb":
            continue  # a Korean notebook appears when its translator finishes (tests/course/test_korean.py's PENDING)
        assert path.exists(), f"{korean}: link to {target}, which does not exist"


def test_the_korean_guide_names_the_english_guides_figures():
    guide = _guide_module()
    assert guide.figures_named(read("docs/INSTRUCTOR_GUIDE.ko.md")) == guide.figures_named(read("docs/INSTRUCTOR_GUIDE.md"))


def korean_go_further(stem):
    """``{"5.1": question}`` from a Korean notebook's go-further list: the cell with the English list's
    id, the list under the heading at the English heading's position (the heading is translated)."""
    en_cells = json.loads(read(f"notebooks/{stem}.ipynb"))["cells"]
    ko_path = ROOT / "notebooks" / "ko" / f"{stem}.ipynb"
    if not ko_path.exists():
        return None
    ko_cells = {c["id"]: "".join(c["source"]) for c in json.loads(ko_path.read_text(encoding="utf-8"))["cells"]}
    number = re.match(r"0?(\d+)_", stem).group(1)
    for cell in en_cells:
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or "## Exercises to go further" not in text:
            continue
        position = [line for line in text.splitlines() if line.startswith("#")].index("## Exercises to go further")
        lines = ko_cells[cell["id"]].splitlines()
        heads = [i for i, line in enumerate(lines) if line.startswith("#")]
        start = heads[position] + 1
        end = heads[position + 1] if position + 1 < len(heads) else len(lines)
        block = "\n".join(lines[start:end]) + "\n"
        items = re.findall(r"^(\d+)\. (.+?)(?=^\d+\. |\Z)", block, re.M | re.S)
        return {f"{number}.{k}": " ".join(q.split()) for k, q in items}
    return {}


def test_the_korean_guide_answers_the_same_go_further_questions():
    guide = _guide_module()
    english = guide.guide_questions(read("docs/INSTRUCTOR_GUIDE.md"))
    korean = guide.guide_questions(read("docs/INSTRUCTOR_GUIDE.ko.md"))
    assert english, "the English guide has no questions: the reader is broken"
    assert sorted(korean) == sorted(english), "the Korean guide must answer the English guide's questions, no more"
    for key, (question, answer) in korean.items():
        assert question and len(answer) > 40, f"Q{key} in the Korean guide has no real answer: {answer!r}"
        assert re.search(r"[가-힣]", question + answer), f"Q{key} in the Korean guide is not Korean"
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        asked = korean_go_further(path.stem) or {}
        for key, question in asked.items():
            assert key in korean, f"Korean go-further question {key} has no answer in docs/INSTRUCTOR_GUIDE.ko.md"
            assert korean[key][0] == question, (f"Q{key} in docs/INSTRUCTOR_GUIDE.ko.md is not the Korean notebook's "
                                               "question word for word: copy it from notebooks/ko/ (its translation)")
