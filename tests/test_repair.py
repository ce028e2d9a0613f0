"""Layout repair on small invented pages, one fault kind at a time, plus the seed page."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.layout.repair import RepairedPage, repair_document
from summarizer.text.ingest import read_document


def repaired(text: str) -> RepairedPage:
    return repair_document(read_document(text.encode("utf-8"), name="fixture.txt"))


def body_texts(page: RepairedPage) -> list[str]:
    return [block.text for block in page.blocks]


def test_sentence_cut_across_blank_lines_is_joined() -> None:
    page = repaired("示范园区建设稳步推进。全市新建智能工厂12个，株洲\n\n\n轨道交通产业集群规模突破1500亿元。\n")
    assert body_texts(page) == ["示范园区建设稳步推进。全市新建智能工厂12个，株洲轨道交通产业集群规模突破1500亿元。"]
    (join,) = page.repairs
    assert join.kind == "joined_break"


def test_word_cut_across_blank_lines_is_joined() -> None:
    page = repaired("平台体系完善壮大。全\n\n市省级平台达到35个。\n")
    assert body_texts(page) == ["平台体系完善壮大。全市省级平台达到35个。"]


def test_pull_quote_dropped_mid_word_is_taken_out_and_kept() -> None:
    text = (
        "产业集群加快发展。全省先进计算产业规模超过800亿元，音视频产业生态加速构建，软件业营收增长超12%。长沙新一代自\n\n"
        "全省先进计算产业规模超过800亿元，软件业营收增长超12%。\n\n"
        "主可控计算产业集群加速壮大。\n"
    )
    page = repaired(text)
    assert body_texts(page) == [
        "产业集群加快发展。全省先进计算产业规模超过800亿元，音视频产业生态加速构建，软件业营收增长超12%。"
        "长沙新一代自主可控计算产业集群加速壮大。"
    ]
    (quote,) = page.pull_quotes
    assert quote.text == "全省先进计算产业规模超过800亿元，软件业营收增长超12%。"
    assert text[quote.start : quote.end] == quote.text


def test_pull_quote_between_paragraphs_is_taken_out() -> None:
    text = (
        "前三季度，全市装备制造业增加值增长9%，电子信息制造业增长6.5%，新能源汽车产量增长40%，拉动作用明显。\n\n"
        "全市装备制造业增加值增长9%，电子信息制造业增长6.5%。\n\n"
        "下一步，全市将继续推进产业升级。\n"
    )
    page = repaired(text)
    assert len(page.pull_quotes) == 1
    assert "全市装备制造业增加值增长9%，电子信息制造业增长6.5%。" not in body_texts(page)


def test_a_lead_that_summarises_the_body_is_not_a_pull_quote() -> None:
    text = (
        "记者从全省工业和信息化工作会议上获悉，2023年全省规模以上工业增加值增长5.1%，高于全国0.5个百分点。\n\n"
        "工业经济稳中有进。2023年全省规模以上工业增加值增长5.1%，高于全国0.5个百分点，工业投资增长11%。\n"
    )
    page = repaired(text)
    assert page.pull_quotes == []
    assert len(page.blocks) == 2


def test_separated_fragment_returns_to_the_sentence_it_completes() -> None:
    text = (
        "标题一行\n\n"
        "本报记者 张三\n\n"
        "企业持续扩容。全省新增上云企业2万家。\n\n"
        "项目”完成120个。\n\n"
        "创新应用日益完善，新评定首台套产品86项，实施“技术攻关\n\n"
        "明年工作安排\n\n"
        "2024年，全省将加快培育优质企业。\n"
    )
    page = repaired(text)
    texts = body_texts(page)
    assert "创新应用日益完善，新评定首台套产品86项，实施“技术攻关项目”完成120个。" in texts
    assert "项目”完成120个。" not in texts
    assert "明年工作安排" in texts  # the subheading between them stays a subheading
    moved = [r for r in page.repairs if r.kind == "moved_fragment"]
    assert len(moved) == 1 and text[moved[0].start : moved[0].end] == "项目”完成120个。"


def test_subheadings_bylines_and_source_tags_are_recognised() -> None:
    text = "江苏出台新政\n\n本报讯 近日，江苏省出台新政。\n\n一、总体要求\n\n全面推进新型工业化。(苏 文)\n"
    page = repaired(text)
    kinds = [(block.kind, block.text) for block in page.blocks]
    assert kinds == [
        ("heading", "江苏出台新政"),
        ("text", "近日，江苏省出台新政。"),
        ("heading", "一、总体要求"),
        ("text", "全面推进新型工业化。"),
    ]
    assert page.blocks[1].source_tag == "本报讯"
    assert page.blocks[3].signoff == "(苏 文)"


def test_heading_cut_mid_phrase_is_joined_when_the_next_line_continues_it() -> None:
    page = repaired("加快构建以先进制造业为骨干\n\n的现代化产业体系。大力实施产业培育行动。\n")
    assert body_texts(page) == ["加快构建以先进制造业为骨干的现代化产业体系。大力实施产业培育行动。"]


def test_flattened_table_cells_are_not_joined_or_made_headings() -> None:
    page = repaired("全年地区生产总值增长6%。\n指标\n数值\n增长\n第一产业\n153.6\n11.0\n第二产业\n3235.9\n9.8\n")
    assert [block.kind for block in page.blocks[1:]] == ["cell"] * 9


@pytest.mark.parametrize(
    ("text", "typo"),
    [("重庆市经济和和信息化委员会", "和和"), ("加快数字产业化、数字产业化，", "数字产业化、数字产业化")],
)
def test_source_typos_are_reported_not_fixed(text: str, typo: str) -> None:
    page = repaired(text + "\n")
    assert [t.text for t in page.typos] == [typo]
    assert typo in page.blocks[0].text


def test_every_block_character_maps_to_the_same_original_character(seed_path: Path) -> None:
    document = read_document(seed_path)
    page = repair_document(document)
    for block in page.blocks:
        for i, char in enumerate(block.text):
            start, end = block.mapped.to_original(i, i + 1)
            assert document.original[start:end] == char


def test_table_label_split_into_one_character_cells_is_joined() -> None:
    page = repaired("全市人口增长。\n指标\n比重\n非农业\n51.4\n农\n业\n48.6\n")
    assert [block.text for block in page.blocks if block.kind == "cell"] == ["指标", "比重", "非农业", "51.4", "农业", "48.6"]
    assert [r.kind for r in page.repairs] == ["joined_cell"]
