"""A client's outside-counsel guidelines, read from TOML into the engine's configuration, with exact errors for mistakes.

A guidelines file (one per client) says which guideline rules apply and how::

    extends = "default"                # a shipped preset ("default", "strict") or another file
    client = "Northwind Insurance"
    currency = "USD"                   # the currency of the amounts below (caps, approved rates)

    [[timekeepers]]                    # the approved timekeepers, with effective-dated rates
    id = "22547"
    name = "Arnsley, Robert"
    classification = "PARTNR"
    rates = [{ rate = 350.00, from = 2024-01-01, until = 2024-12-31 }]

    [[custom_codes]]                   # the client's own UTBMS codes, added to a shipped set
    set = "L"
    code = "L199"
    name = "Other case assessment"
    parent = "L100"

    [rules."rates.cap"]                # any rule: its level and its options
    level = "error"
    caps = { PARTNR = 400.00, ASSOC = 250.00 }

    [rules."narrative"]                # or a whole group of rules: its level only
    level = "warning"

    [receivables]                      # the ledger's follow-up windows, in days (ledes ledger follow-up)
    payment_terms_days = 45            # default 30: an invoice is overdue this long after submission
    resubmission_window_days = 30      # default 60: a rejected invoice may be resubmitted this long after
    appeal_window_days = 30            # default 30: a reduction or short payment may be appealed this long after
    appeal_answer_days = 30            # default 30: an appeal with no answer this long after is chased

``currency`` (an ISO 4217 code) scopes the guidelines' amounts: the rules that compare
money with them (``CURRENCY_RULES``: ``rates.cap``, the expense caps, ``expense.approval``)
pass over an invoice that states another currency, as the portals skip their caps then;
an invoice that states none (LEDES 1998B) is taken to be in it. Without ``currency``
the amounts apply to every invoice; a file that gives amounts of its own (caps, thresholds,
approved rates) and no ``currency`` does not inherit one. The presets' amounts are in USD.
Each rule's amounts stay in the currency of the file that gave them (``Config.rule_currencies``):
a cap inherited from a preset stays in USD beside a client file's own caps, and a timekeeper's
approved rates are in the currency of the file that lists them (``ApprovedTimekeeper.currency``).
``extends`` is read first; the file then overrides it: ``client`` and ``currency`` replace, timekeepers
replace the inherited ones with the same id, custom codes add up, and each rule's table is
merged key by key (a group's level replaces the inherited levels of its rules). Within one
file, entries for one timekeeper id are joined (``ledes.guidelines.timekeepers``). A mistake (an unknown key or rule, a value of the wrong
type, a cycle of ``extends``, a classification no LEDES list has, an id listed again with
another classification or name, two rates of one timekeeper starting on the same day) is a
LedesConfigError naming the file, the path to the key and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from ledes.config import GROUPS, LEVELS, Config
from ledes.errors import LedesConfigError
from ledes.formats.currencies import ISO_4217
from ledes.guidelines.timekeepers import read_timekeepers
from ledes.limits import MAX_EXTENDS_DEPTH, parse_config_toml, read_config_text
from ledes.rules import options as rule_options
from ledes.rules.base import EVERY_CURRENCY
from ledes.rules.catalogue import CATALOGUE, CURRENCY_RULES, ENTRIES, rule_named

if TYPE_CHECKING:
    from os import PathLike
    from pathlib import Path

PRESETS = ("default", "strict")
_TOP_LEVEL = frozenset({"extends", "client", "currency", "timekeepers", "custom_codes", "rules", "receivables"})
MAX_WINDOW_DAYS = 3660  # the longest receivables window: ten years
# The receivables windows of the ledger's follow-up (ledes ledger follow-up), in days, with their defaults.
RECEIVABLES_DEFAULTS: Mapping[str, int] = {
    "payment_terms_days": 30,
    "resubmission_window_days": 60,
    "appeal_window_days": 30,
    "appeal_answer_days": 30,
}
_CUSTOM_CODE = frozenset({"set", "code", "name", "parent"})


def load(path: str | Path) -> Config:
    """The configuration a guidelines file (and what it extends) gives: levels, options, timekeepers, codes."""
    merged = _read(str(path), ())
    return _config(merged)


def preset(name: str) -> Config:
    """The configuration of a shipped preset (``default`` or ``strict``)."""
    return _config(_read(name, ()))


def load_config(guidelines: str | Path | None = None, levels: Mapping[str, str] | None = None) -> Config:
    """The configuration of a run: a shipped preset's or a guidelines file's (``guidelines``), or none's.

    ``levels`` (``--level RULE=LEVEL``) override the levels the guidelines give. Every
    mistake in the guidelines or the levels is a LedesConfigError here, before a file is read.
    """
    own = Config(levels=dict(levels or {}))
    if guidelines is None:
        return own
    loaded = preset(str(guidelines)) if str(guidelines) in PRESETS else load(guidelines)
    return attrs.evolve(loaded, levels={**loaded.levels, **own.levels})


def load_table(document: Mapping[str, object], where: str, path: str | PathLike[str]) -> Config:
    """The configuration of a guidelines table read from another file (``ledes.toml``, ``[tool.ledes]`` in pyproject.toml).

    ``where`` names it in every error; ``extends`` is found from the folder of ``path``, the file read. The guideline
    rules are on when the table gives the client's guidelines (``extends``, ``client``,
    ``timekeepers``, ``custom_codes``, or a guideline rule or group under ``rules``);
    a table of format rules' levels only leaves them off, as no guidelines would.
    """
    from pathlib import Path  # only with a configuration file: a run without one does without pathlib

    file = Path(path)
    merged = _merged(dict(document), where, (str(file.resolve()),), file.parent)
    rules = merged["rules"]
    guideline_groups = {entry.group for entry in CATALOGUE if entry.guideline}
    given = any(key in document for key in ("extends", "client", "currency", "timekeepers", "custom_codes")) or any(
        (name in ENTRIES and ENTRIES[name].guideline) or name in guideline_groups for name in rules)
    return _config(merged, guidelines=given)


# -- reading and merging ------------------------------------------------------------------


def _read(reference: str, seen: tuple[str, ...], base: Path | None = None, by: str | None = None) -> dict:
    """One file's settings merged over those of the file it extends; ``reference`` is a preset name or a path
    (``by`` names the file that extends it, for an error reading it)."""
    from pathlib import Path

    if reference in PRESETS:
        where = f"preset '{reference}'"
        # Package data beside this module (importing importlib.resources took longer than the read).
        text = (Path(__file__).with_name("presets") / f"{reference}.toml").read_text(encoding="utf-8")
        key = f"preset:{reference}"
        folder = None
    else:
        if "\0" in reference:  # no path holds one; resolve() would raise on it
            raise LedesConfigError(f"{by or 'guidelines'}: extends: {reference!r} holds a NUL character: no file is"
                                   " named so")
        file = Path(reference) if base is None else base / reference
        where = str(file)
        key = str(file.resolve())
        folder = file.parent
        try:
            text = read_config_text(file, "guidelines")
        except LedesConfigError as error:
            if by is None:
                raise
            raise LedesConfigError(f"{by}: extends: {error}") from None
    if key in seen:
        raise LedesConfigError(f"{where}: extends makes a cycle: {' -> '.join((*seen, key))}")
    document = parse_config_toml(text, where)
    return _merged(document, where, (*seen, key), folder)


def _merged(document: dict, where: str, seen: tuple[str, ...], folder: Path | None) -> dict:
    """A guidelines table's settings merged over those of the file it extends (found from ``folder``)."""
    _check_keys(document, _TOP_LEVEL, where, "")
    parent: dict = {"client": None, "currency": None, "timekeepers": {}, "custom_codes": [], "rules": {},
                    "receivables": {}, "sources": [], "currencies": {}}
    extends = document.get("extends")
    if extends is not None:
        if not isinstance(extends, str) or not extends:
            raise LedesConfigError(f"{where}: extends: expected a preset name ({', '.join(PRESETS)}) or a file path")
        if len(seen) >= MAX_EXTENDS_DEPTH:
            raise LedesConfigError(f"{where}: extends: more than {MAX_EXTENDS_DEPTH} files extend one another;"
                                   " that is the limit")
        parent = _read(extends, seen, folder, where)
    own = _settings(document, where)
    currency = own["currency"] or (None if _gives_amounts(own) else parent["currency"])
    return {
        "client": own["client"] if own["client"] is not None else parent["client"],
        "currency": currency,
        # The currency of each rule's amounts: that of the file that gave them (an inherited cap stays in its own);
        # the amounts a rule's options default to are in the currency of the first file (the presets': USD).
        "currencies": {**(parent["currencies"] if extends is not None else dict.fromkeys(CURRENCY_RULES, currency)),
                       **{name: currency for name, rule in own["rules"].items() if _amounts_of(name, rule)}},
        # Each timekeeper's rates in the currency of the file that lists them (a file that names none: any currency).
        "timekeepers": {**parent["timekeepers"], **{key: attrs.evolve(keeper, currency=currency or EVERY_CURRENCY)
                                                    for key, keeper in own["timekeepers"].items()}},
        "custom_codes": [*parent["custom_codes"], *own["custom_codes"]],
        "rules": _merge_rules(parent["rules"], own["rules"]),
        "receivables": {**parent["receivables"], **own["receivables"]},
        "sources": [*parent["sources"], where],
    }


