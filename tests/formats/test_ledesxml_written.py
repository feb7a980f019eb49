"""The LEDES XML writers give every fixture the very bytes they gave before their segments were made into functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "golden"))

import xmlwritten


def test_every_fixture_is_written_byte_for_byte_as_recorded():
    recorded = json.loads(xmlwritten.RECORDED.read_text(encoding="utf-8"))
    assert xmlwritten.written() == recorded
