"""Rendering UTBMS code sets for people (text) and for programs (the ``ledes codes --format json`` document)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from ledes.safetext import visible
from ledes.utbms import Code, CodeSet


def set_document(code_set: CodeSet) -> dict:
    return {
        "key": code_set.key,
        "title": code_set.title,
        "kind": code_set.kind.value,
        "count": len(code_set.codes),
        "source": code_set.source,
        "unverified": code_set.unverified,
        "notes": code_set.notes,
    }


def code_document(code: Code) -> dict:
    return {
        "code": code.code,
        "name": code.name,
        "set": code.set,
        "parent": code.parent,
        "unverified": code.unverified,
        "note": code.note,
    }


def sets_json(sets: Mapping[str, CodeSet]) -> str:
    """``{"sets": [set, ...]}``, each set without its codes but with their ``count``."""
    return dumps({"sets": [set_document(code_set) for code_set in sets.values()]})


def set_json(code_set: CodeSet) -> str:
    """``{"set": set, "codes": [code, ...]}`` in code order."""
    return dumps({"set": set_document(code_set), "codes": [code_document(code) for code in code_set.codes.values()]})


def code_json(code: str, matches: list[Code], sets: Mapping[str, CodeSet]) -> str:
    """``{"code": code, "matches": [...]}``: one entry per set that has the code, with its phase's name and tasks."""
    entries = []
    for match in matches:
        code_set = sets[match.set]
        entries.append({
            **code_document(match),
            "parent_name": code_set.codes[match.parent].name if match.parent else None,
            "children": [code_document(child) for child in code_set.children(match.code)],
        })
    return dumps({"code": code, "matches": entries})


def sets_text(sets: Mapping[str, CodeSet]) -> str:
    lines = []
    for code_set in sets.values():
        lines.append(f"{code_set.key:<6} {code_set.title}: {len(code_set.codes)} {code_set.kind.value} codes")
        lines.extend(f"       {line}" for line in about(code_set))
    return "\n".join(map(visible, lines))


def set_text(code_set: CodeSet) -> str:
    """The set's codes, each phase followed by its tasks, indented."""
    heading = f"{code_set.key}: {code_set.title}, {len(code_set.codes)} {code_set.kind.value} codes"
    lines = [heading, *about(code_set), ""]
    for code in code_set.codes.values():
        if code.parent is None:
            lines.append(code_line(code))
            lines.extend("  " + code_line(child) for child in code_set.children(code.code))
    return "\n".join(map(visible, lines))


def code_text(matches: list[Code], sets: Mapping[str, CodeSet]) -> str:
    """One block per set that has the code: set, phase, tasks, note."""
    blocks = []
    for match in matches:
        code_set = sets[match.set]
        lines = [code_line(match), f"  set: {code_set.key}  {code_set.title}, {code_set.kind.value} codes"]
        if match.parent:
            lines.append(f"  phase: {match.parent} {code_set.codes[match.parent].name}")
        children = code_set.children(match.code)
        if children:
            lines.append(f"  phase with {len(children)} tasks:")
            lines.extend("    " + code_line(child) for child in children)
        if match.note:
            lines.append(f"  {'unverified' if match.unverified else 'note'}: {match.note}")
        if code_set.unverified:
            lines.append(f"  set unverified: {code_set.notes}")
        blocks.append("\n".join(map(visible, lines)))
    return "\n\n".join(blocks)


def about(code_set: CodeSet) -> Iterator[str]:
    yield f"source: {code_set.source}"
    if code_set.notes:
        yield f"{'unverified' if code_set.unverified else 'note'}: {code_set.notes}"


def code_line(code: Code) -> str:
    marks = ("  [unverified]" if code.unverified else "") + ("  [client]" if code.custom else "")
    return f"{code.code:<6} {code.name}{marks}"


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
