"""The project's reconstructed LEDES XML 2.1 and 2.2 schemas (schemas/ledes-xml-2.x.xsd).

Each sample invoice in fixtures/xml validates against its schema and adds up to the cent; copies
with one typical defect (a bad date, a missing required element, an unknown element, a value
outside an enumeration, and the known bugs of a production generator) are rejected for that
defect; the alternative spellings the schemas accept on purpose are accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "xml"
SAMPLES = {"2.1": FIXTURES / "ledes21_sample.xml", "2.2": FIXTURES / "ledes22_sample.xml"}
NAMESPACES = {"2.1": "http://www.ledes.org/LEDES21.xsd", "2.2": "http://www.ledes.org/LEDES22.xsd"}
CENT = Decimal("0.01")

Mutation = Callable[[etree._Element], None]


def _parser() -> etree.XMLParser:
    """A parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _schema_path(version: str) -> Path:
    return ROOT / "schemas" / f"ledes-xml-{version}.xsd"


@cache
def _schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_schema_path(version)), _parser()))


def _sample(version: str) -> etree._ElementTree:
    """A fresh parse of the sample, safe to modify."""
    return etree.parse(str(SAMPLES[version]), _parser())


def _path(path: str) -> str:
    """'firm/client' -> '{*}firm/{*}client': an ElementPath that ignores the namespace."""
    return "/".join(step if step in (".", "") else "{*}" + step for step in path.split("/"))


def _one(root: etree._Element, path: str) -> etree._Element:
    found = root.find(_path(path))
    assert found is not None, path
    return found


