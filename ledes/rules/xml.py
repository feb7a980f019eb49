"""XML rules: LEDES XML 2.x files are well-formed, safe to read, within the size ceiling, and valid against a schema."""

from ledes.diagnostics import Severity
from ledes.rules.base import reader_rule

WELL_FORMED = reader_rule(
    "xml.well-formed",
    Severity.ERROR,
    """The file is well-formed XML.

    Why: a portal's XML parser stops at the first syntax error, and so does every other
    check. The message gives libxml2's line and column.
    Options: none.
    Passing: ``<ledesxmlebilling2.2 xmlns="http://www.ledes.org/LEDES22.xsd">…</ledesxmlebilling2.2>``
    Failing: ``<inv_desc>Fees & costs</inv_desc>`` (an unescaped ``&``).
    """,
    lossy=True,
)

UNSAFE = reader_rule(
    "xml.unsafe",
    Severity.ERROR,
    """The file declares no DOCTYPE, entity or external resource.

    Why: LEDES XML 2.x is defined by XSDs and needs none; a DOCTYPE is how "billion
    laughs" and external-entity (XXE) attacks arrive. ledes never expands an entity,
    loads a DTD or touches the network: it refuses such a file and names what it
    declares.
    Options: none.
    Passing: a file without ``<!DOCTYPE``.
    Failing: ``<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>``
    """,
    lossy=True,
)

SIZE = reader_rule(
    "xml.size",
    Severity.ERROR,
    """The file is within the size ceiling (256 MiB) and libxml2's limits on depth and text.

    Why: an invoice file is far smaller; a larger one is refused before it is read, so
    memory stays bounded whatever arrives.
    Options: none.
    Passing: any real invoice.
    Failing: a 2 GB file.
    """,
    lossy=True,
)

SCHEMA = reader_rule(
    "xml.schema",
    Severity.ERROR,
    """The file is valid against the XSD given with ``--xsd`` (the official LOC schema, say).

    Why: portals validate LEDES XML against the official XSD before anything else.
    Each finding gives the line and the element's XPath.
    Options: none (the schema comes from ``--xsd PATH``).
    Passing: an invoice the XSD accepts.
    Failing: ``<units>2:30</units>`` where the XSD wants a decimal.
    """,
)

SCHEMA_RECONSTRUCTION = reader_rule(
    "xml.schema-reconstruction",
    Severity.WARNING,
    """The file is valid against the project's reconstruction of the LEDES XML 2.1 / 2.2 schema.

    Why: the official XSDs are not publicly redistributable; ledes ships its own
    reconstruction from the published element lists (``schemas/ledes-xml-2.x.xsd``).
    Where that reconstruction had to guess (some element orders, tax segments), a real
    file may differ from it, so its findings are warnings; validate against the
    official XSD with ``--xsd PATH`` for errors.
    Options: none.
    Passing: ``fixtures/xml/ledes22_sample.xml``
    Failing: a fee whose ``charge_date`` is ``20210115``.
    """,
)

UNMAPPED = reader_rule(
    "xml.unmapped",
    Severity.INFO,
    """Every element of a LEDES XML 2.1 / 2.2 file is one ledes reads into its model.

    Why: nothing is lost silently. An element outside the 2.x segments ledes knows
    (an ``extend_header``, a tiered tax, a value repeated, a second tax on one line)
    is reported once per element name, so that ``ledes convert`` refuses to drop it
    without ``--allow-loss``. The file itself may be fine: this is information.
    Options: none.
    Passing: ``fixtures/xml/ledes21_sample.xml``
    Failing: ``<fee>…<extend_header vendor="x"/>…</fee>``
    """,
    lossy=True,
)

TAX_REFERENCE = reader_rule(
    "xml.tax-reference",
    Severity.ERROR,
    """Every ``tx_id`` a fee, expense or discount refers to is defined by a ``tax`` segment before it.

    Why: a line's tax rate and type live in the file's ``tax`` segments, found by
    ``tx_id`` (Mitratech: the value "would need to match the tx_id reference in the @TAX
    segment in your file"); without its definition the line's tax cannot be computed.
    ledes reads invoices as they stream past, so it needs each tax defined in the firm,
    before the clients that use it, where the LOC's segment list puts @TAX.
    Options: none.
    Passing: ``<tax><tx_id>T1</tx_id>…</tax>`` in the firm, then ``<tax_item_fee><tx_id>T1</tx_id>…``
    Failing: ``<tax_item_fee><tx_id>T9</tx_id>…`` with no tax T9.
    """,
    lossy=True,
)

