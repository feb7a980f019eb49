"""The shipped UTBMS code sets: counts, names, parents and unverified flags as the research notes give them."""

from __future__ import annotations

import pytest

from ledes import LedesConfigError
from ledes.utbms import CodeKind, code_sets, is_phase, lookup, with_custom

# Counted by hand in the published code lists (ABA UTBMS pages, LOC code set pages), one row
# per code, header rows A100 and E100 and the X900-X998 reserved range left out:
#   L: L100-L500 (5 phases) + 7 + 6 + 6 + 7 + 3 tasks = 34 ("29 tasks", S3)
#   L2007: L less L190 and L390, plus L360 = 33
#   A: A101-A111 = 11;  A2007: A + A112 = 12;  A2013: A + A112-A128 (17 rows) = 28
#   E: E101-E124 = 24;  EIP: E + E125-E131 (7 rows) = 31
#   X: X101-X143 (43) + X200-X207 (8) + X300-X309 (10) + X400-X405 (6) + X999 = 68
#   B: 4 phases + 11 + 6 + 2 + 2 tasks = 25 ("4 phases, 21 tasks")
#   C: C100-C400 = 4;  P: P100, P200, P210-P280 (8), P300-P800 (6) = 16
#   PA: 7 phases + 5 + 8 + 7 + 6 + 7 + 6 + 4 tasks = 50 ("7 phases, 43 tasks")
#   TR: 7 phases + 5 + 7 + 2 + 5 + 2 + 5 + 8 tasks = 41 ("7 phases and 34 tasks", S12)
#   ED: the 26 rows of the unverified C4 table + L609 (confirmed, not in that table) = 27
#   MA: the four deal phases recovered, MA00-MD00 (partial)
EXPECTED_COUNTS = {
    "L": 34, "L2007": 33, "A": 11, "A2007": 12, "A2013": 28, "E": 24, "EIP": 31, "X": 68,
    "B": 25, "C": 4, "P": 16, "PA": 50, "TR": 41, "ED": 27, "MA": 4,
}
EXPECTED_PHASES = {
    "L": 5, "L2007": 5, "A": 0, "A2007": 0, "A2013": 0, "E": 0, "EIP": 0, "X": 0,
    "B": 4, "C": 0, "P": 1, "PA": 7, "TR": 7, "ED": 0, "MA": 0,
}


def name(code: str, set_key: str) -> str:
    return code_sets()[set_key].codes[code].name


def test_every_set_loads_with_the_counted_number_of_codes():
    """Each set has exactly the number of codes counted in the reference, in code order."""
    sets = code_sets()
    assert {key: len(code_set.codes) for key, code_set in sets.items()} == EXPECTED_COUNTS
    for code_set in sets.values():
        assert list(code_set.codes) == sorted(code_set.codes)
        assert all(code.set == code_set.key for code in code_set.codes.values())


def test_the_sets_are_read_once():
    """The data files are read on the first call; later calls return the same mapping."""
    assert code_sets() is code_sets()


def test_every_parent_is_a_phase_of_the_same_set():
    """A task's parent is a code of its own set with no parent of its own, and has the task's prefix and first digit."""
    for code_set in code_sets().values():
        for code in code_set.codes.values():
            if code.parent is not None:
                phase = code_set.codes[code.parent]
                assert phase.parent is None
                assert code.parent == code.code[:-2] + "00"


def test_phases_per_set():
    """The phases with tasks are those the reference names (L100-L500, B100-B400, P200, PA100-PA700, TR100-TR700)."""
    for key, code_set in code_sets().items():
        phases = [code for code in code_set.codes if code_set.is_phase(code)]
        assert len(phases) == EXPECTED_PHASES[key], key
    assert is_phase("L100") and is_phase("l500") and is_phase("P200") and is_phase("TR700")
    assert not is_phase("L110") and not is_phase("P100") and not is_phase("C100") and not is_phase("A101")
    assert not is_phase("NOPE")


