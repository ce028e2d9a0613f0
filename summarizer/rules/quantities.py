"""Find numeric expressions (quantities) and time periods in Chinese policy and statistics text.

This is the rule-based ground truth the rest of the pipeline checks numbers against, so it leans
towards *not* reporting a figure it is unsure of: a programme name reported as a figure is worse
than a figure left for the LLM to find.

Conventions (each one a deliberate choice; the tests pin them down):

* Offsets are code-point offsets into the text as given. Full-width digits and signs (１５％) are
  folded for matching only; the fold maps one character to one character, so spans are exact.
* ``value`` is scale-free and in base units: 1.7万亿元 -> 1.7e12 CNY, 13.3万个 -> 133000 count.
  Percent values stay as printed (15% -> 15.0); 成 is tenths (五成 -> 50 percent); 个百分点 is
  always ``percentage_point``, never ``percent``. Printed signs are kept (-2.6% -> -2.6), but a
  direction word (下降8.5%) is not turned into a sign: that belongs to the facts layer.
* Prefix qualifiers (突破, 超过, 近, 约 …) are outside the span; suffix qualifiers (以上, 左右,
  多, 余) are inside it. 高于 / 低于 are comparisons, not qualifiers.
* Ranges keep both ends (``value`` .. ``value_max``); a scale written only on the upper end is
  shared (七千到九千亿元 -> 7e11 .. 9e11) when that keeps the lower end below the upper one.
  Vague amounts (数十亿元, 几十万) are ranges of one order of magnitude with qualifier ``about``.
* Not reported: years, months, dates and durations in 年/月/日; ordinals of events (第八次, 八届);
  class labels (三大, 十大, 百亿元级, 千亿元企业, 500强); numerals inside 《titles》; counts,
  ranks and bare numbers inside short “quoted names” (“4+6”, “33618”, “十个统筹”); technology
  names and codes next to Latin letters (5G, 4K, A12B, COVID-19); expressions joined by + × or :
  (4+6, 4×4, ratios such as 87:9:4 and clock times); bare 一 / 二 before a measure word (一批 is
  "a batch of"); idioms (一成不变, 千方百计 …); bare codes of 8+ digits and phone numbers;
  policy packages named by a count (十条政策, 20条措施); list markers ((1), 1.) and figure or
  table labels (图1, 表2); URLs.
* Ordinal class labels (三大支柱产业, 六大集群, 十大项目) are not reported: they name a group, and
  the count of its members is rarely the figure an analyst wants. 居全国前七 is a rank range 1..7.
* Bare numbers (no unit or measure word) are reported with unit ``number`` when they stand like
  figures: a table cell on its own line, a number before punctuation, or a number with a scale
  (287亿). Inside running text a bare Arabic number glued to a following noun (33618现代…) is
  treated as a name, and a bare Chinese numeral is reported only when it has 百/千/万/亿 in it.
* k / w / K after digits are not read as thousands: in this genre 4K and 5G are technology names.
  兆 is not a numeral scale (modern usage reads 兆 as mega-: 兆瓦 is MW).
* Fractions 三分之一 have unit ``fraction`` (value 1/3); 千分之 -> ``permille``; 万分之 ->
  ``basis_point``; 七折 -> 70 ``percent``; ratios such as 87:9:4 are skipped, not split.
* Units: currencies by ISO code (CNY, USD, EUR, JPY, HKD …), ``percent``, ``percentage_point``,
  ``times``, ``rank``, ``count`` (with the measure word in ``measure``: 家, 个, 项, 台(套) …),
  ``number`` for bare numbers, and physical units by name (tonne, kW, kWh, km2, mu, PFlops,
  person_time, TEU …; see the tables below, which are the place to extend).

:func:`find_periods` reports 2023年, 2023年1—11月, 一季度, 上半年, 前10个月, 11月20日, 今年,
年初以来, 累计, 截至…, 到2025年, “十四五” … as :class:`PeriodMention`. When the year is not
stated and no ``default_year`` is given, ``period`` is None and ``relative`` keeps what is known:
a relative word ("this_year", "last_year", "ytd", "to_date" …) and/or an ISO-8601 partial without
the year ("--11" month, "--11-20" date, "--01/--10" month range, "Q1", "H1"), joined by ":" when
both are present ("this_year:--01/--10").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from summarizer.rules.numerals import (
    CANONICAL_SCALE_CHARS,
    CN_ALL,
    CN_DIGIT_VALUES,
    CN_DIGITS,
    CN_UNITS,
    POINT,
    Numeral,
    compile_with_first_chars,
    fold_width,
    parse_number,
    parse_numeral,
    scale_product,
    times,
)
from summarizer.vocab import Qualifier

__all__ = [
    "Quantity",
    "find_quantities",
    "parse_quantity",
]



@dataclass(frozen=True, slots=True)
class Quantity:
    """One numeric expression found in a text (see the module docstring for the conventions)."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str
    number_text: str
    value_max: float | None = None
    measure: str | None = None
    qualifier: Qualifier = "exact"
    scale_word: str | None = None
    prefix_qualifier: str | None = None




# ---------------------------------------------------------------------------------------------
# Units, measure words and currencies (data tables: extend here)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    unit: str
    kind: Literal["currency", "ratio", "discount", "count", "rank", "physical", "time", "point"]
    measure: str | None = None
    factor: float = 1.0


def _count(measure: str) -> _Unit:
    return _Unit("count", "count", measure=measure)


# surface -> (unit, negative lookahead that rules the surface out). Longest surfaces are tried
# first, so 个百分点 wins over 个, 人次 over 人, 千瓦时 over 千瓦.
_CURRENCIES: Final[dict[str, tuple[str, str]]] = {
    "元": ("CNY", "素|旦|宵|首|件|器|宇|老|年|代|帅|气|月|朝"),
    "圆": ("CNY", "满|桌|心|梦|形|周"),
    "圓": ("CNY", ""),
    "块钱": ("CNY", ""),
    "人民币": ("CNY", ""),
    "元人民币": ("CNY", ""),
    "美元": ("USD", ""),
    "美金": ("USD", ""),
    "美圆": ("USD", ""),
    "欧元": ("EUR", "区"),
    "日元": ("JPY", ""),
    "日币": ("JPY", ""),
    "港元": ("HKD", ""),
    "港币": ("HKD", ""),
    "英镑": ("GBP", ""),
    "韩元": ("KRW", ""),
    "卢布": ("RUB", ""),
    "泰铢": ("THB", ""),
    "澳元": ("AUD", ""),
    "加元": ("CAD", ""),
    "新台币": ("TWD", ""),
    "台币": ("TWD", ""),
    "新加坡元": ("SGD", ""),
    "瑞士法郎": ("CHF", ""),
    "卢比": ("INR", ""),
    "奈拉": ("NGN", ""),
}

_RATIOS: Final[dict[str, tuple[_Unit, str]]] = {
    "%": (_Unit("percent", "ratio"), ""),
    "‰": (_Unit("permille", "ratio"), ""),
    "个百分点": (_Unit("percentage_point", "ratio"), ""),
    "百分点": (_Unit("percentage_point", "ratio"), ""),
    "个基点": (_Unit("basis_point", "ratio"), ""),
    "基点": (_Unit("basis_point", "ratio"), ""),
    "倍": (_Unit("times", "ratio"), "增|数"),
    # 七折 = 70 percent of the price, 75折 = 75 percent; 折合/折算/折旧 are other words.
    "折": (_Unit("percent", "discount"), "合|算|旧|扣|射|叠|腾|线|中|服|返|价|损|现|成|半|痕|桂"),
    # 成 is tenths; 一成不变 and 成为/成功 … are words, and the value check (<= 10) in the
    # scanner rules out 2023成 … .
    "成": (
        _Unit("percent", "ratio", factor=10.0),
        "为|功|立|本|果|员|交|效|熟|长|都|品|型|就|年|套|绩|败|分|份|像|形|色|群|片",
    ),
}