ITEM_NUMBER = reader_rule(
    "xml.item-number",
    Severity.ERROR,
    """Every ``file_item_nbr`` is a positive whole number, used once in the file.

    Why: ``file_item_nbr`` is "Integer, Unique ... item count of this data element in
    the invoice file submission" (Mitratech), and Legal Tracker points to each XML error
    by it, so a repeated number makes its findings ambiguous. One production generator
    repeats the number of its first matter on every later matter. The reader checks it
    as it streams, in bounded memory, in place of the reconstructed schema's xs:unique.
    Options: none.
    Passing: numbers 1, 2, 3 … through the file.
    Failing: a second matter with ``<file_item_nbr>4</file_item_nbr>`` like the first.
    """,
)

MERGED_MATTERS = reader_rule(
    "xml.merged-matters",
    Severity.ERROR,
    """Each matter of an invoice is in its own ``matter`` element, opened and closed.

    Why: one production generator opens ``<matter>`` once and writes every matter inside
    it (its LEDES 2000 routine), so the second matter's ``cl_matter_id``, ``lf_matter_id``
    and totals follow the first matter's fees. Its other routines (LEDES 2000's first
    release, LEDES XML 2.2) open ``<matter>`` once but close it after every matter, which
    leaves the file not well-formed. A portal rejects both; a naive reader bills every line
    to the first matter, or reads nothing. ledes splits the element at each new
    ``cl_matter_id`` / ``lf_matter_id``, and reads a matter closed but never opened as a
    matter of its own, so each matter keeps its own lines and totals, and reports where.
    Options: none.
    Passing: ``<matter>…</matter><matter>…</matter>``
    Failing: ``<matter><lf_matter_id>0528</lf_matter_id>…<fee>…</fee><lf_matter_id>1326</lf_matter_id>…</matter>``,
    or ``<matter><cl_matter_id>423-987</cl_matter_id>…</matter><cl_matter_id>425-936</cl_matter_id>…</matter>``
    """,
)

ENCODING = reader_rule(
    "xml.encoding",
    Severity.ERROR,
    """The bytes of an XML file are in the encoding its declaration names.

    Why: a generator that writes its database's Windows code-page text under
    ``encoding='UTF-8'`` makes the file ill-formed: a parser stops at the first ``é``.
    ledes reads such a line as Windows-1252, keeps every character, and reports each line
    with the element whose text it repaired.
    Options: none.
    Passing: ``<city>São Paulo</city>`` in UTF-8.
    Failing: the same line's ``ã`` written as the single byte 0xE3 under a UTF-8 declaration.
    """,
)

UNESCAPED = reader_rule(
    "xml.unescaped",
    Severity.ERROR,
    """Text holds ``<`` and ``&`` only as ``&lt;`` and ``&amp;``.

    Why: an unescaped ``<`` or ``&`` in a value ("Smith & Jones", "fees < 5,000") makes the
    file ill-formed; portals refuse it, and a tolerant parser may drop the rest of the
    value. ledes reads a one-element line whose value is ill-formed as text, exactly as
    written, and reports it with its XPath.
    Options: none.
    Passing: ``<charge_desc>Smith &amp; Jones</charge_desc>``
    Failing: ``<charge_desc>Smith & Jones</charge_desc>``
    """,
)

DISCOUNT_SIGN = reader_rule(
    "xml.discount-sign",
    Severity.WARNING,
    """A matter discount's or credit's ``disc_cred_amount`` has the sign its ``increase_decrease`` gives it.

    Why: ``matter_disc_cred`` says both how much (``disc_cred_amount``) and which way
    (``increase_decrease``: Increase or Decrease); the generators seen write a decrease as a
    negative amount and an increase as a positive one, but whether the amount is signed or
    a size is not settled in the published element lists. A Decrease of ``100.00`` read as
    written bills the client 100 more instead of 100 less, with nothing but the totals to
    show it. ledes signs the amount as the flag says (the stated totals then show whether
    that was the file's meaning) and reports the clash, which a portal may reject.
    Options: none.
    Passing: ``<increase_decrease>Decrease</increase_decrease>…<disc_cred_amount>-100.00</disc_cred_amount>``
    Failing: ``<increase_decrease>Decrease</increase_decrease>…<disc_cred_amount>100.00</disc_cred_amount>``
    (read as −100.00)
    """,
)

RULES = (
    WELL_FORMED, UNSAFE, SIZE, SCHEMA, SCHEMA_RECONSTRUCTION, UNMAPPED, TAX_REFERENCE, ITEM_NUMBER, MERGED_MATTERS,
    ENCODING, UNESCAPED, DISCOUNT_SIGN,
)