def test_kinds():
    """Task, activity and expense sets are told apart."""
    kinds = {key: code_set.kind for key, code_set in code_sets().items()}
    assert {key for key, kind in kinds.items() if kind is CodeKind.ACTIVITY} == {"A", "A2007", "A2013"}
    assert {key for key, kind in kinds.items() if kind is CodeKind.EXPENSE} == {"E", "EIP", "X"}


def test_l210_is_pleadings_under_l200_with_its_other_spelling_noted():
    """L210 is 'Pleadings' in phase L200, in both Litigation sets; the 'Pleading' spelling is in its note."""
    found = lookup("L210")
    assert [code.set for code in found] == ["L", "L2007"]
    for code in found:
        assert (code.name, code.parent, code.unverified) == ("Pleadings", "L200", False)
        assert '"Pleading"' in code.note
    assert name("L200", "L") == "Pre-Trial Pleadings and Motions"


def test_lookup_trims_and_upper_cases_and_misses_quietly():
    """Codes are compared upper-cased and trimmed; an unknown code finds nothing."""
    assert lookup(" l210 ") == lookup("L210")
    assert lookup("L290") == []  # invented by unreliable public material, not a UTBMS code


def test_the_2007_revision_drops_l190_and_l390_and_adds_l360_and_a112():
    """L2007 is L without L190 and L390, with L360; A2007 is A with A112; both are unverified sets."""
    sets = code_sets()
    assert set(sets["L"].codes) - set(sets["L2007"].codes) == {"L190", "L390"}
    assert set(sets["L2007"].codes) - set(sets["L"].codes) == {"L360"}
    l360 = sets["L2007"].codes["L360"]
    assert (l360.name, l360.parent, l360.unverified) == ("Discovery On-Site Inspections", "L300", True)
    assert set(sets["A2007"].codes) - set(sets["A"].codes) == {"A112"}
    assert sets["L2007"].unverified and sets["A2007"].unverified
    assert not sets["L"].unverified


def test_activity_codes_a101_to_a111_and_the_2013_additions():
    """A111 is 'Other'; the LOC 2013 set keeps A101-A111 and adds A112-A128, A113-A128 but A118 flagged unverified."""
    assert name("A111", "A") == "Other"
    assert name("A101", "A") == "Plan and prepare for"
    a2013 = code_sets()["A2013"].codes
    assert list(a2013) == [f"A{n}" for n in range(101, 129)]
    assert a2013["A112"].name == "Billable Travel Time"
    assert a2013["A118"].name == "Collection-Forensic"
    assert a2013["A128"].name == "Collection Closing Activities"
    assert {code for code, entry in a2013.items() if entry.unverified} == {f"A{n}" for n in range(113, 129)} - {"A118"}
    assert [code.set for code in lookup("A101")] == ["A", "A2007", "A2013"]


def test_expense_codes_e124_the_ip_additions_and_x_codes():
    """E124 is 'Other'; E125-E131 are only in EIP; the X codes run X101-X143, X200-X207, X300-X309, X400-X405, X999."""
    assert name("E124", "E") == "Other"
    assert "E125" not in code_sets()["E"].codes
    assert [name(f"E{n}", "EIP") for n in (125, 131)] == ["Translation", "Late Fees"]
    assert name("E129", "EIP") == (
        "Official Fees, excluding post-issuance patent maintenance, trademark renewal fees and late fees"
    )
    x = code_sets()["X"].codes
    expected = [
        *(f"X{n}" for n in range(101, 144)), *(f"X{n}" for n in range(200, 208)),
        *(f"X{n}" for n in range(300, 310)), *(f"X{n}" for n in range(400, 406)), "X999",
    ]
    assert list(x) == expected
    assert x["X101"].name == "Copies/Blowbacks/Printing-Black & White (Internal)"
    assert x["X300"].name == "Discovery/eDiscovery Collection-Forensic"
    assert x["X999"].name == "Other"
    assert not any(code.parent for code in x.values())


