"""Indicator phrases and their English labels (summarizer.rules.indicators): the Chinese noun phrase a
figure measures, and the label composed from glossary parts when the whole phrase has no entry."""

from __future__ import annotations

import pytest

from summarizer.rules.indicators import clean_phrase, english_label, following_noun_phrase, noun_phrase


@pytest.mark.parametrize(
    ("raw", "phrase"),
    [
        # noise is cut only between words: 在, 建成, 对, 全 that begin or end a word stay
        ("在校生", "在校生"),
        ("在园幼儿", "在园幼儿"),
        ("建成区绿化覆盖率提高到", "建成区绿化覆盖率"),
        ("我国对外非金融类直接投资", "对外非金融类直接投资"),
        ("公路全长", "公路全长"),
        # noise joined to a word by segmentation is still cut
        ("食品价格上涨", "食品价格"),
        ("溢价率高达", "溢价率"),
        ("规模以上工业增加值同比增长", "规模以上工业增加值"),
        # section numbers, editions, holidays, "calculated at" and comparisons are not names
        ("（四）固定资产投资总额", "固定资产投资总额"),
        ("第二十五届高交会首日洽商交易额", "高交会首日洽商交易额"),
        ("按总产值计算的全员劳动生产率", "全员劳动生产率"),
        ("快于全部规模以上工业", ""),
        # a unit's tail, a lone function word, a threshold
        ("次", ""),
        ("和", ""),
        ("大关", ""),
    ],
)
def test_clean_phrase(raw: str, phrase: str) -> None:
    assert clean_phrase(raw) == phrase


@pytest.mark.parametrize(
    ("raw", "phrase"),
    [
        ("高速公路建成通车", "高速公路"),  # trailing verbs go when the phrase has no label as it stands
        ("综合保税区顺利", "综合保税区"),
        ("装备制造业在龙头企业带动下实现增加值", "装备制造业增加值"),
        ("研发经费投入强度", "研发经费投入强度"),  # a glossary name that holds a predicate stays whole
        ("建设农村公路", "农村公路"),
        ("稳", ""),  # a lone character that is not a noun
        ("一条", ""),
    ],
)
def test_noun_phrase(raw: str, phrase: str) -> None:
    assert noun_phrase(raw) == phrase


def test_following_noun_phrase_is_nominal() -> None:
    assert following_noun_phrase("和") == ""
    assert following_noun_phrase("个工作组分赴各地") != "个工作组分赴各地"


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        # head patterns, NBS word order
        ("高技术制造业产值", "output value of high-tech manufacturing"),
        ("规模以上工业企业研发投入", "R&D expenditure of industrial enterprises above designated size"),
        ("高技术制造业增加值年均增速", "average annual growth of value added of high-tech manufacturing"),
        ("制造业实际使用外资金额", "foreign direct investment actually used in manufacturing"),
        # "the" where English needs it, and not where it does not
        ("建材行业增加值", "value added of the building materials industry"),
        ("地方工业增加值", "value added of local industry"),
        ("长三角区域进出口总值", "total value of imports and exports of the Yangtze River Delta region"),
        ("数据产业规模年均复合增长率", "compound annual growth rate of the size of the data industry"),
        # no repeated noun
        ("专精特新小巨人企业", 'specialised and sophisticated "little giant" SMEs'),
        # contribution to growth, with and without its subject
        ("对全社会用电量增长的贡献率", "contribution to the growth of total electricity consumption"),
        ("全部投资增长的贡献率", "contribution to the growth of total investment"),
        # lists and "such as"
        ("能源、金属矿砂、粮食等大宗商品进口量", "import volume of bulk commodities such as energy, metal ores and grain"),
        ("手机等通信设备零售增速", "growth of retail sales of communication equipment such as mobile phones"),
        # words that do not change what is measured
        ("风电设备制造用电量同比增速", "growth of electricity consumption of wind power equipment manufacturing"),
        ("医保码全国用户", "medical insurance code users"),
        # trade in goods and things under construction, the verb first in Chinese
        ("进出口建筑材料总值", "total value of imports and exports of building materials"),
        ("在建高速公路", "expressways under construction"),
        # a name and what it has
        (
            "滇中引水工程输水线路全长",
            "total length of the water conveyance line of the Central Yunnan Water Diversion Project",
        ),
        # a place that begins a name is part of it
        ("宁波舟山港货物吞吐量", "cargo throughput of Ningbo-Zhoushan Port"),
        # modifiers before a noun
        ("超大风电机组", "ultra-large wind turbines"),
    ],
)
def test_english_label(zh: str, en: str) -> None:
    assert english_label(zh) == en


@pytest.mark.parametrize(
    "zh",
    [
        "荷山村毛竹山场",  # a village name unknown: nothing is guessed
        "调减玉米种植面积",
        "铁路预计投产新线",  # "railways new lines ...": a plural cannot stand before a noun
        "乡镇农村公路",
        "投入农机应急作业服务队",  # a verb is not a modifier
    ],
)
def test_english_label_is_not_guessed(zh: str) -> None:
    assert english_label(zh) is None
