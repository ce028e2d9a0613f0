"""Kinds of text the rules read, one table per kind (invented sentences of the kind, not corpus prose).

Each table holds sentences that share the grammar of the kind and vary everything else (the subject,
the figure, the place, the words around), and sentences that look alike but are not of the kind.
"""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.errors import InputError
from summarizer.layout.segment import segment_document
from summarizer.rules.facts import Fact, extract_facts
from summarizer.text.ingest import read_document


def facts_of(text: str, document_date: date | None = None) -> list[Fact]:
    page = segment_document(read_document(text.encode("utf-8"), name="fixture.txt"))
    return extract_facts(page, document_date=document_date).facts


def fact_at(text: str, figure: str, document_date: date | None = None) -> Fact:
    facts = [f for f in facts_of(text, document_date) if f.text == figure]
    assert facts, f"{figure!r} not found in {text!r}"
    return facts[0]


# --- the non-Chinese-input detector: units of reading, not letters -------------------------------------

# A Chinese article that quotes English (a name, a sentence, a slogan) is Chinese: a word of English
# is one unit of reading, as a Chinese character is, not as many units as it has letters.
CHINESE_WITH_ENGLISH = [
    "本报讯 一季度全市外贸进出口增长5%。市长在开幕式上说：“We are open for business and we welcome partners "
    "from every corner of the world.”",
    "该企业今年营业收入突破20亿元。其口号是“Make things better, make life easier for everyone we serve.”",
    "首届数字经济论坛昨日开幕，主题为“Digital Economy and Green Growth in the Asia Pacific Region Today”。",
    "今年上半年，港口集装箱吞吐量同比增长8%，创历史同期新高。The port handled more containers in the first half than in any half-year before.",
]
# Text in another language stays refused, even with a Chinese name or two in it.
NOT_CHINESE = [
    "Foreign trade in the city grew five percent in the first quarter, officials said on Monday.",
    "The mayor of 深圳 told reporters that exports of electric vehicles doubled over the past year.",
    "Le commerce extérieur de la ville a progressé de cinq pour cent au premier trimestre.",
    "Внешняя торговля города выросла на пять процентов в первом квартале этого года.",
    "市の輸出は第一四半期に五パーセント増えたと市長は月曜日に述べました。",
]


@pytest.mark.parametrize("text", CHINESE_WITH_ENGLISH)
def test_a_chinese_article_quoting_english_is_read(text: str) -> None:
    assert read_document(text.encode("utf-8"), name="fixture.txt").original == text
    assert sum(c.isascii() and c.isalpha() for c in text) > sum("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize("text", NOT_CHINESE)
def test_text_in_another_language_is_still_refused(text: str) -> None:
    with pytest.raises(InputError, match="not Chinese text"):
        read_document(text.encode("utf-8"), name="fixture.txt")


# --- 计划: a plan verb after a time word or as the verb of its clause; a noun in a project's size -------

# (sentence, figure, indicator): 计划 governs the figure as a plan; it is not part of what is measured.
PLAN_VERB = [
    ("今年计划投资1500亿元，用于交通和水利建设。", "1500亿元", "投资"),
    ("全年计划完成固定资产投资3200亿元。", "3200亿元", "固定资产投资"),
    ("明年计划新开工重点项目45个。", "45个", "新开工重点项目"),
    ("2025年计划改造老旧小区120个。", "120个", "老旧小区"),
    ("下半年计划投资80亿元建设数据中心。", "80亿元", "投资"),
    ("我市计划投资60亿元建设充电设施。", "60亿元", "投资"),
    ("省交通厅计划新建农村公路3000公里。", "3000公里", "农村公路"),
]
# A project's planned total (计划总投资, 项目计划投资) is a fact about the project, reported as it stands;
# so is the plan as a noun (完成年度计划的85%: a share of the plan reached).
PLAN_NOUN = [
    ("该项目计划总投资50亿元，建设期三年。", "50亿元", "计划总投资"),
    ("产业园一期项目计划总投资28亿元。", "28亿元", "计划总投资"),
    ("该项目计划投资12亿元，占地300亩。", "12亿元", "计划投资"),
    ("引水工程计划投资95亿元，全长120公里。", "95亿元", "计划投资"),
    ("全市工业投资完成年度计划的85%。", "85%", None),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), PLAN_VERB)
def test_plan_verb_makes_a_target(text: str, figure: str, indicator: str) -> None:
    fact = fact_at(text, figure, date(2022, 4, 26))
    assert (fact.status, fact.status_cue) == ("target", "计划")
    assert fact.indicator_zh == indicator


@pytest.mark.parametrize(("text", "figure", "indicator"), PLAN_NOUN)
def test_plan_noun_is_a_fact_about_the_project(text: str, figure: str, indicator: str | None) -> None:
    fact = fact_at(text, figure, date(2022, 4, 26))
    assert fact.status == "actual"
    assert fact.status_cue is None
    if indicator is not None:
        assert fact.indicator_zh is not None and fact.indicator_zh.endswith(indicator)


