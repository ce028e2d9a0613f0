"""Decoding that never guesses silently: Big5 and traditional text, UTF-16/32 without a BOM,
non-Chinese text refused, GB18030 vs Big5 decided on evidence, bounded reads and standard input.

Fixtures are short paragraphs written for these tests, encoded with Python's codecs.
"""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.layout.segment import segment_document
from summarizer.pipeline import analyse, analyse_file, verify_file
from summarizer.text.ingest import chinese_score, decode_bytes, read_document
from summarizer.text.script import common_chinese_characters, simplified_form, simplify
from summarizer.text.textmap import normalize

from helpers import REPO, SEED

SIMPLIFIED = (
    "湖南：打造国家先进制造业高地\n\n本报讯 2023年，湖南省数字经济总量突破1.7万亿元，同比增长15%，"
    "高于全国平均水平。全省规模以上工业增加值增长4.6%，其中高技术制造业增长10.2%。"
    "力争到2025年，数字经济总量达到2.5万亿元。\n"
)
# The same paragraph in traditional characters (as Taiwan writes it), character for character.
TRADITIONAL = (
    "湖南：打造國家先進製造業高地\n\n本報訊 2023年，湖南省數字經濟總量突破1.7萬億元，同比增長15%，"
    "高於全國平均水平。全省規模以上工業增加值增長4.6%，其中高技術製造業增長10.2%。"
    "力爭到2025年，數字經濟總量達到2.5萬億元。\n"
)
# Hong Kong text with Cantonese characters that only Big5-HKSCS encodes (嘅, 咗).
HONG_KONG = "香港經濟\n\n今年首季本地生產總值按年實質增長2.7%，嘅確係好消息。出口貨值增長咗11.5%。\n"


def facts_signature(text_or_bytes: str | bytes) -> list[tuple[object, ...]]:
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    analysis = analyse_file(data, name="fixture.txt")
    original = analysis.document.original
    for fact in analysis.facts.facts:
        assert original[fact.start : fact.end] == fact.text  # offsets are the original's
    return [
        (f.start, f.end, f.value, f.unit, f.qualifier, f.status, f.period, f.indicator_en)
        for f in analysis.facts.facts
    ]


# -- traditional Chinese and Big5 -------------------------------------------------------------------


def test_the_fixtures_are_twins() -> None:
    assert len(SIMPLIFIED) == len(TRADITIONAL)
    assert simplify(TRADITIONAL) == SIMPLIFIED


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "cp950", "big5"),
        (TRADITIONAL + "歐元符號€", "cp950", "cp950"),  # € is a cp950 extension of Big5
        (HONG_KONG, "big5hkscs", "big5hkscs"),
        (TRADITIONAL, "gb18030", "gb18030"),  # traditional text in GBK/GB18030 is GB18030
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),
    ],
    ids=["big5", "cp950-as-big5", "cp950-euro", "big5-hkscs", "traditional-gb18030", "gb18030", "gbk"],
)
def test_big5_and_gb18030_are_told_apart(text: str, codec: str, expected: str) -> None:
    decoded, encoding = decode_bytes(text.encode(codec))
    assert decoded == text
    assert encoding == expected


def test_the_wrong_reading_scores_low() -> None:
    """The evidence: read in the wrong one of the two, most characters are not common ones."""
    big5 = TRADITIONAL.encode("big5")
    gb = SIMPLIFIED.encode("gb18030")
    assert chinese_score(big5.decode("big5")) > 0.95 > 0.7 > chinese_score(big5.decode("gb18030"))
    assert chinese_score(gb.decode("gb18030")) > 0.95
    assert len(common_chinese_characters()) > 5000


def test_a_traditional_article_gives_the_facts_of_its_simplified_twin() -> None:
    twin = facts_signature(SIMPLIFIED)
    assert len(twin) >= 5
    assert facts_signature(TRADITIONAL.encode("big5")) == twin
    assert facts_signature(TRADITIONAL) == twin  # traditional text in UTF-8 too
    page = segment_document(read_document(TRADITIONAL.encode("big5"), name="big5.txt"))
    (segment,) = page.segments
    assert segment.title == "湖南：打造國家先進製造業高地"  # shown as given
    assert segment.source_tag == "本報訊"  # the cue 本报讯 found in traditional script
    assert segment.region is not None and segment.region.en == "Hunan"


def test_the_seed_briefing_verifies_against_a_big5_version_of_the_seed(tmp_path: Path) -> None:
    """The reference briefing quotes simplified text; every quote is found in the traditional
    source, with spans into that source."""
    import opencc

    seed = SEED.read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2tw.json").convert(seed)
    assert len(traditional) == len(seed) and traditional != seed
    source = tmp_path / "seed.big5.txt"
    source.write_bytes(traditional.encode("big5"))
    report = verify_file(source, REPO / "seeds" / "000_4e8de9e190906468.briefing.json")
    assert report.exit_code == 0, [c.message for c in report.claims if c.verdict != "verified"][:5]
    spans = [c.span for c in report.claims if c.span is not None]
    assert spans and all(0 <= s.start < s.end <= len(traditional) for s in spans)


def test_traditional_only_characters_are_simplified_one_for_one() -> None:
    assert [simplified_form(c) for c in "億萬個點兩於後"] == list("亿万个点两于后")
    # Characters that are also simplified characters stay: 著名, 乾坤, 台
    assert [simplified_form(c) for c in "著乾台亿1a，"] == list("著乾台亿1a，")
    mapped = normalize(TRADITIONAL)
    assert mapped.text == normalize(SIMPLIFIED).text
    start = mapped.text.index("1.7万亿元")
    original_start, original_end = mapped.to_original(start, start + 6)
    assert original_end - original_start == 6  # one character for one
    assert TRADITIONAL[original_start:original_end] == "1.7萬億元"


