"""Notebook hygiene: no stored outputs, the same setup cell everywhere, badges that point home,
and every exercise paired with a check and a solution. (nbval executes them: see the Makefile.)"""

import json
import re
from pathlib import Path

import pytest

import nst_helpers as nst

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
EXPECTED = ["01_vgg19_classification", "02_content_reconstruction", "03_style_reconstruction",
            "04_style_transfer", "05_experiments", "06_controlling_style_transfer"]


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.versionless
def test_the_series_is_complete():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.versionless
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stored_outputs_or_execution_counts(path):
    for cell in cells(path):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, source(cell)[:60]


@pytest.mark.versionless
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_badge_points_at_this_notebook(path):
    first = source(cells(path)[0])
    repo = nst.REPO_URL.removeprefix("https://github.com/")
    want = f"https://colab.research.google.com/github/{repo}/blob/{nst.REPO_REF}/notebooks/{path.name}"
    assert want in first, first[:300]


@pytest.mark.versionless
def test_setup_cell_is_identical_and_names_the_repository_once():
    setups = [next(source(c) for c in cells(p) if source(c).startswith("# Setup")) for p in NOTEBOOKS]
    assert all(source(cells(p)[2]).startswith("# Setup") for p in NOTEBOOKS), "title, its time cell, setup"
    assert len(set(setups)) == 1
    assert setups[0].count(nst.REPO_URL) == 1 and "nst.describe()" in setups[0]
    assert f'"{nst.REPO_URL}", "{nst.REPO_REF}"' in setups[0]  # the branch the badges open


def test_the_pinned_ref_exists_in_this_repository():
    """The setup cell checks out ``REPO_REF``: a branch this repository has, locally or as a remote
    branch of a clone (CI checks out a fresh clone, where ``main`` may only be ``origin/main``)."""
    import subprocess

    root = NOTEBOOKS[0].parent.parent
    if not (root / ".git").exists():
        pytest.skip("not a git checkout")
    refs = [f"refs/heads/{nst.REPO_REF}", f"refs/remotes/origin/{nst.REPO_REF}"]
    found = [ref for ref in refs if subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                                                   cwd=root, capture_output=True).returncode == 0]
    assert found, f"nst_helpers.REPO_REF = {nst.REPO_REF!r}: neither {' nor '.join(refs)} exists here"


@pytest.mark.versionless
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_structure_title_runtime_exercise_summary_references(path):
    text = "\n".join(source(c) for c in cells(path))
    assert re.match(r"# \d · ", source(cells(path)[0]))
    assert "**You will learn**" in text and "**Run time:**" in text
    assert "## Summary" in text and "## References" in text
    assert "Gatys" in text
    assert "### Exercise" in text and "checks.check_" in text


@pytest.mark.versionless
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_fast_mode_controls_every_size_and_step_count(path):
    code = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "code")
    name = r"(?:SIZE|STEPS|\w+_STEPS)"
    for match in re.finditer(rf"^({name}(?:\s*,\s*{name})*)\s*=\s*(.+)$", code, re.M):
        # Step counts are fitted to the machine in NST_MODE=auto (nst.fit, nst.fit_steps).
        call = "nst.fit(" if "," in match.group(1) else ("nst.fit" if "STEPS" in match.group(1) else "nst.pick(")
        assert call in match.group(2), f"{match.group(0)}: use {call}…)"
        assert "demo=" in match.group(2), f"{match.group(0)}: say what a live class (NST_MODE=demo) uses"


def _exercises():
    """(stub cell, solution code) for every exercise that asks for a function. The solution code
    starts with the notebook's earlier solutions: a later exercise may use an earlier function
    (notebook 2's loop calls the student's my_content_loss)."""
    found = []
    for path in NOTEBOOKS:
        cs = cells(path)
        earlier = []
        for i, cell in enumerate(cs):
            text = source(cell)
            if cell["cell_type"] != "code" or "raise NotImplementedError" not in text or "checks.check_" not in text:
                continue
            solution = next(source(c) for c in cs[i + 1:] if "<summary><b>Solution</b>" in source(c))
            code = re.search(r"```python\n(.*?)```", solution, re.S).group(1)
            found.append(pytest.param(text, "\n".join(earlier + [code]), id=f"{path.stem}:{i}"))
            earlier.append(code)
    return found


@pytest.mark.parametrize("stub,solution", _exercises())
def test_every_hidden_solution_passes_its_check(stub, solution):
    import numpy as np
    import tensorflow as tf

    from nst_helpers import checks, experiments, tasks

    namespace = {"np": np, "tf": tf, "nst": nst, "checks": checks, "experiments": experiments, "tasks": tasks}
    exec(solution, namespace)  # the solution defines the function the stub left empty
    check_line = next(line for line in stub.splitlines() if "checks.check_" in line)
    assert eval(check_line.rstrip(";"), namespace) is True, check_line


@pytest.mark.versionless
def test_exercise_numbers_run_through_the_series():
    """1, 2, 3, … in order through the six notebooks; an exercise inserted later takes the number
    it follows and a letter (3, 3b, 4), so the guide's and slides' numbers stay valid."""
    found = [m for p in NOTEBOOKS for m in re.findall(r"### Exercise (\d+)([a-z]?)\b", "\n".join(map(source, cells(p))))]
    numbers = [int(n) for n, letter in found if not letter]
    assert numbers == list(range(1, len(numbers) + 1))
    for (n, letter), (before, before_letter) in zip(found[1:], found):
        if letter:
            assert n == before and letter == chr(ord(before_letter or "a") + 1), (n + letter, before + before_letter)


@pytest.mark.versionless
def test_every_cell_has_its_slide_type():
    from conftest import load_script

    rule = load_script(NOTEBOOKS[0].parent.parent / "ci" / "slides_metadata.py")
    for path in NOTEBOOKS:
        cs = cells(path)
        for i, cell in enumerate(cs):
            want = rule.slide_type(i, cell, cs[i - 1] if i else None)
            assert cell["metadata"].get("slideshow", {}).get("slide_type") == want, (
                f"{path.name} cell {i}: run `python ci/slides_metadata.py`")


@pytest.mark.versionless
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_converts_to_slides_with_at_least_eight(path):
    from conftest import slide_count

    assert slide_count(path) >= 8