# --- 去年同期 as the time of a figure: the passage's period, a year (前年同期: two) earlier ---------------

# (text, document date, figure, period): the convention of periods is kept (2022-Q1, 2022-H1,
# 2022-01/2022-02, 2022), only the year moves.
SAME_PERIOD_LAST_YEAR = [
    ("一季度，全省规模以上工业增加值同比增长6.5%，去年同期增长3.1%。", date(2022, 4, 26), "3.1%", "2021-Q1"),
    ("一季度，全市完成固定资产投资120亿元，上年同期为98亿元。", date(2022, 4, 26), "98亿元", "2021-Q1"),
    ("上半年，全市出口下降2%，上年同期增长5%。", date(2022, 7, 20), "5%", "2021-H1"),
    ("1—2月，全省社会消费品零售总额增长9%。去年同期，全省社会消费品零售总额下降4%。", date(2023, 3, 20), "4%",
     "2022-01/2022-02"),
    ("前三季度，全县粮食产量达到52万吨，前年同期为47万吨。", date(2023, 10, 25), "47万吨", "2021-01/2021-09"),
    ("2021年，全市地区生产总值增长8%，去年同期增长3%。", date(2022, 1, 25), "3%", "2020"),
]
# A comparison base is never the period: the figure keeps the passage's own.
SAME_PERIOD_AS_BASE = [
    ("一季度，全省工业增加值比去年同期增长5%。", date(2022, 4, 26), "5%", "2022-Q1"),
    ("一季度，全省工业投资较上年同期增长7%。", date(2022, 4, 26), "7%", "2022-Q1"),
    ("上半年，全市消费与去年同期相比增长4%。", date(2022, 7, 20), "4%", "2022-H1"),
    ("一季度，受上年同期基数较高影响，全省出口下降2%。", date(2022, 4, 26), "2%", "2022-Q1"),
    ("上半年，全市税收收入超去年同期12%。", date(2022, 7, 20), "12%", "2022-H1"),
]


@pytest.mark.parametrize(("text", "document_date", "figure", "period"), SAME_PERIOD_LAST_YEAR)
def test_same_period_last_year_is_the_period_a_year_earlier(text: str, document_date: date, figure: str, period: str) -> None:
    fact = fact_at(text, figure, document_date)
    assert fact.period == period
    assert fact.period_text is not None and fact.period_text.endswith("同期")
    assert fact.status == "actual"


@pytest.mark.parametrize(("text", "document_date", "figure", "period"), SAME_PERIOD_AS_BASE)
def test_same_period_last_year_as_a_base_is_not_the_period(text: str, document_date: date, figure: str, period: str) -> None:
    assert fact_at(text, figure, document_date).period == period


def test_a_result_of_last_year_after_a_goal_is_actual() -> None:
    fact = fact_at("一季度，全省力争工业增加值增长7%，去年同期增长5%。", "5%", date(2022, 2, 26))
    assert (fact.status, fact.period) == ("actual", "2021-Q1")


def test_same_period_last_year_without_a_known_period_is_unknown() -> None:
    assert fact_at("全省工业增加值去年同期增长3%。", "3%").period is None


# --- comparison bases and multi-year averages: the comparison, never the period nor the indicator ------

# (text, document date, figure, indicator, period, comparison kind, comparison baseline)
BASES_AND_AVERAGES = [
    ("一季度，全省工业增加值比2019年同期增长10.2%。", date(2021, 4, 20), "10.2%", "工业增加值", "2021-Q1", "vs_period",
     "2019-Q1"),
    ("一季度，全省工业增加值两年平均增长5.0%。", date(2021, 4, 20), "5.0%", "工业增加值", "2021-Q1", "average_annual",
     "2019-Q1"),
    ("上半年，全市固定资产投资两年平均增长4.1%。", date(2021, 7, 18), "4.1%", "固定资产投资", "2021-H1", "average_annual",
     "2019-H1"),
    ("前三季度，全国社会消费品零售总额比2019年同期增长8%，两年平均增长3.9%。", date(2021, 10, 18), "3.9%",
     "社会消费品零售总额", "2021-01/2021-09", "average_annual", "2019-01/2019-09"),
    ("2021年，全市旅游收入比2019年增长6%。", date(2022, 1, 20), "6%", "旅游收入", "2021", "vs_period", "2019"),
    ("一季度，与2019年同期相比，全省出口增长12%。", date(2021, 4, 20), "12%", "出口", "2021-Q1", "vs_period", "2019-Q1"),
    ("一季度，全省进口较2019年同期增长7%。", date(2021, 4, 20), "7%", "进口", "2021-Q1", "vs_period", "2019-Q1"),
    ("一季度，规模以上工业增加值与上年同期相比提高1个百分点。", date(2022, 4, 26), "1个百分点", "规模以上工业增加值",
     "2022-Q1", "vs_previous_year", "previous_year"),
]