_PHYSICAL: Final[dict[str, tuple[str, str]]] = {
    # computing
    "PFlops": ("PFlops", ""), "PFLOPS": ("PFlops", ""), "Pflops": ("PFlops", ""), "PFLOPs": ("PFlops", ""),
    "EFlops": ("EFlops", ""), "EFLOPS": ("EFlops", ""), "Eflops": ("EFlops", ""),
    "TFlops": ("TFlops", ""), "TFLOPS": ("TFlops", ""), "Tflops": ("TFlops", ""),
    "GB": ("GB", ""), "TB": ("TB", ""), "PB": ("PB", ""), "EB": ("EB", ""), "MB": ("MB", ""),
    "Gbps": ("Gbps", ""), "Mbps": ("Mbps", ""), "Tbps": ("Tbps", ""),
    "比特": ("bit", ""), "字节": ("byte", ""), "兆字节": ("MB", ""), "千字节": ("KB", ""),
    "赫兹": ("Hz", ""), "兆赫兹": ("MHz", ""), "GHz": ("GHz", ""), "MHz": ("MHz", ""), "Hz": ("Hz", ""),
    # mass
    "吨公里": ("tonne_km", ""), "吨": ("tonne", "位"), "t": ("tonne", ""),
    "千克": ("kg", ""), "公斤": ("kg", ""), "kg": ("kg", ""), "KG": ("kg", ""),
    "克": ("g", "服|隆|拉|强|难"), "毫克": ("mg", ""), "微克": ("μg", ""), "斤": ("jin", ""),
    # length, area, volume
    "公里": ("km", ""), "千米": ("km", ""), "km": ("km", ""), "KM": ("km", ""),
    "米": ("m", "粮|饭|面|酒|其|兰"), "m": ("m", ""), "厘米": ("cm", ""), "公分": ("cm", ""),
    "cm": ("cm", ""), "CM": ("cm", ""), "毫米": ("mm", ""), "mm": ("mm", ""),
    "纳米": ("nm", ""), "nm": ("nm", ""), "微米": ("μm", ""), "海里": ("nmi", ""),
    "英尺": ("ft", ""), "平方英尺": ("ft2", ""), "英里": ("mi", ""), "英寸": ("in", ""),
    "平方公里": ("km2", ""), "平方千米": ("km2", ""), "平方米": ("m2", ""), "平米": ("m2", ""),
    "立方米": ("m3", ""), "升": ("L", "级|高|温|值|至|为|到|幅|学|格|华|空|降|势|档|位"), "毫升": ("mL", ""),
    "桶": ("barrel", "装"),
    "亩": ("mu", ""), "公顷": ("hectare", ""),
    # energy and power
    "千瓦时": ("kWh", ""), "度电": ("kWh", ""), "兆瓦时": ("MWh", ""), "吉瓦时": ("GWh", ""),
    "kWh": ("kWh", ""), "KWh": ("kWh", ""), "MWh": ("MWh", ""), "GWh": ("GWh", ""), "TWh": ("TWh", ""),
    "千瓦": ("kW", ""), "兆瓦": ("MW", ""), "吉瓦": ("GW", ""), "瓦": ("W", "斯|片|解|特|房|罐"),
    "kW": ("kW", ""), "KW": ("kW", ""), "MW": ("MW", ""), "GW": ("GW", ""),
    "千伏安": ("kVA", ""), "兆伏安": ("MVA", ""), "千伏": ("kV", ""), "kV": ("kV", ""), "KV": ("kV", ""),
    "千卡": ("kcal", ""), "马力": ("hp", ""), "mAh": ("mAh", ""),
    "℃": ("degC", ""), "°C": ("degC", ""), "摄氏度": ("degC", ""),
    # transport
    "人次": ("person_time", ""), "人公里": ("passenger_km", ""),
    "标准箱": ("TEU", ""), "标箱": ("TEU", ""), "TEU": ("TEU", ""),
}  # fmt: skip

_TIME_UNITS: Final[dict[str, tuple[str, str]]] = {
    "秒钟": ("s", ""), "秒": ("s", "杀|懂|表"), "毫秒": ("ms", ""), "分钟": ("min", ""),
    "小时": ("h", ""), "个小时": ("h", ""), "天": ("day", "然|津|下|空|气|地|使|堂|猫|线|鹅|山|河|府|际|才"),
}  # fmt: skip

_COUNT_MEASURES: Final[dict[str, str]] = {
    # measure -> what rules it out when it follows (the measure character starting another word)
    "家": "庭|族|具|电|乡|园|属|长|居|人|用|政|务|底|门|境|里|教|禽|畜|喻|访",
    "个": "体|税|性|股|别|案|例|人|位数|百分点",
    "项": "目|链|下",
    "条": "件|例|款|码|形|约|线|理|块",
    "台(套)": "",
    "台套": "",
    "台/套": "",
    "台": "湾|州|风|账|阶|商|资|上|前|下|面|词|球|北|南|山|站|区|灯|历|独|胞",
    "套": "餐|路|用|现|利|牢|取",
    "批次": "",
    "批": "准|复|发|评|判|量|示|注",
    "座": "谈|位|右|次",
    "所": "得|有|属|在|以|谓|需|长|为|知|处",
    "名": "单|称|牌|义|录|额|字|列|次|誉|副|人|家|片|校|言|城|优|师|医",
    "人": "民币|工|才|员|口|均|大|事|群|们|类|气|次|公里|社|力|心|选|文|物|格|生|士|居",
    "位": "于|置|列|居|数|次|势|移",
    "辆": "",
    "种": "植|子|类|群|养|业|苗|质|源",
    "件": "事|套",
    "只": "有|是|要|能|会|需|在|用",
    "头": "部|条|雁|羊|脑|号|等|版|衔",
    "户次": "",
    "户": "籍|口|外|型|内|主|均",
    "处": "理|置|于|长|级|室|罚|在|方|事",
    "次": "全会|中全会|党代会|代表大会|品|生|方|级|日|年|月|要|序|元|贷|会议",
    "场": "景|所|地|馆|合|面|址|次|主|内|外|站|均",
    "艘": "",
    "架次": "",
    "架": "构|空|设",
    "颗": "",
    "款": "项|式",
    "部门": "",
    "部": "署|分|门|长|委|件|位|队|局|省|属|地|落|际",
    "株": "",
    "棵": "",
    "堂": "皇|兄|弟|姐|妹|哥|屋|而",
    "档": "次|位|期|案|口|子",
    "张": "贴|扬|力|弛|家",
    "份": "额|子|量",
    "例": "如|外|会",
    "宗": "旨|教",
    "栋": "梁",
    "幢": "",
    "枚": "",
    "根": "本|据|源|基|治",
    "支": "持|付|出|撑|柱|援|行|部|线|队伍",
    "类": "似|型|别",
    "列": "车|入|为|出|举|席|宁|表",
    "笔": "记|者|试|画",
    "家次": "",
    "车次": "",
    "班次": "",
    "省市": "",
    "省份": "",
    "国": "家|内|际|有|企|资|产|务|防|土|民|标|货|外|旗|情|道|库",
}

# Units whose first character is also a scale character: 3千瓦 is 3 kW, not 3000 W; 2百分点 is
# 2 percentage points. The scanner looks for these inside a numeral's trailing scale characters.
_SCALE_LED_SURFACES: Final = ("千瓦时", "千瓦", "千米", "千克", "千伏安", "千伏", "千卡", "千字节", "千升", "百分点")


