"""Where a missing clause goes: the contract's articles, the one that best matches a family, the new article's number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from clauselint.fix.docx_edit import has_content, has_numbering, has_section_break, w
from clauselint.nlp.lexical import fold

if TYPE_CHECKING:
    from lxml import etree

    from clauselint.documents.model import Document
    from clauselint.fix.docx_edit import DocxPackage

DATA = Path(__file__).resolve().parent / "data" / "placement.yaml"

# Latin multiplicative adverbs, the way French legal texts number an inserted article (7 bis, 7 ter...).
LATIN = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies",
         "undecies", "duodecies", "terdecies", "quaterdecies", "quindecies", "sexdecies")

_SUFFIXES = "|".join([*LATIN, *(x.upper() for x in LATIN)])
_MANUAL = re.compile(
    r"^(?:(?P<word>ARTICLE|Article|ART\.|Art\.)\s*(?P<num>\d{1,3}(?:er|ER)?|premier|PREMIER)|(?P<bare>\d{1,3}))"
    r"(?:\s+(?P<suffix>" + _SUFFIXES + r"))?"
    r"(?P<sep>\s*[-–—:.)]\s*|\s+)(?P<title>(?!\d)\S.*)$"
)
_ARTICLE_WORD = re.compile(r"^(?:article|art\.)\s*\d", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """The placement data (clauselint/fix/data/placement.yaml)."""

    families: dict[str, tuple[str, ...]]
    final: tuple[str, ...]
    annexes: tuple[str, ...]


@cache
def rules() -> Rules:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return Rules(
        families={k: tuple(fold(x) for x in v) for k, v in data["families"].items()},
        final=tuple(fold(x) for x in data["final"]),
        annexes=tuple(fold(x) for x in data["annexes"]),
    )


def _has_phrase(folded: str, phrase: str) -> bool:
    return re.search(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])", folded) is not None


@dataclass
class ManualNumber:
    """An article number typed by hand: « Article 7 bis – Titre », « ARTICLE PREMIER : … », « 12. Titre »."""

    word: str  # « Article », « ARTICLE », « Art. », or "" for « 12. Titre »
    number: int
    typed: str  # the number as typed: « 7 », « 1er », « premier »
    suffix: str | None  # bis, ter...
    sep: str  # what separates the number from the title, e.g. « – »
    title: str

    @classmethod
    def parse(cls, text: str) -> "ManualNumber | None":
        match = _MANUAL.match(text)
        if not match:
            return None
        typed = match["num"] or match["bare"]
        digits = re.match(r"\d+", typed)
        number = int(digits.group(0)) if digits else 1
        sep = match["sep"]
        if not match["word"] and not sep.strip():
            return None  # « 2024 Rapport annuel » is not a numbered heading
        return cls(match["word"] or "", number, typed, match["suffix"], sep, match["title"])

    def suffix_rank(self) -> int:
        return LATIN.index(self.suffix.lower()) + 1 if self.suffix else 0

    def render(self) -> str:
        prefix = f"{self.word} " if self.word else ""
        suffix = f" {self.suffix}" if self.suffix else ""
        return f"{prefix}{self.typed}{suffix}{self.sep if self.sep.strip() else ' '}{self.title}"


@dataclass
class Heading:
    element: "etree._Element"
    text: str  # as a reader shows it (with an automatic number's label)
    own_text: str  # the paragraph's own text
    level: int

    @property
    def automatic(self) -> bool:
        """Numbered by Word (a label the paragraph's text does not hold)."""
        return self.text != self.own_text

    @property
    def folded(self) -> str:
        return fold(self.text)


@dataclass
class Article:
    heading: Heading
    elements: list["etree._Element"]  # body children from the heading to the article's end
    subheadings: list[Heading] = field(default_factory=list)

    @property
    def manual(self) -> ManualNumber | None:
        return ManualNumber.parse(self.heading.own_text)

    def last_content(self) -> "etree._Element":
        """Where a following article is inserted: after the last element a reader sees (a
        trailing spacer, page break or section break stays where it is)."""
        for element in reversed(self.elements):
            if has_content(element) and not (has_section_break(element) and not element.findtext(f".//{w('t')}")):
                return element
        return self.elements[0]

    def title(self) -> str:
        manual = self.manual
        return manual.title if manual else self.heading.own_text


@dataclass
class Outline:
    """The articles of the contract (before its annexes), and the body's children in order."""

    articles: list[Article]
    children: list["etree._Element"]
    headings: list[Heading]
    level: int | None

    def score(self, article: Article, family: str) -> float:
        keywords = rules().families.get(family, ())
        best = 0.0
        for index, keyword in enumerate(keywords):
            weight = float(len(keywords) - index)
            if _has_phrase(article.heading.folded, keyword):
                best = max(best, weight)
            elif any(_has_phrase(sub.folded, keyword) for sub in article.subheadings):
                best = max(best, weight / 2)
        return best

    def top_score(self, family: str) -> float:
        """The score of a heading that holds the family's first (most telling) keyword."""
        return float(len(rules().families.get(family, ())))

    def best_match(self, family: str) -> tuple[Article, float] | None:
        scored = [(self.score(a, family), i) for i, a in enumerate(self.articles) if not self.is_final(a)]
        scored = [(s, i) for s, i in scored if s > 0]
        if not scored:
            return None
        score, index = max(scored, key=lambda item: (item[0], -item[1]))
        return self.articles[index], score

    def is_final(self, article: Article) -> bool:
        return any(_has_phrase(article.heading.folded, k) for k in rules().final)

    def first_final(self) -> Article | None:
        for article in self.articles:
            if self.is_final(article):
                return article
        return None

    def following(self, article: Article) -> Article | None:
        index = self.articles.index(article)
        return self.articles[index + 1] if index + 1 < len(self.articles) else None

    def previous(self, article: Article) -> Article | None:
        index = self.articles.index(article)
        return self.articles[index - 1] if index > 0 else None

    def last_body_element(self) -> "etree._Element | None":
        for element in reversed(self.children):
            if has_content(element):
                return element
        return None


def build_outline(package: "DocxPackage", document: "Document") -> Outline:
    """Join the reader's headings (levels, numbering labels) to the body's paragraphs."""
    paragraphs = package.body_paragraphs()
    body = package.body
    children = [c for c in body if c.tag != w("sectPr")]
    position = {id(c): i for i, c in enumerate(children)}
    headings: list[Heading] = []
    cursor = 0
    for block in document.blocks:
        if block.kind != "heading":
            continue
        wanted = " ".join(block.text.split())
        for j in range(cursor, len(paragraphs)):
            own = paragraphs[j].text
            if own and (wanted == own or wanted.endswith(" " + own)):
                headings.append(Heading(paragraphs[j].element, wanted, own, block.heading_level or 1))
                cursor = j + 1
                break
    level = _article_level(headings)
    articles: list[Article] = []
    if level is None:
        return Outline([], children, headings, None)
    index_of = [position[id(package.top_level(h.element))] for h in headings]
    for k, heading in enumerate(headings):
        if heading.level != level:
            continue
        if _is_annex(heading):
            break
        end = len(children)
        for later in range(k + 1, len(headings)):
            if headings[later].level <= level:
                end = index_of[later]
                break
        start = index_of[k]
        article = Article(heading, children[start:max(end, start + 1)])
        article.subheadings = [h for h, i in zip(headings, index_of) if start < i < end and h.level > level]
        articles.append(article)
    return Outline(articles, children, headings, level)


def _is_annex(heading: Heading) -> bool:
    return any(heading.folded.startswith(k + " ") or heading.folded == k for k in rules().annexes)


def _article_level(headings: list[Heading]) -> int | None:
    if not headings:
        return None
    for heading in headings:
        if _ARTICLE_WORD.match(heading.text) or _ARTICLE_WORD.match(heading.own_text):
            return heading.level
    counts: dict[int, int] = {}
    for heading in headings:
        if not _is_annex(heading):
            counts[heading.level] = counts.get(heading.level, 0) + 1
    repeated = [lvl for lvl, n in counts.items() if n >= 2]
    return min(repeated) if repeated else min(h.level for h in headings)


def numbered_title(anchor: Article | None, previous: ManualNumber | None, in_middle: bool, title: str) -> tuple[str, ManualNumber | None]:
    """The new article's heading text, and its number when articles are numbered by hand.

    Inserted between two hand-numbered articles, it takes the previous one's number with the
    next Latin suffix (« Article 7 bis », then « 7 ter »): the articles after it keep their
    numbers and every cross-reference stays true. After the last article it takes the next number.
    """
    base = previous or (anchor.manual if anchor is not None else None)
    if base is None:
        return title, None
    shown_title = title.upper() if base.title.isupper() else title
    if in_middle:
        rank = min(base.suffix_rank() + 1, len(LATIN))
        suffix = LATIN[rank - 1].upper() if base.word.isupper() else LATIN[rank - 1]
        number = ManualNumber(base.word, base.number, base.typed, suffix, base.sep, shown_title)
    else:
        number = ManualNumber(base.word, base.number + 1, str(base.number + 1), None, base.sep, shown_title)
    return number.render(), number


def article_is_automatic(article: Article) -> bool:
    return article.heading.automatic or has_numbering(article.heading.element)
