"""Standard English renderings of recurring Chinese policy and statistics terms.

The glossary is data (``prompts/glossary.tsv``, shipped as ``summarizer.prompts``; its conventions are
in ``prompts/GLOSSARY.md``). Two consumers use it: the prompt builder puts the coined names a segment
quotes into that segment's prompt (``names_in``), and the rule-based fact engine labels indicators
(``translate_indicator``). The glossary never composes a translation itself; the fact engine composes
labels from its parts (``summarizer.rules.indicators.english_label``), with the help of the label-only
entries of the category ``word`` (plain words such as 省 provinces), which prompts never list.

Chinese keys are stored bare, without quotation marks (专精特新小巨人), and every comparison ignores
quotation marks and whitespace, because the same term appears as 专精特新“小巨人”, "智赋万企" or
“智赋万企” depending on the writer, and layout damage scatters spaces through table labels (粮  食).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from summarizer.gazetteer import find_regions
from summarizer.text.alternation import literal_alternation

Category = Literal["indicator", "programme", "policy", "organisation", "term", "word"]
# Plain words (省 provinces, 村 villages, 展商 exhibitors) that indicator labels are composed from: the
# fact engine uses them; prompts do not list them, they are not terminology a translator needs.
_LABEL_ONLY: frozenset[str] = frozenset({"word"})
_NAME_CATEGORIES: frozenset[str] = frozenset({"programme", "policy"})
_QUOTED = re.compile(r"[“\"《「『‘]([^”\"》」』’\n]{2,40})[”\"》」』’]")

GLOSSARY_RESOURCE = "glossary.tsv"
_HEADER = ("zh", "en", "category", "note")

# Quotation marks of every style the genre uses, and all whitespace (incl. U+3000 and no-break space).
_IGNORED = re.compile(r"[“”\"‘’'「」『』\s]+")
# Book-title marks around a whole document name: 《中国制造2025》 is the entry 中国制造2025.
_TITLE_MARKS = "《》〈〉"
# Words that only say whose figure it is (the province, the city, the nation), not what is measured.
_SCOPE_PREFIX = re.compile(r"^(?:全省|全市|全区|全县|全州|全国|我国|我省|我市|我区|本省|本市|本区|中国)的?")


def normalise_term(text: str) -> str:
    """The matching form of a term: quotation marks and whitespace removed, outer 《》 stripped."""
    return _IGNORED.sub("", text).strip(_TITLE_MARKS)


class GlossaryEntry(BaseModel):
    """One term: the Chinese as it appears in text (without quotes), its standard English, its kind,
    and where the rendering comes from."""

    model_config = ConfigDict(frozen=True)

    zh: str
    en: str
    category: Category
    note: str = ""

    @field_validator("zh")
    @classmethod
    def _zh_is_bare(cls, value: str) -> str:
        if not value or normalise_term(value) != value:
            raise ValueError("zh must be non-empty and carry no quotation marks or spaces")
        return value

    @field_validator("en")
    @classmethod
    def _en_is_printable_ascii(cls, value: str) -> str:
        # Renderings go verbatim into briefings and CSV cells: plain ASCII keeps them identical
        # everywhere (straight quotes mark quoted names, e.g. "little giant").
        if not value.strip() or value != value.strip():
            raise ValueError("en must be non-empty without surrounding spaces")
        if not all(" " <= char <= "~" for char in value):
            raise ValueError("en must be printable ASCII (use straight quotes)")
        return value


class Glossary:
    """The entries and the lookups over them; build with ``load_glossary()`` or ``parse_glossary()``."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self.entries: tuple[GlossaryEntry, ...] = tuple(entries)
        self._by_zh: dict[str, GlossaryEntry] = {}
        for entry in self.entries:
            if entry.zh in self._by_zh:
                raise ValueError(f"glossary: {entry.zh!r} is listed twice")
            self._by_zh[entry.zh] = entry
        # The longest term at a position, so that 规模以上工业增加值 wins over 规模以上工业 and 增加值.
        keys = [zh for zh, entry in self._by_zh.items() if entry.category not in _LABEL_ONLY]
        self._pattern: re.Pattern[str] | None = re.compile(literal_alternation(keys)) if keys else None
        # Short content hash, recorded in run metadata so a briefing says which glossary it used.
        canonical = "\n".join("\t".join((e.zh, e.en, e.category, e.note)) for e in self.entries)
        self.version: str = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, zh: str) -> GlossaryEntry | None:
        """The entry for exactly this term, ignoring quotation marks and spaces."""
        return self._by_zh.get(normalise_term(zh))

    def translate_indicator(self, zh: str) -> str | None:
        """English label for the noun phrase a figure measures.

        Leading words that only scope the figure are dropped until an entry matches: a province or
        city (湖南省数字经济总量, 长沙市…), 全省 / 全市 / 全国 / 我国 / 本市 … and a following 的.
        Nothing else is dropped or guessed: a phrase with no entry gives None.
        """
        key = normalise_term(zh)
        while key:
            entry = self._by_zh.get(key)
            if entry is not None:
                return entry.en
            shorter = _without_leading_scope(key)
            if shorter == key:
                return None
            key = shorter
        return None

    def entries_in(self, text: str) -> list[GlossaryEntry]:
        """Entries whose term occurs in ``text``, in order of first occurrence, each once.

        Matching is leftmost-longest and non-overlapping: 规模以上工业增加值 is reported, not also the
        规模以上工业 and 增加值 inside it. Quotation marks and spaces in the text are ignored. Entries of
        the category ``word`` (plain words labels are composed from) are never reported.
        """
        if self._pattern is None:
            return []
        found: dict[str, GlossaryEntry] = {}
        for match in self._pattern.finditer(_IGNORED.sub("", text)):
            found.setdefault(match.group(), self._by_zh[match.group()])
        return list(found.values())

    def names_in(self, text: str) -> list[GlossaryEntry]:
        """The entries of ``text`` a translator could not guess: names of programmes and policies
        that the text sets off in quotation or title marks (“智赋万企”, “芯屏端核网”), coined names
        whose English is a convention. Terms the text writes plainly (稳增长, 产业集群) are left to
        the translator, and names are applied to the answer's programmes and organisations after
        it (:meth:`lookup`): listing every term would cost more of a prompt than the article."""
        # Each quoted name is read on its own: in 专精特新“小巨人”企业 the name is 小巨人, though the
        # longest term of the running text is 专精特新小巨人企业.
        found: dict[str, GlossaryEntry] = {}
        for quoted in _QUOTED.finditer(text):
            for entry in self.entries_in(quoted.group(1)):
                if entry.category in _NAME_CATEGORIES:
                    found.setdefault(entry.zh, entry)
        return list(found.values())


