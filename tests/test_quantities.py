"""Table-driven tests for summarizer.rules.quantities: numerals, quantities, traps and periods.

Fixtures are short sentences invented in the genre, or quotes from the seed page in seeds/.
"""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.rules.numerals import fold_width, parse_number
from summarizer.rules.periods import PeriodMention, find_periods
from summarizer.rules.quantities import Quantity, find_quantities, parse_quantity

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_4e8de9e190906468.txt"


def only(text: str) -> Quantity:
    """The single quantity found in ``text``."""
    found = find_quantities(text)
    assert len(found) == 1, f"{text!r}: {[q.text for q in found]}"
    return found[0]


def approx(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


# ---------------------------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------------------------

PARSE_NUMBER_CASES = [
    # Chinese numerals
    ("零", 0),
    ("十", 10),
    ("十二", 12),
    ("三十五", 35),
    ("一百零六", 106),
    ("一百一十", 110),
    ("两万", 20000),
    ("一千二百三十四", 1234),
    ("一千零一", 1001),
    ("十万零一千", 101000),
    ("一百零一万一千", 1011000),
    ("四千零五万", 40050000),
    ("一亿五千万零六千三百五十五", 150006355),
    ("四十五亿四千零四万", 4540040000),
    ("三十万亿", 3e13),
    ("一万万", 1e8),
    # abbreviated trailing place: 一万三 = 13000
    ("一万三", 13000),
    ("两千六", 2600),
    ("一百二", 120),
    ("九十二万四", 924000),
    ("五亿零六", 500000006),
    # decimals
    ("零点五", 0.5),
    ("十五点七", 15.7),
    ("三点五万", 35000),
    ("一百点123", 100.123),
    # financial and traditional forms
    ("壹佰壹拾壹", 111),
    ("肆佰陸拾", 460),
    ("兩千四百五", 2450),
    ("四萬五千六百二十二", 45622),
    ("廿二", 22),
    # digit strings
    ("一二三", 123),
    ("二〇〇二", 2002),
    ("零一", 1),
    # Arabic, separators, full width, signs
    ("1,234.5", 1234.5),
    ("１５", 15),
    ("１，２３４", 1234),
    ("233,333，333,434.344", 233333333434.344),
    ("-2.6", -2.6),
    ("负三十二", -32),
    ("－2.6", -2.6),
    # mixed Arabic and scale; longest scale first
    ("3.5万", 35000),
    ("1.7万亿", 1.7e12),
    ("287亿", 2.87e10),
    ("13.3万", 133000),
    ("3千万", 3e7),
    ("3万4000", 34000),
    ("5亿1万4千6百", 500014600),
    ("200亿零四千230", 20000004230),
    ("140.3亿", 1.403e10),
]


@pytest.mark.parametrize(("numeral", "expected"), PARSE_NUMBER_CASES, ids=[c[0] for c in PARSE_NUMBER_CASES])
def test_parse_number(numeral: str, expected: float) -> None:
    assert parse_number(numeral) == pytest.approx(expected, rel=1e-12)


def test_scales_are_exact_decimals() -> None:
    # Binary floating point would give 14030000000.000002.
    assert parse_number("140.3亿") == 14030000000.0
    assert only("畜牧业产值147.7亿元，").value == 14770000000.0


PARSE_NUMBER_INVALID = [
    "",
    "万",
    "万万",
    "负",
    "零点",
    "点零",
    "零点点",
    "10..1万",
    "10.1万零100",
    "元整",
    "五十千",
    "abc",
]


@pytest.mark.parametrize("numeral", PARSE_NUMBER_INVALID)
def test_parse_number_rejects(numeral: str) -> None:
    assert parse_number(numeral) is None


# ---------------------------------------------------------------------------------------------
# find_quantities: what must be found
# ---------------------------------------------------------------------------------------------

# (sentence, span text, value, unit, measure, qualifier)
FOUND_CASES: list[tuple[str, str, float, str, str | None, str]] = [
    # Arabic numerals, separators, full width
    ("全省新增企业１，２３４家。", "１，２３４家", 1234, "count", "家", "exact"),
    ("同比增长１５％，", "１５％", 15, "percent", None, "exact"),
    ("实现营收1,234.5亿元，", "1,234.5亿元", 1.2345e11, "CNY", None, "exact"),
    ("同比增长 37.7%。", "37.7%", 37.7, "percent", None, "exact"),
    # Chinese numerals with measure words
    ("新增一百零六个项目", "一百零六个", 106, "count", "个", "exact"),
    ("带动就业两万人", "两万人", 20000, "count", "人", "exact"),
    ("认定三十五家企业", "三十五家", 35, "count", "家", "exact"),
    ("出台十二项措施", "十二项", 12, "count", "项", "exact"),
    ("用户增长最快的三个城市", "三个", 3, "count", "个", "exact"),
    ("共同推进两批35个产业合作示范园", "两批", 2, "count", "批", "exact"),
    # mixed forms and scales (万亿 is 1e12, never 1e8)
    ("数字经济总量1.7万亿元", "1.7万亿元", 1.7e12, "CNY", None, "exact"),
    ("累计建成5G基站13.3万个", "13.3万个", 133000, "count", "个", "exact"),
    ("接入企业3.5万家", "3.5万家", 35000, "count", "家", "exact"),
    ("累计标识注册量287亿，接入", "287亿", 2.87e10, "number", None, "exact"),
    ("全省总算力5200PFlops", "5200PFlops", 5200, "PFlops", None, "exact"),
    ("整合7000万元工业和信息化专项资金", "7000万元", 7e7, "CNY", None, "exact"),
    ("项目总投资12.8亿元。", "12.8亿元", 1.28e9, "CNY", None, "exact"),
    ("营收达3千万元", "3千万元", 3e7, "CNY", None, "exact"),
    ("装机1200万千瓦", "1200万千瓦", 1.2e7, "kW", None, "exact"),
    ("发电量120亿千瓦时", "120亿千瓦时", 1.2e10, "kWh", None, "exact"),
    # currencies
    ("实际使用外资金额9870.1亿元人民币，", "9870.1亿元人民币", 9.8701e11, "CNY", None, "exact"),
    ("进出口总值28.1亿美元", "28.1亿美元", 2.81e9, "USD", None, "exact"),
    ("签约150亿欧元", "150亿欧元", 1.5e10, "EUR", None, "exact"),
    ("折合300亿日元", "300亿日元", 3e10, "JPY", None, "exact"),
    ("每股1.95港元", "1.95港元", 1.95, "HKD", None, "exact"),
    ("融资人民币8千元", "人民币8千元", 8000, "CNY", None, "exact"),
    ("标价¥300，", "¥300", 300, "CNY", None, "exact"),
    ("工厂费一万二千三百四十五元，", "一万二千三百四十五元", 12345, "CNY", None, "exact"),
    ("开销123元1角1分", "123元1角1分", 123.11, "CNY", None, "exact"),
    ("劳动生产率94.5万元/人，", "94.5万元/人", 945000, "CNY/person", None, "exact"),
    # percent, percentage points, 成, 倍, 折 (never confused with each other)
    ("增长15%", "15%", 15, "percent", None, "exact"),
    ("占比百分之十五", "百分之十五", 15, "percent", None, "exact"),
    ("收视率达到百分之零点九", "百分之零点九", 0.9, "percent", None, "exact"),
    ("高于全国平均2.1个百分点", "2.1个百分点", 2.1, "percentage_point", None, "exact"),
    ("高于全国0.3个百分点", "0.3个百分点", 0.3, "percentage_point", None, "exact"),
    ("回落2百分点", "2百分点", 2, "percentage_point", None, "exact"),
    ("下降六个百分点", "六个百分点", 6, "percentage_point", None, "exact"),
    ("下调25个基点", "25个基点", 25, "basis_point", None, "exact"),
    ("全球五成笔记本电脑", "五成", 50, "percent", None, "exact"),
    ("九成以上的企业", "九成以上", 90, "percent", None, "more_than"),
    ("增长1.5倍", "1.5倍", 1.5, "times", None, "exact"),
    ("增长两倍", "两倍", 2, "times", None, "exact"),
    ("产值翻一番", "翻一番", 2, "times", None, "exact"),
    ("全场七折", "七折", 70, "percent", None, "exact"),
    ("不良率千分之二", "千分之二", 2, "permille", None, "exact"),
    ("占全国的三分之一", "三分之一", 1 / 3, "fraction", None, "exact"),
    # signs: printed signs are kept, direction words are not turned into signs
    ("同比-2.6%", "-2.6%", -2.6, "percent", None, "exact"),
    ("同比－2.6%", "－2.6%", -2.6, "percent", None, "exact"),
    ("增速为负3.9%", "负3.9%", -3.9, "percent", None, "exact"),
    ("能耗下降8.5%。", "8.5%", 8.5, "percent", None, "exact"),
    # ranks
    ("数量居全国第八位。", "第八位", 8, "rank", None, "exact"),
    ("绩效水平居全国第六位", "第六位", 6, "rank", None, "exact"),
    ("居全国第八，", "第八", 8, "rank", None, "exact"),
    ("连续多年位居世界第二位", "第二位", 2, "rank", None, "exact"),
    ("均居全国首位。", "首位", 1, "rank", None, "exact"),
    ("获得第1名", "第1名", 1, "rank", None, "exact"),
    ("开行数量居全国第一；", "第一", 1, "rank", None, "exact"),
    ("排名第3，", "第3", 3, "rank", None, "exact"),
    # counts with measure words
    ("连接的工业设备超955万台（套）", "955万台（套）", 9.55e6, "count", "台(套)", "more_than"),
    ("智能制造产线1517条", "1517条", 1517, "count", "条", "exact"),
    ("规模以上工业企业达429户，", "429户", 429, "count", "户", "exact"),
    ("生猪出栏80.9万头，", "80.9万头", 809000, "count", "头", "exact"),
    ("家禽出栏613.4万只，", "613.4万只", 6134000, "count", "只", "exact"),
    ("新能源汽车95.3万辆", "95.3万辆", 953000, "count", "辆", "exact"),
    ("168种药品", "168种", 168, "count", "种", "exact"),
    ("新建饮水安全工程203处，", "203处", 203, "count", "处", "exact"),
    ("9名数字化专员", "9名", 9, "count", "名", "exact"),
    ("西部10省市", "10省市", 10, "count", "省市", "exact"),
    ("班列数量28列，", "28列", 28, "count", "列", "exact"),
    # physical units
    ("开放面积58.13平方公里，", "58.13平方公里", 58.13, "km2", None, "exact"),
    ("销售面积526.3万平方米，", "526.3万平方米", 5.263e6, "m2", None, "exact"),
    ("建设农村公路124.7公里。", "124.7公里", 124.7, "km", None, "exact"),
    ("粮食总产量达650万吨，", "650万吨", 6.5e6, "tonne", None, "exact"),
    ("播种面积75.1万公顷，", "75.1万公顷", 751000, "hectare", None, "exact"),
    ("膜下滴灌61万亩、", "61万亩", 610000, "mu", None, "exact"),
    ("旅客运输量5605.2万人次，", "5605.2万人次", 5.6052e7, "person_time", None, "exact"),
    ("吞吐能力62万标准箱、", "62万标准箱", 620000, "TEU", None, "exact"),
    ("运输总周转量110.1亿吨公里，", "110.1亿吨公里", 1.101e10, "tonne_km", None, "exact"),
    ("数据传输仅需10毫秒。", "10毫秒", 10, "ms", None, "exact"),
    ("效益综合指数达到849.8点，", "849.8点", 849.8, "point", None, "exact"),
    ("工艺达到7nm，", "7nm", 7, "nm", None, "exact"),
    ("气温下降6—10℃，", "6—10℃", 6, "degC", None, "exact"),
    # bare numbers: table cells on their own line, numbers before punctuation
    ("地区生产总值\n4000.5\n10.0\n", "4000.5", 4000.5, "number", None, "exact"),
    ("大豆\n7.0\n-1.6\n", "-1.6", -1.6, "number", None, "exact"),
    ("基站总数是10000，其中", "10000", 10000, "number", None, "exact"),
    ("合计一千二百三十四。", "一千二百三十四", 1234, "number", None, "exact"),
    ("跨越5万亿、6万亿台阶", "6万亿", 6e12, "number", None, "exact"),
    # prefix qualifiers stay outside the span
    ("数字经济总量突破1.7万亿元", "1.7万亿元", 1.7e12, "CNY", None, "more_than"),
    ("营收增长超15%", "15%", 15, "percent", None, "more_than"),
    ("规模超过2500亿元", "2500亿元", 2.5e11, "CNY", None, "more_than"),
    ("出口逾3000万美元", "3000万美元", 3e7, "USD", None, "more_than"),
    ("全球近五成笔记本电脑", "五成", 50, "percent", None, "nearly"),
    ("接近90%", "90%", 90, "percent", None, "nearly"),
    ("将近一百万人", "一百万人", 1e6, "count", "人", "nearly"),
    ("约4.287亿美元", "4.287亿美元", 4.287e8, "USD", None, "about"),
    ("大约72%的国土面积", "72%", 72, "percent", None, "about"),
    ("不到1.9万台", "1.9万台", 19000, "count", "台", "less_than"),
    ("不足5%", "5%", 5, "percent", None, "less_than"),
    ("研发投入强度不低于2.5%", "2.5%", 2.5, "percent", None, "more_than"),
    ("不超过3%", "3%", 3, "percent", None, "less_than"),
    # suffix qualifiers are inside the span
    ("规模以上工业企业数量保持在2万家以上。", "2万家以上", 20000, "count", "家", "more_than"),
    ("约有600家左右", "600家左右", 600, "count", "家", "about"),
    ("投资3000万元上下", "3000万元上下", 3e7, "CNY", None, "about"),
    ("占比5%以下", "5%以下", 5, "percent", None, "less_than"),
    ("3000多家规模以上工业企业", "3000多家", 3000, "count", "家", "more_than"),
    ("1600余家企业", "1600余家", 1600, "count", "家", "more_than"),
    ("500多亿元", "500多亿元", 5e10, "CNY", None, "more_than"),
    ("带动就业十余万人", "十余万人", 1e5, "count", "人", "more_than"),
    ("上万家企业", "上万家", 1e4, "count", "家", "more_than"),
    ("获得50万元（含）以上支持", "50万元（含）以上", 5e5, "CNY", None, "more_than"),
    # a lone place character between a verb and a measure word with its noun counts things
    ("计划打造百堂示范课程", "百堂", 100, "count", "堂", "exact"),
    ("推出千条旅游线路", "千条", 1000, "count", "条", "exact"),
    ("全年开展万场科普活动", "万场", 1e4, "count", "场", "exact"),
    ("推出三堂公开课", "三堂", 3, "count", "堂", "exact"),
    # 档 counts programmes
    ("电视台推出12档新节目", "12档", 12, "count", "档", "exact"),
]


@pytest.mark.parametrize(
    ("sentence", "span", "value", "unit", "measure", "qualifier"),
    FOUND_CASES,
    ids=[c[0] for c in FOUND_CASES],
)
def test_found(
    sentence: str, span: str, value: float, unit: str, measure: str | None, qualifier: str
) -> None:
    matches = [q for q in find_quantities(sentence) if q.text == span]
    assert matches, f"{span!r} not in {[q.text for q in find_quantities(sentence)]}"
    quantity = matches[0]
    assert approx(quantity.value, value)
    assert (quantity.unit, quantity.measure, quantity.qualifier) == (unit, measure, qualifier)
    assert sentence[quantity.start : quantity.end] == span


def test_near_percentage_is_nearly() -> None:
    quantity = only("占“白名单”的比重近42%；")
    assert (quantity.value, quantity.unit, quantity.qualifier, quantity.prefix_qualifier) == (
        42.0,
        "percent",
        "nearly",
        "近",
    )


PREFIX_CASES = [
    ("突破1.7万亿元", "突破", "more_than"),
    ("超955万台(套)", "超", "more_than"),
    ("超过了百分之零点九", "超过了", "more_than"),
    ("近五成", "近", "nearly"),
    ("将近一百万人", "将近", "nearly"),
    ("约为30%", "约为", "about"),
    ("不到1.9万台", "不到", "less_than"),
    ("至少有10个", "至少有", "more_than"),
]


@pytest.mark.parametrize(("text", "word", "qualifier"), PREFIX_CASES, ids=[c[0] for c in PREFIX_CASES])
def test_prefix_qualifier_is_recorded_outside_the_span(text: str, word: str, qualifier: str) -> None:
    quantity = only(text)
    assert quantity.prefix_qualifier == word
    assert quantity.qualifier == qualifier
    assert quantity.start == len(word)


COMPARISON_CASES = [
    "签约150亿欧元",  # 约 ends 签约: not "about"
    "附近5公里",  # 近 ends 附近: not "nearly"
    "节约3万吨标准煤",
    "高于全国0.3个百分点",
    "比全省平均水平高出476.9点",
    "低于全国1.2个百分点",
    "比上年增长10%",
]


@pytest.mark.parametrize("text", COMPARISON_CASES)
def test_comparisons_are_not_qualifiers(text: str) -> None:
    quantity = only(text)
    assert quantity.qualifier == "exact"
    assert quantity.prefix_qualifier is None


# (sentence, span, low, high, unit)
RANGE_CASES = [
    ("每家企业3至5个项目", "3至5个", 3, 5, "count"),
    ("每家企业3-5个项目", "3-5个", 3, 5, "count"),
    ("每家企业3～5个项目", "3～5个", 3, 5, "count"),
    ("投资七千到九千亿元", "七千到九千亿元", 7e11, 9e11, "CNY"),
    ("增速10%—20%之间", "10%—20%", 10, 20, "percent"),
    ("补助1万-5万元", "1万-5万元", 1e4, 5e4, "CNY"),
    ("补助1万元--5万元", "1万元--5万元", 1e4, 5e4, "CNY"),
    ("报账金额在1万(含)-5万元之间", "1万(含)-5万元", 1e4, 5e4, "CNY"),
    ("两到三万港元", "两到三万港元", 2e4, 3e4, "HKD"),
    ("十八至三十万日元", "十八至三十万日元", 1.8e5, 3e5, "JPY"),
    ("一百二十到一百五十万元", "一百二十到一百五十万元", 1.2e6, 1.5e6, "CNY"),
    ("从8500到3万港元", "8500到3万港元", 8500, 3e4, "HKD"),
    ("规模1.5-2亿元", "1.5-2亿元", 1.5e8, 2e8, "CNY"),
    ("大概有20~100个", "20~100个", 20, 100, "count"),
    ("位于20和30之间", "20和30之间", 20, 30, "number"),
    # approximate forms: neighbouring digits, vague orders of magnitude
    ("四五千块钱", "四五千块钱", 4000, 5000, "CNY"),
    ("八九亿韩元", "八九亿韩元", 8e8, 9e8, "KRW"),
    ("一两家企业", "一两家", 1, 2, "count"),
    ("人民币数十亿元", "人民币数十亿元", 1e9, 1e10, "CNY"),
    ("几十万人", "几十万人", 1e5, 1e6, "count"),
    ("百分之二三十", "百分之二三十", 20, 30, "percent"),
    # ranks: 居全国前七 is a rank between 1 and 7
    ("面板总产能跃居全国前七城", "前七", 1, 7, "rank"),
    ("进入全国前十", "前十", 1, 10, "rank"),
]


@pytest.mark.parametrize(
    ("sentence", "span", "low", "high", "unit"), RANGE_CASES, ids=[c[0] for c in RANGE_CASES]
)
def test_ranges_keep_both_ends(sentence: str, span: str, low: float, high: float, unit: str) -> None:
    matches = [q for q in find_quantities(sentence) if q.text == span]
    assert matches, f"{span!r} not in {[q.text for q in find_quantities(sentence)]}"
    assert approx(matches[0].value, low)
    assert approx(matches[0].value_max, high)
    assert matches[0].unit == unit


SCALE_WORD_CASES = [
    ("1.7万亿元", "1.7", "万亿"),
    ("13.3万个", "13.3", "万"),
    ("3千万元", "3", "千万"),
    ("两千万人", "两千", "万"),
    ("九千亿元", "九千", "亿"),
    ("一百零六个", "一百零六", None),
    ("5200PFlops", "5200", None),
    ("新台币 177.1 亿元", "177.1", "亿"),
]


@pytest.mark.parametrize(
    ("text", "number_text", "scale_word"), SCALE_WORD_CASES, ids=[c[0] for c in SCALE_WORD_CASES]
)
def test_number_text_and_scale_word(text: str, number_text: str, scale_word: str | None) -> None:
    quantity = find_quantities(text)[-1]
    assert quantity.number_text == number_text
    assert quantity.scale_word == scale_word


def test_number_text_is_as_written() -> None:
    quantity = only("增长１５．５％")
    assert quantity.number_text == "１５．５"
    assert quantity.value == 15.5


def test_measure_keeps_the_whole_tai_tao() -> None:
    assert only("设备超955万台(套)").measure == "台(套)"
    assert only("设备955万台套").measure == "台(套)"


def test_traditional_characters() -> None:
    assert only("上升了六個百分點").unit == "percentage_point"
    assert only("四萬五千六百二十二元").value == 45622


# ---------------------------------------------------------------------------------------------
# find_quantities: what must not be found
# ---------------------------------------------------------------------------------------------

# (sentence, what must not be reported: no quantity may overlap it)
NOT_QUANTITY_CASES = [
    # a lone 万 that is a denominator, a unit heading or part of a word; 档 as a tier
    ("每万人拥有医生数", "万人"),
    ("猪（万头）", "万头"),
    ("万一出现险情", "万一"),
    ("电价分为3档", "3档"),
    # years, months, dates, periods and durations
    ("2023年，湖南省数字经济增长", "2023年"),
    ("而这一数值将在2024年年底变为", "2024年年底"),
    ("2023年1—11月，全省", "2023年1—11月"),
    ("1—11月，全省", "1—11月"),
    ("今天（11月20日），", "11月20日"),
    ("一季度全市实现", "一季度"),
    ("前10个月，深圳", "前10个月"),
    ("前十个月，全国", "前十个月"),
    ("系统编制三年行动方案", "三年"),
    ("2021—2025年规划", "2021—2025年"),
    ("5年来，四川", "5年"),
    ("日期为2023-11-20。", "2023-11-20"),
    ("晚8点开播", "8点"),
    # programme and slogan names
    ("升级打造“4+6”国家先进制造业集群", "4+6"),
    ("加快构建“4×4”现代化产业体系", "4×4"),
    ("加快打造“33618”现代制造业集群体系", "33618"),
    ("重点产业链现代化建设“1269”行动计划", "1269"),
    ("推进“1+1+N”体系建设", "1+1+N"),
    ("锚定“三高四新”美好蓝图", "三高四新"),
    ("聚焦“一号工程”强化协同", "一号"),
    ("落实音视频产业发展“双十条”", "双十条"),
    ("“十四五”期间", "十四五"),
    ("共建“一带一路”", "一带一路"),
    ("系统编制“一图四库一清单”", "一图四库一清单"),
    ("“两芯一生态”向“鹏腾生态”演进", "两芯一生态"),
    ("积极落实“十个统筹”“八项重点任务”", "十个统筹"),
    ("积极落实“十个统筹”“八项重点任务”", "八项"),
    ("制定出台稳增长“20条”、工业稳增长“26条”", "20条"),
    ("陆续出台先进计算产业十条政策", "十条"),
    ("33618现代制造业集群", "33618"),
    ("《2023年江西省“1269”行动计划》", "1269"),
    ("《“十四五”数字经济发展规划》", "十四五"),
    # technology names and codes
    ("累计建成5G基站13.3万个", "5G"),
    ("加快5G基站在重点园区下沉布局", "5G"),
    ("推广4K超高清", "4K"),
    ("AI赋能整车制造", "AI"),
    ("订单号A12B可用作", "A12B"),
    ("位于G60科创走廊", "G60"),
    ("2.0版本上线", "2.0"),
    ("升级到V2.0.1", "2.0.1"),
    ("咨询电话0731-84567890", "0731-84567890"),
    ("手机13812345678", "13812345678"),
    ("访问https://example.com/a?q=30%25", "30%"),
    # ordinals of events, class labels
    ("按照市第八次党代会要求", "第八次"),
    ("市委八届二次全会要求部署", "二次"),
    ("以实施三大标志性工程为引领", "三大"),
    ("十大产业项目累计完成投资", "十大"),
    ("全省工业千亿元、百亿元企业分别达到4家、50家", "千亿元"),
    ("全省工业千亿元、百亿元企业分别达到4家、50家", "百亿元"),
    ("45个百亿元级项目", "百亿元"),
    ("8家企业进入中国制造业500强", "500强"),
    ("首批认定省级中试平台", "首批"),
    ("功率半导体晶圆产能全国前列", "前列"),
    ("接入西部10省市二级节点47个", "二级"),
    # idioms and words containing numerals; 一 + measure word means "a"
    ("一批新型基础设施顺利建成投产", "一批"),
    ("培育一大批具有竞争力的企业", "一大批"),
    ("坚持一视同仁、平等对待", "一视同仁"),
    ("“一把手”要成为行家里手", "一把手"),
    ("实现一条龙服务", "一条龙"),
    ("打造世界一流的产业集群", "一流"),
    ("推动长三角一体化发展", "一体化"),
    ("出台一系列重大政策", "一系列"),
    ("推动上海市新型工业化", "上"),
    ("坚持统一大市场", "统一"),
    ("是唯一的", "唯一"),
    ("万物互联", "万物"),
    ("千方百计稳增长", "千方百计"),
    ("保量和控价双管齐下", "双管齐下"),
    ("三一集团在南非打造基地", "三一"),
    ("零部件企业", "零部件"),
    ("一成不变", "一成"),
    ("新一代信息技术", "一代"),
    ("一是企业来源更精准", "一是"),
    ("增强“四个意识”", "四个"),
    ("四个全面", "四个"),
    # ratios and bare labels
    ("三次产业结构为87：9：4", "87：9：4"),
    ("(1)加强组织领导", "1"),
    ("图1：湖南省产业布局示意", "1"),
    ("详见表2，", "2"),
    ("2023中国国际大数据产业博览会", "2023"),
]


@pytest.mark.parametrize(
    ("sentence", "forbidden"), NOT_QUANTITY_CASES, ids=[f"{c[0]}|{c[1]}" for c in NOT_QUANTITY_CASES]
)
def test_not_a_quantity(sentence: str, forbidden: str) -> None:
    start = sentence.index(forbidden)
    end = start + len(forbidden)
    overlapping = [q.text for q in find_quantities(sentence) if q.start < end and start < q.end]
    assert not overlapping, f"{forbidden!r} reported as {overlapping}"


def test_5g_is_skipped_but_the_count_after_it_is_found() -> None:
    quantity = only("累计建成5G基站13.3万个，")
    assert (quantity.text, quantity.value, quantity.unit, quantity.measure) == (
        "13.3万个",
        133000,
        "count",
        "个",
    )


def test_years_in_a_range_are_not_quantities_but_the_value_before_is() -> None:
    quantity = only("力争工业总量达到1.7万亿元到2025年")
    assert quantity.text == "1.7万亿元"


def test_short_quote_keeps_strong_units() -> None:
    # A quoted target such as “增长5%” is still a figure; only names lose their numbers.
    assert only("提出“全年增长5%”的目标").unit == "percent"


# ---------------------------------------------------------------------------------------------
# The seed page
# ---------------------------------------------------------------------------------------------

# (span text, value, unit, measure, qualifier): each must be found at least once.
SEED_FIGURES: list[tuple[str, float, str, str | None, str]] = [
    ("1.7万亿元", 1.7e12, "CNY", None, "more_than"),
    ("15%", 15, "percent", None, "exact"),
    ("15%", 15, "percent", None, "more_than"),
    ("4.6%", 4.6, "percent", None, "exact"),
    ("7%", 7, "percent", None, "exact"),
    ("79.5%", 79.5, "percent", None, "exact"),
    ("81.1%", 81.1, "percent", None, "exact"),
    ("2.1个百分点", 2.1, "percentage_point", None, "exact"),
    ("0.3个百分点", 0.3, "percentage_point", None, "exact"),
    ("100个", 100, "count", "个", "exact"),
    ("5200PFlops", 5200, "PFlops", None, "more_than"),
    ("13.3万个", 133000, "count", "个", "exact"),
    ("第八位", 8, "rank", None, "exact"),
    ("第七位", 7, "rank", None, "exact"),
    ("第六位", 6, "rank", None, "exact"),
    ("24%", 24, "percent", None, "exact"),
    ("955万台(套)", 9.55e6, "count", "台(套)", "more_than"),
    ("2500亿元", 2.5e11, "CNY", None, "more_than"),
    ("13.3万家", 133000, "count", "家", "exact"),
    ("1.3万家", 13000, "count", "家", "exact"),
    ("8.5%", 8.5, "percent", None, "exact"),
    ("2万家以上", 20000, "count", "家", "more_than"),
    ("450亿元", 4.5e10, "CNY", None, "exact"),
    ("520.73亿元", 5.2073e10, "CNY", None, "exact"),
    ("1517条", 1517, "count", "条", "exact"),
    ("9785个", 9785, "count", "个", "exact"),
    ("109项", 109, "count", "项", "exact"),
    ("12条", 12, "count", "条", "exact"),
    ("1279家", 1279, "count", "家", "exact"),
    ("70%", 70, "percent", None, "more_than"),
    ("42%", 42, "percent", None, "nearly"),
    ("39%", 39, "percent", None, "exact"),
    ("五成", 50, "percent", None, "nearly"),
    ("前七", 1, "rank", None, "exact"),
    ("287亿", 2.87e10, "number", None, "exact"),
    ("3.5万家", 35000, "count", "家", "exact"),
    ("两批", 2, "count", "批", "exact"),
    ("7000万元", 7e7, "CNY", None, "exact"),
    ("12.8亿元", 1.28e9, "CNY", None, "exact"),
    ("896亿元", 8.96e10, "CNY", None, "exact"),
    ("389.2亿元", 3.892e10, "CNY", None, "exact"),
    ("13.6%", 13.6, "percent", None, "exact"),
    ("66.7%", 66.7, "percent", None, "exact"),
]

# Every distinct span the seed page yields; anything else would be a false positive.
SEED_SPANS = {
    "1.7万亿元", "15%", "4.6%", "7%", "79.5%", "81.1%", "2.1个百分点", "100个", "5200PFlops", "13.3万个",
    "第八位", "24%", "2个", "第七位", "92个", "955万台(套)", "2500亿元", "26个", "13.3万家", "1.3万家", "8%",
    "7.8%", "106个", "80家", "3家", "6个", "7家", "10家", "13家", "42个", "940家", "1517条", "9785个", "8.5%",
    "77家", "5家", "第六位", "10个", "0.3个百分点", "17.9%", "16.8%", "4家", "50家", "8家", "116家",
    "2万家以上", "5个", "450亿元", "520.73亿元", "45个", "29个", "48个", "109项", "18个", "986家", "64项",
    "186项", "12条", "1279家", "91个", "70%", "532家", "42%", "495家", "39%", "46家", "35家", "23家", "34家",
    "121家", "190家", "125家", "96家", "10.5%", "37%", "11.5%", "18.9%", "12.8%", "5.1%", "4.5%", "7.0%",
    "66.7%", "12个", "11个", "前七", "五成", "7个", "17个", "224个", "35个", "8个", "10省市", "47个", "287亿",
    "3.5万家", "39家", "2家", "两批", "25.8%", "35.5%", "7000万元", "20个", "12.8亿元", "1132个", "896亿元",
    "13.6%", "389.2亿元", "11.4%",
}  # fmt: skip

SEED_FORBIDDEN = ["2023", "2024", "4+6", "33618", "1269", "4×4", "5G", "三高四新", "十个统筹", "三大", "十大",
                  "六大", "五大", "千亿元", "百亿元", "一批", "一大批", "三一", "十条", "20条", "26条", "一号"]  # fmt: skip


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_quantities(seed_text: str) -> list[Quantity]:
    return find_quantities(seed_text)


@pytest.mark.parametrize(
    ("span", "value", "unit", "measure", "qualifier"),
    SEED_FIGURES,
    ids=[f"{c[0]}-{c[4]}" for c in SEED_FIGURES],
)
def test_seed_figure_is_found(
    seed_quantities: list[Quantity], span: str, value: float, unit: str, measure: str | None, qualifier: str
) -> None:
    matches = [
        q
        for q in seed_quantities
        if q.text == span
        and approx(q.value, value)
        and (q.unit, q.measure, q.qualifier) == (unit, measure, qualifier)
    ]
    assert matches, [(q.text, q.value, q.unit, q.qualifier) for q in seed_quantities if q.text == span]


def test_seed_has_no_unexpected_quantities(seed_quantities: list[Quantity]) -> None:
    assert {q.text for q in seed_quantities} == SEED_SPANS


@pytest.mark.parametrize("forbidden", SEED_FORBIDDEN)
def test_seed_names_and_years_are_not_quantities(
    seed_text: str, seed_quantities: list[Quantity], forbidden: str
) -> None:
    start = seed_text.find(forbidden)
    assert start >= 0
    while start >= 0:
        end = start + len(forbidden)
        assert not [q.text for q in seed_quantities if q.start < end and start < q.end], forbidden
        start = seed_text.find(forbidden, end)


def test_seed_spans_point_into_the_text(seed_text: str, seed_quantities: list[Quantity]) -> None:
    for quantity in seed_quantities:
        assert seed_text[quantity.start : quantity.end] == quantity.text
    assert seed_text[seed_quantities[0].start - 2 : seed_quantities[0].start] == "突破"


# ---------------------------------------------------------------------------------------------
# parse_quantity
# ---------------------------------------------------------------------------------------------

# (expression, value, unit, qualifier, start)
PARSE_QUANTITY_CASES = [
    ("突破1.7万亿元", 1.7e12, "CNY", "more_than", 2),
    ("0.3个百分点", 0.3, "percentage_point", "exact", 0),
    ("近五成", 50, "percent", "nearly", 1),
    ("超955万台(套)", 9.55e6, "count", "more_than", 1),
    ("第十四", 14, "rank", "exact", 0),
    ("三十五", 35, "number", "exact", 0),
    ("二", 2, "number", "exact", 0),
    ("2023", 2023, "number", "exact", 0),
    ("一只", 1, "count", "exact", 0),
    ("零元整", 0, "CNY", "exact", 0),
    ("肆角叁分", 0.43, "CNY", "exact", 0),
    ("壹佰万零伍拾肆元整", 1000054, "CNY", "exact", 0),
    ("约4.287亿美元", 4.287e8, "USD", "about", 1),
    ("至少九千块钱以上", 9000, "CNY", "more_than", 2),
    ("新台币 177.1 亿元", 1.771e10, "TWD", "exact", 0),
]


@pytest.mark.parametrize(
    ("expr", "value", "unit", "qualifier", "start"),
    PARSE_QUANTITY_CASES,
    ids=[c[0] for c in PARSE_QUANTITY_CASES],
)
def test_parse_quantity(expr: str, value: float, unit: str, qualifier: str, start: int) -> None:
    quantity = parse_quantity(expr)
    assert quantity is not None
    assert approx(quantity.value, value)
    assert (quantity.unit, quantity.qualifier, quantity.start) == (unit, qualifier, start)
    assert expr[quantity.start : quantity.end] == quantity.text


PARSE_QUANTITY_NONE = ["2023年", "4+6", "5G", "一季度", "增长15%和16.8%", "全省", "", "11月20日"]


@pytest.mark.parametrize("expr", PARSE_QUANTITY_NONE)
def test_parse_quantity_rejects(expr: str) -> None:
    assert parse_quantity(expr) is None


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------

# (text, span, period, relative, kind, cumulative, deadline, default_year)
PERIOD_CASES: list[tuple[str, str, str | None, str | None, str, bool, bool, int | None]] = [
    ("2023年，湖南省", "2023年", "2023", None, "year", False, False, None),
    ("2023年1—11月，全省", "2023年1—11月", "2023-01/2023-11", None, "month_range", False, False, None),
    ("1—11月，全省", "1—11月", None, "--01/--11", "month_range", False, False, None),
    ("1—11月，全省", "1—11月", "2023-01/2023-11", None, "month_range", False, False, 2023),
    ("2023年11月，", "2023年11月", "2023-11", None, "month", False, False, None),
    ("2023年一季度", "2023年一季度", "2023-Q1", None, "quarter", False, False, None),
    ("一季度全市", "一季度", "2017-Q1", None, "quarter", False, False, 2017),
    ("一季度全市", "一季度", None, "Q1", "quarter", False, False, None),
    ("上半年增长", "上半年", "2023-H1", None, "half", False, False, 2023),
    ("前10个月，深圳", "前10个月", "2023-01/2023-10", None, "month_range", False, False, 2023),
    ("前十个月，全国", "前十个月", None, "--01/--10", "month_range", False, False, None),
    ("2022年前三季度", "2022年前三季度", "2022-01/2022-09", None, "month_range", False, False, None),
    ("今天（11月20日）", "11月20日", "2023-11-20", None, "date", False, False, 2023),
    ("今天（11月20日）", "11月20日", None, "--11-20", "date", False, False, None),
    ("2023年11月20日", "2023年11月20日", "2023-11-20", None, "date", False, False, None),
    ("今年1—10月全国", "今年1—10月", "2023-01/2023-10", "this_year", "month_range", False, False, 2023),
    ("今年1—10月全国", "今年1—10月", None, "this_year:--01/--10", "month_range", False, False, None),
    ("力争今年全省", "今年", None, "this_year", "year", False, False, None),
    ("力争今年全省", "今年", "2024", "this_year", "year", False, False, 2024),
    ("比上年增长10%", "上年", "2011", "last_year", "year", False, False, 2012),
    ("去年同期", "去年", None, "last_year", "year", False, False, None),
    ("明年1月1日正式落地", "明年1月1日", "2024-01-01", "next_year", "date", False, False, 2023),
    ("年初以来，全市", "年初以来", None, "ytd", "relative", True, False, None),
    ("累计建成5G基站", "累计", None, "to_date", "relative", True, False, None),
    ("截至2023年底，全省", "截至2023年底", "2023-12-31", None, "date", True, False, None),
    ("到2025年，力争", "到2025年", "2025", None, "year", False, True, None),
    ("到2025年底，力争", "到2025年底", "2025-12-31", None, "date", False, True, None),
    ("2024年年底前完成", "2024年年底前", "2024-12-31", None, "date", False, True, None),
    ("将在2024年年底变为7%", "2024年年底", "2024-12-31", None, "date", False, False, None),
    ("由2020年的32%提高至2024年的39.9%", "2024年", "2024", None, "year", False, False, None),
    ("2021—2025年规划", "2021—2025年", "2021/2025", None, "multi_year", False, False, None),
    ("“十四五”期间", "十四五", "2021/2025", None, "multi_year", False, False, None),
    ("“十五五”开局之年", "十五五", "2026/2030", None, "multi_year", False, False, None),
    (
        "2017年五月至2018年四月",
        "2017年五月至2018年四月",
        "2017-05/2018-04",
        None,
        "month_range",
        False,
        False,
        None,
    ),
    ("二〇二三年十二月", "二〇二三年十二月", "2023-12", None, "month", False, False, None),
    ("10月底，已经有", "10月底", "2022-10-31", None, "date", False, False, 2022),
]


@pytest.mark.parametrize(
    ("text", "span", "period", "relative", "kind", "cumulative", "deadline", "default_year"),
    PERIOD_CASES,
    ids=[f"{c[0]}|{c[7]}" for c in PERIOD_CASES],
)
def test_periods(
    text: str,
    span: str,
    period: str | None,
    relative: str | None,
    kind: str,
    cumulative: bool,
    deadline: bool,
    default_year: int | None,
) -> None:
    mentions = [m for m in find_periods(text, default_year=default_year) if m.text == span]
    assert mentions, [m.text for m in find_periods(text, default_year=default_year)]
    mention = mentions[0]
    assert (mention.period, mention.relative, mention.kind) == (period, relative, kind)
    assert (mention.cumulative, mention.deadline) == (cumulative, deadline)
    assert text[mention.start : mention.end] == span


def test_seed_periods(seed_text: str) -> None:
    mentions = find_periods(seed_text)
    periods = {m.period for m in mentions}
    assert {"2023", "2023-01/2023-11", "2024-12-31", "2024"} <= periods
    assert any(m.relative == "this_year" for m in mentions)
    for mention in mentions:
        assert seed_text[mention.start : mention.end] == mention.text
    assert all(a.end <= b.start for a, b in pairwise(mentions))


def test_periods_and_quantities_do_not_share_numbers(seed_text: str, seed_quantities: list[Quantity]) -> None:
    for mention in find_periods(seed_text):
        assert not [q for q in seed_quantities if q.start < mention.end and mention.start < q.end], (
            mention.text
        )


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def _below_ten_thousand(number: int) -> str:
    """Standard reading of 0 < number < 10000, with 零 for internal gaps: 1010 -> 一千零一十."""
    parts: list[str] = []
    gap = False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // place % 10
        if digit == 0:
            gap = gap or bool(parts)
            continue
        if gap:
            parts.append("零")
            gap = False
        parts.append(_DIGITS[digit] + unit)
    return "".join(parts)


def _below_hundred_million(number: int) -> str:
    high, low = divmod(number, 10_000)
    if not high:
        return _below_ten_thousand(low)
    text = _below_ten_thousand(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _below_ten_thousand(low)
    return text


def to_chinese(number: int) -> str:
    """Write a non-negative integer in Chinese numerals (一万亿 for 10^12, 十五 for 15)."""
    if number == 0:
        return "零"
    high, low = divmod(number, 100_000_000)
    if high:
        text = _below_hundred_million(high) + "亿"
        if low:
            text += ("零" if low < 10_000_000 else "") + _below_hundred_million(low)
    else:
        text = _below_hundred_million(low)
    return text[1:] if text.startswith("一十") else text


FORMATTER_CASES = [(0, "零"), (10, "十"), (15, "十五"), (106, "一百零六"), (1010, "一千零一十"), (100000, "十万"),
                   (10010, "一万零一十"), (100000001, "一亿零一"), (10**12, "一万亿"), (1234, "一千二百三十四")]  # fmt: skip


@pytest.mark.parametrize(("number", "written"), FORMATTER_CASES)
def test_formatter_writes_standard_numerals(number: int, written: str) -> None:
    assert to_chinese(number) == written


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_numerals_round_trip(number: int) -> None:
    assert parse_number(to_chinese(number)) == number


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_numerals_round_trip(number: int) -> None:
    assert parse_number(str(number)) == number
    assert parse_number(f"{number:,}") == number
    full_width = f"{number:,}".translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,"})
    assert parse_number(full_width) == number


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=2, max_value=10**8),
    st.sampled_from(
        [
            ("家", 1, "count"),
            ("个", 1, "count"),
            ("万元", 1e4, "CNY"),
            ("亿元", 1e8, "CNY"),
            ("%", 1, "percent"),
            ("万吨", 1e4, "tonne"),
            ("个百分点", 1, "percentage_point"),
        ]
    ),
)
def test_number_with_unit_in_a_sentence(number: int, unit: tuple[str, float, str]) -> None:
    surface, scale, name = unit
    quantity = only(f"全省累计达到{number}{surface}，同比")
    assert quantity.value == pytest.approx(number * scale, rel=1e-12)
    assert quantity.unit == name


