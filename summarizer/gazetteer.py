"""Find the provinces and cities a Chinese text mentions, and the one an article is about.

The data is ``summarizer/data/regions.json``: China's 34 provincial-level divisions and their major
cities (capitals, sub-provincial and other prefecture-level cities, a few county-level cities that
dominate economic news, and the state-level new areas). Every name is matched by one regular
expression, longest alternative first, so ``广西壮族自治区`` wins over ``广西`` and ``吉林市`` (the
city) over ``吉林`` (the province). Matching runs left to right, which is what keeps ``江西`` out of
``浙江西部``: ``浙江`` is consumed first.

Two kinds of false hit are kept out on purpose:

* single-character abbreviations (湘, 粤, 渝 …) are never matched, because they occur inside ordinary
  words; ``region_by_name`` does not accept them either;
* words listed as ``non_region_words`` (rivers, lakes, idioms, foreign places: 长江, 洞庭湖, 长治久安,
  北海道 …) are matched and thrown away, so ``长江西岸`` yields no 江西 and ``洞庭湖北部`` no 湖北;
  a name directly followed by a road word (南京路, 北京西路, 中山大道) is a street, not a place.

Known ambiguities that are resolved by data, not by reading the sentence: ``海南州`` and
``海南藏族自治州`` are Qinghai's Hainan Tibetan Autonomous Prefecture (longer than ``海南``, so they
win), bare ``海南`` is always Hainan Province; ``大同`` is always Datong in Shanxi, even where a
Daqing text means its own Datong district.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from summarizer.briefing.models import Region

DivisionType = Literal["province", "autonomous_region", "municipality", "sar"]
CityKind = Literal["sub_provincial", "prefecture", "county_level", "new_area"]


class RegionMention(BaseModel):
    """One place name found in a text; ``start``/``end`` are offsets into that text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    region: Region


class _ProvinceRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str
    short: tuple[str, ...]
    abbr: tuple[str, ...]
    en: str
    en_full: str
    en_alt: tuple[str, ...] = ()
    type: DivisionType


class _CityRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str
    short: tuple[str, ...]
    en: str
    province: str
    kind: CityKind
    capital: bool = False


class _GazetteerFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    notes: tuple[str, ...]
    provinces: tuple[_ProvinceRecord, ...]
    cities: tuple[_CityRecord, ...]
    non_region_words: tuple[str, ...]


# A place name followed by one of these is a street name (南京路, 北京西路, 中山大道), not the place.
# 路径 / 路线 / 路演 are ordinary words ("上海路径" is Shanghai's approach), so they do not count.
_STREET_SUFFIX = r"(?![东西南北中]?路(?![径线演子])|[东西南北中]?大?街|大道)"

# National bodies and scope words: a title or lead that opens with one is about the nation, even if
# it goes on to name provinces (商务部数据显示，广东、江苏…).
_NATIONAL_MARKERS = re.compile(
    r"全国|我国|各省|国务院|党中央|中共中央|中央经济工作会议|商务部|工业和信息化部|工信部|财政部|"
    r"海关总署|中国人民银行|央行|中国民航|民航局|国资委|"
    r"国家(?:统计局|发展改革委|发展和改革委员会|发改委|能源局|数据局|医保局|医疗保障局|"
    r"市场监督管理总局|市场监管总局|知识产权局|税务总局|外汇管理局|金融监督管理总局|邮政局|铁路局)"
)

# Sentence ends for cutting the lead; a newline ends a paragraph, which in this genre ends a thought.
_SENTENCE_END = re.compile(r"[。！？!?\n]+")
# Lines that carry who wrote or filed the story, not what it is about.
_BYLINE = re.compile(
    r"^\s*(?:本报记者|本报通讯员|记者|通讯员|责任编辑|编辑|文[/／]|图[/／]|[（(][^）)]{1,8}[）)]\s*$)"
)
_LEAD_SENTENCES = 2
_LEAD_MAX_CHARS = 300

# Mentions in the title outweigh mentions in the lead when deciding which province dominates.
_TITLE_WEIGHT = 2
_LEAD_WEIGHT = 1
# "Clearly dominates": the top province scores at least 1.5 times the runner-up and at least two
# points more, i.e. a tie in the title broken by two more mentions in the lead, not by one.
_DOMINANCE_RATIO = 1.5
_DOMINANCE_MARGIN = 2


@dataclass(frozen=True)
class _Gazetteer:
    provinces: tuple[_ProvinceRecord, ...]
    region_for_name: dict[str, Region]
    region_for_english: dict[str, Region]
    non_region_words: frozenset[str]
    pattern: re.Pattern[str]