def _without_leading_scope(key: str) -> str:
    """``key`` with one leading region name or scope word (and a following 的) removed."""
    scope = _SCOPE_PREFIX.match(key)
    if scope is not None:
        return key[scope.end() :]
    mentions = find_regions(key)
    if mentions and mentions[0].start == 0:
        rest = key[mentions[0].end :]
        return rest.removeprefix("的")
    return key


def parse_glossary(text: str, source: str = GLOSSARY_RESOURCE) -> Glossary:
    """A glossary from TSV text (header ``zh	en	category	note``); a malformed row raises a
    ValueError naming ``source`` and the line. Blank lines are allowed."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or tuple(lines[0].split("\t")) != _HEADER:
        raise ValueError(f"{source} line 1: header must be the columns {', '.join(_HEADER)}, tab-separated")
    entries: list[GlossaryEntry] = []
    first_line_of: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(_HEADER):
            raise ValueError(f"{source} line {number}: expected 4 tab-separated columns, found {len(fields)}")
        zh, en, category, note = fields
        try:
            entry = GlossaryEntry.model_validate({"zh": zh, "en": en, "category": category, "note": note})
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            raise ValueError(f"{source} line {number}: {problems}") from error
        if entry.zh in first_line_of:
            raise ValueError(
                f"{source} line {number}: {entry.zh!r} already listed on line {first_line_of[entry.zh]}"
            )
        first_line_of[entry.zh] = number
        entries.append(entry)
    return Glossary(entries)


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    """The shipped glossary (``summarizer.prompts/glossary.tsv``), parsed once per process."""
    text = (resources.files("summarizer.prompts") / GLOSSARY_RESOURCE).read_text(encoding="utf-8")
    return parse_glossary(text)
