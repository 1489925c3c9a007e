"""Splitting a pasted draft into articles (第X条) so that comments can point at one."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMERAL = "零〇一二三四五六七八九十百千两0-9０-９"
ARTICLE_RE = re.compile(rf"^\s*(第[{_NUMERAL}]+条)[\s　:：]*(.*)$")
CHAPTER_RE = re.compile(rf"^\s*(第[{_NUMERAL}]+[章节编])[\s　]*(.*)$")


@dataclass
class ParsedArticle:
    label: str
    chapter: str
    body: str


def split_articles(text: str) -> list[ParsedArticle]:
    """Articles when the text has 第X条 lines, else one item per paragraph (第N段).

    Lines before the first article (title, preamble) are not an article; chapter headings (第一章 总则)
    are kept on the articles that follow them.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if any(ARTICLE_RE.match(line) for line in lines):
        articles: list[ParsedArticle] = []
        chapter = ""
        for line in lines:
            if m := CHAPTER_RE.match(line):
                chapter = f"{m.group(1)} {m.group(2)}".strip()
            elif m := ARTICLE_RE.match(line):
                articles.append(ParsedArticle(m.group(1), chapter, m.group(2).strip()))
            elif articles and line.strip():
                current = articles[-1]
                current.body = f"{current.body}\n{line.strip()}" if current.body else line.strip()
        return articles
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return [ParsedArticle(f"第{n}段", "", p) for n, p in enumerate(paragraphs, start=1)]
