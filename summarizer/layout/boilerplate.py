"""Page furniture and planted instructions: text that is on the page but is not the article.

Two families, recognised by kind, never by one page's exact words:

* **boilerplate** — adverts and promotions (领取50元红包, 100%有奖, 扫码下载…客户端, 关注…公众号), editor and
  responsibility lines (责任编辑：…, 校对：…), image and video credits (图片来源：…, （新华社记者 张三 摄）),
  share prompts and navigation (分享到, 点击右上角分享到朋友圈, 长按识别二维码, 扫码关注, 阅读原文, 上一篇: a
  whole line of them, not a sentence that tells of sharing), copyright lines (版权所有, 未经授权不得转载), and
  trailers for other programmes (…栏目将播出对…的专访). A whole paragraph of furniture is set aside;
  so is a credit in brackets inside a paragraph.
* **suspected injection** — a sentence that addresses an AI or a summariser instead of a reader
  (忽略以上所有指令, 你现在是…, 在摘要中写…, "ignore previous instructions", "system prompt"). The
  sentence is set aside: its figures are not facts, no model is shown it, and the briefing says so.

What is set aside keeps its span in the original text, so a reader can see what was left out and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["Furniture", "SetAsideKind", "inline_spans", "paragraph_kind"]

SetAsideKind = Literal[
    "advert", "editor_line", "credit", "share_prompt", "copyright", "trailer", "suspected_injection"
]

_SHORT = 90  # furniture paragraphs are short; an article paragraph that mentions 扫码 is not furniture

# A prompt to the reader to share, follow, save or scan: 点击右上角分享到朋友圈, 长按识别二维码关注我们,
# 扫码关注…, 分享给更多朋友. Set aside only as a whole line of such prompts (one or more, joined by
# commas), never a news sentence that tells of sharing (用户点击分享后…, 转发量达到…).
_CLAUSE_CHARS: Final = r"[^。！？!?，,；;、\d\n]"
_SHARE_PROMPT_CLAUSE: Final = (
    r"(?:请|欢迎|记得|别忘了|喜欢就|觉得不错就|觉得有用就)?"
    rf"(?:(?:点击|点|轻点|轻触|戳){_CLAUSE_CHARS}{{0,10}}?(?:分享|转发|收藏|关注|订阅|赞|在看|星标|置顶|阅读原文|查看原文|查看更多|阅读更多|查看详情)"
    rf"|长按(?:识别|扫描|扫码)?{_CLAUSE_CHARS}{{0,6}}?二维码"
    rf"|(?:扫码|扫一扫|扫描{_CLAUSE_CHARS}{{0,4}}?二维码){_CLAUSE_CHARS}{{0,4}}?"
    r"(?:关注|订阅|阅读|观看|收听|查看|进群|加入|了解更多|下载)"
    rf"|(?:分享|转发)(?:给|到|至){_CLAUSE_CHARS}{{0,8}}?(?:朋友|好友|朋友圈|微信|微博|群)"
    r"|(?:点击|点)(?:右上角|左上角|右下角|下方|上方|这里|此处|图片|链接|标题下方)"
    rf"|(?:关注|订阅)(?:我们|本号|“[^”\n]{{1,12}}”|{_CLAUSE_CHARS}{{0,8}}?(?:公众号|视频号|早报|晚报|频道))"
    r"|(?:获取|了解|查看|阅读|发现)更多(?:资讯|精彩|内容|信息|新闻)?)"
    rf"{_CLAUSE_CHARS}{{0,16}}"
)
# 扫一扫二维码 / 扫描下方二维码 as a clause of its own (what to do next follows after a comma).
_BARE_SCAN: Final = (
    rf"(?:请|欢迎)?(?:扫一扫(?:{_CLAUSE_CHARS}{{0,4}}?二维码)?|扫描{_CLAUSE_CHARS}{{0,4}}?二维码)(?=[，,、。！!～~…\s】\]）)]|$)"
)
_PROMPT_CLAUSE: Final = rf"(?:{_BARE_SCAN}|{_SHARE_PROMPT_CLAUSE})"
_SHARE_PROMPT_LINE: Final = re.compile(
    r"^(?!.*(?:红包|有奖|抽奖|优惠券|领取))[\s【\[（(]*"
    rf"{_PROMPT_CLAUSE}(?:[，,、]\s*{_PROMPT_CLAUSE})*"
    r"[。！!～~…]*[\s】\]）)]*$"
)

_PARAGRAPH_KINDS: Final[tuple[tuple[SetAsideKind, re.Pattern[str]], ...]] = (
    ("share_prompt", _SHARE_PROMPT_LINE),
    (
        "editor_line",
        re.compile(
            r"^[\s（(【\[]*(?:责任编辑|责编|编辑|校对|审核|审校|终审|初审|监制|制作|统筹|策划|美编|主编|值班编辑)"
            r"\s*[:：|｜/]\s*[\u4e00-\u9fffA-Za-z·\s、，,]{1,30}[）)】\]]?\s*$"
        ),
    ),
    (
        "credit",
        re.compile(
            r"^[\s（(【\[]*(?:图片来源|图源|图片|图|图为|摄影|视频来源|视频|资料图|来源|出品)\s*[:：|｜/][^。！？]*$"
            r"|^[（(][^（）()]{0,30}(?:摄|供图|图)[）)]\s*$"
        ),
    ),
    (
        # An advert speaks to the reader: take, scan, download, follow, click (not 发放消费红包, a news fact).
        "advert",
        re.compile(
            r"(?=[领抢赢扫点立马长下安关\d限广【\[])"  # what a match starts with: the search skips the rest
            r"(?:(?:领取|领|抢|赢取?|扫码|扫描|点击|立即|马上|长按|下载|安装|关注)[^。！？]{0,12}"
            r"(?:红包|有奖|抽奖|优惠券|二维码|APP|App|app|客户端|公众号|微信号|视频号|抖音号|链接)"
            r"|\d+%有奖|限时特惠|广告热线|[【\[]广告[】\]])"
        ),
    ),
    (
        "share_prompt",
        # 转发 / 点赞 / 收藏 as a button's word, not 转发量达到… (a news line about sharing)
        re.compile(
            r"^(?:分享到|分享至|(?:转发|点赞|收藏|在看)(?=$|[\s|｜/·:：,，])|阅读原文|返回顶部|上一篇|下一篇|打印本页|关闭窗口|"
            r"【字体|字号[:：])"
        ),
    ),
    ("copyright", re.compile(r"版权所有|未经(?:授权|许可)[^。]{0,10}(?:转载|使用)|违者必究|Copyright|©")),
    ("trailer", re.compile(r"^[^。]{0,40}(?:栏目|频道|节目)[^。]{0,30}将(?:于[^。]{0,12})?播出[^。]*[。]?$|敬请(?:收看|关注)")),
)

# The patterns of _PARAGRAPH_KINDS whose every alternative starts with ``^`` (none is MULTILINE)
# match at the start or nowhere: ``match`` finds what ``search`` finds without trying every other
# position. (The trailer has an alternative anywhere; the advert and copyright patterns are unanchored.)
_ANCHORED: Final = (0, 1, 2, 4)
_PARAGRAPH_FINDERS: Final = tuple(
    (kind, pattern.match if position in _ANCHORED else pattern.search)
    for position, (kind, pattern) in enumerate(_PARAGRAPH_KINDS)
)

# Instructions to a model. Each alternative is a way of speaking to an AI that news never uses.
_INJECTION: Final = re.compile(
    r"(?=[忽无你作请在系提sdiyw<])"  # what a match starts with (as the advert's): the search skips the rest
    r"(?:忽略(?:以上|上述|之前|前面|先前|此前|所有|全部)?(?:的|所有的?)?(?:所有|全部)?(?:的)?(?:指令|指示|提示词?|要求|规则|设定)"
    r"|无视(?:以上|之前|所有)[^。]{0,6}(?:指令|指示|提示)"
    r"|你现在是|你是一个?(?:AI|人工智能|助手|模型|语言模型)|作为(?:一个)?(?:AI|人工智能|语言模型)"
    r"|(?:请)?在(?:摘要|总结|简报|回答|输出)中(?:写|写上|写入|加入|注明|说明|声称|输出)"
    r"|系统提示|提示词注入|(?:system|developer)\s+(?:prompt|message)"
    r"|ignore\s+(?:all\s+)?(?:the\s+)?(?:previous|prior|above|earlier)\s+(?:instructions|prompts|messages)"
    r"|disregard\s+(?:all\s+)?(?:the\s+)?(?:previous|prior|above)\s+instructions"
    r"|you\s+are\s+now\s+(?:a|an|the)\b|(?:write|say|state)\s+in\s+(?:the|your)\s+summary"
    r"|<\|?(?:im_start|im_end|system)\|?>)",
    re.IGNORECASE,
)
# A credit in brackets inside a paragraph: （新华社记者 张三 摄）, (图片来源：视觉中国).
_INLINE_CREDIT: Final = re.compile(
    r"[（(](?:[^（）()\n]{0,24}(?:记者|通讯员)[^（）()\n]{0,12}摄|图片来源[:：][^（）()\n]{1,20}|[^（）()\n]{1,16}供图)[）)]"
)
_SENTENCE_END: Final = re.compile(r"[。！？!?\n]|\.(?=\s|$|[^\x00-\x7f])")  # "vehicles.示例…": a joined line
# Words one of which every match of _INJECTION holds (its English alternatives all hold one of the
# English words, and a Latin letter that has no other case form; its tags a "<"), and of _INLINE_CREDIT: a paragraph with none of them is
# not searched (the case-blind search is slow, and almost every paragraph is innocent).
_INJECTION_WORDS: Final = re.compile("忽略|无视|你|作为|摘要|总结|简报|回答|输出|提示")
_LATIN_OR_TAG: Final = re.compile(r"[A-Za-z<]")
_ENGLISH_INJECTION_WORDS: Final = re.compile(
    r"(?=[sdiyw<])(?:system|developer|ignore|disregard|you|write|say|state|<)", re.IGNORECASE
)
_CREDIT_WORDS: Final = re.compile("摄|图片来源|供图")
# The first character of every word of _INJECTION_WORDS and _CREDIT_WORDS, and what _LATIN_OR_TAG
# finds: one search (a character class, scanned in C) instead of three for a paragraph that holds
# none of them.
_ANY_CUE: Final = re.compile("[忽无你作摘总简回输提摄图供A-Za-z<]")


@dataclass(frozen=True, slots=True)
class Furniture:
    """A span of a paragraph that is not article text: ``text[start:end]`` in the paragraph's coordinates."""

    start: int
    end: int
    kind: SetAsideKind
    reason: str