def _unit_table() -> dict[str, tuple[_Unit, str]]:
    table: dict[str, tuple[_Unit, str]] = {}
    for surface, (code, guard) in _CURRENCIES.items():
        table[surface] = (_Unit(code, "currency"), guard)
    table.update(_RATIOS)
    for surface, (name, guard) in _PHYSICAL.items():
        table[surface] = (_Unit(name, "physical"), guard)
    for surface, (name, guard) in _TIME_UNITS.items():
        table[surface] = (_Unit(name, "time"), guard)
    for surface, guard in _COUNT_MEASURES.items():
        table[surface] = (_count(surface), guard)
    table["点"] = (_Unit("point", "point"), "钟|半|多|\\d|左右|整|击|赞|评|名|燃|亮|缀|单|位|状|火|滴")
    # Multiples of a base unit written as one word: 千升 (kilolitre) is 1000 L.
    table["千升"] = (_Unit("L", "physical", factor=1000.0), "")
    return table


_UNITS: Final = _unit_table()


def _unit_alternation(surfaces: list[str]) -> str:
    # Longest first; the alternatives that start with the same character are grouped behind it
    # (their order kept), so that the regex engine tries a handful at a position, not hundreds.
    groups: dict[str, list[str]] = {}
    for surface in sorted(surfaces, key=len, reverse=True):
        _, guard = _UNITS[surface]
        rest = re.escape(surface[1:])
        if surface.isascii() and surface[-1].isalpha():
            rest += r"(?![A-Za-z])"  # 5GW is a unit, 5GWx is not
        if guard:
            rest += f"(?!{guard})"
        groups.setdefault(surface[0], []).append(rest)
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


_UNIT_RE: Final = re.compile(_unit_alternation(list(_UNITS)))
_SCALE_LED_UNIT_RE: Final = re.compile(_unit_alternation(list(_SCALE_LED_SURFACES)))

# 94.5万元/人, 300元/吨: a rate. The per-part becomes part of the unit name.
_PER_UNITS: Final[dict[str, str]] = {
    "人": "person", "吨": "tonne", "平方米": "m2", "千瓦时": "kWh", "年": "year", "月": "month",
    "天": "day", "小时": "h", "亩": "mu", "件": "piece", "台": "unit", "辆": "vehicle", "户": "household",
    "kWh": "kWh", "股": "share", "公斤": "kg", "千克": "kg",
}  # fmt: skip
_PER_RE: Final = re.compile("/(" + "|".join(sorted(map(re.escape, _PER_UNITS), key=len, reverse=True)) + ")")

# 五元三毛, 123元1角1分, 壹仟玖佰圆整
_CNY_SUBUNITS_RE: Final = re.compile(
    rf"(?:零?([\d{CN_DIGITS}])[角毛])?(?:零?([\d{CN_DIGITS}])分(?!之|钟|别|类|布|析|工|享|期|批|化|支|行|配|散))?"
    rf"(?:整|正(?![在式常]))?"
)

# ---------------------------------------------------------------------------------------------
# Qualifiers and contexts
# ---------------------------------------------------------------------------------------------

_PREFIX_QUALIFIERS: Final[dict[str, Qualifier]] = {
    "突破": "more_than", "超过了": "more_than", "超过": "more_than", "超出": "more_than", "超": "more_than",
    "逾": "more_than", "多于": "more_than", "大于": "more_than", "不低于": "more_than",
    "不少于": "more_than", "不小于": "more_than", "至少有": "more_than", "至少": "more_than",
    "将近": "nearly", "接近": "nearly", "近": "nearly",
    "大约": "about", "约为": "about", "约合": "about", "大概": "about", "约": "about",
    "不到": "less_than", "不足": "less_than", "未满": "less_than", "少于": "less_than", "小于": "less_than",
    "不超过": "less_than", "不高于": "less_than", "不大于": "less_than", "不多于": "less_than",
    "最多": "less_than", "至多": "less_than",
}  # fmt: skip
# Single-character qualifiers that end other words: 签约, 节约, 最近, 附近, 赶超 are not qualifiers.
_QUALIFIER_WORD_ENDINGS: Final[dict[str, str]] = {
    "约": "签节合公制条预特履违集邀相契简婉隐",
    "近": "最附临就邻靠贴亲远逼",
    "超": "赶高",
}


def _prefix_qualifier_pattern() -> str:
    words = []
    for word in sorted(_PREFIX_QUALIFIERS, key=len, reverse=True):
        ending = _QUALIFIER_WORD_ENDINGS.get(word)
        words.append(f"(?<![{ending}]){word}" if ending else word)
    return "(?:" + "|".join(words) + r") ?$"


_PREFIX_QUALIFIER_RE: Final = re.compile(_prefix_qualifier_pattern())

_SUFFIX_QUALIFIERS: Final[dict[str, Qualifier]] = {
    "以上": "more_than", "以下": "less_than", "以内": "less_than", "左右": "about", "上下": "about",
}  # fmt: skip
_SUFFIX_QUALIFIER_FIRST: Final = frozenset("(以左上")  # what a suffix qualifier starts with
_SUFFIX_QUALIFIER_RE: Final = re.compile(
    r"(?:\(含\))?(?:以上|以下|以内|左右|上下(?!游|级|班|文|功|联|楼|下))"
)

_CURRENCY_PREFIXES: Final[dict[str, str]] = {
    "人民币": "CNY", "港币": "HKD", "新台币": "TWD", "美元": "USD", "欧元": "EUR", "日元": "JPY",
    "¥": "CNY", "US$": "USD", "HK$": "HKD", "$": "USD", "€": "EUR", "£": "GBP",
}  # fmt: skip
_CURRENCY_PREFIX_RE: Final = re.compile(
    "(?:" + "|".join(re.escape(p) for p in sorted(_CURRENCY_PREFIXES, key=len, reverse=True)) + r") ?$"
)

# Words before 第N / 前N that make it a ranking: 居全国第八, 位居第二, 排名第1, 进入前十.
_RANK_CONTEXT_RE: Final = re.compile(
    r"(?:居|列|排名|排在|排|进入|跻身|名次|保持|蝉联|全国|全省|全市|全球|世界|亚洲|我国|国内)[^,.;:!?。；、\n]{0,8}$"
)

# After a numeral these make it something other than a quantity: dates and durations, ordinals
# of events, class labels (三大, 500强), levels, editions, lines.
_NOT_QUANTITY_AFTER: Final = re.compile(
    r" ?(?:多|余)?"
    r"(?:个(?:多|余)?(?:月|季度|工作日|星期|年头)"
    r"|年|月|日(?!元|币)|号|季度|季|周年|周岁|岁|世纪|届|中全会|次全会|点钟|时(?!速)|周(?!边|转)|星期"
    r"|代(?!表)|级|强|大(?!型|中型|于)|星|号线|线|期|轮|版|档(?![^，。；、\n]{0,6}(?:节目|栏目|综艺|剧集|电视剧))|维|环|路|层|楼|型|式|章|节|代表大会)"
)

# Arabic-number constructs that are not quantities: dates, ratios and clock times, programme
# names joined by + or ×, version numbers, phone numbers.
_ARABIC_NOT_QUANTITY: Final = re.compile(
    r"(?:19|20)\d{2}(?:[-/]\d{1,2}(?:[-/]\d{1,2})?|\.\d{1,2}\.\d{1,2})(?!\d)"
    r"|\d+(?:\.\d+)?(?::\d+(?:\.\d+)?)+"
    r"|[0-9A-Za-z]+(?:[+×*][0-9A-Za-z]+)+"
    r"|\d+\.\d+\.\d+"
    r"|0\d{2,3}-\d{7,8}"
)
_SLASH_FRACTION_RE: Final = re.compile(r"(\d{1,3})/(\d{1,3})(?![\d/.])")
_ALNUM_RUN: Final = re.compile(r"[0-9A-Za-z.\-]*")

