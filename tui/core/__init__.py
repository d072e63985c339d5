"""The domain: feeds, articles, extraction. Never imports textual or rich."""

import sys

# httpx imports its own command-line client (click, rich, pygments) whenever those are installed,
# and rich always is, beside textual. Marking that module absent makes httpx skip it: the core then
# loads no rich, and every start saves the ~30 ms those imports cost. Only httpx's `httpx` shell
# command is affected, never in this process.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