def paragraph_kind(text: str) -> SetAsideKind | None:
    """The kind of page furniture a whole paragraph is, or None when it is article text."""
    stripped = text.strip()
    if not stripped or len(stripped) > _SHORT:
        return None
    for kind, find in _PARAGRAPH_FINDERS:
        if find(stripped):
            return kind
    return None


def inline_spans(text: str) -> list[Furniture]:
    """Spans inside a paragraph to set aside: sentences that address an AI, bracketed credits.

    A suspected injection takes its whole sentence (from the previous sentence's end to its own), so
    that no figure it plants stays behind.
    """
    if _ANY_CUE.search(text) is None:
        return []  # none of the words either search needs: almost every paragraph
    spans: list[Furniture] = []
    taken_until = 0
    may_address_an_ai = _INJECTION_WORDS.search(text) is not None or (
        _LATIN_OR_TAG.search(text) is not None and _ENGLISH_INJECTION_WORDS.search(text) is not None
    )
    for match in _INJECTION.finditer(text) if may_address_an_ai else ():
        if match.start() < taken_until:
            continue
        start = _sentence_start(text, match.start(), taken_until)
        end = _sentence_end(text, match.end())
        spans.append(Furniture(start, end, "suspected_injection", f"addresses an AI: '{match.group()}'"))
        taken_until = end
    for match in _INLINE_CREDIT.finditer(text) if _CREDIT_WORDS.search(text) else ():
        if not any(s.start <= match.start() < s.end for s in spans):
            spans.append(Furniture(match.start(), match.end(), "credit", "an image credit"))
    return sorted(spans, key=lambda s: s.start)


def _sentence_start(text: str, position: int, floor: int) -> int:
    """Where the sentence holding ``position`` starts, looking back no further than ``floor``."""
    start = position
    while start > floor and not _SENTENCE_END.match(text, start - 1):
        start -= 1
    while start < position and text[start] in " \t\u3000":
        start += 1
    return start


def _sentence_end(text: str, position: int) -> int:
    match = _SENTENCE_END.search(text, position)
    return match.end() if match else len(text)