def test_ediscovery_codes_are_unverified_except_the_four_confirmed():
    """Every L6xx code is unverified except L601, L602, L609 and L611, and none has a parent."""
    ed = code_sets()["ED"]
    assert ed.unverified
    assert {code for code, entry in ed.codes.items() if not entry.unverified} == {"L601", "L602", "L609", "L611"}
    assert ed.codes["L609"].name == "Quality Assurance and Control"
    assert ed.codes["L611"].name == "Preservation Order"
    assert all(code.startswith("L6") and entry.parent is None for code, entry in ed.codes.items())


def test_bankruptcy_project_patent_trademark_samples():
    """Samples from the other task sets, including the catch-alls ending in 99 and the missing TR210."""
    assert name("B195", "B") == "Non-Working Travel"
    assert name("B230", "B") == "Financing/Cash Collections"
    assert name("P280", "P") == "Other"
    assert name("PA400", "PA") == "Domestic Patent Prosecution"
    assert name("PA199", "PA") == "Other Assessment, Development, or Administration"
    assert "PA799" not in code_sets()["PA"].codes
    assert name("TR799", "TR") == "Other Trademark Prosecution"
    assert "TR210" not in code_sets()["TR"].codes
    assert name("C400", "C") == "Third Party Communication"


def test_every_unverified_code_says_why():
    """A code marked unverified carries a note; so does an unverified set."""
    for code_set in code_sets().values():
        assert not code_set.unverified or code_set.notes
        for code in code_set.codes.values():
            assert not code.unverified or code.note, code


def test_a_code_is_in_two_sets_only_through_a_revision_that_keeps_it():
    """A code is in more than one set only through a revision that keeps it (L/L2007, A/A2007/A2013, E/EIP)."""
    related = [{"L", "L2007"}, {"A", "A2007", "A2013"}, {"E", "EIP"}]
    seen: dict[str, set[str]] = {}
    for code_set in code_sets().values():
        for code in code_set.codes:
            seen.setdefault(code, set()).add(code_set.key)
    for code, keys in seen.items():
        assert len(keys) == 1 or any(keys <= group for group in related), code


def test_with_custom_adds_client_codes_to_new_frozen_sets():
    """A client's codes are added, upper-cased and marked custom, to copies; the shipped sets stay as they were."""
    shipped = code_sets()
    sets = with_custom(shipped, {"X": [("x901", "Drone Survey", None)], "L": [("L171", "Client Review", "l100")]})
    assert sets["X"].codes["X901"].custom and sets["X"].codes["X901"].name == "Drone Survey"
    assert sets["L"].codes["L171"].parent == "L100"
    assert "X901" not in shipped["X"].codes and len(shipped["X"].codes) == 68
    assert [code.set for code in lookup("X901", sets)] == ["X"]
    assert lookup("X901") == []
    assert sets["B"] is shipped["B"]
    with pytest.raises(TypeError):
        sets["X"].codes["X902"] = sets["X"].codes["X901"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"Q": [("Q100", "Unknown", None)]}, "no code set 'Q'"),
        ({"L": [("L110", "Again", "L100")]}, "already has L110"),
        ({"L": [("L910", "Orphan", "L900")]}, "parent L900 is not in set L"),
        ({"L": [("L910", "Own", "L910")]}, "L910's parent L910 is not a phase"),
        ({"L": [("L910", "Under a task", "L110")]}, "L910's parent L110 is not a phase: it is a task of L100"),
    ],
)
def test_with_custom_rejects_unknown_sets_duplicate_codes_and_missing_parents(extra, message):
    """Custom codes for a missing set, a code the set has, or a parent it does not have are config errors."""
    with pytest.raises(LedesConfigError, match=message):
        with_custom(code_sets(), extra)