FRAGMENTS = [
    "2023年", "1—11月", "增长", "15%", "突破", "1.7万亿元", "“4+6”", "5G", "基站", "13.3万个", "居全国第八位",
    "近五成", "超", "955万台(套)", "，", "。", "\n", "一批", "三大", "个百分点", "0.3", "-", "至", "七千到九千亿元",
    "第", "前", "首位", "数十亿", "百分之", "十五", "两", "批", "“", "”", "《", "》", "１５％", "万", "亿", "A12",
    "87：9：4", "(1)", "年底前", "累计", "今年", "约", "以上", "左右", "多", "余", "点", "分之", "一", " ",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.integers(min_value=-(10**9), max_value=10**9).map(str),
            st.text(alphabet="0123456789.,零一二两三四五六七八九十百千万亿点个家%年月第前", max_size=6),
        ),
        max_size=25,
    ).map("".join)
)
def test_spans_are_exact_sorted_and_disjoint(text: str) -> None:
    quantities = find_quantities(text)
    for quantity in quantities:
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.value is not None and math.isfinite(quantity.value)
        assert quantity.number_text
    for first, second in pairwise(quantities):
        assert first.end <= second.start
    mentions: list[PeriodMention] = find_periods(text, default_year=2023)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    for first_mention, second_mention in pairwise(mentions):
        assert first_mention.end <= second_mention.start


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_handled(text: str) -> None:
    for quantity in find_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text
    parse_quantity(text)
    parse_number(text)
    find_periods(text)


@given(st.text(max_size=30))
def test_fold_width_keeps_length(text: str) -> None:
    assert len(fold_width(text)) == len(text)