def _load_file() -> _GazetteerFile:
    raw = (resources.files("summarizer") / "data" / "regions.json").read_text(encoding="utf-8")
    try:
        return _GazetteerFile.model_validate(json.loads(raw))
    except (json.JSONDecodeError, ValidationError) as error:
        raise ValueError(f"summarizer/data/regions.json is malformed: {error}") from error


def _english_index(
    data: _GazetteerFile, province_region: dict[str, Region], city_region: dict[str, Region]
) -> dict[str, Region]:
    """English names, lower-cased; a name shared by several places resolves only to a capital or
    sub-provincial city among them (Fuzhou -> 福州), otherwise it is left out (Suzhou, Taizhou, Yulin)."""
    candidates: dict[str, list[tuple[bool, Region]]] = {}
    for province in data.provinces:
        for name in (province.en, province.en_full, *province.en_alt):
            candidates.setdefault(name.lower(), []).append((True, province_region[province.zh]))
    for city in data.cities:
        prominent = city.capital or city.kind == "sub_provincial"
        candidates.setdefault(city.en.lower(), []).append((prominent, city_region[city.zh]))
    index: dict[str, Region] = {}
    for name, options in candidates.items():
        distinct = {region for _, region in options}
        if len(distinct) == 1:
            index[name] = options[0][1]
            continue
        prominent_regions = {region for prominent, region in options if prominent}
        if len(prominent_regions) == 1:
            index[name] = prominent_regions.pop()
    return index


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    data = _load_file()
    province_by_zh = {province.zh: province for province in data.provinces}
    province_region = {p.zh: Region(zh=p.zh, en=p.en) for p in data.provinces}
    city_region: dict[str, Region] = {}
    region_for_name: dict[str, Region] = {}

    def register(name: str, region: Region) -> None:
        if name in region_for_name and region_for_name[name] != region:
            raise ValueError(f"regions.json: the name {name!r} is given to two places")
        region_for_name[name] = region

    for province in data.provinces:
        for name in (province.zh, *province.short):
            register(name, province_region[province.zh])
    for city in data.cities:
        parent = province_by_zh.get(city.province)
        if parent is None:
            raise ValueError(f"regions.json: city {city.zh!r} names unknown province {city.province!r}")
        region = Region(zh=parent.zh, en=parent.en, city_zh=city.zh, city_en=city.en)
        city_region[city.zh] = region
        for name in (city.zh, *city.short):
            register(name, region)

    shields = frozenset(data.non_region_words)
    clashes = shields & region_for_name.keys()
    if clashes:
        raise ValueError(f"regions.json: non_region_words repeat place names: {sorted(clashes)}")
    # Longest first: Python's alternation takes the first alternative that matches, so ordering by
    # length is what makes the longest name win at a given position.
    alternatives = sorted(region_for_name.keys() | shields, key=lambda name: (-len(name), name))
    pattern = re.compile(_grouped_by_first_character(alternatives) + _STREET_SUFFIX)
    return _Gazetteer(
        provinces=data.provinces,
        region_for_name=region_for_name,
        region_for_english=_english_index(data, province_region, city_region),
        non_region_words=shields,
        pattern=pattern,
    )


