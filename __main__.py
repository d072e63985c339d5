"""`python .` from a checkout: run Newswire without installing it."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui.cli import run

if __name__ == "__main__":
    run()
