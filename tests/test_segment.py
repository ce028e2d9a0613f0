"""Segmentation: the seed's four articles, briefs pages, single articles, and the offset invariant."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.layout.segment import SegmentedPage, segment_document
from summarizer.text.ingest import read_document

from helpers import run_cli

SEED_TITLES = [
    "湖南：打造国家先进制造业高地",
    "上海举行新型工业化推进大会",
    "江西出台产融合作“白名单”",
    "重庆加快打造现代制造业集群体系",
]


def seed_page(seed_path: Path) -> SegmentedPage:
    return segment_document(read_document(seed_path))


def test_seed_has_four_articles_with_exact_titles(seed_path: Path) -> None:
    page = seed_page(seed_path)
    assert [s.title for s in page.segments] == SEED_TITLES
    assert [s.region.en if s.region else None for s in page.segments] == ["Hunan", "Shanghai", "Jiangxi", "Chongqing"]
    hunan, shanghai, jiangxi, chongqing = page.segments
    assert hunan.byline == "本报记者 诸玲珍"
    assert hunan.subheadings == ["“智赋万企”取得积极成效", "工业经济回升向好", "力争今年全省规模以上工业增加值增长7%"]
    assert (shanghai.source_tag, shanghai.signoff) == ("本报讯", "(文 编)")
    assert (jiangxi.signoff, chongqing.signoff) == ("(晓 文)", "(渝 文)")


def test_seed_spans_cover_title_to_last_line(seed_path: Path) -> None:
    page = seed_page(seed_path)
    original = page.document.original
    for segment, title in zip(page.segments, SEED_TITLES, strict=True):
        assert original[segment.start :].startswith(title)
    assert original[page.segments[0].end - 5 : page.segments[0].end] == "补偿资金。"
    assert original[page.segments[3].end - 5 : page.segments[3].end] == "(渝 文)"


def test_seed_repaired_text_is_continuous_prose(seed_path: Path) -> None:
    hunan = seed_page(seed_path).segments[0]
    text = hunan.text
    for joined in [
        "长沙人工智能创新中心(首期)",
        "全省国家级“双跨”平台",
        "长沙新一代自主安全计算系统产业集群",
        "新增国家级专精特新“小巨人”企业116家",
        "项目建设积蓄后劲",
        "实施“产品创新强基”项目106个。",
        "加快构建以先进制造业为骨干的现代化产业体系。",
        "大力推动工业互联网技术创新和规模化应用",
    ]:
        assert joined in text, joined
    # Every pull-quote is out of the running text: its sentence appears once (in the body).
    for quote in hunan.pull_quotes:
        assert quote not in text
    assert len(hunan.pull_quotes) == 3
    assert text.count("2024年，湖南将加快培育10个千亿元级企业") == 0
    assert text.count("加快培育10个千亿元级企业，升级打造“4+6”国家先进制造业集群") == 1
    assert "\n\n" not in text and "基”项目106个。\n" not in text.split("实施“产品创新强")[0]


def test_seed_typos_are_reported(seed_path: Path) -> None:
    page = seed_page(seed_path)
    assert {t.text for t in page.segments[0].suspected_typos} == {"数字产业化、数字产业化"}
    assert [t.text for t in page.segments[3].suspected_typos] == ["和和", "和和"]


def test_segment_text_maps_back_character_by_character(seed_path: Path) -> None:
    page = seed_page(seed_path)
    original = page.document.original
    for segment in page.segments:
        for i, char in enumerate(segment.text):
            start, end = segment.original_span(i, i + 1)
            if char == "\n":
                assert original[start:end].strip() == "" or start == end
            else:
                assert original[start:end] == char


def test_locate_finds_quotes_in_original_coordinates(seed_path: Path) -> None:
    page = seed_page(seed_path)
    hunan = page.segments[0]
    span = hunan.locate("实施“产品创新强基”项目106个")
    assert span is not None
    # The quote spans a moved fragment: its original span contains both pieces.
    original = page.document.original
    assert "产品创新强" in original[span[0] : span[1]] or "基”项目106个" in original[span[0] : span[1]]
    full_width = hunan.locate('数字经济总量突破1.7万亿元，增长15%')
    assert full_width is not None
    assert original[full_width[0] : full_width[1]] == "数字经济总量突破1.7万亿元，增长15%"
    assert hunan.locate("数字经济总量突破1.8万亿元") is None


BRIEFS = """国内快讯
央视网消息（新闻联播）：
今年1—10月全国新设外资企业超4万家
商务部最新数据显示，今年前十个月，全国新设立外商投资企业41947家，同比增长32.1%。
10月民航旅客运输量同比大幅增长
中国民航局消息，10月，民航完成旅客运输量5605.2万人次，同比增长252%。
宁波港区全部实现口岸开放
宁波舟山港宁波片港区近日全部实现口岸开放，扩大港区开放面积58.13平方公里。
寒潮将自西向东影响我国
中央气象台预计，明天起至24日，寒潮将自西向东影响我国大部地区。
"""


def test_a_page_of_briefs_is_many_segments(tmp_path: Path) -> None:
    path = tmp_path / "briefs.txt"
    path.write_text(BRIEFS, encoding="utf-8")
    page = segment_document(read_document(path))
    assert page.title == "国内快讯"
    assert [s.title for s in page.segments] == [
        "今年1—10月全国新设外资企业超4万家",
        "10月民航旅客运输量同比大幅增长",
        "宁波港区全部实现口岸开放",
        "寒潮将自西向东影响我国",
    ]
    assert page.segments[2].region is not None and page.segments[2].region.en == "Zhejiang"


def test_a_single_article_is_one_segment(tmp_path: Path) -> None:
    path = tmp_path / "single.txt"
    path.write_text("江苏推进新型工业化\n\n本报讯 近日，江苏省召开会议。\n\n会议指出，要加快发展。\n", encoding="utf-8")
    page = segment_document(read_document(path))
    assert len(page.segments) == 1
    assert page.segments[0].title == "江苏推进新型工业化"
    assert page.segments[0].text == "近日，江苏省召开会议。\n会议指出，要加快发展。"


def test_segment_command_json_contract(seed_path: Path) -> None:
    result = run_cli("segment", str(seed_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["source"].endswith("000_4e8de9e190906468.txt")
    original = seed_path.read_text(encoding="utf-8")
    for item in payload["segments"]:
        assert set(item) >= {"index", "title", "start", "end", "byline", "region", "subheadings", "text", "repairs"}
        assert original[item["start"] :].startswith(item["title"])
        for repair in item["repairs"]:
            assert item["start"] <= repair["start"] <= repair["end"] <= item["end"]


def test_segment_command_table(seed_path: Path) -> None:
    result = run_cli("segment", str(seed_path), "--format", "table")
    assert result.returncode == 0
    assert "湖南：打造国家先进制造业高地" in result.stdout


# --- the offset invariant over generated pages --------------------------------------------------------

SENTENCE_CHARS = list("湖南省数字经济总量突破亿元增长规模以上工业企业项目平台集群") + list("０１２３４５６７８９％") + ["“", "”"]
sentences = st.text(st.sampled_from(SENTENCE_CHARS), min_size=6, max_size=40).map(lambda s: s + "。")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(sentences, min_size=1, max_size=4), min_size=1, max_size=5),
    st.data(),
)
def test_spans_map_back_exactly_with_breaks_and_inserted_pull_quotes(paragraphs: list[list[str]], data: st.DataObject) -> None:
    bodies = ["".join(p) for p in paragraphs]
    # Cut one paragraph mid-word across blank lines and drop a copy of one of its sentences between the halves.
    victim = data.draw(st.integers(0, len(bodies) - 1))
    body = bodies[victim]
    cut = data.draw(st.integers(1, max(1, len(body) - 2)))
    quote = paragraphs[victim][0]
    separator = data.draw(st.sampled_from(["\n\n", "\n\n\n", "\n\u3000\n"]))
    bodies[victim] = body[:cut] + separator + quote + separator + body[cut:]
    text = "标题\n\n本报记者 张三\n\n" + "\n\n".join(bodies) + "\n"
    document = read_document(text.encode("utf-8"), name="generated.txt")
    page = segment_document(document)
    original = document.original
    for segment in page.segments:
        assert 0 <= segment.start <= segment.end <= len(original)
        for i, char in enumerate(segment.text):
            start, end = segment.original_span(i, i + 1)
            if char != "\n":
                assert original[start:end] == char
        normalized = segment.normalized
        for i in range(0, len(normalized.text), 7):
            start, end = normalized.to_original(i, min(i + 5, len(normalized.text)))
            assert segment.start <= start <= end <= segment.end
        for repair in segment.repairs:
            assert segment.start <= repair.start <= repair.end <= segment.end


def test_bulletin_issuers_and_date_under_the_title_are_byline_and_dateline(tmp_path: Path) -> None:
    path = tmp_path / "bulletin.txt"
    path.write_text(
        "2023年示例市国民经济和社会发展统计公报\n示例市统计局\n国家统计局示例调查队\n（2024年3月20日）\n"
        "全年实现地区生产总值1200亿元，比上年增长5%。\n一、综合\n全年粮食产量达65万吨。\n",
        encoding="utf-8",
    )
    (segment,) = segment_document(read_document(path)).segments
    assert segment.byline == "示例市统计局 / 国家统计局示例调查队"
    assert segment.dateline == "2024年3月20日"
    assert segment.subheadings == ["一、综合"]
