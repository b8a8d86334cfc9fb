"""Fail unless every ``name==version`` in the given requirements file is what is installed.

Used after building the Colab environment, so that no later install step (test tools, the
package) can have moved one of Colab's versions without the stage noticing.
"""

import sys
from importlib.metadata import PackageNotFoundError, version


def main(path):
    wrong = []
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, want = line.partition("==")
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "not installed"
        if have != want:
            wrong.append(f"{name}: want {want}, have {have}")
    if wrong:
        print("Colab pins not honoured:\n  " + "\n  ".join(wrong))
        return 1
    print(f"all {path} pins installed as listed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
