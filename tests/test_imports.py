"""No import cycle inside ``nst_helpers``: read from the source (ast), nothing is imported.

Every import counts, also one inside a function: a function-level import hides a cycle until
the day someone moves it to the top. The package's own ``__getattr__`` (lazy names, through
``importlib``) is not an import statement and is not followed.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nst_helpers"


def imports_of(path, package, modules):
    """The modules of ``package`` that the file at ``path`` imports, anywhere in it.

    ``modules`` is the set of the package's module names (``"features"``, …; ``"__init__"`` for
    the package itself). ``from . import x`` names module x when x is one, else the package.
    """
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == package:
                    found.add(parts[1] if len(parts) > 1 else "__init__")
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] != package:
                continue  # another library
            if node.level > 1:
                raise AssertionError(f"{path.name}: relative import above the package ({node.level} dots)")
            parts = (node.module or "").split(".")
            if node.level == 0:
                parts = parts[1:]  # drop the package's own name
            if parts and parts[0]:
                found.add(parts[0])
            else:  # from . import a, b  /  from nst_helpers import a, b
                found.update(a.name if a.name in modules else "__init__" for a in node.names)
    return found - {path.stem}


def import_graph(folder, package):
    """``{module: set of the package's modules it imports}`` for every ``.py`` file in ``folder``."""
    files = {p.stem: p for p in sorted(folder.glob("*.py"))}
    return {name: imports_of(p, package, set(files)) for name, p in files.items()}


def find_cycle(graph):
    """One import cycle as a list ``[a, b, …, a]``, or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def reaches(graph, start, goal):
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def test_the_package_has_no_import_cycle():
    graph = import_graph(PACKAGE, "nst_helpers")
    assert {"features", "losses", "precision", "optimize", "layers"} <= set(graph)  # really read
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_precision_choice_sits_above_the_losses():
    graph = import_graph(PACKAGE, "nst_helpers")
    assert "losses" in graph["precision"]  # it times a real loss-and-gradient evaluation
    for below in ("features", "losses", "layers", "weights", "defaults"):
        assert not reaches(graph, below, "precision"), below
    assert graph["layers"] <= {"errors"}  # the layer names need nothing else


def write_package(root, files):
    folder = root / "pkg"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text)
    return folder


def test_every_kind_of_import_is_read(tmp_path):
    folder = write_package(tmp_path, {
        "__init__": "from .config import x\n",
        "config": "import os\nx = 1\n",
        "a": "from . import b as bee, config\nfrom .c import thing\nimport pkg.d\nimport numpy\n",
        "b": "from pkg import e\nfrom pkg.f.sub import y\nfrom . import x\n",
        "c": "def later():\n    from .a import z\n", "d": "", "e": "", "f": "",
    })
    graph = import_graph(folder, "pkg")
    assert graph["a"] == {"b", "config", "c", "d"}
    assert graph["b"] == {"e", "f", "__init__"}  # x is no module: it comes from the package
    assert graph["c"] == {"a"}  # inside a function
    assert graph["config"] == set()


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    folder = write_package(tmp_path, {
        "features": "from . import weights\n",
        "losses": "from . import features\n",
        "weights": "def timer():\n    from .losses import Objective\n",
        "errors": "",
    })
    assert find_cycle(import_graph(folder, "pkg")) == ["features", "weights", "losses", "features"]


@pytest.mark.parametrize("edges,cyclic", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
    ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, False),  # a diamond is no cycle
    ({"a": {"b"}, "b": {"a"}}, True),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
])
def test_find_cycle_on_small_graphs(edges, cyclic):
    assert (find_cycle(edges) is not None) == cyclic


def test_every_module_is_reachable_from_the_package():
    """``nst.<module>`` works for every public module (the lazy table lists them all)."""
    import nst_helpers

    folder = Path(nst_helpers.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    assert modules == set(nst_helpers._SUBMODULES)