def _grouped_by_first_character(names: list[str]) -> str:
    """An alternation of ``names`` (longest first) with the names of one first character behind it:
    湖(?:南省|北省|南|北)|… The regex engine then tries the few names of the character it stands on,
    not hundreds at every position of the text; at one position the order (longest first) is kept."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(re.escape(name[1:]))
    return "(?:" + "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items()) + ")"


def provincial_divisions() -> tuple[Region, ...]:
    """All 34 provincial-level divisions, in the order of the data file."""
    return tuple(Region(zh=p.zh, en=p.en) for p in _gazetteer().provinces)


def find_regions(text: str) -> list[RegionMention]:
    """Every province or city named in ``text``, in text order, non-overlapping, longest name first."""
    gazetteer = _gazetteer()
    mentions: list[RegionMention] = []
    for match in gazetteer.pattern.finditer(text):
        name = match.group()
        if name in gazetteer.non_region_words:
            continue
        mentions.append(
            RegionMention(
                start=match.start(), end=match.end(), text=name, region=gazetteer.region_for_name[name]
            )
        )
    return mentions


def leading_region_length(text: str) -> int:
    """Length of the place name ``text`` starts with (湖南省数字经济 -> 3), or 0; cheap, no models built."""
    gazetteer = _gazetteer()
    match = gazetteer.pattern.match(text)
    if match is None or match.group() in gazetteer.non_region_words:
        return 0
    return match.end()


def region_by_name(name: str) -> Region | None:
    """The place called ``name``: a Chinese full or short name (湖南, 湖南省, 长沙, 长沙市, 浦东新区),
    a province followed by one of its cities (湖南长沙, 湖南省长沙市), or an English name (Hunan,
    Changsha, Tibet). Single-character abbreviations are not accepted; unknown names give None."""
    key = "".join(name.split())
    if not key:
        return None
    gazetteer = _gazetteer()
    if key in gazetteer.region_for_name:
        return gazetteer.region_for_name[key]
    english = gazetteer.region_for_english.get(" ".join(name.split()).lower())
    if english is not None:
        return english
    mentions = find_regions(key)
    covers_whole_name = bool(mentions) and mentions[0].start == 0 and mentions[-1].end == len(key)
    contiguous = all(left.end == right.start for left, right in pairwise(mentions))
    if not (covers_whole_name and contiguous):
        return None
    return _resolve(mentions, ())


def _outside_brackets(text: str, mentions: list[RegionMention]) -> list[RegionMention]:
    """Drop names standing alone in brackets: they qualify an organisation or route (世界气象中心（北京）,
    国家顶级节点(重庆), 中欧班列（成渝）) rather than say where the story happens."""
    kept = []
    for mention in mentions:
        opened = mention.start > 0 and text[mention.start - 1] in "（("
        closed = mention.end < len(text) and text[mention.end] in "）)"
        if not (opened and closed):
            kept.append(mention)
    return kept


def _lead(body: str) -> str:
    """The first sentences of the body, bylines and source lines skipped."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(body):
        sentence = piece.strip()
        if not sentence or _BYLINE.match(sentence):
            continue
        sentences.append(sentence)
        if len(sentences) == _LEAD_SENTENCES:
            break
    return "。".join(sentences)[:_LEAD_MAX_CHARS]


def _city_mentions(mentions: Sequence[RegionMention], province_zh: str) -> list[Region]:
    """The city regions of ``province_zh`` that say where the story is. Where the province itself is
    named, only a city directly after it counts (湖北武汉, 湖南省长沙市): a city elsewhere in such a
    sentence is one place the provincial story touches (陕西今年将推动西安…)."""
    own = [mention for mention in mentions if mention.region.zh == province_zh]
    if all(mention.region.city_zh is not None for mention in own):
        return [mention.region for mention in own]
    return [
        right.region
        for left, right in pairwise(own)
        if left.region.city_zh is None and right.region.city_zh is not None and left.end == right.start
    ]


def _resolve(primary: Sequence[RegionMention], secondary: Sequence[RegionMention]) -> Region | None:
    """One province from ``primary`` mentions (weighted over ``secondary`` ones when several compete),
    narrowed to the city that ``primary`` places the story in most often (see ``_city_mentions``)."""
    provinces = {mention.region.zh for mention in primary}
    if not provinces:
        return None
    if len(provinces) == 1:
        chosen = provinces.pop()
    else:
        scores: Counter[str] = Counter()
        for mention in primary:
            scores[mention.region.zh] += _TITLE_WEIGHT
        for mention in secondary:
            if mention.region.zh in scores:
                scores[mention.region.zh] += _LEAD_WEIGHT
        (leader, top), (_, runner_up) = scores.most_common(2)
        if top < _DOMINANCE_RATIO * runner_up or top - runner_up < _DOMINANCE_MARGIN:
            return None
        chosen = leader
    city_counts = Counter(_city_mentions(primary, chosen))
    ranked = city_counts.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    province = next(m.region for m in primary if m.region.zh == chosen)
    return Region(zh=province.zh, en=province.en)


def detect_region(title: str, body: str) -> Region | None:
    """The province (and city) an article is about, or None for national or multi-region articles.

    The title decides when it names a place: one province, or one that clearly dominates the others
    once the lead is counted too. Otherwise the lead (first two sentences) decides, unless the title
    or the lead speaks for the nation (全国, 我国, 国务院, 商务部 …) before any place is named.
    """
    title_mentions = _outside_brackets(title, find_regions(title))
    lead = _lead(body)
    lead_mentions = _outside_brackets(lead, find_regions(lead))
    if title_mentions:
        return _resolve(title_mentions, lead_mentions)
    if _NATIONAL_MARKERS.search(title) or not lead_mentions:
        return None
    national = _NATIONAL_MARKERS.search(lead)
    if national is not None and national.start() < lead_mentions[0].start:
        return None
    return _resolve(lead_mentions, ())
