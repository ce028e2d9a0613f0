"""The gazetteer: its data and the province / city detection built on it."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from summarizer.briefing.models import Region
from summarizer.gazetteer import (
    detect_region,
    find_regions,
    provincial_divisions,
    region_by_name,
)


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    raw = (resources.files("summarizer") / "data" / "regions.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


def test_exactly_34_provincial_level_divisions(data: dict[str, Any]) -> None:
    assert len(provincial_divisions()) == 34
    assert len({region.zh for region in provincial_divisions()}) == 34
    types = Counter(province["type"] for province in data["provinces"])
    assert types == {"province": 23, "autonomous_region": 5, "municipality": 4, "sar": 2}


def test_every_province_and_autonomous_region_has_one_capital(data: dict[str, Any]) -> None:
    capitals = Counter(city["province"] for city in data["cities"] if city["capital"])
    for province in data["provinces"]:
        expected = 1 if province["type"] in {"province", "autonomous_region"} else 0
        assert capitals[province["zh"]] == expected, province["zh"]


def test_cities_cover_the_economic_map(data: dict[str, Any]) -> None:
    cities = data["cities"]
    assert len(cities) >= 120
    province_names = {province["zh"] for province in data["provinces"]}
    assert all(city["province"] in province_names for city in cities)
    sub_provincial = {city["zh"] for city in cities if city["kind"] == "sub_provincial"}
    assert len(sub_provincial) == 15
    new_areas = {city["zh"] for city in cities if city["kind"] == "new_area"}
    assert {"浦东新区", "滨海新区", "雄安新区", "贵安新区", "两江新区"} <= new_areas


def test_single_character_abbreviations_are_kept_but_not_matched(data: dict[str, Any]) -> None:
    abbreviations = {abbr for province in data["provinces"] for abbr in province["abbr"]}
    assert {"湘", "粤", "渝", "沪", "京"} <= abbreviations
    assert all(len(abbr) == 1 for abbr in abbreviations)
    assert find_regions("湘粤合作，沪渝联动，京津冀协同") == []


@pytest.mark.parametrize(
    ("title", "zh", "city_zh"),
    [
        ("湖南：打造国家先进制造业高地", "湖南省", None),
        ("上海举行新型工业化推进大会", "上海市", None),
        ("江西出台产融合作“白名单”", "江西省", None),
        ("重庆加快打造现代制造业集群体系", "重庆市", None),
        ("宁波舟山港宁波片港区全部实现口岸开放", "浙江省", "宁波市"),
        ("前10个月深圳先行示范区对APEC经济体进出口超2万亿元", "广东省", "深圳市"),
        ("2023中国5G+工业互联网大会在湖北武汉开幕", "湖北省", "武汉市"),
        ("吉林市举行冰雪经济推介会", "吉林省", "吉林市"),
        ("吉林出台支持民营经济发展措施", "吉林省", None),
        ("浦东新区发布集成电路产业新政", "上海市", "浦东新区"),
        ("海南州光伏装机规模再创新高", "青海省", "海南藏族自治州"),
        ("内蒙古：新能源装机突破1亿千瓦", "内蒙古自治区", None),
    ],
)
def test_detect_region_from_title(title: str, zh: str, city_zh: str | None) -> None:
    region = detect_region(title, "")
    assert region is not None
    assert (region.zh, region.city_zh) == (zh, city_zh)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("湖南江西签署产业合作框架协议", ""),
        ("重庆四川共建汽车产业集群", "近日，重庆、四川两地经信部门召开联席会议。"),
        ("国家医保药品目录调整现场谈判竞价完成", "一共对168种药品进行了谈判和竞价。"),
        ("今年前三季度全国新设外资企业超4万家", "商务部最新数据显示，广东、江苏新设企业数量居前。"),
        ("寒潮将自西向东影响我国", "中央气象台预计，内蒙古、东北地区气温普遍下降。"),
        ("数字经济发展动能持续壮大", "商务部数据显示，我国数字经济规模超过45万亿元，浙江、广东居前。"),
        ("水利枢纽工程下闸蓄水", "工程投入运营后，对改善青海、甘肃、内蒙古三省区水资源配置具有重要意义。"),
        ("气象服务分中心启用", "世界气象中心（北京）分中心今天启用。"),
    ],
)
def test_detect_region_multi_region_or_national_is_none(title: str, body: str) -> None:
    assert detect_region(title, body) is None


def test_detect_region_falls_back_to_the_lead() -> None:
    body = "本报记者 张三\n\n近日，丝绸之路博览会在陕西西安闭幕。本届博览会签约项目1857个。"
    assert detect_region("第七届丝绸之路国际博览会闭幕", body) == Region(
        zh="陕西省", en="Shaanxi", city_zh="西安市", city_en="Xi'an"
    )


def test_detect_region_ignores_bracketed_qualifiers_in_the_title() -> None:
    body = "今天，世界气象中心（北京）大湾区分中心正式启用，分中心位于广州。"
    region = detect_region("世界气象中心（北京）大湾区分中心启用", body)
    assert region is not None and (region.en, region.city_en) == ("Guangdong", "Guangzhou")


def test_detect_region_lets_a_dominant_province_win() -> None:
    body = "湖南省工信厅近日介绍，湖南今年将引进广东企业300家，湖南园区配套加快完善。"
    region = detect_region("湖南承接广东产业转移成效明显", body)
    assert region is not None and region.en == "Hunan"


@pytest.mark.parametrize(
    ("body", "city_zh"),
    [
        ("第七届产业博览会今天在陕西西安闭幕。", "西安市"),
        ("陕西今年将推动西安区域科创中心建设，新建中试平台20家。", None),
        ("西安今年将新建中试平台20家。", "西安市"),
    ],
)
def test_detect_region_narrows_to_a_city_only_where_the_city_is_the_place(
    body: str, city_zh: str | None
) -> None:
    region = detect_region("", body)
    assert region is not None and (region.zh, region.city_zh) == ("陕西省", city_zh)


def test_detect_region_only_takes_the_city_from_the_title() -> None:
    region = detect_region("湖南：打造国家先进制造业高地", "湖南省长沙市召开全省工业和信息化工作会议。")
    assert region == Region(zh="湖南省", en="Hunan")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("广西壮族自治区和广西", ["广西壮族自治区", "广西"]),
        ("浙江西部山区", ["浙江"]),  # not 江西
        ("长江西岸与珠江西岸", []),  # rivers, not 江西
        ("洞庭湖北部", []),  # a lake, not 湖北
        ("吉林省吉林市", ["吉林省", "吉林市"]),
        ("上海南京路、广州北京路", ["上海", "广州"]),  # street names
        ("发展的上海路径", ["上海"]),  # 路径 is not a street
        ("维护社会长治久安", []),
        ("黄金白银价格上涨", []),  # silver, not Baiyin
        ("白银市", ["白银市"]),
        ("海南州与海南省", ["海南州", "海南省"]),
        ("宁波舟山港", ["宁波", "舟山"]),
        ("贵安新区算力产业集群", ["贵安新区"]),
        ("在香港会展中心，澳门特别行政区", ["香港", "澳门特别行政区"]),
    ],
)
def test_find_regions(text: str, found: list[str]) -> None:
    mentions = find_regions(text)
    assert [mention.text for mention in mentions] == found
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text


def test_find_regions_resolves_cities_to_their_province() -> None:
    (mention,) = find_regions("株洲轨道交通装备")
    assert mention.region == Region(zh="湖南省", en="Hunan", city_zh="株洲市", city_en="Zhuzhou")
    assert (mention.start, mention.end) == (0, 2)


@pytest.mark.parametrize(
    ("name", "zh", "city_zh"),
    [
        ("湖南", "湖南省", None),
        ("湖南省", "湖南省", None),
        ("长沙", "湖南省", "长沙市"),
        ("长沙市", "湖南省", "长沙市"),
        ("湖南省长沙市", "湖南省", "长沙市"),
        ("重庆", "重庆市", None),
        ("Hunan", "湖南省", None),
        ("inner mongolia", "内蒙古自治区", None),
        ("Tibet", "西藏自治区", None),
        ("Xizang", "西藏自治区", None),
        ("Macao", "澳门特别行政区", None),
        ("Fuzhou", "福建省", "福州市"),  # the capital wins over Jiangxi's Fuzhou (抚州)
        ("贵安新区", "贵州省", "贵安新区"),
    ],
)
def test_region_by_name(name: str, zh: str, city_zh: str | None) -> None:
    region = region_by_name(name)
    assert region is not None
    assert (region.zh, region.city_zh) == (zh, city_zh)


@pytest.mark.parametrize("name", ["湘", "", "Suzhou", "湖南江西", "火星", "Atlantis"])
def test_region_by_name_unknown_or_ambiguous_is_none(name: str) -> None:
    assert region_by_name(name) is None


def test_xizang_is_the_english_name() -> None:
    region = region_by_name("西藏")
    assert region is not None and region.en == "Xizang"
