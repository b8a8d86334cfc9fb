"""Every module of ``nst_helpers`` is reachable as ``nst.<module>``.

The import structure itself (the layers, no cycles, the precision choice above the losses) is
checked by import-linter's contracts in ``.importlinter``, which `make test` and `make lint` run
(``nst.py``'s ``imports_command``); tests/test_layers.py shows that they can fail.
"""

from pathlib import Path


def test_every_module_is_reachable_from_the_package():
    """``nst.<module>`` works for every public module of every layer (the lazy table lists them
    all, each where it is), and the layers hold nothing the table forgets."""
    import importlib

    import nst_helpers

    folder = Path(nst_helpers.__file__).parent
    layers = [p.parent.name for p in folder.glob("*/__init__.py")]
    found = {p.stem: p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    for layer in layers:
        found |= {p.stem: f"{layer}.{p.stem}" for p in (folder / layer).glob("*.py") if not p.stem.startswith("_")}
        found |= {p.parent.name: f"{layer}.{p.parent.name}" for p in (folder / layer).glob("*/__init__.py")}
    assert found == nst_helpers._SUBMODULES
    for short, where in nst_helpers._SUBMODULES.items():
        assert getattr(nst_helpers, short) is importlib.import_module(f"nst_helpers.{where}")


def test_the_import_contracts_name_only_modules_that_exist():
    """A contract naming a renamed or deleted module would check nothing."""
    import configparser

    import nst_helpers

    folder = Path(nst_helpers.__file__).parent
    config = configparser.ConfigParser()
    config.read(folder.parent / ".importlinter", encoding="utf-8")
    named = set()
    for section in config.sections():
        for key in ("source_modules", "forbidden_modules", "layers"):
            named.update(m for m in config[section].get(key, "").split() if m != "|")
    assert named, "no contract names a module"
    def exists(module):
        path = folder.joinpath(*module.split(".")[1:])
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    missing = [m for m in sorted(named) if not exists(m)]
    assert not missing, missing