# -- UTF-16 and UTF-32 without a byte-order mark ---------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_bom_are_detected(codec: str) -> None:
    text, encoding = decode_bytes(SIMPLIFIED.encode(codec))
    assert (text, encoding) == (SIMPLIFIED, codec)


def test_utf16_without_ascii_and_so_without_nul_bytes() -> None:
    only_chinese = "湖南省数字经济总量突破万亿元同比增长高于全国平均水平"
    data = only_chinese.encode("utf-16-le")
    assert b"\x00" not in data
    assert decode_bytes(data) == (only_chinese, "utf-16-le")


def test_nul_bytes_that_are_no_wide_text_are_binary() -> None:
    with pytest.raises(InputError, match="binary content"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")


# -- not Chinese, and ambiguous ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "script"),
    [
        ("Le café était très bon, à côté de la gare.\n".encode("latin-1"), "Latin"),
        ("Résumé — naïve façade, “quoted” text.\n".encode("cp1252"), "Latin"),
        ("Zażółć gęślą jaźń, powiedział.\n".encode("cp1250"), "Latin"),
        (b"A plain English paragraph about industry.\n", "Latin"),
        ("Экономика региона выросла на пять процентов.\n".encode("cp1251"), "Cyrillic"),
        ("日本語の文章です。東京では今日はとても暑いです。\n".encode("shift_jis"), "Hiragana"),
        ("한국어 문장입니다. 서울은 오늘 덥습니다. 경제가 성장했습니다.\n".encode("euc-kr"), "Hangul"),
    ],
    ids=["latin-1", "cp1252", "cp1250", "english", "cyrillic", "shift-jis", "euc-kr"],
)
def test_non_chinese_text_is_refused_not_mangled(data: bytes, script: str) -> None:
    with pytest.raises(InputError, match=rf"not Chinese text \(.*most of them {script}\)"):
        read_document(data, name="x.txt")


def test_bytes_that_read_equally_well_as_gb18030_and_big5_are_refused() -> None:
    with pytest.raises(InputError, match=r"ambiguous encoding: .* GB18030 and as Big5; re-save it as UTF-8"):
        read_document("经济目标".encode("gb18030"), name="short.txt")


def test_text_with_some_english_is_still_chinese() -> None:
    text = "华为Mate 60 Pro发布，搭载5G芯片，支持AI功能，GDP与CPI数据同步发布，本季度增长5.2%。\n"
    assert read_document(text.encode("utf-8"), name="mixed.txt").original == text


# -- bounded reads and standard input ------------------------------------------------------------------


def cli(*args: str, stdin: bytes | int | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        input=stdin if isinstance(stdin, bytes) else None,
        stdin=stdin if isinstance(stdin, int) else None,
        capture_output=True,
        cwd=cwd or REPO,
        timeout=120,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr
    lines = result.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_dev_zero_is_read_no_further_than_the_limit() -> None:
    with pytest.raises(InputError, match=r"/dev/zero: more than 5242880 bytes, over the size limit"):
        read_document("/dev/zero")
    line = one_line_error(cli("facts", "/dev/zero", "--max-bytes", "1000", "--format", "json"))
    assert line == (
        "summarizer: error: /dev/zero: more than 1000 bytes, over the size limit "
        "(raise it with --max-bytes or SUMMARIZER_MAX_BYTES)"
    )


def test_an_endless_stream_on_stdin_is_cut_at_the_limit() -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys\nwhile True: sys.stdout.buffer.write('增长'.encode() * 4096)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert writer.stdout is not None
    try:
        result = cli("segment", "-", "--max-bytes", "100000", "--format", "json", stdin=writer.stdout.fileno())
    finally:
        writer.stdout.close()
        writer.kill()
        writer.wait()
    assert one_line_error(result) == (
        "summarizer: error: <stdin>: more than 100000 bytes, over the size limit "
        "(raise it with --max-bytes or SUMMARIZER_MAX_BYTES)"
    )


@pytest.mark.parametrize("command", ["segment", "facts"])
def test_dash_reads_the_article_from_stdin(command: str) -> None:
    from_file = cli(command, str(SEED), "--format", "json")
    from_stdin = cli(command, "-", "--format", "json", stdin=SEED.read_bytes())
    assert from_stdin.returncode == 0, from_stdin.stderr
    source_line = re.compile(rb'^  "source": "[^"]*",$', re.MULTILINE)
    assert b'  "source": "stdin",' in from_stdin.stdout
    assert source_line.sub(b"", from_stdin.stdout) == source_line.sub(b"", from_file.stdout)


def test_brief_and_verify_read_stdin(tmp_path: Path) -> None:
    briefing = REPO / "seeds" / "000_4e8de9e190906468.briefing.json"
    verified = cli("verify", "-", str(briefing), "--format", "json", stdin=SEED.read_bytes())
    assert verified.returncode == 0, verified.stderr
    out = tmp_path / "out"
    # The recording of the seed is found by the bytes' hash, whatever the name.
    briefed = cli("brief", "-", "--offline", "--out", str(out), stdin=SEED.read_bytes())
    assert briefed.returncode == 0, briefed.stderr
    assert sorted(p.name for p in out.iterdir()) == ["stdin.briefing.html", "stdin.briefing.json", "stdin.briefing.md"]


def test_empty_stdin_is_an_empty_file() -> None:
    assert one_line_error(cli("facts", "-", stdin=b"")) == "summarizer: error: <stdin>: standard input is empty"


def test_a_bounded_read_of_bytes_from_a_path_matches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"))
    document = read_document(path, max_bytes=len(path.read_bytes()))
    assert document.original == SIMPLIFIED and document.encoding == "utf-8-sig"
    assert analyse(document).facts.facts
