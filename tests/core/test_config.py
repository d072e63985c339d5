"""Config and paths: --home / NEWSWIRE_HOME, TOML errors that name file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.config import Config, ConfigError, load_config, parse_config, save_setting
from tui.core.paths import resolve_paths


def test_home_puts_everything_under_one_directory(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "h")
    for p in (paths.config_file, paths.database, paths.cache_dir, paths.save_dir):
        assert tmp_path / "h" in p.parents


def test_environment_variable_is_used_when_no_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWIRE_HOME", str(tmp_path / "env"))
    assert resolve_paths().database == tmp_path / "env" / "newswire.db"
    assert resolve_paths(tmp_path / "flag").database == tmp_path / "flag" / "newswire.db"


def test_platform_dirs_without_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWIRE_HOME")
    paths = resolve_paths()
    assert "newswire" in str(paths.config_dir).lower() and "newswire" in str(paths.data_dir).lower()


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "none.toml")
    assert config.fetch.per_host == 2 and config.fetch.max_connections == 128
    assert config.save.format == "markdown"


def test_values_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n[fetch]\nper_host = 4\ndeadline = 30\n[keys]\nsave = "ctrl+s"\n'
                    '[reader]\nstories = true\n')
    config = load_config(path)
    assert config.theme == "nord" and config.fetch.per_host == 4 and config.fetch.deadline == 30.0
    assert config.reader.stories and not load_config(tmp_path / "none.toml").reader.stories
    assert config.keys == {"save": "ctrl+s"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fetch]\n\nper_host = \"two\"\n", r"config.toml:3: key 'fetch.per_host': .*integer"),
        ("[fetch]\nmax_connections = 0\n", r"config.toml:2: key 'fetch.max_connections': must be at least 1"),
        ("[save]\nformat = \"pdf\"\n", r"config.toml:2: key 'save.format': must be one of"),
        ("[reader]\nsidebr = true\n", r"config.toml:2: key 'reader.sidebr': unknown setting"),
        ("colour = 1\n", r"config.toml:1: key 'colour': unknown setting"),
        ("[fetch\n", r"config.toml:1: invalid TOML"),
        ("[keys]\nsave = 3\n", r"config.toml:2: key 'keys.save'"),
        # Refused when the app starts, not first when e is pressed on an episode.
        ('[enclosures]\nplayer = "sh -c \'mpv {url}\'"\n',
         r"config.toml:2: key 'enclosures.player': .*\{url\} as an argument of its own"),
        ('[enclosures]\nplayer = "mpv --x{url}"\n', r"config.toml:2: key 'enclosures.player': "),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_save_setting_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my settings\ntheme = "nord"\n\n[fetch]\nper_host = 3\n')
    save_setting(path, "theme", "gruvbox")
    config = load_config(path)
    assert config.theme == "gruvbox" and config.fetch.per_host == 3
    assert path.read_text().startswith("# my settings\n")
    fresh = tmp_path / "new" / "config.toml"
    save_setting(fresh, "theme", 'a"b')
    assert load_config(fresh).theme == 'a"b'


def test_config_is_frozen() -> None:
    with pytest.raises(AttributeError):
        parse_config("").theme = "x"  # type: ignore[misc]
    assert isinstance(parse_config(""), Config)
