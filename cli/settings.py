"""The configuration of a ``ledes validate`` run: the command line, then the repository's file, then the defaults.

The file is ``--guidelines FILE``; else, from the current directory upward, the first
folder with a ``ledes.toml`` or a ``pyproject.toml`` that has a ``[tool.ledes]`` table
(``ledes.toml`` first in one folder), as ruff finds its configuration. It holds the keys
of a guidelines file plus the command's defaults (``select``, ``ignore``, ``fail-on``,
``format``); keys other commands read (``ledger``) are left to them. ``--no-config``
skips the search.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from ledes import Config, LedesConfigError
from ledes.guidelines import PRESETS, load_config, load_table
from ledes.limits import parse_config_toml, read_config_text

from .selection import check_prefixes, split, with_selection

FORMATS = ("text", "json", "sarif", "junit", "github", "concise")
FAIL_ON = ("error", "warning", "never")
DEFAULTS: dict[str, object] = {"format": "text", "select": (), "ignore": (), "fail-on": "error"}
# Keys of the file that another command reads (ledes ledger): validate accepts and leaves them.
OTHER_COMMANDS = frozenset({"ledger"})


@attrs.frozen
class Settings:
    """The run's configuration, each command default's value with where it came from, and the file read (if any)."""

    config: Config
    values: Mapping[str, object]
    sources: Mapping[str, str]
    file: str | None


def working_folder() -> str | None:
    """The current folder, where the search for a configuration starts; None when it no longer exists."""
    try:
        return os.getcwd()
    except OSError:  # removed while the shell was in it: there is nothing to search from
        return None


def discover(start: str | None) -> tuple[str, dict, str] | None:
    """The nearest configuration from ``start`` (an absolute folder) upward: its path, its table, and how errors name it."""
    if start is None:
        return None
    folder = start
    while True:
        candidate = os.path.join(folder, "ledes.toml")
        if os.path.isfile(candidate):
            return candidate, _toml(candidate, candidate), candidate
        if os.path.islink(candidate) and not os.path.exists(candidate):  # meant as the configuration, but unreadable
            raise LedesConfigError(f"cannot read configuration '{candidate}': it is a link to"
                                   f" '{os.readlink(candidate)}', which does not exist")
        project = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(project):
            where = f"{project} [tool.ledes]"
            tool = _toml(project, project).get("tool", {})
            table = tool.get("ledes") if isinstance(tool, dict) else None
            if table is not None:
                if not isinstance(table, dict):
                    raise LedesConfigError(f"{where}: expected a table")
                return project, table, where
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _toml(path: str, where: str, kind: str = "configuration") -> dict:
    """A TOML file read; a LedesConfigError naming it (``where``) when it cannot be read or is not TOML."""
    return parse_config_toml(read_config_text(path, kind), where)  # within ledes.limits.MAX_CONFIG_BYTES


def _defaults_in(table: dict, where: str) -> dict[str, object]:
    """The command defaults a file gives, checked; they are removed from ``table``."""
    found: dict[str, object] = {}
    for key in ("select", "ignore"):
        if key in table:
            value = table.pop(key)
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise LedesConfigError(f"{where}: {key}: expected a list of rule names or groups, found {value!r}")
            prefixes = split(value)
            try:
                check_prefixes(prefixes, key)
            except LedesConfigError as error:
                raise LedesConfigError(f"{where}: {error}") from None
            found[key] = prefixes
    for key, allowed in (("fail-on", FAIL_ON), ("format", FORMATS)):
        if key in table:
            value = table.pop(key)
            if value not in allowed:
                raise LedesConfigError(f"{where}: {key}: expected one of {', '.join(allowed)}, found {value!r}")
            found[key] = value
    for key in OTHER_COMMANDS:
        table.pop(key, None)
    return found


def resolve(
    given: Mapping[str, object],
    guidelines: str | None,
    levels: Mapping[str, str],
    no_config: bool,
    start: str | None,
) -> Settings:
    """The settings: each command default from the command line (``given``, None when not given), the file, or built in."""
    file: str | None = None
    from_file: dict[str, object] = {}
    if guidelines is not None and guidelines in PRESETS:
        config = load_config(guidelines, levels)
        file = f"preset '{guidelines}'"
    else:
        found: tuple[str, dict, str] | None
        if guidelines is not None:
            found = (guidelines, _toml(guidelines, guidelines, "guidelines"), guidelines)
        else:
            found = None if no_config else discover(start)
        if found is None:
            config = load_config(None, levels)
        else:
            path, table, file = found
            from_file = _defaults_in(table, file)
            loaded = load_table(table, file, path)
            if guidelines is not None:  # a file named with --guidelines is the client's guidelines, whatever it holds
                loaded = attrs.evolve(loaded, guidelines=True)
            config = attrs.evolve(loaded, levels={**loaded.levels, **levels})
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for key, default in DEFAULTS.items():
        if given.get(key) not in (None, ()):
            values[key], sources[key] = given[key], f"--{key}"
        elif key in from_file:
            values[key], sources[key] = from_file[key], str(file)
        else:
            values[key], sources[key] = default, "default"
    for key in ("select", "ignore"):
        check_prefixes(values[key], f"--{key}")  # type: ignore[arg-type]
    selected = with_selection(config.levels, values["select"], values["ignore"])  # type: ignore[arg-type]
    return Settings(attrs.evolve(config, levels=selected), values, sources, file)


def shown(settings: Settings) -> list[str]:
    """``--show-config``: the effective configuration, each value with where it came from."""
    config = settings.config
    lines = [f"# configuration file: {settings.file or 'none'}"]
    for key, value in settings.values.items():
        text = f"[{', '.join(repr(v) for v in value)}]" if isinstance(value, tuple) else repr(value)
        lines.append(f"{key} = {text}".ljust(48) + f"# {settings.sources[key]}")
    lines.append(f"guidelines = {'on' if config.guidelines else 'off'}".ljust(48) + f"# {settings.file or 'default'}")
    if config.guidelines and config.timekeepers is not None:
        lines.append(f"timekeepers = {len(config.timekeepers)}".ljust(48) + f"# {settings.file}")
    off = sorted(name for name, level in config.levels.items() if level == "off")
    changed = {name: level for name, level in config.levels.items() if level != "off"}
    for name, level in sorted(changed.items()):
        lines.append(f"level {name} = {level}")
    if off:
        lines.append(f"off = {len(off)} rules: {', '.join(off)}")
    return lines
