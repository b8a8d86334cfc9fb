"""The import contracts in ``.importlinter`` can fail: a copy of the package with one import of a
higher layer planted in a lower module breaks them, the unplanted copy keeps them.

Each case runs import-linter (the command ``python nst.py lint`` runs) on a copy of the package in
a temporary folder, so the repository is never touched.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The package's structure, not its dependencies' versions: our environment only (import-linter is
# not one of Colab's packages).
pytestmark = pytest.mark.versionless

LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"


def lint_copy(folder, plant=None):
    """Copy the package and its contracts into ``folder``, append ``plant`` = (module path, code) to
    one module, run import-linter there; returns the finished process."""
    shutil.copytree(ROOT / "nst_helpers", folder / "nst_helpers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", folder)
    if plant:
        path, code = plant
        with open(folder / "nst_helpers" / path, "a", encoding="utf-8") as f:
            f.write("\n\n" + code + "\n")
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([sys.executable, "-c", LINT], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_package_as_it_is_keeps_every_contract(tmp_path):
    run = lint_copy(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


# A lower module importing a higher layer, at the top or inside a function (both count).
PLANTS = {
    "machine imports the method": ("machine/files.py", "from ..method import losses  # noqa"),
    "method imports the teaching aids, in a function": (
        "method/losses.py", "def _planted():\n    from ..teaching import plotting  # noqa"),
    "teaching imports an explorer": ("teaching/experiments.py", "from ..explorers import widgets  # noqa"),
    "errors import the machine": ("errors.py", "from .machine import config  # noqa"),
}


@pytest.mark.parametrize("plant", PLANTS.values(), ids=PLANTS.keys())
def test_a_lower_layer_importing_a_higher_one_breaks_the_layers_contract(tmp_path, plant):
    run = lint_copy(tmp_path, plant)
    assert run.returncode != 0
    assert "The layers, highest first" in run.stdout and "BROKEN" in run.stdout, run.stdout
    module = "nst_helpers." + plant[0].removesuffix(".py").replace("/", ".")
    assert module in run.stdout  # the report names the planted import