def _settings(document: dict, where: str) -> dict:
    client = document.get("client")
    if client is not None and not isinstance(client, str):
        raise LedesConfigError(f"{where}: client: expected text, found {rule_options.shown(client)}")
    timekeepers = read_timekeepers(document.get("timekeepers", []), where, _list_of_tables, _check_keys)
    codes = []
    for index, entry in enumerate(_list_of_tables(document.get("custom_codes", []), where, "custom_codes")):
        path = f"custom_codes[{index}]"
        _check_keys(entry, _CUSTOM_CODE, where, path)
        for name in ("set", "code", "name"):
            if not isinstance(entry.get(name), str) or not entry[name].strip():
                raise LedesConfigError(f"{where}: {path}.{name}: expected text, found {rule_options.shown(entry.get(name))}")
        parent = entry.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise LedesConfigError(f"{where}: {path}.parent: expected a code, found {rule_options.shown(parent)}")
        codes.append((entry["set"].strip().upper(), entry["code"], entry["name"], parent))
    rules = document.get("rules", {})
    if not isinstance(rules, dict):
        raise LedesConfigError(f"{where}: rules: expected a table of rules ([rules.\"rates.cap\"]), found {rule_options.shown(rules)}")
    return {"client": client, "currency": _currency(document.get("currency"), where), "timekeepers": timekeepers,
            "custom_codes": codes,
            "rules": {name: _rule(name, settings, where) for name, settings in rules.items()},
            "receivables": _receivables(document.get("receivables", {}), where)}


