"""Reading and decoding: encodings are detected from the bytes, bad input is one clear line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.text.ingest import decode_bytes, read_document

from helpers import run_cli

ARTICLE = "湖南：打造国家先进制造业高地\n\n2023年，湖南省数字经济总量突破１．７万亿元，增长15%。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16"),
        (ARTICLE.encode("gb18030"), "gb18030"),
        (ARTICLE.encode("gbk"), "gb18030"),
        (ARTICLE.encode("gb2312"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "gb18030", "gbk", "gb2312"],
)
def test_encodings_are_detected_from_bytes(data: bytes, encoding: str, tmp_path: Path) -> None:
    text, detected = decode_bytes(data)
    assert text == ARTICLE
    assert detected == encoding
    # The extension says nothing: a GBK file named .utf8 is still read as GBK.
    path = tmp_path / "article.utf8.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert document.original == ARTICLE
    assert document.byte_size == len(data)


def test_source_line_is_metadata_not_body(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("SOURCE: some/archive:file.html (commit abc)\n\n" + ARTICLE, encoding="utf-8")
    document = read_document(path)
    assert document.source == "some/archive:file.html (commit abc)"
    assert document.body.strip().startswith("湖南")
    assert document.original.startswith("SOURCE:")


def test_normalized_view_maps_to_original(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    document = read_document(path)
    normalized = document.normalized()
    start = normalized.text.index("1.7万亿元")
    span = normalized.to_original(start, start + len("1.7万亿元"))
    assert document.original[span[0] : span[1]] == "１．７万亿元"


BAD_INPUTS = [
    ("missing", None, "file not found"),
    ("directory", "DIR", "is a directory"),
    ("empty", b"", "file is empty"),
    ("whitespace", " \n\u3000\n\t\n".encode(), "no text"),
    ("nul-bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
    ("control-chars", bytes(range(1, 9)) * 50, "binary content"),
    ("undecodable", b"\xc3\x28\xa0\xa1\xff" * 10, "cannot decode"),
    ("bad-utf16", codecs.BOM_UTF16_LE + b"\x00\xd8", "byte-order mark"),
]


@pytest.mark.parametrize(("label", "content", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_2(label: str, content: bytes | str | None, message: str, tmp_path: Path) -> None:
    path = tmp_path / f"{label}.txt"
    if content == "DIR":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_document(path)
    result = run_cli("segment", str(path), "--format", "json")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 10, encoding="utf-8")
    with pytest.raises(InputError, match="over the size limit"):
        read_document(path, max_bytes=100)
    result = run_cli("segment", str(path), "--max-bytes", "100")
    assert result.returncode == 2
    assert "over the size limit of 100 bytes" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert run_cli("segment", str(path), "--format", "json").returncode == 0


def test_default_limit_is_five_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(("正文。" * 10).encode() * (5 * 1024 * 1024 // 90 + 10))
    with pytest.raises(InputError, match="5242880"):
        read_document(path)
