"""Timekeeper classification codes: the LOC 2014 list (updated 6-2023) and the legacy 1998B codes."""

# LOC Revised Timekeeper Classifications (Aug 2014), https://ledes.org/loc-revised-timekeeper-classification-codes-august-2014/
LOC_2014 = frozenset(
    [
        "ADJSTR", "ADJSMT", "ANALST", "ARBITR", "ASSOC", "TRANEE", "AUDITR", "CLKSEC", "CONSLT", "TEMPAT", "TEMPOS",
        "CSTCNS", "CTRPTR", "DSCATT", "DSCPMG", "DSCANJ", "DSCANS", "DOCCDR", "DOCRAT", "DOCRNA", "EVDEVL",
        "EXPERT", "FLTFEE", "FORANL", "HLNLPF", "INVSTG", "IPSVPV", "IPAGNT", "LGLAST", "LGLINT", "LGPRMG",
        "LIBRRN", "MEDITR", "MDRCRV", "OFCOUN", "NBOTHR", "PARALG", "PARTNR", "RSRCHR", "RSPROF", "SECNDE",
        "SPAGNT", "SOLDSG", "STFATT", "STFCNS", "TPADMN", "TRAINR", "TRNDEV", "TRNFAG", "TRANSL", "VIDOGR",
    ]
)

# Pre-2014 1998B codes, still in circulation: partner, associate, of counsel,
# legal assistant, other timekeeper (the LEDES 1998B specification).
LEGACY_1998B = frozenset({"PT", "AS", "OC", "LA", "OT"})

ALL_CLASSIFICATIONS = LOC_2014 | LEGACY_1998B

# A legacy code and the LOC 2014 codes for the same kind of timekeeper, compared as one (a client's cap on PARTNR
# holds a line billed as PT, and one on PT a PARTNR line). A legal assistant (LA) is LOC's LGLAST or, as most US
# firms call the role, PARALG. OT (other timekeeper) names no kind and is compared with itself only.
_KINDS = ({"PT", "PARTNR"}, {"AS", "ASSOC"}, {"OC", "OFCOUN"}, {"LA", "LGLAST"}, {"LA", "PARALG"})
SAME_KIND: dict[str, frozenset[str]] = {}
for _kind in _KINDS:
    for _code in _kind:
        SAME_KIND[_code] = SAME_KIND.get(_code, frozenset({_code})) | _kind


def same_kind(code: str) -> frozenset[str]:
    """The codes compared as ``code`` (itself included): a legacy 1998B code and its LOC 2014 equivalents."""
    return SAME_KIND.get(code, frozenset({code}))