# Idioms, slogans and words that contain numeral characters next to a unit or measure word.
_IDIOMS: Final = (
    "一成不变", "成千上万", "千家万户", "千方百计", "千军万马", "万无一失", "一五一十", "三番五次",
    "七上八下", "五花八门", "四面八方", "四梁八柱", "九牛一毛", "十全十美", "一举两得", "一石二鸟",
    "两个维护", "两个确立", "四个意识", "四个自信", "四个全面", "三个代表", "八项规定", "五位一体",
    "两个一百年", "两个毫不动摇", "一带一路", "一把手", "一条龙", "一揽子", "一站式", "一张网",
    "一盘棋", "一件事", "一次性", "一口气", "一系列", "一大批", "一批批", "一体化", "一视同仁",
    "两手抓", "一手抓", "第一时间", "一时间", "万人空巷", "一国两制", "三农", "三一", "五一",
    "十一黄金周", "百分百", "十万火急", "一分为二", "一二三四五", "千亿级", "万亿级", "百亿级",
)  # fmt: skip
_IDIOM_RE: Final = re.compile("|".join(sorted(_IDIOMS, key=len, reverse=True)))

# Titles are names throughout; short quotations without sentence punctuation are usually
# programme or slogan names (“4+6”, “33618”, “十个统筹”).
_TITLE_RE: Final = compile_with_first_chars("《【hw", r"《[^》\n]{0,80}》|【[^】\n]{0,40}】|(?:https?://|www\.)[!-~]+")
_SHORT_QUOTE_RE: Final = re.compile(
    r"“[^”\n,.;!?。；]{1,20}”|\"[^\"\n,.;!?。；]{1,20}\"|「[^」\n]{1,20}」|‘[^’\n]{1,20}’|'[^'\n,.;]{1,20}'"
)

# A bare number followed by one of these still reads as a figure: 10和20, 总数是10000，.
_BARE_FOLLOWERS_OK: Final = frozenset(
    "的和与及或是为了到至比在左右以等且并而则就也都大小不低高少多最、,.;:!?)）」”’\"' \n\t\r。…—"
)

# 2023年1—11月 and other range separators
_RANGE_SEP_RE: Final = re.compile(r"(?:\(含\))? ?(?:至|到|~|-{1,2}|—{1,2}|–|(?P<between>与|和)) ?")
_RANGE_SEP_FIRST: Final = frozenset("( 至到~-—–与和")  # what a separator starts with
_BETWEEN_SUFFIX_RE: Final = re.compile(r"之?间")

# Policy packages named by a count: 十条政策, 20条措施 (names, not counts of anything measured).
_POLICY_PACKAGE_RE: Final = re.compile(r"政策|措施|举措|意见|硬措施")

_ARABIC_NUMBER: Final = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_NUMERAL_PATTERN: Final = (
    rf"{_ARABIC_NUMBER}(?: ?[{CN_UNITS}]+(?:零?(?:\d+|[{CN_DIGITS}])[{CN_UNITS}]*)*)?"
    rf"|[{CN_ALL}]{{2,}}(?:[{POINT}][{CN_DIGITS}\d]+[{CN_UNITS}]*)?"
    rf"|[{CN_ALL}][{POINT}][{CN_DIGITS}\d]+[{CN_UNITS}]*"
    rf"|[{CN_ALL}](?=[{{unit_first}}])"
)


def _unit_first_chars() -> str:
    # A single numeral character is only a candidate before a unit, a range separator
    # (两到三万) or 分之 (三分之一); this keeps the thousands of 一 in running text cheap.
    chars = {surface[0] for surface in _UNITS} | set("多余几分 至到~-—–") | set(POINT) | set(CN_ALL)
    return "".join(sorted(re.escape(char) for char in chars))


_NUMERAL_RE: Final = re.compile(_NUMERAL_PATTERN.replace("{unit_first}", _unit_first_chars()))




_CANDIDATE_RE: Final = compile_with_first_chars(
    rf"0-9百佰千仟万翻首数几上前第{CN_ALL}",
    r"(?P<pct>百分之|佰分之|千分之|仟分之|万分之)"
    r"|(?P<flip>翻了?(?:一|两|二|三|四)番)"
    r"|(?P<first>首位)"
    r"|(?P<vague>(?:数|几|上)[十百千万亿]+)"
    r"|(?P<top>前(?:\d+|[一二两三四五六七八九十]+))"
    rf"|(?P<di>第(?:\d+|[{CN_ALL}]+))"
    rf"|(?P<num>{_NUMERAL_RE.pattern})",
)
def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


_LONE_TEN_THOUSAND: Final = Numeral(
    value=10_000.0, number_len=1, scale_word=None, digit_string=False, has_big_unit=True, has_unit=True,
    arabic=False, single_char=True,
)
_APPROX_CHARS: Final = "多余几"
_APPROX_PAIR_FIRST: Final = "一两二三四五六七八"
_APPROX_PAIR_RE: Final = re.compile(rf"([{_APPROX_PAIR_FIRST}])([二两三四五六七八九])([{CN_UNITS}]*)")
# The second end of a range, a numerator: no unit needs to follow.
_LOOSE_NUMERAL_RE: Final = re.compile(
    rf"{_ARABIC_NUMBER}(?: ?[{CN_UNITS}]+(?:零?(?:\d+|[{CN_DIGITS}])[{CN_UNITS}]*)*)?"
    rf"|[{CN_ALL}]+(?:[{POINT}][{CN_DIGITS}\d]+[{CN_UNITS}]*)?"
)
_SCALE_RUN_RE: Final = re.compile(rf"[{CN_UNITS}]+")
_PERCENT_FORMS: Final[dict[str, str]] = {
    "百分之": "percent", "佰分之": "percent", "千分之": "permille", "仟分之": "permille", "万分之": "basis_point",
}  # fmt: skip
_PERCENT_NUMBER_RE: Final = re.compile(
    rf"[-负]?(?:{_ARABIC_NUMBER}|[{CN_ALL}]+(?:[{POINT}][{CN_DIGITS}]+)?)"
)


# ---------------------------------------------------------------------------------------------
# Scanner
# ---------------------------------------------------------------------------------------------


