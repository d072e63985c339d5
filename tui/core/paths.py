"""Where Newswire keeps its files: platformdirs locations, or everything under NEWSWIRE_HOME / --home."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from platformdirs import PlatformDirs

from tui import APP_NAME
from tui.core.records import Record, record

HOME_ENV = "NEWSWIRE_HOME"


@record
class Paths(Record):
    """The directories and files Newswire reads and writes."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    save_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "newswire.db"

    def ensure(self) -> Paths:
        for d in (self.config_dir, self.data_dir, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Locations from `home` (the --home flag), else NEWSWIRE_HOME, else the platform's user dirs."""
    root = home if home is not None else os.environ.get(HOME_ENV) or None
    if root is not None:
        base = Path(root).expanduser().resolve()
        return Paths(
            config_dir=base,
            data_dir=base,
            cache_dir=base / "cache",
            save_dir=base / "saved",
        )
    dirs = PlatformDirs(APP_NAME, appauthor=False)
    documents = Path(dirs.user_documents_dir)
    return Paths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        cache_dir=Path(dirs.user_cache_dir),
        save_dir=documents / "Newswire",
    )


def cache_dir() -> Path:
    """The cache directory under the current environment (for derived data such as the gazetteer index)."""
    return resolve_paths().cache_dir


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
