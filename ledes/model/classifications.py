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