@pytest.mark.parametrize(
    ("text", "document_date", "figure", "indicator", "period", "kind", "baseline"), BASES_AND_AVERAGES
)
def test_a_base_or_an_average_is_the_comparison(
    text: str, document_date: date, figure: str, indicator: str, period: str, kind: str, baseline: str
) -> None:
    fact = fact_at(text, figure, document_date)
    assert fact.period == period
    assert fact.indicator_zh == indicator
    assert fact.comparison is not None
    assert (fact.comparison.kind, fact.comparison.baseline) == (kind, baseline)


def test_a_same_period_aside_in_brackets_speaks_for_itself() -> None:
    # （2021年同期增速为6%）: the time of the figure in the brackets; not a base, and not the period after them
    fact = fact_at("一季度，全市出口增长9%（2021年同期增速为6%），拉动经济增长1.2个百分点。", "6%", date(2022, 4, 26))
    assert fact.period == "2021-Q1"
    assert fact.comparison is None
    after = fact_at("一季度，全市出口增长9%（2021年同期增速为6%），拉动经济增长1.2个百分点。", "1.2个百分点", date(2022, 4, 26))
    assert after.period == "2022-Q1"


# --- indicator labels: a plan's words before the name, an adverb after it, are not part of it ----------

# (text, figure, indicator)
INDICATOR_CUTS = [
    # 预期目标是 / 主要目标为 / 发展目标是 …: the goal's words open the sentence, the name follows
    ("今年经济社会发展的预期目标是地区生产总值增长5.5%左右。", "5.5%左右", "地区生产总值"),
    ("全年主要目标为规模以上工业增加值增长7%。", "7%", "规模以上工业增加值"),
    ("发展目标是社会消费品零售总额增长8%以上。", "8%以上", "社会消费品零售总额"),
    ("明年的目标是城镇新增就业12万人。", "12万人", "城镇新增就业"),
    # an adverb between the subject and its verb: 仍 / 还 / 也 / 均 / 都 / 再 / 已
    ("单位地区生产总值能耗强度仍下降3%。", "3%", "单位地区生产总值能耗强度"),
    ("全市工业用电量还增长2%。", "2%", "工业用电量"),
    ("全省出口也增长6%。", "6%", "出口"),
    ("重点企业营业收入均增长4%。", "4%", "重点企业营业收入"),
    ("粮食产量再增长1.5%。", "1.5%", "粮食产量"),
    ("全县森林覆盖率已提高到65%。", "65%", "森林覆盖率"),
    ("居民人均可支配收入再创新高，达到4万元。", "4万元", "居民人均可支配收入"),
    # …and words that end in those characters keep them
    ("全市居民人均增长6%。", "6%", "居民人均"),
]


@pytest.mark.parametrize(("text", "figure", "indicator"), INDICATOR_CUTS)
def test_indicator_is_the_name_alone(text: str, figure: str, indicator: str) -> None:
    assert fact_at(text, figure, date(2022, 1, 20)).indicator_zh == indicator


# --- page furniture: a line that asks the reader to share, follow, save or scan ------------------------

SHARE_PROMPT_LINES = [
    "点击右上角分享到朋友圈",
    "点击右上角，分享到朋友圈",
    "请点击下方“阅读原文”查看更多",
    "【点击蓝字 关注我们】",
    "喜欢就点个赞，分享给更多朋友吧！",
    "长按识别二维码关注我们",
    "长按识别图中二维码，关注“江城发布”",
    "扫码关注我们，获取更多资讯",
    "扫一扫二维码，订阅每日早报",
    "转发 | 收藏",
]
# News lines that tell of sharing, scanning or clicking are article text.
NEWS_ABOUT_SHARING = [
    "用户点击分享按钮后，即可将视频转发给好友，该功能已覆盖200万用户。",
    "转发量达到500万次",
    "点击量突破1亿次，转发超过500万次。",
    "扫码支付已覆盖全市商户",
    "市民可扫码关注“健康码”了解出行政策，目前已有300万人使用。",
    "记者在现场看到，不少游客点击手机分享美景。",
    "扫码领取50元红包",  # an advert, not a share prompt
]


@pytest.mark.parametrize("line", SHARE_PROMPT_LINES)
def test_a_share_prompt_line_is_set_aside(line: str) -> None:
    from summarizer.layout.boilerplate import paragraph_kind

    assert paragraph_kind(line) == "share_prompt"
    text = f"全省工业稳步增长\n本报讯 一季度，全省规模以上工业增加值增长6%。\n{line}\n"
    page = segment_document(read_document(text.encode("utf-8"), name="fixture.txt"))
    assert [(item.kind, item.text) for item in page.set_aside] == [("share_prompt", line)]
    assert all(line not in segment.text for segment in page.segments)


@pytest.mark.parametrize("line", NEWS_ABOUT_SHARING)
def test_news_that_mentions_sharing_is_not_a_share_prompt(line: str) -> None:
    from summarizer.layout.boilerplate import paragraph_kind

    assert paragraph_kind(line) != "share_prompt"
