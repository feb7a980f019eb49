"""An .xlsx part is checked for what it is, not what it is called: a sheet, shared strings or a DTD under any name.

The workbooks are built here from the committed sample (zipfile), with one part renamed or
replaced and the workbook's relationships and content types pointed at the new name, the
shapes a robustness audit found: a sheet part named ``sheet2.XML`` or ``sheet2.bin`` holding one
row of 3 million cells (2.4 GB and a timeout before the fix), and billion laughs in ``sheet2.bin``.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest
from hostile_support import IMPORT, assert_bounded, assert_clean_exit, assert_one_line_error, run

from ledes.errors import LedesInputError
from ledes.importing import xlsxcheck

SAMPLE = IMPORT / "marlow-stanton-billable-entries.xlsx"
MAPPING = IMPORT / "marlow-stanton.toml"
SHEET = "xl/worksheets/sheet2.xml"  # the sheet the mapping reads ("Billable Entries")
CELL = b'<c t="inlineStr"><is><t>a</t></is></c>'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
                     for level in range(1, 10))
          + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
          b'<c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def _sample(part: str) -> bytes:
    with zipfile.ZipFile(SAMPLE) as original:
        return original.read(part)


def _sheet_start() -> bytes:
    sheet = _sample(SHEET)
    return sheet[: sheet.index(b"<sheetData>") + len(b"<sheetData>")]


def _workbook(target: Path, renamed: dict[str, str], replaced: dict[str, bytes] | None = None,
              added: list[tuple[str, bytes]] | None = None, cells: int = 0, cell: bytes = CELL) -> Path:
    """The sample with its parts renamed (old name: new name, references included), replaced, or added.

    ``cells``: the sheet becomes one row of that many ``cell``, written in blocks (deflated).
    """
    replaced = replaced or {}
    with zipfile.ZipFile(SAMPLE) as original, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for member in original.namelist():
            data = replaced.get(member, original.read(member))
            for old, new in renamed.items():
                data = data.replace(b"/" + old.encode(), b"/" + new.encode())
            if member == SHEET and cells:
                with out.open(renamed.get(member, member), "w", force_zip64=True) as written:
                    written.write(_sheet_start() + b'<row r="1">')
                    for _ in range(cells // 100_000):
                        written.write(cell * 100_000)
                    written.write(b"</row></sheetData></worksheet>")
                continue
            out.writestr(renamed.get(member, member), data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a duplicate name, which is the point
            for name, data in added or []:
                out.writestr(name, data)
    return target


def _import(workbook: Path):
    return run("import", str(workbook), "--mapping", str(MAPPING), "--to", "xml2.1", "--dry-run")


@pytest.mark.parametrize("name", ["xl/worksheets/sheet2.XML", "xl/worksheets/sheet2.bin", "xl/entries/rows.dat"])
def test_a_row_of_3_million_cells_is_refused_whatever_the_sheet_is_called(tmp_path: Path, name: str):
    workbook = _workbook(tmp_path / "bigrow.xlsx", {SHEET: name}, cells=3_000_000)
    assert workbook.stat().st_size < 2_000_000  # a small file whose sheet inflates to 114 MB
    result = _import(workbook)
    assert_one_line_error(result)
    assert_bounded(result)
    assert f"a row of its part {name} is over 1,048,576 bytes of XML" in result.stderr


@pytest.mark.parametrize("name", ["xl/worksheets/sheet2.bin", "xl/worksheets/sheet2.XML", "xl/styles.BIN"])
def test_billion_laughs_is_refused_whatever_the_part_is_called(tmp_path: Path, name: str):
    part = SHEET if "sheet" in name else "xl/styles.xml"
    workbook = _workbook(tmp_path / "lol.xlsx", {part: name}, replaced={part: LAUGHS})
    result = _import(workbook)
    assert_one_line_error(result)
    assert_bounded(result)
    assert f"its part {name} declares a document type" in result.stderr


def test_a_doctype_after_a_byte_order_mark_and_blanks_is_found(tmp_path: Path):
    laughs = b"\xef\xbb\xbf" + b"\n" * 3_000_000 + LAUGHS.removeprefix(b'<?xml version="1.0"?>')
    workbook = _workbook(tmp_path / "bom.xlsx", {"xl/styles.xml": "xl/styles.bin"}, replaced={"xl/styles.xml": laughs})
    result = _import(workbook)
    assert_one_line_error(result)
    assert "declares a document type" in result.stderr


@pytest.mark.parametrize("encoding", [b"cp037", b"UTF-7", b"no-such-encoding"])
def test_a_part_declared_in_an_encoding_that_hides_a_doctype_is_refused(tmp_path: Path, encoding: bytes):
    # in EBCDIC (cp037, which expat reads) "<!DOCTYPE" is other bytes, which a search for it would not find
    body = b"<!DOCTYPE worksheet>" + _sample(SHEET)
    declared = b'<?xml version="1.0" encoding="' + encoding + b'"?>' + (body.decode().encode("cp037")
                                                                           if encoding == b"cp037" else body)
    workbook = _workbook(tmp_path / "ebcdic.xlsx", {}, replaced={SHEET: declared})
    result = _import(workbook)
    assert_one_line_error(result)
    assert "its part xl/worksheets/sheet2.xml is not UTF-8 (its XML declaration names" in result.stderr


@pytest.mark.parametrize("start", [b"\x00\x00\x00<", b"\x4c\x6f\xa7\x94"])  # UTF-32 and EBCDIC, which libxml2 reads
def test_a_part_in_utf32_or_ebcdic_is_refused(tmp_path: Path, start: bytes):
    workbook = _workbook(tmp_path / "utf32.xlsx", {}, replaced={"xl/styles.xml": start + b"\x00" * 100})
    result = _import(workbook)
    assert_one_line_error(result)
    assert "its part xl/styles.xml is not UTF-8" in result.stderr


def test_shared_strings_under_another_name_keep_their_limit(tmp_path: Path):
    # 2 million strings, 46 MB: over the 32 MiB limit of what openpyxl holds in memory, under a part's 256 MiB
    strings = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + b"".join(b"<si><t>%07d</t></si>" % number for number in range(2_000_000)) + b"</sst>")
    types = _sample("[Content_Types].xml").replace(b"</Types>", b'<Override PartName="/xl/strings.bin" ContentType='
                                                   b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                                   b'sharedStrings+xml"/></Types>')
    workbook = _workbook(tmp_path / "strings.xlsx", {}, replaced={"[Content_Types].xml": types},
                         added=[("xl/strings.bin", strings)])
    result = _import(workbook)
    assert_one_line_error(result)
    assert_bounded(result)
    assert "its part xl/strings.bin inflates to 46,000,098 bytes, over the limit of 33,554,432" in result.stderr


@pytest.mark.parametrize("last", [True, False])
def test_every_copy_of_a_duplicated_part_is_checked(tmp_path: Path, last: bool):
    # openpyxl reads the last of two members of one name; both are checked
    copies = [(SHEET, LAUGHS), (SHEET, _sample(SHEET))]
    workbook = _workbook(tmp_path / "twice.xlsx", {SHEET: "xl/worksheets/sheet2.bin"},
                         added=[(name.replace(".xml", ".bin"), data) for name, data in copies[:: 1 if last else -1]])
    result = _import(workbook)
    assert_one_line_error(result)
    assert "its part xl/worksheets/sheet2.bin declares a document type" in result.stderr


def test_a_sheet_under_any_name_and_a_picture_import_as_the_sample_does(tmp_path: Path):
    # not XML (an XML parser stops at its first byte): not refused for bytes that look like a DOCTYPE or UTF-16
    picture = b"\x89PNG\r\n\x1a\n" + b"<!DOCTYPE x><!ENTITY" * 1000
    workbook = _workbook(tmp_path / "renamed.xlsx", {SHEET: "xl/Entries/Sheet2.BIN"},
                         added=[("xl/media/image1.png", picture), ("xl/media/image2.bin", b"\xff\xd8" + picture)])
    expected, result = _import(SAMPLE), _import(workbook)
    assert_clean_exit(result, expected.returncode)
    assert expected.stdout.count(b"\n") > 20
    assert result.stdout.replace(bytes(workbook), bytes(SAMPLE)) == expected.stdout
    assert result.stderr.replace(str(workbook), str(SAMPLE)) == expected.stderr


def test_parts_that_inflate_past_the_total_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xlsxcheck, "MAX_XLSX_TOTAL_BYTES", 40_000)  # the sample inflates to 34,103 bytes
    xlsxcheck.check_workbook(SAMPLE)
    workbook = _workbook(tmp_path / "total.xlsx", {}, added=[("xl/media/padding.bin", b"\x00" * 10_000)])
    with pytest.raises(LedesInputError, match="its parts inflate to 44,103 bytes in all, over the limit of 40,000"):
        xlsxcheck.check_workbook(workbook)


@pytest.mark.parametrize(("cell", "why"), [
    (b"<c><rowx/></c>", "a row of its part xl/worksheets/sheet2.xml is over"),  # "<row" that begins no row
    (b"<c><rows/></c>", "a row of its part xl/worksheets/sheet2.xml is over"),
    (b'<c t="inlineStr"><is><t><![CDATA[<row >]]></t></is></c>', "holds a CDATA section, which Excel never writes"),
    (b'<c><?pi <row ?></c>', "holds an XML processing instruction, which Excel never writes"),
    (b"<c><!-- <row --></c>", "holds an XML comment, which Excel never writes"),
])
def test_a_row_tag_hidden_or_misspelled_in_every_cell_does_not_split_a_row(tmp_path: Path, cell: bytes, why: str):
    workbook = _workbook(tmp_path / "hidden.xlsx", {}, cells=3_000_000, cell=cell)
    result = _import(workbook)
    assert_one_line_error(result)
    assert_bounded(result)
    assert why in result.stderr


def test_a_sheet_with_a_byte_order_mark_and_an_xml_declaration_imports_as_the_sample_does(tmp_path: Path):
    declared = b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + _sample(SHEET)
    workbook = _workbook(tmp_path / "declared.xlsx", {SHEET: "xl/worksheets/sheet2.XML"}, replaced={SHEET: declared})
    expected, result = _import(SAMPLE), _import(workbook)
    assert_clean_exit(result, expected.returncode)
    assert result.stdout.replace(bytes(workbook), bytes(SAMPLE)) == expected.stdout


RELATIONSHIP = b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s" Id="%s"/>'


def _related(kind: bytes, target: bytes) -> bytes:
    """The sample's workbook relationships with one more, of type ``kind``, to ``target``."""
    return _sample("xl/_rels/workbook.xml.rels").replace(b"</Relationships>",
                                                         RELATIONSHIP % (kind, target, b"rId99") + b"</Relationships>")


