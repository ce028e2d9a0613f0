"""Status cues: the words that make a figure a target or an estimate, and what ends their reach.

This is the one home of the meaning rules for status. The fact engine asks it for every figure, and
the verifier reads the status from the facts (it never decides status itself).

A cue has a **meaning**, not just characters:

* **target** — a goal the source sets: 力争, 争取, 确保, 目标 (but not 完成…目标, which reports an
  achievement), 预期目标 (the "expected target" of a plan is a target), 计划 as a verb (今年计划投资…, 全年计划完成…, 我市计划新开工…; but not the nouns: 计划总投资 and
  项目计划投资, a project's size stated as a fact about it; 年度计划的85%, 计划任务), 拟, 将 (the future, not 将近 "nearly" nor 将…纳入 "put … into"), 要达到, 规划到,
  经过N年努力 (a deadline such as 到2025年 is a target when it lies ahead: the fact engine decides that
  with the document's date, :mod:`summarizer.rules.dates`);
* **estimate** — a projection: 预计, 预测, 有望, 估计, 初步测算, 预期 as a verb (预期增长7%), and what a
  project will deliver once built (建成后, 投产后 …); 将 after such a cue is that projection's future, not a
  goal (预计…将下降6—10℃). 预期 as a noun
  is not one: 符合预期, 好于预期, 超预期, 市场预期 say how results compare with expectations, and the
  results are actual;
* **plan list** — 方案明确 / 规划提出 / 意见要求 …: a plan's text introduces a list of goals that may run
  over several sentences, so its reach is the rest of the paragraph;
* **reset** — words that bring a passage back to what has happened: 已 / 已经 (a goal date already
  reached), 目前, 截至目前, 去年 and 去年同期 (not 比去年 / 比去年同期, a comparison), 此前. A reset after a cue makes the figures
  after it actual again.

The reach of a cue is the rest of its sentence (plan lists: the rest of the paragraph), from where
it stands; a subheading or section opening that states a plan (力争今年… / 2024年，…将…) makes its
section's figures targets (:func:`section_status`). Cue words inside a document title 《…》 or a
quoted name “…” are names, not cues (callers pass the sentence with names masked: :func:`mask_names`).

**Preliminary figures.** 初步核算 / 初步统计 introduce a preliminary official figure (a first release
that may be revised, e.g. quarterly GDP). It is what the statistics office reports as achieved, so its
status is ``actual``; the fact carries ``preliminary: true`` (:func:`preliminary_reach`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Final, Literal

from summarizer.rules.numerals import compile_with_first_chars
from summarizer.vocab import Status

__all__ = [
    "Cue",
    "SentenceCues",
    "mask_names",
    "preliminary_reach",
    "section_status",
]

CueKind = Literal["target", "estimate", "plan_list", "reset"]

# Each pattern is compiled behind a lookahead on the characters its matches start with (a few
# alternatives open with a lookbehind, which otherwise makes the regex engine try them everywhere).

# 预期 as a noun: how results compare with expectations. Masked before any cue is looked for.
_EXPECTATION_NOUN: Final = compile_with_first_chars(
    "符好优超高低不弱强达稳改提扭引管市企社居消投心增发政预",
    r"(?:符合|好于|优于|超出|超过|超|高于|低于|不及|弱于|强于|达到|稳定|改善|提振|扭转|引导|管理|市场|企业|社会|"
    r"居民|消费者|投资者|心理|增长|发展|政策)预期"
    r"|预期(?:向好|改善|转好|好转|明显|持续|稳定|回暖|偏弱|减弱|转弱|不稳|管理|引导)"
)
_TARGET: Final = compile_with_first_chars(
    "预力争确目计拟规将要经通用",
    r"预期目标|力争|争取|确保(?!了)|(?<!完成)(?<!实现)(?<!达成)(?<!实现了)(?<!完成了)(?<!超额完成)目标(?!任务完成)"
    r"|计划(?!总投资|投资|单列|生育|的|任务)|(?<!项目)(?<!工程)计划(?=投资)|拟(?=[\u4e00-\u9fff])|规划(?:到|期末|目标)"
    r"|将(?!近|[^，。；]{0,12}(?:作为|纳入|列为|视为|列入|转化为|分为))"
    r"|要(?:达到|实现|突破|超过|完成|确保|力争)|(?:经过|通过|用)[一二两三四五六七八九十\d]+年(?:左右)?(?:的)?努力"
)
# What a project will deliver once built (建成后每年可发电68亿千瓦时) is a projection too.
_ESTIMATE: Final = compile_with_first_chars(
    "预有估初建投竣运达全通完",
    r"预计|预测|有望|估计|估算|初步测算|预期(?=[^，。；]{0,6}(?:增长|下降|达到|实现|为|将|超过|突破|\d))"
    r"|(?:建成|投产|投运|竣工|运营|达产|全面投用|投入使用|通车|完工|运行)(?:后|以后|之后)"
)
_PLAN_LIST: Final = re.compile(
    r"(?:方案|规划|计划|意见|纲要|通知|措施|行动|办法|政策|文件|目标)[^，。；]{0,4}"
    r"(?:明确|提出|要求|指出|规定|确定|部署)"
)
# 已 before a verb (已建成, 已达到), never 已经 twice; 去年/上年 (同期) not as a comparison base (比去年, 与上年同期相比).
_RESET: Final = compile_with_first_chars(
    "已业目当截此去上",
    r"已经|业已|已有|已(?=[\u4e00-\u9fff])|目前|当前|截至目前|截止目前|此前|(?<![比较与同于和跟超过])(?:去年|上年)(?!同期(?:相比|相较|比较|对比|基数|水平))"
)
_PRELIMINARY: Final = re.compile(r"初步核算|初步统计|据初步统计|初步汇总")
# Cue words inside a document title 《…》 or a quoted name “…” are part of a name, not a cue.
_NAMES: Final = re.compile(r"《[^》\n]*》|“[^”\n]*”|\"[^\"\n]*\"")
_NAME_OPENERS: Final = re.compile(r"[《“\"]")
_HEADING_TARGET: Final = re.compile(r"力争|目标|争取|计划|将(?!近)")
_OPENING_PLAN: Final = re.compile(
    r"^(?:(?:19|20)\d\d年|今年|明年|下一步|下阶段|未来)[，,]?[^。\n]{0,40}?(?:将(?!近)|力争|计划|目标|要)"
)


def mask_names(text: str) -> str:
    """``text`` with titles and quoted names blanked out (same length: offsets are unchanged)."""
    if not _NAME_OPENERS.search(text):
        return text
    return _NAMES.sub(lambda m: "\u3000" * len(m.group()), text)


@dataclass(frozen=True, slots=True)
class Cue:
    """A status cue in sentence coordinates."""

    start: int
    end: int
    text: str
    kind: CueKind

    @property
    def status(self) -> Status:
        if self.kind == "estimate":
            return "estimate"
        if self.kind == "reset":
            return "actual"
        return "target"


# Whom a project will serve (工程…惠及沿线1100多万人) is what it is built for: a projection.
_PROJECT: Final = re.compile(r"工程|项目|通道|线路")
_BENEFIT: Final = re.compile(r"惠及|受益(?:人口|群众)?")


def _blank(match: re.Match[str]) -> str:
    return "\u3000" * len(match.group())


_KINDS: Final[tuple[tuple[re.Pattern[str], CueKind], ...]] = (
    (_TARGET, "target"), (_ESTIMATE, "estimate"), (_PLAN_LIST, "plan_list"), (_RESET, "reset"),
)  # fmt: skip


def _find_cues(masked: str) -> list[Cue]:
    neutral = _EXPECTATION_NOUN.sub(_blank, masked)
    cues: list[Cue] = []
    for pattern, kind in _KINDS:
        for m in pattern.finditer(neutral):
            cues.append(Cue(m.start(), m.end(), m.group(), kind))
    project = _PROJECT.search(neutral)
    if project is not None:
        for m in _BENEFIT.finditer(neutral, project.end()):
            cues.append(Cue(m.start(), m.end(), m.group(), "estimate"))
    if len(cues) > 1:
        cues.sort(key=_cue_order)
    return cues


def _cue_order(cue: Cue) -> tuple[int, int]:
    return cue.end, cue.start


@dataclass(slots=True)
class SentenceCues:
    """The cues of one sentence (names masked), found once, asked once per figure."""

    cues: list[Cue]
    _ends: list[int]

    @classmethod
    def of(cls, sentence: str) -> SentenceCues:
        return cls.of_masked(mask_names(sentence))

    @classmethod
    def of_masked(cls, masked: str) -> SentenceCues:
        """The cues of a sentence whose names are masked already (:func:`mask_names`)."""
        cues = _find_cues(masked)
        return cls(cues, [cue.end for cue in cues])

    def governing(self, position: int) -> Cue | None:
        """The last cue that ends at or before ``position`` (the one that governs a figure there)."""
        index = bisect_right(self._ends, position) - 1
        return self.cues[index] if index >= 0 else None

    def status_at(self, position: int, inherited: Status) -> tuple[Status, Cue | None]:
        """The status of a figure at ``position``, and the cue that decided it (None: ``inherited``).

        ``inherited`` is what holds before the sentence: the section's status, or an open plan list.
        """
        index = bisect_right(self._ends, position) - 1
        if index < 0:
            return inherited, None
        cue = self.cues[index]
        if cue.kind == "target" and cue.text == "将":
            # 将 marks the future; under a forecast (预计…将, 建成后将) the future is an estimate.
            for earlier in reversed(self.cues[:index]):
                if earlier.kind == "reset":
                    break
                if earlier.kind == "estimate":
                    return "estimate", earlier
        return cue.status, cue

    def plan_list_open(self) -> Cue | None:
        """A plan list still open at the end of the sentence (a later reset closes it)."""
        for cue in reversed(self.cues):
            if cue.kind == "reset":
                return None
            if cue.kind == "plan_list":
                return cue
        return None


def section_status(heading: str, opening: str) -> Status:
    """The status a subheading and its section's opening give the figures below them.

    A heading with a plan cue (力争今年…, 目标…) or an opening that starts with a year, 今年 or 下一步
    and states a plan (2024年，…将…) makes the section a plan: its figures are targets unless their own
    sentence says otherwise.
    """
    if _HEADING_TARGET.search(mask_names(heading)) or _OPENING_PLAN.match(mask_names(opening)):
        return "target"
    return "actual"


def preliminary_reach(paragraph: str) -> int | None:
    """Where a preliminary-figure cue (初步核算) starts in ``paragraph``: every figure after it in the
    paragraph is a preliminary official figure. None when there is none."""
    match = _PRELIMINARY.search(paragraph)
    return match.start() if match else None
