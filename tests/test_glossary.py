"""The terminology glossary: its data file and the lookups the prompts and the fact engine use."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from summarizer.rules.glossary import Glossary, GlossaryEntry, load_glossary, normalise_term, parse_glossary

HEADER = "zh\ten\tcategory\tnote\n"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def test_glossary_is_large_and_well_formed(glossary: Glossary) -> None:
    assert len(glossary.entries) >= 150
    zh_terms = [entry.zh for entry in glossary.entries]
    assert len(zh_terms) == len(set(zh_terms))
    for entry in glossary.entries:
        assert entry.category in {"indicator", "programme", "policy", "organisation", "term", "word"}
        assert entry.en and all(" " <= char <= "~" for char in entry.en), entry
        assert entry.zh == normalise_term(entry.zh), entry
        assert entry.note, f"{entry.zh} has no note saying where its rendering comes from"


def test_every_category_is_represented(glossary: Glossary) -> None:
    categories = {entry.category for entry in glossary.entries}
    assert categories == {"indicator", "programme", "policy", "organisation", "term", "word"}


# American spellings that the British convention replaces; proper names keep theirs and say so.
AMERICAN = re.compile(r"\b(?:\w+iz(?:ation|ations|ing|ed|es|e)|centers?|labor|programs?)\b", re.IGNORECASE)
# Words spelt with -ize in British English too.
NOT_AMERICAN = {"size", "sized", "sizes", "prize", "prizes", "seize", "seized"}


def american_spellings(text: str) -> list[str]:
    return [word for word in AMERICAN.findall(text) if word.lower() not in NOT_AMERICAN]


def test_renderings_use_british_spelling(glossary: Glossary) -> None:
    offenders = [
        entry.en
        for entry in glossary.entries
        if american_spellings(entry.en) and "US spelling kept" not in entry.note
    ]
    assert offenders == []
    assert american_spellings("capacity utilization rate; medium-sized firms") == ["utilization"]


def test_file_is_read_as_package_data() -> None:
    text = (resources.files("summarizer.prompts") / "glossary.tsv").read_text(encoding="utf-8")
    assert text.startswith(HEADER)


def test_load_glossary_is_cached() -> None:
    assert load_glossary() is load_glossary()
    assert re.fullmatch(r"[0-9a-f]{12}", load_glossary().version)


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("规模以上工业", "industrial enterprises above designated size"),
        ("规模以上工业增加值", "value added of industrial enterprises above designated size"),
        ("社会消费品零售总额", "total retail sales of consumer goods"),
        ("居民消费价格", "consumer prices (CPI)"),
        ("专精特新小巨人", 'specialised and sophisticated "little giant" SMEs'),
        ("专精特新“小巨人”", 'specialised and sophisticated "little giant" SMEs'),
        ("“智赋万企”", '"Empowering Ten Thousand Enterprises with Intelligence" campaign'),
        (' "揭榜挂帅" ', "open competition mechanism to select the best candidates (jiebang guashuai)"),
        ("《中国制造2025》", "Made in China 2025"),
        ("工业和信息化厅", "Department of Industry and Information Technology"),
    ],
)
def test_lookup_ignores_quotes_and_spaces(glossary: Glossary, zh: str, en: str) -> None:
    entry = glossary.lookup(zh)
    assert entry is not None
    assert entry.en == en


@pytest.mark.parametrize("zh", ["", "“”", "不存在的术语", "规模以上"])
def test_lookup_without_entry_is_none(glossary: Glossary, zh: str) -> None:
    assert glossary.lookup(zh) is None


@pytest.mark.parametrize(
    "zh",
    [
        "规模以上工业增加值",
        "数字经济总量",
        "地区生产总值",
        "社会消费品零售总额",
        "固定资产投资",
        "工业投资",
        "营业收入",
        "进出口",
        "实际使用外资",
        "能耗",
    ],
)
def test_indicators_named_in_the_brief_are_indicators(glossary: Glossary, zh: str) -> None:
    entry = glossary.lookup(zh)
    assert entry is not None and entry.category == "indicator"


@pytest.mark.parametrize(
    ("zh", "category"),
    [
        ("智赋万企", "programme"),
        ("三高四新", "programme"),
        ("揭榜挂帅", "programme"),
        ("链长制", "programme"),
        ("东数西算", "programme"),
        ("一号工程", "programme"),
        ("满天星", "programme"),
        ("商务部", "organisation"),
        ("统计局", "organisation"),
        ("经济和信息化委员会", "organisation"),
        ("新质生产力", "term"),
        ("中试平台", "term"),
        ("算力", "term"),
    ],
)
def test_named_terms_have_their_category(glossary: Glossary, zh: str, category: str) -> None:
    entry = glossary.lookup(zh)
    assert entry is not None and entry.category == category


@pytest.mark.parametrize(
    ("phrase", "label"),
    [
        ("数字经济总量", "size of the digital economy"),
        ("湖南省数字经济总量", "size of the digital economy"),
        ("湖南数字经济总量", "size of the digital economy"),
        ("全省规模以上工业增加值", "value added of industrial enterprises above designated size"),
        ("湖南省全省规模以上工业增加值", "value added of industrial enterprises above designated size"),
        ("全市社会消费品零售总额", "total retail sales of consumer goods"),
        ("长沙市的固定资产投资", "investment in fixed assets"),
        ("我国实际使用外资", "foreign direct investment actually used (FDI)"),
        ("全国国内生产总值", "gross domestic product (GDP)"),
        ("规上工业增加值", "value added of industrial enterprises above designated size"),
        ("“规模以上工业”营业收入", "operating revenue of industrial enterprises above designated size"),
    ],
)
def test_translate_indicator_skips_region_and_scope_words(
    glossary: Glossary, phrase: str, label: str
) -> None:
    assert glossary.translate_indicator(phrase) == label


@pytest.mark.parametrize(
    "phrase",
    [
        "先进计算产业规模",  # no entry: never assembled from 先进计算 + 规模
        "湖南省",  # only a region
        "全省",
        "",
        "省级工业互联网平台数量",
    ],
)
def test_translate_indicator_without_entry_is_none(glossary: Glossary, phrase: str) -> None:
    assert glossary.translate_indicator(phrase) is None


def test_entries_in_finds_longest_terms_once_in_text_order(glossary: Glossary) -> None:
    paragraph = (
        "今年全省规模以上工业增加值增长6%，深入实施“智赋万企”行动，"
        "新增专精特新“小巨人”企业20家、绿色工厂12家；规模以上工业增加值增速高于全国。"
    )
    found = [entry.zh for entry in glossary.entries_in(paragraph)]
    assert found == ["规模以上工业增加值", "智赋万企", "专精特新小巨人企业", "绿色工厂", "增速"]


def test_entries_in_ignores_quotes_and_spaces_in_text(glossary: Glossary) -> None:
    found = {entry.zh for entry in glossary.entries_in("推进 “东数西算” 工程，打造“33618”现代制造业集群体系")}
    assert found == {"东数西算", "33618现代制造业集群体系"}


def test_names_in_lists_the_coined_names_the_text_quotes(glossary: Glossary) -> None:
    paragraph = "深入实施“智赋万企”行动，新增专精特新“小巨人”企业20家，共建“一带一路”，规模以上工业增加值增长6%。"
    found = [entry.zh for entry in glossary.names_in(paragraph)]
    # 小巨人 is the quoted name, though the running text's longest term is 专精特新小巨人企业; terms
    # written plainly (规模以上工业增加值) are left to the translator.
    assert found == ["智赋万企", "小巨人", "一带一路"]


def test_names_in_lists_each_name_once_and_only_names() -> None:
    glossary = parse_glossary(
        HEADER
        + "数实融合\tdigital-real integration\tpolicy\tnote\n"
        + "增加值\tvalue added\tindicator\tnote\n"
        + "链长\tchain chief\tprogramme\tnote\n"
    )
    found = [e.zh for e in glossary.names_in("推动“数实融合”，“增加值”，落实“链长”制，再谈“数实融合”。")]
    assert found == ["数实融合", "链长"]
    assert glossary.names_in("推动数实融合，落实链长制。") == []


def test_entries_in_without_terms_is_empty(glossary: Glossary) -> None:
    assert glossary.entries_in("今天天气很好。") == []
    assert Glossary([]).entries_in("规模以上工业增加值") == []


def test_parse_glossary_accepts_blank_lines_and_empty_notes() -> None:
    parsed = parse_glossary(
        HEADER + "算力\tcomputing power\tterm\t\n\n能耗\tenergy consumption\tindicator\tNBS\n"
    )
    assert parsed.entries == (
        GlossaryEntry(zh="算力", en="computing power", category="term"),
        GlossaryEntry(zh="能耗", en="energy consumption", category="indicator", note="NBS"),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("算力\tcomputing power\tterm\n", r"line 2: expected 4 tab-separated columns, found 3"),
        ("算力\tcomputing power\tterm\t\n能耗\tenergy\tmetric\t\n", r"line 3: category"),
        ("算力\t\tterm\t\n", r"line 2: en"),
        ("算力\t计算能力\tterm\t\n", r"line 2: en: .*ASCII"),
        ("“算力”\tcomputing power\tterm\t\n", r"line 2: zh"),
        (
            "算力\tcomputing power\tterm\t\n\n算力\tcompute\tterm\t\n",
            r"line 4: '算力' already listed on line 2",
        ),
    ],
)
def test_parse_glossary_names_the_malformed_line(body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_glossary(HEADER + body)


def test_parse_glossary_rejects_missing_header() -> None:
    with pytest.raises(ValueError, match="line 1: header"):
        parse_glossary("算力\tcomputing power\tterm\t\n")


def test_label_words_are_not_listed_in_prompts(glossary: Glossary) -> None:
    # 省 (provinces) and 展商 (exhibitors) compose labels; a prompt gets terminology only.
    assert glossary.lookup("展商") is not None and glossary.lookup("展商").category == "word"  # type: ignore[union-attr]
    found = [entry.zh for entry in glossary.entries_in("1730家展商参加，覆盖12个省（区、市），规模以上工业增加值增长")]
    assert "展商" not in found and "省" not in found
    assert "规模以上工业增加值" in found
