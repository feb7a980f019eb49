"""A rule name no rule has is a mistake in ledes: the configuration and the sink refuse it loudly, never report it."""

from __future__ import annotations

import pytest

from ledes import Config
from ledes.diagnostics import DiagnosticSink
from ledes.rules import ALL_RULES


@pytest.mark.parametrize("config", [Config(), Config(guidelines=True), Config(levels={"arithmetic": "off"})])
def test_level_of_an_unregistered_name_is_a_key_error(config: Config):
    # before, an unknown name silently became an error, and a group's level applied to it
    with pytest.raises(KeyError, match="no rule named 'arithmetic.line-totals' is registered"):
        config.level_of("arithmetic.line-totals")


def test_the_sink_refuses_a_finding_under_an_unregistered_name():
    sink = DiagnosticSink("file.txt", Config().level_of)
    with pytest.raises(KeyError, match="structure.no-such-rule"):
        sink.emit("structure.no-such-rule", "a finding no rule makes")
    assert sink.diagnostics == []


def test_every_registered_rule_has_a_level_in_every_configuration():
    for config in (Config(), Config(guidelines=True), Config(levels={"narrative": "error", "time.travel": "off"})):
        for rule in ALL_RULES:
            config.level_of(rule.name)  # no KeyError
    assert Config(levels={"narrative": "error", "time.travel": "off"}).level_of("time.travel") is None
