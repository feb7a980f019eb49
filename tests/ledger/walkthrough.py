"""The month of receivables the README walks through, on the shipped samples (fixtures/ledger/README.md)."""

from __future__ import annotations

import shlex

README_DB = "tmp-ledger.sqlite"

# Each command as the README shows it, with --db README_DB.
COMMANDS = [
    'ledes ledger add --db {db} --submitted 2025-02-14 --portal "Legal Tracker" --guidelines default'
    " fixtures/1998b/valid/crlf_single_fee_legacy_pt.txt",
    'ledes ledger add --db {db} --submitted 2025-03-03 --portal "Tymetrix 360" --guidelines default'
    " fixtures/1998b/valid/lexitree_ledes1998b_good.txt",
    'ledes ledger add --db {db} --submitted 2025-04-01 --portal "Tymetrix 360" --guidelines default'
    " fixtures/1998b/valid/multi_matter.txt",
    "ledes ledger add --db {db} --submitted 2025-05-02 --portal CounselLink"
    " --guidelines fixtures/ledger/greenfield-guidelines.toml fixtures/xml/ledes2000_handwritten.xml",
    "ledes ledger add --db {db} --submitted 2025-06-02 --portal CounselLink --guidelines default"
    " fixtures/xml/ledes20_sample.xml",
    "ledes ledger import-status --db {db} fixtures/ledger/portal-status.csv --mapping fixtures/ledger/portal-status.toml",
    "ledes ledger import-status --db {db} fixtures/ledger/payments.csv --mapping fixtures/ledger/payments.toml",
    'ledes ledger mark --db {db} KRW-2024-0412 paid --amount 2000.00 --date 2025-06-27 --reason "SEPA transfer"',
    'ledes ledger mark --db {db} 96545 written-off --date 2025-06-30 --reason "Courier charge disputed"',
    'ledes ledger mark --db {db} HW-3107 note --date 2025-06-16 --reason "Reminder sent to accounts payable"',
    "ledes ledger history --db {db} 96543",
    "ledes ledger aging --db {db} --as-of 2025-06-30",
    "ledes ledger follow-up --db {db} --as-of 2025-06-30",
    "ledes ledger realization --db {db} --as-of 2025-06-30 --period 2025",
]


def arguments(command: str, db: str) -> list[str]:
    """A walk-through command's arguments after ``ledes``, on the ledger ``db``."""
    return shlex.split(command.format(db=db))[1:]