def _new(root: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.Element(f"{{{etree.QName(root).namespace}}}{name}")
    element.text = text
    return element


def set_text(path: str, text: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        _one(root, path).text = text

    return mutate


def remove(path: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        element = _one(root, path)
        element.getparent().remove(element)

    return mutate


def insert_after(path: str, name: str, text: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        _one(root, path).addnext(_new(root, name, text))

    return mutate


def rename_all(name: str, new_name: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for element in root.iter(f"{{*}}{name}"):
            element.tag = f"{{{etree.QName(element).namespace}}}{new_name}"

    return mutate


def move_to_root_end(path: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        root.append(_one(root, path))

    return mutate


def generator_percentage_order(root: etree._Element) -> None:
    """The 2.2 generator's order: perc_shar_fees, disc_bill_pct_fees, disc_bill_pct_exp, perc_shar_exp."""
    matter = _one(root, "firm/client/invoice/matter")
    fees_share = _one(matter, "matter_perc_shar_fees")
    fees_share.addnext(_new(root, "matter_disc_bill_pct_fees", "0.00"))
    _one(matter, "matter_disc_bill_pct_fees").addnext(_new(root, "matter_disc_bill_pct_exp", "0.00"))
    _one(matter, "matter_disc_bill_pct_exp").addnext(_one(matter, "matter_perc_shar_exp"))


INVOICE = "firm/client/invoice"
MATTER_1 = f"{INVOICE}/matter[1]"
MATTER_2 = f"{INVOICE}/matter[2]"
DISCOUNT = f"{MATTER_2}/matter_disc_cred"
BOTH = ("2.1", "2.2")

# (case id, versions, mutation, text the validation error must contain)
REJECTED: list[tuple[str, tuple[str, ...], Mutation, str]] = [
    ("impossible-date", BOTH, set_text(f"{INVOICE}/inv_date", "2008-02-30"), "inv_date"),
    ("date-as-yyyymmdd", BOTH, set_text(f"{INVOICE}/inv_due_date", "20080326"), "inv_due_date"),
    ("date-with-time", BOTH, set_text(f"{MATTER_1}/fee/charge_date", "2008-01-15T09:00:00"), "charge_date"),
    ("missing-inv-id", BOTH, remove(f"{INVOICE}/inv_id"), "inv_id"),
    ("missing-fee-total", BOTH, remove(f"{MATTER_1}/fee/total_amount"), "total_amount"),
    ("missing-segment-file-item-nbr", BOTH, remove(f"{MATTER_1}/expense/file_item_nbr"), "file_item_nbr"),
    ("missing-disc-cred-amount", BOTH, remove(f"{DISCOUNT}/disc_cred_amount"), "disc_cred_amount"),
    ("missing-client", BOTH, remove("firm/client"), "client"),
    ("empty-lf-matter-id", BOTH, set_text(f"{MATTER_1}/lf_matter_id", ""), "lf_matter_id"),
    ("unknown-element", BOTH, insert_after(f"{INVOICE}/inv_desc", "inv_generic_discount", "0"), "inv_generic_discount"),
    ("cl-email-in-contact", BOTH, insert_after("firm/client/client_contact/contact_fname", "cl_email", "a@b.example"),
     "cl_email"),
    ("lf-tax-id-is-ledes-2000", BOTH, rename_all("lf_vendor_id", "lf_tax_id"), "lf_tax_id"),
    ("bad-account-type", BOTH, set_text(f"{MATTER_1}/account_type", "X"), "account_type"),
    ("bad-charge-type", BOTH, set_text(f"{MATTER_1}/fee/charge_type", "H"), "charge_type"),
    ("bad-disc-cred", BOTH, set_text(f"{DISCOUNT}/disc_cred", "MIX"), "disc_cred"),
    ("bad-disc-cred-category", BOTH, set_text(f"{DISCOUNT}/disc_cred_category", "Fees"), "disc_cred_category"),
    ("bad-increase-decrease", BOTH, set_text(f"{DISCOUNT}/increase_decrease", "decrease"), "increase_decrease"),
    ("replacement-flag-s", BOTH, insert_after(f"{INVOICE}/inv_desc", "rejected_inv_replacement", "S"),
     "rejected_inv_replacement"),
    ("currency-not-iso", BOTH, set_text(f"{INVOICE}/inv_currency", "Dollar"), "inv_currency"),
    ("units-as-hh-mm", BOTH, set_text(f"{MATTER_1}/fee/units", "02:00"), "units"),
    ("share-above-one", BOTH, set_text(f"{MATTER_1}/matter_perc_shar_fees", "100"), "matter_perc_shar_fees"),
    ("file-item-nbr-zero", BOTH, set_text(f"{MATTER_1}/file_item_nbr", "0"), "file_item_nbr"),
    ("file-item-nbr-repeated", BOTH, set_text(f"{MATTER_2}/file_item_nbr", "5"), "uniqueFileItemNbr"),
    ("second-matter-merged", BOTH, insert_after(f"{MATTER_1}/file_item_nbr", "lf_matter_id", "1326"), "lf_matter_id"),
    ("expense-discount-after-total", BOTH,
     lambda root: _one(root, f"{MATTER_1}/expense/total_amount").addnext(
         _one(root, f"{MATTER_1}/expense/item_disc_cred_amount")),
     "item_disc_cred_amount"),
    ("unknown-tax-id", ("2.2",), set_text(f"{MATTER_1}/fee/tax_item_fee/tx_id", "FR-VAT"), "taxIdReference"),
    ("tax-rate-negative", ("2.2",), set_text("firm/tax/tax_rate_percent", "-0.20"), "tax_rate_percent"),
    ("bad-tax-tiers", ("2.2",), set_text("firm/tax/tax_tiers", "S"), "tax_tiers"),
    # Taxes are defined in the firm, before the clients whose invoices use them (uncertain choice 4).
    ("tax-at-root-end", ("2.2",), move_to_root_end("firm/tax"), "tax"),
]

# Variants the schemas accept on purpose (two attested spellings or orders, see their header).
ACCEPTED: list[tuple[str, tuple[str, ...], Mutation]] = [
    ("tk-sum-spelling", BOTH, rename_all("tksum", "tk_sum")),
    ("lf-office-id-spelling", BOTH, rename_all("lf_vendor_id", "lf_office_id")),
    ("generator-percentage-order", BOTH, generator_percentage_order),
    ("child-segments-any-order", BOTH, lambda root: _one(root, MATTER_2).append(_one(root, DISCOUNT))),
    ("tax-sum-spelling", ("2.2",), rename_all("tax_summary", "tax_sum")),
    ("tax-fee-spelling", ("2.2",), rename_all("tax_item_fee", "tax_fee")),
]


@pytest.mark.parametrize("version", BOTH)
def test_sample_validates(version: str) -> None:
    """Each sample invoice is valid against the schema of its version."""
    schema = _schema(version)
    assert schema.validate(_sample(version)), schema.error_log


@pytest.mark.parametrize("version", BOTH)
def test_sample_root_and_namespace(version: str) -> None:
    """Each sample uses the root element and default namespace its schema declares."""
    root = _sample(version).getroot()
    assert etree.QName(root).localname == f"ledesxmlebilling{version}"
    assert root.nsmap == {None: NAMESPACES[version]}


def test_versions_are_not_interchangeable() -> None:
    """A 2.1 file is not valid 2.2, and the reverse (root and namespace differ)."""
    assert not _schema("2.2").validate(_sample("2.1"))
    assert not _schema("2.1").validate(_sample("2.2"))


@pytest.mark.parametrize(
    ("version", "mutate", "expected"),
    [pytest.param(v, mutate, expected, id=f"{v}-{name}")
     for name, versions, mutate, expected in REJECTED for v in versions],
)
def test_schema_rejects(version: str, mutate: Mutation, expected: str) -> None:
    """A sample with one defect is invalid, and the validation error names that defect."""
    tree = _sample(version)
    mutate(tree.getroot())
    schema = _schema(version)
    assert not schema.validate(tree)
    messages = [error.message for error in schema.error_log]
    assert any(expected in message for message in messages), messages


@pytest.mark.parametrize(
    ("version", "mutate"),
    [pytest.param(v, mutate, id=f"{v}-{name}") for name, versions, mutate in ACCEPTED for v in versions],
)
def test_schema_accepts_variant(version: str, mutate: Mutation) -> None:
    """Alternative spellings and orders the schemas accept on purpose stay valid."""
    tree = _sample(version)
    mutate(tree.getroot())
    schema = _schema(version)
    assert schema.validate(tree), schema.error_log


@pytest.mark.parametrize("version", BOTH)
def test_schema_header_says_reconstruction(version: str) -> None:
    """Each schema says it is ledes's reconstruction, not the LOC schema, and how to use the official one."""
    text = _schema_path(version).read_text(encoding="utf-8")
    header = text[: text.index("<xs:schema")]
    assert "RECONSTRUCTION" in header and "NOT the official" in header
    assert "ledes validate --xsd PATH" in text
    if version == "2.1":
        assert "INFERENCE BY ANALOGY" in text


def _decimal(element: etree._Element, name: str) -> Decimal:
    return Decimal(_one(element, name).text)


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return element.findall(_path(name))


@pytest.mark.parametrize("version", BOTH)
def test_sample_arithmetic(version: str) -> None:
    """The samples add up exactly (conventions in fixtures/xml/README.md)."""
    root = _sample(version).getroot()
    invoice = _one(root, INVOICE)
    matters = _children(invoice, "matter")
    assert len(matters) == 2
    for matter in matters:
        lines = {kind: _children(matter, kind) for kind in ("fee", "expense")}
        for line in lines["fee"] + lines["expense"]:
            base = _decimal(line, "base_amount")
            assert base == (_decimal(line, "units") * _decimal(line, "rate")).quantize(CENT)
            assert _decimal(line, "total_amount") == base + _decimal(line, "item_disc_cred_amount")
        detail_fees = sum(_decimal(line, "total_amount") for line in lines["fee"])
        detail_exp = sum(_decimal(line, "total_amount") for line in lines["expense"])
        assert _decimal(matter, "matter_total_detail_fees") == detail_fees
        assert _decimal(matter, "matter_total_detail_exp") == detail_exp
        credits = {"Fee": Decimal(0), "Exp": Decimal(0)}
        for item in _children(matter, "matter_disc_cred"):
            credits[_one(item, "disc_cred_category").text] += _decimal(item, "disc_cred_amount")
        assert _decimal(matter, "matter_disc_credit_fees") == credits["Fee"]
        assert _decimal(matter, "matter_disc_credit_exp") == credits["Exp"]
        assert _decimal(matter, "matter_disc_cred_total") == credits["Fee"] + credits["Exp"]
        net_fees, net_exp = detail_fees + credits["Fee"], detail_exp + credits["Exp"]
        assert _decimal(matter, "matter_net_fees") == net_fees
        assert _decimal(matter, "matter_net_exp") == net_exp
        summaries = _children(matter, "tax_summary")
        tax_fees = sum(_decimal(summary, "total_tax_on_fees") for summary in summaries)
        tax_exp = sum(_decimal(summary, "total_tax_on_expense") for summary in summaries)
        for summary in summaries:
            tax_id = _one(summary, "tx_id").text
            rate = Decimal(root.find(f".//{{*}}tax[{{*}}tx_id='{tax_id}']/{{*}}tax_rate_percent").text)
            assert _decimal(summary, "tax_total_detail_fees") == net_fees
            assert _decimal(summary, "tax_total_detail_expense") == net_exp
            assert _decimal(summary, "total_tax_on_fees") == (net_fees * rate).quantize(CENT)
            assert _decimal(summary, "total_tax_on_expense") == (net_exp * rate).quantize(CENT)
        assert _decimal(matter, "matter_tax_on_fees") == tax_fees
        assert _decimal(matter, "matter_tax_on_exp") == tax_exp
        assert _decimal(matter, "matter_total_due") == net_fees + net_exp + tax_fees + tax_exp
    taxes = sum(_decimal(m, "matter_tax_on_fees") + _decimal(m, "matter_tax_on_exp") for m in matters)
    assert _decimal(invoice, "inv_total_tax") == taxes
    assert _decimal(invoice, "inv_total_net_due") == sum(_decimal(m, "matter_total_due") for m in matters)
    assert bool(taxes) == (version == "2.2")


@pytest.mark.parametrize("version", BOTH)
def test_sample_file_item_numbers_run_in_document_order(version: str) -> None:
    """file_item_nbr counts the segments 1, 2, 3, ... in document order."""
    numbers = [int(element.text) for element in _sample(version).getroot().iter("{*}file_item_nbr")]
    assert numbers == list(range(1, len(numbers) + 1))
