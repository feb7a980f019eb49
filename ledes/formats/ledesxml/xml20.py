"""LEDES XML 2.0 (root ``ledesxmlebilling2.0``) as a ``Format``: LEDES XML 2.1 less what 2.0 lacks, as data.

2.0 is the LEDES XML version that 2.1 replaced. ledes reads, checks, writes and converts
it with the 2.1 reader and writer, which take the differences below from this module
(``XML_20``); nothing else in ledes knows that 2.0 exists apart from its line in
``ledes.formats.registry``. Its schema is the project's reconstruction
``schemas/ledes-xml-2.0.xsd`` (derived from ``ledes-xml-2.1.xsd``; its header gives the
same sources and choices in full).

What differs from 2.1, and the sources:

- ``lf_name`` is at most 60 characters in 2.0 (120 in 2.1), ``firm_URL`` at most 50
  (255 in 2.1): Mitratech/Collaborati's "LEDES XML 2.0 Format" and "LEDES XML 2.1
  Format" @FIRM tables
  (https://success.mitratech.com/Collaborati/User_Guides/Invoices/Upload_a_LEDES_File/LEDES_XML_2.0_Format).
  A longer value is a ``field.length`` finding; the writer writes it as it is.
- ``inv_total_net_due_other_iso`` is not in 2.0: the LOC says it exists "in XML 2.1x
  and 2.2x" (https://ledes.org/naming-inconsistency-noted/). Its sibling
  ``inv_total_tax_other_iso`` is left out with it (an inference: no source lists it
  for 2.0). Both are reported as not carried over when a 2.0 file holds them, and
  converting an invoice that has them into 2.0 lists them as losses.
- ``tax_tiers`` is not in 2.0: tiered taxes came with 2.2
  (https://ledes.org/ledes-xml-ebilling-ver-2-2/).
- 2.1's Regulatory Statement segment (https://ledes.org/ledes-xml-ebilling-ver-2-1-format/)
  is not in 2.0; ledes does not read it in 2.1 either.
- The firm id is ``lf_vendor_id`` in the LOC's "LEDES Comparison List" (for "Ver 2"
  and "Ver 2.1") and ``lf_office_id`` on Mitratech's 2.0 page: both are read, as in
  2.1; ``lf_vendor_id`` is written.

Which 2.0: the LOC revised 2.0 in 2008, 2014, 2020 (2.0.3) and 2023 (2.0.4), and 2.0.4
"will, with the exception of 3 fields, ... contain exactly the same base fields and the
same math statement as XML 2.1x and 2.2x"
(https://ledes.org/proposed-standard-changes-to-ledes-xml-ebilling-formats ; revision
history on https://ledes.org/ledes-xml-ebilling-ver-2-0-format/). ledes takes both
readings where they differ: ``inv_image_file_name`` and ``exchange_rate`` (2.0.4 only)
are optional, so files of either revision are read; the matter discount may be given as
``matter_perc_shar_fees`` / ``_exp`` (how Mitratech describes "LEDES XML 2.0 or 2.1")
or as ``matter_disc_cred`` segments (2.0.4); the matter arithmetic checked is the 2.x
math that 2.0.4 shares with 2.1.4.

UNVERIFIED (no public 2.0 sample, XSD or element list past @FIRM could be read):

- the root ``ledesxmlebilling2.0`` and the namespace ``http://www.ledes.org/LEDES20.xsd``
  (inferred by analogy with 2.2's attested ``…/LEDES22.xsd``). Any namespace is read,
  as for 2.1; the writer writes this one;
- every element after @FIRM: the 2.1 names, in 2.1's order; the position of @TAX (in
  the firm, before its clients, as in 2.1); whether 2.0 has ``inv_other_iso`` and
  ``work_location_country`` (kept, as in 2.1);
- the third of the "3 fields" 2.0.4 lacks, and the names of 2.0.3's clearance (CTC)
  number and of 2.0.4's rate fields: not modelled, so a file using them is reported
  (``xml.unmapped``, and by the reconstructed schema);
- the math of 2.0 before 2.0.4 (2006-2020), which the LOC says differs from 2.1's but
  which no public source states: such a file may get ``arithmetic.matter-totals``
  findings that its own math would not give.
"""

from __future__ import annotations

from ledes.formats.ledesxml.format import xml_format
from ledes.formats.ledesxml.versions import XmlVersion

ROOT = "ledesxmlebilling2.0"  # UNVERIFIED: named by analogy with ledesxmlebilling2.2
NAMESPACE = "http://www.ledes.org/LEDES20.xsd"  # UNVERIFIED: inferred by analogy with LEDES22.xsd

# The elements of the 2.1 tables that 2.0 does not have, by segment (the module docstring gives the sources).
NOT_IN_20: dict[str, tuple[str, ...]] = {
    "invoice": ("inv_total_net_due_other_iso", "inv_total_tax_other_iso"),
    "tax": ("tax_tiers",),
}
# Where 2.0's maximum length differs from 2.1's (Mitratech's 2.0 @FIRM table: lf_name 60, firm_URL 50).
MAX_LENGTHS_20: dict[str, dict[str, int]] = {
    "firm": {"lf_name": 60, "firm_URL": 50},
}

XML_20 = XmlVersion(
    ROOT,
    NAMESPACE,
    amend=lambda segments: segments.amended(dropped=NOT_IN_20, max_lengths=MAX_LENGTHS_20),
    schema="ledes-xml-2.0.xsd",
)
LEDES_XML_20 = xml_format(XML_20, "LEDESXML2.0", "xml2.0", "LEDES XML 2.0")
