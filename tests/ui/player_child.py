"""Run the app in this process (NEWSWIRE_HOME from the environment), press `e`, wait for the player, quit.

    python -m tests.ui.player_child PLAYER PID_FILE

The test that runs it checks this process ends while the player it started still plays.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from tests.ui.conftest import ui_config, wait_for
from tui.app import build_app
from tui.core.config import EnclosureConfig
from tui.core.paths import resolve_paths
from tui.core.store import Store


async def main(player: str, pid_file: Path) -> None:
    paths = resolve_paths()
    with Store(paths.database) as store:
        app = build_app(paths, replace(ui_config(), enclosures=EnclosureConfig(player=player)), store)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("e")
            await wait_for(pilot, lambda: pid_file.exists() and pid_file.read_text())
            await pilot.press("q")  # the list is at the top: q quits


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
