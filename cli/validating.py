"""``ledes validate``: check files and write the findings as they stream past, in the output the reader wants."""

from __future__ import annotations

import sys
from typing import TextIO

import click

from ledes import Config
from ledes.engine import check
from ledes.formats.io import check_readable
from ledes.formats.keys import FORMAT_KEYS
from ledes.rules.catalogue import CATALOGUE
from ledes.safeoutput import stdout_apart_from

from . import settings as run_settings
from .findings import Run, RunTally, TextOptions, TextWriter, Writer, statistics_lines
from .progress import ProgressLine
from .text import TEXT

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def parse_levels(values: tuple[str, ...]) -> dict[str, str]:
    levels = {}
    for value in values:
        name, equals, level = value.partition("=")
        if not equals:
            raise click.BadParameter(f"expected RULE=LEVEL, found '{value}'", param_hint="--level")
        levels[name.strip()] = level.strip()
    return levels


def writer_for(output_format: str, out: TextIO, config: Config, quiet: bool, statistics: bool) -> Writer:
    """The writer of one ``--format``."""
    checked = [entry for entry in CATALOGUE if config.level_of(entry.name) is not None]
    guidelines = any(rule.guideline for rule in checked)
    # Each output's module is imported when it is chosen.
    if output_format == "json":
        from .json_output import JsonWriter

        return JsonWriter(out, at_risk_possible=guidelines)
    if output_format == "sarif":
        from .sarif import SarifWriter

        return SarifWriter(out)
    if output_format == "junit":
        from .junit import JunitWriter

        return JunitWriter(out, [rule.name for rule in checked])
    if output_format == "github":
        from .github import GithubWriter

        return GithubWriter(out)
    options = TextOptions(quiet=quiet, concise=output_format == "concise", statistics=statistics, guidelines=guidelines)
    return TextWriter(out, options)


def exit_status(run: RunTally, fail_on: str, max_warnings: int | None) -> int:
    """1 when the run fails: an error (``--fail-on error``), an error or a warning (``warning``), or too many warnings."""
    failed = {"error": run.errors, "warning": run.errors + run.warnings, "never": 0}[fail_on] > 0
    if max_warnings is not None and run.warnings > max_warnings:
        click.echo(f"ledes: {run.warnings} warnings, more than --max-warnings {max_warnings}", err=True)
        failed = True
    return EXIT_FINDINGS if failed else EXIT_CLEAN


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(run_settings.FORMATS), default=None,
              help="text (people), json (programs), sarif (code scanning), junit (test reports), github"
                   " (workflow annotations), concise (CI logs). Default: text, or the configuration's.")
@click.option("--from", "source_format", type=click.Choice(FORMAT_KEYS), default=None,
              help="Read the files as this format instead of detecting it.")
@click.option("--level", "levels", type=TEXT, multiple=True, metavar="RULE=LEVEL",
              help="Set a rule or rule group to error, warning, info or off (repeatable).")
@click.option("--xsd", type=click.Path(dir_okay=False), default=None,
              help="Validate LEDES XML files against this XSD (the official LOC schema, say).")
@click.option("--guidelines", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also check the client's outside-counsel guidelines (a TOML file, or the preset default / strict);"
                   " without it, ledes.toml or [tool.ledes] in pyproject.toml is looked for upward.")
@click.option("--select", type=TEXT, multiple=True, metavar="RULES",
              help="Only these rules count: names or group prefixes, comma-separated (arithmetic,field.date).")
@click.option("--ignore", type=TEXT, multiple=True, metavar="RULES",
              help="These rules do not count (names or group prefixes); the longest matching prefix decides.")
@click.option("--fail-on", type=click.Choice(run_settings.FAIL_ON), default=None,
              help="Exit 1 on an error (default), on an error or a warning, or never.")
@click.option("--max-warnings", type=click.IntRange(min=0), default=None, metavar="N",
              help="Exit 1 when there are more than N warnings.")
@click.option("-q", "--quiet", is_flag=True, help="Text output: the counts only, no findings.")
@click.option("--statistics", is_flag=True,
              help="The number of findings per rule at the end (on stderr with json, sarif, junit and github).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes that share the costly guideline rules, or without guidelines read a file's two halves"
                   " (the findings are the same): 1 checks in one process. Default: one per processor, at most 4,"
                   " for files of 4 MB or more.")
@click.option("--no-config", is_flag=True, help="Ignore ledes.toml and [tool.ledes] in pyproject.toml.")
@click.option("--show-config", is_flag=True,
              help="Print the configuration in effect, and where each value came from; check nothing.")
def validate(
    files: tuple[str, ...],
    output_format: str | None,
    source_format: str | None,
    levels: tuple[str, ...],
    xsd: str | None,
    guidelines: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    max_warnings: int | None,
    quiet: bool,
    statistics: bool,
    jobs: int | None,
    no_config: bool,
    show_config: bool,
) -> None:
    """Check FILES for every problem a client portal would reject them for.

    With guidelines (--guidelines, ledes.toml), also every finding the client's guidelines
    would cut, with the money at risk per invoice. The files are checked as one run: a
    timekeeper's hours on one day or an invoice number seen twice are found across all of
    them. Findings are written as the files are read.

    Exit status: 0 when the run passes, 1 when it fails (an error, by default; see
    --fail-on and --max-warnings), 2 when a file cannot be read or the options are wrong.
    """
    from .selection import split

    given = {"format": output_format, "select": split(select), "ignore": split(ignore), "fail-on": fail_on}
    # Every mistake in the options, the configuration and the guidelines stops here, before a file is read.
    chosen = run_settings.resolve(given, guidelines, parse_levels(levels), no_config, run_settings.working_folder())
    if show_config:
        for line in run_settings.shown(chosen):
            click.echo(line)
        return
    if not files:
        raise click.UsageError("no FILES to validate (give one or more paths, or - for standard input)")
    check_readable(list(files))  # before the output begins: a JSON or SARIF document is whole, or not written at all
    stdout_apart_from(files)  # ``>> invoice.txt``: the findings would be added to the file as it is read
    if xsd is not None:  # a schema that cannot be used is a mistake in the call, whether or not a file is XML
        from ledes.formats.xmlschema import loaded_schema

        loaded_schema(xsd)
    out = sys.stdout
    writer = writer_for(str(chosen.values["format"]), out, chosen.config, quiet, statistics)
    run = Run(writer)
    shown = ProgressLine()
    try:
        check(files, run, chosen.config, source_format, xsd, progress=shown, jobs=jobs)
    finally:
        shown.close()
    run.end()
    out.flush()
    if statistics and chosen.values["format"] not in ("text", "concise"):
        # A machine output stays one document: the counts per rule go to stderr.
        for line in statistics_lines(run.tally):
            click.echo(line, err=True)
    sys.exit(exit_status(run.tally, str(chosen.values["fail-on"]), max_warnings))