def test_a_part_openpyxl_reads_whole_is_refused_over_8_mib_whatever_its_name(tmp_path: Path):
    # 100 MB of styles took 110 s and 3.2 GB before (openpyxl builds the tree); 10 MB is enough to show the limit
    styles = _sample("xl/styles.xml").replace(b"</styleSheet>", b"<x/>" * 2_500_000 + b"</styleSheet>")
    workbook = _workbook(tmp_path / "styles.xlsx", {}, replaced={"xl/styles.xml": styles})
    result = _import(workbook)
    assert_one_line_error(result)
    assert_bounded(result)
    assert "its part xl/styles.xml inflates to 10,002,903 bytes, over the limit of 8,388,608" in result.stderr
    link = b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b"<x/>" * 2_500_000
    workbook = _workbook(tmp_path / "link.xlsx", {}, replaced={"xl/_rels/workbook.xml.rels": _related(
        b"externalLink", b"externalLinks/../links/link.dat")}, added=[("xl/links/link.dat", link + b"</externalLink>")])
    result = _import(workbook)
    assert_one_line_error(result)
    assert "its part xl/links/link.dat inflates to" in result.stderr


def test_large_parts_openpyxl_does_not_read_whole_import_as_the_sample_does(tmp_path: Path):
    records = (b'<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + b'<r><n v="1"/></r>' * 1_000_000 + b"</pivotCacheRecords>")
    workbook = _workbook(tmp_path / "large.xlsx", {}, replaced={"xl/_rels/workbook.xml.rels": _related(
        b"pivotCacheRecords", b"pivotCache/pivotCacheRecords1.xml")},
                         added=[("xl/pivotCache/pivotCacheRecords1.xml", records), ("customXml/item1.xml", records)])
    expected, result = _import(SAMPLE), _import(workbook)
    assert_clean_exit(result, expected.returncode)
    assert result.stdout.replace(bytes(workbook), bytes(SAMPLE)) == expected.stdout


def test_an_encrypted_part_is_refused_in_one_line(tmp_path: Path):
    # a ZIP member flagged as encrypted: zipfile raises RuntimeError (a traceback before) for want of a password
    workbook = _workbook(tmp_path / "encrypted.xlsx", {})
    data = bytearray(workbook.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local headers, central directory
        position = data.find(signature)
        while position >= 0:
            data[position + flags] |= 1
            position = data.find(signature, position + 4)
    workbook.write_bytes(bytes(data))
    result = _import(workbook)
    assert_one_line_error(result)
    assert "is encrypted; save the export again, or as CSV" in result.stderr


@pytest.mark.parametrize(("hours", "refused"), [
    (b'<c r="G3"><f>1.7*2</f><v></v></c>', True),  # as a program writes it (openpyxl): never calculated
    (b'<c r="G3"><f>1.7*2</f></c>', True),  # no result at all
    (b'<c r="G3" t="n"><f>1.7*2</f><v>3.4</v></c>', False),  # as Excel saves it: the result beside the formula
    (b'<c r="G3" t="str"><f>IF(1=1,"3.4","")</f><v>3.4</v></c>', False),
])
def test_a_formula_never_calculated_is_refused_not_read_as_empty(tmp_path: Path, hours: bytes, refused: bool):
    """openpyxl reads a formula's saved result: with none, the cell would read as empty (an hours or an amount gone)."""
    sheet = _sample(SHEET)
    assert b'<c r="G3" t="n"><v>3.4</v></c>' in sheet
    workbook = _workbook(tmp_path / "formula.xlsx", {}, {SHEET: sheet.replace(b'<c r="G3" t="n"><v>3.4</v></c>', hours)})
    result = _import(workbook)
    if refused:
        assert_one_line_error(result)
        assert "cell G3 of its part xl/worksheets/sheet2.xml holds a formula that was never calculated" in result.stderr
    else:
        expected = _import(SAMPLE)
        assert_clean_exit(result, expected.returncode)
        assert result.stdout.replace(bytes(workbook), bytes(SAMPLE)) == expected.stdout