class _Intervals:
    """Sorted, non-overlapping (start, end) spans with a binary-search membership test."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]

    def covers(self, position: int) -> bool:
        if not self._starts:
            return False
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._ends[index]


def _spans(pattern: re.Pattern[str], text: str) -> _Intervals:
    return _Intervals([match.span() for match in pattern.finditer(text)])


@dataclass(slots=True)
class _Draft:
    """A quantity being assembled; converted to :class:`Quantity` once all checks have passed."""

    start: int
    end: int
    number_start: int
    number_end: int
    value: float
    unit: _Unit | None
    value_max: float | None = None
    scale_word: str | None = None
    qualifier: Qualifier = "exact"
    prefix_qualifier: str | None = None
    sign: float = 1.0


class _Scanner:
    def __init__(self, text: str, *, standalone: bool) -> None:
        self.text = text
        self.norm = fold_width(text)
        self.standalone = standalone
        self.titles = _spans(_TITLE_RE, self.norm)
        self.quotes = _spans(_SHORT_QUOTE_RE, self.norm)
        self.idioms = _spans(_IDIOM_RE, self.norm)

    # -- driver ---------------------------------------------------------------------------

    def run(self) -> list[Quantity]:
        found: list[Quantity] = []
        position = 0
        norm = self.norm
        while True:
            match = _CANDIDATE_RE.search(norm, position)
            if match is None:
                return found
            draft, resume = self._candidate(match)
            if draft is not None:
                quantity = self._finish(draft, found[-1].end if found else 0)
                if quantity is not None:
                    found.append(quantity)
                    resume = max(resume, draft.end)
            position = max(resume, match.start() + 1)

    def _candidate(self, match: re.Match[str]) -> tuple[_Draft | None, int]:
        start = match.start()
        if self.titles.covers(start) or self.idioms.covers(start):
            return None, match.end()
        kind = match.lastgroup
        if kind == "num":
            return self._numeral_candidate(start, match.end())
        if kind == "pct":
            return self._percent_form(start, match.end(), match.group())
        if kind == "vague":
            return self._vague(start, match.group())
        if kind == "first":
            return self._first_place(start)
        if kind == "top":
            return self._top_n(start + 1, match.end())
        if kind == "di":
            return self._ordinal(start + 1, match.end())
        return self._flip(start, match.group())

    # -- numerals -------------------------------------------------------------------------

    def _numeral_candidate(self, start: int, end: int) -> tuple[_Draft | None, int]:
        norm = self.norm
        previous = norm[start - 1] if start else "\n"
        if previous.isascii() and previous.isalpha():
            return None, self._end_of_code(end)  # A12B, G60, B12
        if norm[start].isdigit():
            special = _ARABIC_NOT_QUANTITY.match(norm, start)
            if special:
                return None, special.end()
            if previous in "+×*" or (previous == "-" and start > 1 and norm[start - 2].isascii()
                                     and norm[start - 2].isalnum()):  # fmt: skip
                return None, self._end_of_code(end)
        if previous == "第":
            return self._ordinal(start, end)
        first = norm[start]
        pair = _APPROX_PAIR_RE.match(norm, start) if first in _APPROX_PAIR_FIRST else None
        if pair and CN_DIGIT_VALUES[pair.group(2)] == CN_DIGIT_VALUES[pair.group(1)] + 1:
            return self._approximate_pair(pair)
        slash = _SLASH_FRACTION_RE.match(norm, start) if first.isdigit() and "/" in norm[start + 1 : start + 4] else None
        if slash and 0 < int(slash.group(1)) < int(slash.group(2)):
            # 3/4, 1/4左右: a fraction written with a slash is one figure, not two.
            draft = _Draft(start, slash.end(), start, slash.end(), int(slash.group(1)) / int(slash.group(2)),
                           _Unit("fraction", "ratio"))  # fmt: skip
            self._extend_unit(draft)
            return draft, draft.end
        if norm[start] in "万萬" and end == start + 1:
            # 开展万场活动: a lone 万 is no numeral of its own (万一, 万物), nor a unit heading (猪（万头）);
            # between a verb and a measure word with its noun it counts ten thousand things (see
            # _numeral_is_quantity).
            if _is_han(previous) and previous not in "每均" and end + 1 < len(norm) and _is_han(norm[end + 1]):
                return self._quantity_from_numeral(start, end, _LONE_TEN_THOUSAND)
            return None, end
        parsed = self._longest_valid_numeral(start, end)
        if parsed is None:
            return None, end
        numeral, end = parsed
        return self._quantity_from_numeral(start, end, numeral)

    def _longest_valid_numeral(self, start: int, end: int) -> tuple[Numeral, int] | None:
        # The candidate pattern is generous (五十千, 1234两); fall back to the longest prefix
        # that reads as a numeral.
        while end > start:
            numeral = parse_numeral(self.norm[start:end])
            if numeral is not None:
                return numeral, end
            end -= 1
        return None

    def _end_of_code(self, end: int) -> int:
        match = _ALNUM_RUN.match(self.norm, end)
        return match.end() if match else end

    def _quantity_from_numeral(self, start: int, end: int, numeral: Numeral) -> tuple[_Draft | None, int]:
        norm = self.norm
        unit_match: re.Match[str] | None = None
        if numeral.has_unit and norm[end - 1] in CN_UNITS:
            numeral, end, unit_match = self._resplit_scale_led_unit(start, end, numeral)
        if unit_match is None:
            if norm.startswith("分之", end):
                return self._fraction(start, end, numeral.value)
            blocker = _NOT_QUANTITY_AFTER.match(norm, end)
            if blocker:
                return None, blocker.end()
        value = numeral.value
        scale_word = numeral.scale_word
        position = end
        approximate = False
        if unit_match is None and position < len(norm) and norm[position] in _APPROX_CHARS:
            approximate = True
            position += 1
            scale = _SCALE_RUN_RE.match(norm, position)
            if scale:
                product = scale_product(scale.group())
                if product is not None:
                    value = times(value, product)
                    scale_word = (scale_word or "") + scale.group().translate(CANONICAL_SCALE_CHARS)
                    position = scale.end()
            blocker = _NOT_QUANTITY_AFTER.match(norm, position)
            if blocker:
                return None, blocker.end()
        if unit_match is None:
            unit_match = self._unit_at(position)
        unit = _UNITS[unit_match.group()][0] if unit_match else None
        if unit_match:
            position = unit_match.end()
        elif position < len(norm) and norm[position].isascii() and norm[position].isalpha():
            return None, self._end_of_code(position)  # 5G, 4K, 3D: technology names
        draft = _Draft(start, position, start, start + numeral.number_len, value, unit, scale_word=scale_word)
        if approximate:
            draft.qualifier = "more_than"
        if not approximate:
            ranged = self._range(draft, numeral)
            if ranged == "period":
                return None, self._skip_period_range(draft.end)
            if ranged is not None:
                draft = ranged
        self._extend_unit(draft)
        if not self._numeral_is_quantity(draft, numeral):
            return None, max(end, start + 1)
        return draft, draft.end

    def _approximate_pair(self, pair: re.Match[str]) -> tuple[_Draft | None, int]:
        """两三万, 七八个, 四五千块钱: two neighbouring digits give an approximate range."""
        low, high = CN_DIGIT_VALUES[pair.group(1)], CN_DIGIT_VALUES[pair.group(2)]
        units = pair.group(3)
        scale = scale_product(units) or 1.0
        end = pair.end()
        unit_match = self._unit_at(end)
        if unit_match is None and (not units or _NOT_QUANTITY_AFTER.match(self.norm, end)):
            return None, end
        unit = _UNITS[unit_match.group()][0] if unit_match else None
        draft = _Draft(pair.start(), unit_match.end() if unit_match else end, pair.start(), pair.start() + 2,
                       low * scale, unit, value_max=high * scale, qualifier="about",
                       scale_word=units.translate(CANONICAL_SCALE_CHARS) or None)  # fmt: skip
        self._extend_unit(draft)
        return draft, draft.end

    def _fraction(self, start: int, end: int, denominator: float) -> tuple[_Draft | None, int]:
        """三分之一 -> 1/3 (unit "fraction")."""
        numerator_start = end + 2
        match = _LOOSE_NUMERAL_RE.match(self.norm, numerator_start)
        if match is None or denominator == 0:
            return None, numerator_start
        parsed = self._longest_valid_numeral(numerator_start, match.end())
        if parsed is None:
            return None, numerator_start
        numerator, numerator_end = parsed
        draft = _Draft(start, numerator_end, start, numerator_end, numerator.value / denominator,
                       _Unit("fraction", "ratio"))  # fmt: skip
        self._extend_unit(draft)
        return draft, draft.end

    def _resplit_scale_led_unit(
        self, start: int, end: int, numeral: Numeral
    ) -> tuple[Numeral, int, re.Match[str] | None]:
        # 3千瓦 -> 3 + 千瓦, 1200万千瓦 -> 1200万 + 千瓦, 2百分点 -> 2 + 百分点
        first_unit = end
        while first_unit > start and self.norm[first_unit - 1] in CN_UNITS:
            first_unit -= 1
        for split in range(max(first_unit, start + 1), end):
            unit_match = _SCALE_LED_UNIT_RE.match(self.norm, split)
            if unit_match:
                shorter = parse_numeral(self.norm[start:split])
                if shorter is not None:
                    return shorter, split, unit_match
        return numeral, end, None

    def _unit_at(self, position: int) -> re.Match[str] | None:
        norm = self.norm
        match = _UNIT_RE.match(norm, position)
        if match is None and position < len(norm) and norm[position] == " " and norm[position - 1].isdigit():
            match = _UNIT_RE.match(norm, position + 1)  # 同比增长 37.7 %, 168 cm: after Arabic digits only
        return match

    def _range(self, first: _Draft, first_numeral: Numeral) -> _Draft | Literal["period"] | None:
        """Extend ``first`` into a range (3至5个, 10%—20%, 七千到九千亿元) when one follows."""
        norm = self.norm
        if first.end >= len(norm) or norm[first.end] not in _RANGE_SEP_FIRST:
            return None
        separator = _RANGE_SEP_RE.match(norm, first.end)
        if separator is None:
            return None
        second_match = _LOOSE_NUMERAL_RE.match(norm, separator.end())
        if second_match is None:
            return None
        second_start = separator.end()
        parsed = self._longest_valid_numeral(second_start, second_match.end())
        if parsed is None:
            return None
        second, second_end = parsed
        if _NOT_QUANTITY_AFTER.match(norm, second_end):
            # 1—11月, 2021-2025年: a period; a quantity before 到2025年 stays on its own.
            return "period" if first.unit is None else None
        second_unit_match = self._unit_at(second_end)
        second_unit = _UNITS[second_unit_match.group()][0] if second_unit_match else None
        if first.unit is not None and second_unit != first.unit:
            return None
        unit = first.unit or second_unit
        if (
            unit is None
            and second_end < len(norm)
            and norm[second_end].isascii()
            and norm[second_end].isalpha()
        ):
            return None
        low = first.value
        if first.unit is None and not first_numeral.has_big_unit and first.scale_word is None:
            low = self._shared_scale(low, second_start, second_end, second.value)
        if low > second.value:
            return None
        end = second_unit_match.end() if second_unit_match else second_end
        if separator.group("between"):
            # 20和30之间: 和/与 only make a range together with 之间
            between = _BETWEEN_SUFFIX_RE.match(norm, end)
            if between is None:
                return None
            end = between.end()
        scale_word = first.scale_word or second.scale_word
        return _Draft(first.start, end, first.number_start, second_start + second.number_len, low, unit,
                      value_max=second.value, scale_word=scale_word)  # fmt: skip

    def _shared_scale(self, low: float, second_start: int, second_end: int, high: float) -> float:
        # 七千到九千亿 -> 7000亿; 两到三万 -> 2万; 8500到3万 stays 8500 (8500万 > 3万).
        trailing = second_end
        while trailing > second_start and self.norm[trailing - 1] in CN_UNITS:
            trailing -= 1
        for index in range(trailing, second_end):
            product = scale_product(self.norm[index:second_end])
            if product is not None and low * product <= high:
                return times(low, product)
        return low

    def _skip_period_range(self, position: int) -> int:
        blocker = _NOT_QUANTITY_AFTER.match(self.norm, position)
        if blocker:
            return blocker.end()
        second = _LOOSE_NUMERAL_RE.match(self.norm, position)
        return second.end() if second else position + 1

    def _extend_unit(self, draft: _Draft) -> None:
        """Sub-units of yuan, per-unit rates, 半 and the suffix qualifier."""
        norm = self.norm
        unit = draft.unit
        if unit is not None and unit.unit == "CNY" and draft.value_max is None:
            subunits = _CNY_SUBUNITS_RE.match(norm, draft.end)
            if subunits and subunits.end() > draft.end:
                for group, weight in ((1, 0.1), (2, 0.01)):
                    digit = subunits.group(group)
                    if digit:
                        amount = CN_DIGIT_VALUES[digit] if digit in CN_DIGIT_VALUES else int(digit)
                        draft.value = float(Decimal(repr(draft.value)) + Decimal(repr(weight)) * amount)
                draft.end = subunits.end()
        if unit is not None and unit.kind in ("currency", "physical"):
            per = _PER_RE.match(norm, draft.end) if norm.startswith("/", draft.end) else None
            if per:
                draft.unit = _Unit(f"{unit.unit}/{_PER_UNITS[per.group(1)]}", unit.kind)
                draft.end = per.end()
        if unit is not None and unit.kind == "physical" and norm.startswith("半", draft.end):
            draft.value += 0.5
            draft.end += 1
        suffix = (
            _SUFFIX_QUALIFIER_RE.match(norm, draft.end)
            if draft.end < len(norm) and norm[draft.end] in _SUFFIX_QUALIFIER_FIRST
            else None
        )
        if suffix:
            draft.qualifier = _SUFFIX_QUALIFIERS[suffix.group().replace("(含)", "")]
            draft.end = suffix.end()
        elif unit is not None and unit.kind == "time" and norm.startswith("内", draft.end):
            draft.qualifier = "less_than"  # 10天内: within ten days
            draft.end += 1

    def _numeral_is_quantity(self, draft: _Draft, numeral: Numeral) -> bool:
        """The policy rules that separate figures from names, words and ordinals."""
        unit = draft.unit
        norm = self.norm
        literal = norm[draft.number_start : draft.number_end]
        if literal[0] in "百佰千仟万萬亿億" and not self.standalone:
            # 千亿元企业, 百亿元级, 千方百计, 万物: class labels and words. A single place character
            # counting things (近百个国家, 百余项, 千条线路) is a count.
            counted = unit is not None and unit.kind == "count" and len(literal) == 1 and literal in "百千万"
            if not counted:
                return False
        if unit is not None and unit.kind == "discount":
            return self._discount(draft, numeral)
        if unit is not None and unit.kind in ("count", "time") and not self.standalone:
            whole_numeral_is_one_or_two = (
                literal in ("一", "壹", "二", "贰", "零") and draft.scale_word is None
            )
            if whole_numeral_is_one_or_two and draft.value_max is None:
                return False  # 一批 = "a batch of"; 二次 = "second"
            if unit.measure == "次" and "届" in norm[max(0, draft.start - 8) : draft.start]:
                return False  # 八届二次全会
            if unit.measure == "条" and _POLICY_PACKAGE_RE.match(norm, draft.end):
                return False  # 十条政策: a policy package's name
        if unit is not None and unit.factor == 10.0 and numeral.value > 10:
            return False  # 成 only for tenths
        if unit is not None and unit.kind == "point" and not self._is_index_point(draft, numeral):
            return False
        if numeral.digit_string and not self.standalone:
            return False  # 三一集团, 九九
        if literal == "零" and unit is not None and unit.kind != "ratio" and not self.standalone:
            return False  # 零部件, 零售
        weak_unit = unit is None or unit.kind in ("count", "time", "point")
        if weak_unit and not self.standalone and self.quotes.covers(draft.number_start):
            return False  # “4+6”, “33618”, “十个统筹”, 稳增长“20条”
        if unit is None:
            return self._bare_number_is_quantity(draft, numeral)
        # 75米级, 百亿元级: a size class, not a measurement
        return not (norm.startswith("级", draft.end) and unit.kind in ("physical", "currency"))

    @staticmethod
    def _discount(draft: _Draft, numeral: Numeral) -> bool:
        # 七折 / 8.5折 are tenths (70, 85 percent); 75折 / 五五折 are two digits read as percent.
        if draft.value_max is None and numeral.value < 10:
            draft.unit = _Unit("percent", "ratio", factor=10.0)
            return True
        two_digits = (
            numeral.value < 100
            and numeral.value == int(numeral.value)
            and (numeral.arabic or numeral.digit_string)
        )
        if two_digits and draft.value_max is None:
            draft.unit = _Unit("percent", "ratio")
            return True
        return False

    def _is_index_point(self, draft: _Draft, numeral: Numeral) -> bool:
        # 849.8点 is an index; 20点 after 时间/晚/上午 is a clock time.
        if not numeral.arabic:
            return False
        before = self.norm[max(0, draft.start - 6) : draft.start]
        return not any(word in before for word in ("时间", "晚", "早", "上午", "下午", "凌晨", "中午", "夜"))

    def _bare_number_is_quantity(self, draft: _Draft, numeral: Numeral) -> bool:
        if self.standalone:
            return True
        norm = self.norm
        following = norm[draft.end] if draft.end < len(norm) else "\n"
        if not numeral.arabic:
            # Bare Chinese numerals are mostly names (十四五, 一号) unless they carry 百/千/万/亿.
            written = norm[draft.number_start : draft.number_end] + (draft.scale_word or "")
            has_place = any(char in "百佰千仟万萬亿億" for char in written)
            figure_like = has_place or any(char in POINT for char in written)
            return figure_like and not numeral.single_char and following in _BARE_FOLLOWERS_OK
        literal = norm[draft.number_start : draft.number_end]
        if numeral.scale_word is None and draft.value_max is None:
            if literal.isdigit() and len(literal) >= 8:
                return False  # phone numbers, order numbers
            if self._is_list_marker(draft) or self._is_label(draft):
                return False
            if (
                literal.isdigit()
                and len(literal) == 4
                and 1900 <= int(literal) <= 2100
                and not self._alone_on_line(draft)
            ):
                return False  # a year written without 年 (2023中国…大会)
        # 33618现代…, 1269行动: a number glued to a noun is a name (287亿 with a scale is not)
        glued_to_noun = following not in _BARE_FOLLOWERS_OK and "\u4e00" <= following <= "\u9fff"
        return not glued_to_noun or draft.scale_word is not None

    def _is_list_marker(self, draft: _Draft) -> bool:
        norm = self.norm
        before = norm[draft.start - 1] if draft.start else "\n"
        after = norm[draft.end] if draft.end < len(norm) else "\n"
        if before in "(（" and after in ")）":
            return True
        line_start = norm.rfind("\n", 0, draft.start) + 1
        at_line_start = not norm[line_start : draft.start].strip() or before in ":："
        return at_line_start and after in ".、)）" and not norm[draft.end + 1 : draft.end + 2].isdigit()

    def _is_label(self, draft: _Draft) -> bool:
        # 图1, 表2, 附件3: figure and table labels
        before = self.norm[max(0, draft.start - 2) : draft.start]
        return before.endswith(("图", "表", "附件", "编号", "序号", "No", "NO"))

    def _alone_on_line(self, draft: _Draft) -> bool:
        norm = self.norm
        line_start = norm.rfind("\n", 0, draft.start) + 1
        line_end = norm.find("\n", draft.end)
        line_end = len(norm) if line_end == -1 else line_end
        return not norm[line_start : draft.start].strip() and not norm[draft.end : line_end].strip()

    # -- ordinals and ranks -----------------------------------------------------------------

    def _ordinal(self, start: int, end: int) -> tuple[_Draft | None, int]:
        """第八位, 第1名, 居全国第八: ranks. 第八次, 第一批, 第二天: ordinals, not reported."""
        norm = self.norm
        parsed = self._longest_valid_numeral(start, end)
        if parsed is None:
            return None, end
        numeral, end = parsed
        if numeral.value < 1 or numeral.value != int(numeral.value) or norm.startswith(".", end):
            return None, end
        rank_word = norm[end] if end < len(norm) and norm[end] in "位名" else ""
        in_context = self.standalone or bool(_RANK_CONTEXT_RE.search(norm, max(0, start - 10), start - 1))
        next_char = norm[end] if end < len(norm) else "\n"
        # 第三大汽车产业集群: "the third largest" is a rank wherever it stands.
        largest = next_char == "大" and end + 1 < len(norm) and "\u4e00" <= norm[end + 1] <= "\u9fff"
        if not rank_word and not largest and (not in_context or next_char in "次届批期轮个天年季号章条款代部层"):
            return None, end
        if rank_word == "位" and norm.startswith("位次", end):
            return None, end
        span_end = end + len(rank_word)
        draft = _Draft(start - 1, span_end, start, end, numeral.value, _Unit("rank", "rank"))
        return draft, span_end

    def _top_n(self, start: int, end: int) -> tuple[_Draft | None, int]:
        """居全国前七, 进入前十: a rank between 1 and N."""
        norm = self.norm
        if not _RANK_CONTEXT_RE.search(norm, max(0, start - 10), start - 1):
            return None, start
        parsed = self._longest_valid_numeral(start, end)
        if parsed is None:
            return None, end
        numeral, end = parsed
        if _NOT_QUANTITY_AFTER.match(norm, end) or norm.startswith(("个", "批", "次", "."), end):
            return None, end
        if numeral.value < 2 or numeral.value != int(numeral.value):
            return None, end
        span_end = end + (1 if end < len(norm) and norm[end] in "位名强" else 0)
        draft = _Draft(start - 1, span_end, start, end, 1.0, _Unit("rank", "rank"), value_max=numeral.value)
        return draft, span_end

    def _first_place(self, start: int) -> tuple[_Draft | None, int]:
        # 居全国首位 -> rank 1; 放在首位 is not a ranking.
        if not _RANK_CONTEXT_RE.search(self.norm, max(0, start - 10), start):
            return None, start + 2
        return _Draft(start, start + 2, start, start + 1, 1.0, _Unit("rank", "rank")), start + 2

    # -- other forms ------------------------------------------------------------------------

    def _percent_form(self, start: int, end: int, prefix: str) -> tuple[_Draft | None, int]:
        """百分之十五, 百分之2.4, 千分之三, 万分之五."""
        number = _PERCENT_NUMBER_RE.match(self.norm, end)
        if number is None:
            return None, end
        literal = number.group()
        sign = -1.0 if literal[0] in "-负" else 1.0
        number_start = end + (1 if sign < 0 else 0)
        unit = _Unit(_PERCENT_FORMS[prefix], "ratio")
        pair = _APPROX_PAIR_RE.match(self.norm, number_start)
        if pair and CN_DIGIT_VALUES[pair.group(2)] == CN_DIGIT_VALUES[pair.group(1)] + 1:
            scale = scale_product(pair.group(3)) or 1.0  # 百分之二三十: 20 to 30 percent
            draft = _Draft(start, pair.end(), number_start, pair.end(), CN_DIGIT_VALUES[pair.group(1)] * scale,
                           unit, value_max=CN_DIGIT_VALUES[pair.group(2)] * scale, qualifier="about")  # fmt: skip
            self._extend_unit(draft)
            return draft, draft.end
        parsed = self._longest_valid_numeral(number_start, number.end())
        if parsed is None:
            return None, end
        numeral, number_end = parsed
        if numeral.digit_string and not self.standalone:
            return None, number_end
        draft = _Draft(start, number_end, number_start, number_end, numeral.value, unit, sign=sign)
        self._extend_unit(draft)
        return draft, draft.end

    def _vague(self, start: int, literal: str) -> tuple[_Draft | None, int]:
        """数十亿元, 几十万, 上万家: an order of magnitude rather than a number."""
        norm = self.norm
        if literal[0] == "上" and start and norm[start - 1] in "线以之向在加马网路身而":
            return None, start + 1
        units = literal[1:]
        magnitude = scale_product(units)
        if magnitude is None:
            return None, start + 1
        end = start + len(literal)
        unit_match = self._unit_at(end)
        if unit_match is None and _NOT_QUANTITY_AFTER.match(norm, end):
            return None, end
        unit = _UNITS[unit_match.group()][0] if unit_match else None
        draft = _Draft(start, unit_match.end() if unit_match else end, start, start + 1, magnitude, unit,
                       scale_word=units.translate(CANONICAL_SCALE_CHARS))  # fmt: skip
        if literal[0] == "上":
            draft.qualifier = "more_than"
        else:
            draft.qualifier = "about"
            draft.value_max = magnitude * 10
        if unit is None and not self.standalone and not draft.scale_word.endswith(("万", "亿")):  # type: ignore[union-attr]
            return None, end
        self._extend_unit(draft)
        return draft, draft.end

    def _flip(self, start: int, literal: str) -> tuple[_Draft | None, int]:
        # 翻一番 = doubled (x2), 翻两番 = x4
        doublings = CN_DIGIT_VALUES[literal[-2]]
        number_start = start + len(literal) - 2
        draft = _Draft(
            start, start + len(literal), number_start, number_start + 1, float(2**doublings), _Unit("times", "ratio")
        )
        return draft, draft.end

    # -- finishing ----------------------------------------------------------------------------

    def _finish(self, draft: _Draft, floor: int) -> Quantity | None:
        """Signs, prefix qualifiers and currency prefixes, never reaching back before ``floor``
        (the end of the previous quantity); then the :class:`Quantity`."""
        norm = self.norm
        self._apply_sign(draft, floor)
        self._apply_prefix_qualifier(draft, floor)
        self._apply_currency_prefix(draft, floor)
        unit = draft.unit
        factor = unit.factor if unit else 1.0
        value = draft.sign * times(draft.value, factor)
        value_max = None if draft.value_max is None else times(draft.value_max, factor)  # -10000与20000之间
        if unit is None:
            unit_name, measure = "number", None
        elif unit.kind == "count" and unit.unit == "count":
            unit_name, measure = "count", (unit.measure or "").replace("台套", "台(套)")
        else:
            unit_name, measure = unit.unit, None
        span = norm[draft.start : draft.end]
        if draft.end <= draft.start or span.strip() != span:
            return None
        return Quantity(  # positional (start, end, text, value, unit, number_text, value_max, …): a hot path
            draft.start, draft.end, self.text[draft.start : draft.end], value, unit_name,
            self.text[draft.number_start : draft.number_end], value_max, measure, draft.qualifier,
            draft.scale_word, draft.prefix_qualifier,
        )  # fmt: skip

    def _apply_sign(self, draft: _Draft, floor: int) -> None:
        norm = self.norm
        start = draft.start
        if draft.sign < 0 or start <= floor or (draft.unit is not None and draft.unit.unit == "rank"):
            return
        previous = norm[start - 1]
        before = norm[start - 2] if start >= 2 else " "
        if previous in "-+" and not (before.isascii() and before.isalnum()):
            draft.sign = -1.0 if previous == "-" else 1.0
            draft.start -= 1
        elif previous == "负" and norm[start - 2 : start - 1] != "正":
            draft.sign = -1.0  # 负3.9%, 负三十二 (正负 is "plus or minus", not a sign)
            draft.start -= 1

    def _apply_prefix_qualifier(self, draft: _Draft, floor: int) -> None:
        window_start = max(floor, draft.start - 4)
        if not _may_end_with(self.norm, window_start, draft.start, _PREFIX_QUALIFIER_ENDS):
            return
        match = _PREFIX_QUALIFIER_RE.search(self.norm, window_start, draft.start)
        if match is None:
            return
        word = match.group().rstrip()
        draft.prefix_qualifier = self.text[match.start() : match.start() + len(word)]
        draft.qualifier = _PREFIX_QUALIFIERS[word]

    def _apply_currency_prefix(self, draft: _Draft, floor: int) -> None:
        # 人民币8千元, 港币两千九百六十元, ¥300, $20: the currency is written before the number.
        unit = draft.unit
        if unit is not None and unit.kind != "currency":
            return
        if unit is not None and unit.unit != "CNY":
            return
        window_start = max(floor, draft.start - 4)
        if not _may_end_with(self.norm, window_start, draft.start, _CURRENCY_PREFIX_ENDS):
            return
        match = _CURRENCY_PREFIX_RE.search(self.norm, window_start, draft.start)
        if match is None:
            return
        code = _CURRENCY_PREFIXES[match.group().rstrip()]
        if unit is not None and self.norm[draft.number_end : draft.end].startswith("人民币"):
            return
        draft.unit = _Unit(code, "currency")
        draft.start = match.start()


_PREFIX_QUALIFIER_ENDS: Final = frozenset(word[-1] for word in _PREFIX_QUALIFIERS)
_CURRENCY_PREFIX_ENDS: Final = frozenset(prefix[-1] for prefix in _CURRENCY_PREFIXES)


def _may_end_with(norm: str, start: int, end: int, last_chars: frozenset[str]) -> bool:
    """Whether a search for ``(?:word…) ?$`` in ``norm[start:end]`` can succeed: the word's last
    character must stand before the end, an optional space and an optional final newline (``$``
    also matches before one)."""
    if end > start and norm[end - 1] == "\n":
        end -= 1
    if end > start and norm[end - 1] == " ":
        end -= 1
    return end > start and norm[end - 1] in last_chars


def find_quantities(text: str) -> list[Quantity]:
    """All numeric expressions in ``text``, sorted by start and non-overlapping."""
    return _Scanner(text, standalone=False).run()


def parse_quantity(expr: str) -> Quantity | None:
    """Parse one expression that should be a quantity as a whole ("突破1.7万亿元", "0.3个百分点").

    Offsets are relative to ``expr``; None when the expression is not (entirely) one quantity.
    Context rules that only make sense inside running text (bare Chinese numerals, numbers glued
    to a noun) are relaxed, so "三十五" and "2023" parse; "2023年" and "4+6" still do not.
    """
    quantities = _Scanner(expr, standalone=True).run()
    if len(quantities) == 1 and _covers_expression(expr, quantities[0]):
        return quantities[0]
    return _bare_numeral_or_cheque_amount(expr)


def _covers_expression(expr: str, quantity: Quantity) -> bool:
    leading = expr[: quantity.start].strip()
    if quantity.prefix_qualifier:
        leading = leading.removesuffix(quantity.prefix_qualifier).strip()
    return leading in ("", "从", "由") and not expr[quantity.end :].strip(" \t\r\n。.，,；;")


# 壹佰元整, 肆角叁分, 负壹元整: amounts as written on cheques and receipts
_CHEQUE_AMOUNT_RE: Final = re.compile(
    rf"(?P<sign>负)?(?:(?P<yuan>[{CN_ALL}\d.]+)[元圆])?(?:零?(?P<jiao>[{CN_DIGITS}\d])[角毛])?"
    rf"(?:零?(?P<fen>[{CN_DIGITS}\d])分)?(?:整|正)?"
)


def _bare_numeral_or_cheque_amount(expr: str) -> Quantity | None:
    """parse_quantity for what the scanner leaves alone: 二, 十五 (bare numerals) and 肆角叁分."""
    stripped = expr.strip()
    start = expr.find(stripped) if stripped else 0
    value = parse_number(stripped)
    if value is not None:
        return Quantity(start=start, end=start + len(stripped), text=stripped, value=value, unit="number",
                        number_text=stripped)  # fmt: skip
    match = _CHEQUE_AMOUNT_RE.fullmatch(fold_width(stripped))
    if match is None or not (match.group("yuan") or match.group("jiao") or match.group("fen")):
        return None
    total = 0.0
    for group, weight in (("yuan", 1.0), ("jiao", 0.1), ("fen", 0.01)):
        literal = match.group(group)
        if literal:
            amount = parse_number(literal)
            if amount is None:
                return None
            total = float(Decimal(repr(total)) + Decimal(repr(amount)) * Decimal(repr(weight)))
    if match.group("sign"):
        total = -total
    number_text = match.group("yuan") or match.group("jiao") or match.group("fen") or ""
    return Quantity(start=start, end=start + len(stripped), text=stripped, value=total, unit="CNY",
                    number_text=number_text)  # fmt: skip

