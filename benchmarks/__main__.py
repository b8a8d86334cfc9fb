"""``python -m benchmarks <section> [options]``: see :mod:`benchmarks`."""

import importlib
import os
import subprocess
import sys

from .common import MissingPictures, child_env

#: section → module (imported only when asked: each one loads TensorFlow)
MODULES = {"bench": "bench", "ablation": "ablation", "stopping-rule": "stopping_rule",
           "explorer": "explorer_latency", "auto-fit": "auto_fit"}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in (*MODULES, "all"):
        print(sys.modules["benchmarks"].__doc__)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    section, rest = argv[0], argv[1:]
    try:
        if section == "all":
            code = _run("bench", rest)
            # The explorer in fast mode, in its own process: fast mode is read at import.
            return code or subprocess.call([sys.executable, "-m", "benchmarks", "explorer"],
                                           env=child_env(NST_FAST="1"), cwd=os.getcwd())
        return _run(section, rest)
    except MissingPictures as error:
        print(f"benchmarks {section}: {error}", file=sys.stderr)
        return 2


def _run(section, argv):
    module = importlib.import_module(f".{MODULES[section]}", "benchmarks")
    return module.main(argv) or 0


if __name__ == "__main__":
    raise SystemExit(main())
