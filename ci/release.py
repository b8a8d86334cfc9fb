"""Tag the release the notebooks' Colab setup cell checks out (``nst_helpers.REPO_REF``).

Run by ``make release`` on a clean checkout of the commit to publish. It refuses when the tree
has uncommitted changes or when the tag already marks another commit (raise ``__version__``
for a new release), creates the annotated tag at HEAD, then clones the repository afresh and runs
the release test there, so the tag is known to travel with a clone. Publishing is then
``git push origin HEAD <tag>``: a plain ``git push`` of a branch does not send tags.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def main():
    import nst_helpers as nst

    tag = nst.REPO_REF
    if git("status", "--porcelain", "--untracked-files=no"):
        print(f"release: commit or stash your changes first; {tag} must name a commit as it is")
        return 1
    head = git("rev-parse", "HEAD")
    existing = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}"],
                              cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if existing and existing != head:
        print(f"release: {tag} already marks commit {existing[:12]}; raise nst_helpers.__version__ "
              "(and pyproject.toml's version) for a new release")
        return 1
    if not existing:
        git("tag", "-a", tag, "-m", f"nst-notebooks {nst.__version__}: the ref the notebooks' setup cell clones")
        print(f"release: tagged {head[:12]} as {tag}")
    with tempfile.TemporaryDirectory(prefix="nst-release-") as tmp:
        clone = Path(tmp) / "clone"
        git("clone", "--quiet", str(ROOT), str(clone))
        test = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                               "-m", "release", "tests/test_notebooks.py"], cwd=clone)
    if test.returncode:
        print(f"release: the release test failed in a fresh clone; {tag} was left in place (`git tag -d {tag}`)")
        return 1
    print(f"release: {tag} checked in a fresh clone. Publish with: git push origin HEAD {tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