def _gives_amounts(settings: dict) -> bool:
    """Whether a file's own settings give money amounts (caps, thresholds, approved rates): without ``currency``, they
    apply to every invoice, whatever the currency of the file it extends."""
    return (any(keeper.rates for keeper in settings["timekeepers"].values())
            or any(_amounts_of(name, rule) for name, rule in settings["rules"].items()))


def _amounts_of(name: str, rule: dict) -> bool:
    """Whether a rule's table in a file gives it money amounts: an option of a rule whose amounts are in a currency."""
    return name in CURRENCY_RULES and any(key != "level" for key in rule)


def _currency(value: object, where: str) -> str | None:
    """The ISO 4217 code the guidelines' amounts are in, upper-cased; None when not given."""
    if value is None:
        return None
    code = value.strip().upper() if isinstance(value, str) else None
    if code not in ISO_4217:
        raise LedesConfigError(f"{where}: currency: expected an ISO 4217 currency code such as USD, found {rule_options.shown(value)}")
    return code


def _receivables(table: object, where: str) -> dict[str, int]:
    if not isinstance(table, dict):
        raise LedesConfigError(f"{where}: receivables: expected a table ([receivables]), found {rule_options.shown(table)}")
    _check_keys(table, frozenset(RECEIVABLES_DEFAULTS), where, "receivables")
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WINDOW_DAYS:
            raise LedesConfigError(f"{where}: receivables.{key}: expected a whole number of days from 0 to"
                                   f" {MAX_WINDOW_DAYS:,}, found {rule_options.shown(value)}")
    return dict(table)


