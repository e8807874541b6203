"""Teach a format-1 ``questions.lock`` the note types of questions it stamped before locks
recorded them, from an earlier version of the bank, so that the questions since withdrawn
can be shipped as withdrawn notes (same GUID, same cards). Hashes and times are kept: no
learner's note changes because of it. Run once, after which builds keep the note types:

    git show HEAD:questions.yaml > /tmp/old-questions.yaml
    .venv/bin/python scripts/lock_notetypes.py /tmp/old-questions.yaml --lock questions.lock
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from her2quiz.api import require_bank
from her2quiz.formats.anki import learn_notetypes
from her2quiz.lock import read_lock, write_lock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old_bank", type=Path, help="An earlier version of the bank.")
    parser.add_argument("--lock", type=Path, default=Path("questions.lock"))
    parser.add_argument("--sources", type=Path, default=None, help="Source texts [default: beside the bank].")
    args = parser.parse_args(argv)
    lock = read_lock(args.lock)
    learned = learn_notetypes(require_bank(args.old_bank, sources=args.sources), lock)
    missing = sorted(k for k, s in lock.sections["questions"].items() if s.notetype is None)
    if learned:
        write_lock(args.lock, lock)
    print(f"{args.lock}: learned {learned} note types; {len(missing)} entries still without one")
    for key in missing:
        print(f"  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