def _rule(name: str, settings: object, where: str) -> dict:
    rule = rule_named(name) if name in ENTRIES else None
    if rule is None and name in GROUPS:
        # A whole group (``[rules."narrative"]``) takes a level only: its rules' options differ.
        if not isinstance(settings, dict) or set(settings) - {"level"}:
            raise LedesConfigError(f"{where}: rules.\"{name}\": a group of rules takes only a level")
        if not isinstance(settings.get("level"), str) or settings["level"] not in LEVELS:
            raise LedesConfigError(f"{where}: rules.\"{name}\".level: expected one of {', '.join(LEVELS)},"
                                   f" found {rule_options.shown(settings.get('level'))}")
        return dict(settings)
    if rule is None:
        close = _close_matches(name, ENTRIES)
        hint = f"; did you mean '{close[0]}'?" if close else "; `ledes rules` lists them"
        raise LedesConfigError(f"{where}: rules.\"{name}\": no such rule{hint}")
    if not isinstance(settings, dict):
        raise LedesConfigError(f"{where}: rules.\"{name}\": expected a table (level = …, options), found {rule_options.shown(settings)}")
    result: dict = {}
    for key, value in settings.items():
        path = f"rules.\"{name}\".{key}"
        if key == "level":
            if not isinstance(value, str) or value not in LEVELS:
                raise LedesConfigError(f"{where}: {path}: expected one of {', '.join(LEVELS)}, found {rule_options.shown(value)}")
            result["level"] = value
        elif rule.options_type is not None and key in rule.options:
            result[key] = rule_options.convert(rule.options_type, key, value, f"{where}: {path}")
        else:
            known = ", ".join(sorted(rule.options)) or "none"
            raise LedesConfigError(f"{where}: {path}: not an option of {name} (its options: {known}; and level)")
    return result


def _merge_rules(parent: dict, own: dict) -> dict:
    """The rule tables of a file over those of the file it extends, key by key. A group's level the file sets replaces
    the levels the file it extends set for the group's rules (``strict``'s ``invoice.late``, under ``[rules."invoice"]
    level = "warning"``): within one file a rule's own level wins over its group's, not over a later file's."""
    merged = {name: dict(settings) for name, settings in parent.items()}
    for group, settings in own.items():
        if group in GROUPS and "level" in settings:
            for name, inherited in merged.items():
                entry = ENTRIES.get(name)
                if entry is not None and entry.group == group:
                    inherited.pop("level", None)
    for name, settings in own.items():
        merged.setdefault(name, {}).update(settings)
    return merged


def _config(merged: dict, guidelines: bool = True) -> Config:
    levels = {name: settings["level"] for name, settings in merged["rules"].items() if "level" in settings}
    options = {
        name: {key: value for key, value in settings.items() if key != "level"}
        for name, settings in merged["rules"].items()
    }
    custom: dict[str, list] = {}
    for set_key, code, name, parent in merged["custom_codes"]:
        custom.setdefault(set_key, []).append((code, name, parent))
    try:
        # The options are the rules' typed options, built here: each value was checked in the file that gave it.
        config = Config(
            levels=levels,
            options={name: values for name, values in options.items() if values},
            guidelines=guidelines,
            currency=merged["currency"],
            rule_currencies=merged["currencies"],
            # No [[timekeepers]] at all means the client keeps no approved list (not that nobody is approved).
            timekeepers=merged["timekeepers"] or None,
            custom_codes={key: tuple(codes) for key, codes in custom.items()},
            sources=tuple(merged["sources"]),
            receivables={**RECEIVABLES_DEFAULTS, **merged["receivables"]},
        )
    except LedesConfigError as error:  # a check of a rule's options together: named as the file names them
        message = str(error)
        for name in sorted(ENTRIES, key=len, reverse=True):  # the longest rule name the path starts with
            if message.startswith((f"options.{name}.", f"options.{name}:")):
                message = f'rules."{name}"' + message.removeprefix(f"options.{name}")
                break
        raise LedesConfigError(f"{merged['sources'][-1]}: {message}") from None
    try:
        context = config.context()  # the custom codes must fit their sets
    except LedesConfigError as error:
        raise LedesConfigError(f"{merged['sources'][-1]}: custom_codes: {error}") from None
    _check_option_codes(merged, context.code_sets)
    return config


# The options that name codes, and the kinds of code each matches (task or activity codes on a line, or expense
# codes): a code in none of the sets of those kinds (a typo, E999; a task code L110 as an expense) never matches.
_CODE_OPTIONS = (("expense.unit-cost-cap", "caps", ("expense",)), ("expense.daily-cap", "caps", ("expense",)),
                 ("expense.line-cap", "caps", ("expense",)), ("rates.task-cap", "caps", ("task",)),
                 ("expense.not-reimbursable", "codes", ("expense",)), ("time.travel", "codes", ("task", "activity")))


def _check_option_codes(merged: dict, code_sets: Mapping[str, object]) -> None:
    """Each code the guidelines name for an option is a UTBMS code, or one of their custom codes, of a kind it matches."""
    if not code_sets:  # no guideline rule is on: nothing reads the options
        return
    for rule, key, kinds in _CODE_OPTIONS:
        known = {name for code_set in code_sets.values() if getattr(getattr(code_set, "kind", None), "value", None) in kinds
                 for name in getattr(code_set, "codes", ())}
        for value in merged["rules"].get(rule, {}).get(key, ()):
            if isinstance(value, str) and value.strip().upper() not in known:
                kinds_named: dict[tuple[str, ...], str] = {("expense",): "an expense code (such as E101)",
                                                           ("task",): "a task code (such as L160)"}
                what = kinds_named.get(
                    kinds, "a task or activity code (such as A112)")
                raise LedesConfigError(f"{merged['sources'][-1]}: rules.\"{rule}\".{key}: {value!r} is not {what}"
                                       " of the UTBMS sets or the custom_codes: it would match no line")


# -- small checks --------------------------------------------------------------------------


def _check_keys(table: dict, allowed: frozenset[str], where: str, path: str) -> None:
    for key in table:
        if key not in allowed:
            close = _close_matches(key, allowed)
            hint = f"; did you mean '{close[0]}'?" if close else f" (expected one of: {', '.join(sorted(allowed))})"
            raise LedesConfigError(f"{where}: {path + '.' if path else ''}{key}: unknown key{hint}")


def _list_of_tables(value: object, where: str, path: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise LedesConfigError(f"{where}: {path}: expected a list of tables ([[{path}]]), found {rule_options.shown(value)}")
    return value


def _close_matches(name: str, known: Iterable[str]) -> list[str]:
    """The one known name closest to a mistaken ``name``, if any (difflib is imported only for a mistake)."""
    import difflib

    return difflib.get_close_matches(name, known, n=1)
