"""What of an HTML page is the article: its main text, title and publication date.

Main text comes from trafilatura (navigation, scripts, styles, footers, comments dropped), one
paragraph per block, paragraphs separated by a blank line. The headline is put first when the
extracted text does not already start with it (headlines carry events).

The date is read only from the page's own metadata -- meta tags (article:published_time,
og/DC dates, ...), JSON-LD / microdata datePublished, <time datetime> in the article -- never
guessed from free text or the URL. A page without such metadata has no date here.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape  # the standard library's module (absolute import)
from pathlib import Path
from typing import Any

import lxml.html
import regex
import trafilatura
from lxml import etree
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from ..schema import Document
from .dates import normalize_date
from .decode import DecodeError, decode_html
from .errors import InputError

__all__ = ["ExtractionError", "HtmlArticle", "extract_article", "page_date", "fragment_to_text",
           "html_to_text", "read_html_file"]


class ExtractionError(ValueError):
    """No article could be read from the HTML; the message is the reason to show."""


@dataclass
class HtmlArticle:
    text: str  # title + blank line + main text (title only when not already the first line)
    title: str | None
    date: str | None  # YYYY-MM-DD from the page's own metadata, else None
    url: str | None  # the page's canonical URL from its metadata, if any


# --- date from the page's own metadata -------------------------------------------------

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "dc.date", "dcterms.date", "dc:date", "citation_publication_date",
    "citation_date", "publish-date", "publish_date", "publishdate", "pubdate", "publication_date",
    "publication-date", "sailthru.date", "parsely-pub-date", "article.published",
    "original-publish-date", "release_date", "date",
)
_MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "dc.date.modified", "dcterms.modified", "article.updated", "last-modified",
)


def _meta_values(tree: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                out.setdefault(key.strip().lower(), []).append(content)
    return out


def _walk_json(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _walk_json(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_json(v)


def _json_ld(tree: Any) -> list[Any]:
    blocks = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            blocks.append(json.loads(script.text or "", strict=False))
        except ValueError:
            continue
    return blocks


def _first_date(values: Iterator[Any]) -> str | None:
    for v in values:
        if isinstance(v, list):  # JSON-LD allows a list of dates
            v = v[0] if v else None
        d = normalize_date(v) if isinstance(v, str) else None
        if d:
            return d
    return None


def page_date(tree: Any) -> str | None:
    """The publication day the page itself declares (YYYY-MM-DD), or None.

    Published dates before modified ones; within each: meta tags, then JSON-LD, then microdata
    and <time datetime> (marked pubdate, inside <article>/<main>, or the page's only one).
    """
    metas = _meta_values(tree)
    ld = _json_ld(tree)

    def meta(keys: tuple[str, ...]) -> Iterator[str]:
        for k in keys:
            yield from metas.get(k, ())

    def ld_field(field: str) -> Iterator[Any]:
        for block in ld:
            for obj in _walk_json(block):
                if field in obj:
                    yield obj[field]

    def marked_up() -> Iterator[str]:
        for el in tree.xpath('//*[@itemprop="datePublished"]'):
            yield el.get("datetime") or el.get("content") or el.text_content()
        for el in tree.xpath("//time[@pubdate][@datetime]"):
            yield el.get("datetime")
        for el in tree.xpath("//article//time[@datetime] | //main//time[@datetime]"):
            yield el.get("datetime")
        times = tree.xpath("//time[@datetime]")
        if len(times) == 1:
            yield times[0].get("datetime")

    return (
        _first_date(meta(_PUBLISHED_META))
        or _first_date(ld_field("datePublished"))
        or _first_date(marked_up())
        or _first_date(ld_field("dateCreated"))
        or _first_date(meta(_MODIFIED_META))
        or _first_date(ld_field("dateModified"))
    )


# --- main text -----------------------------------------------------------------------------

_XML_DECL = regex.compile(r"^\s*<\?xml[^>]*\?>")


def _key(s: str) -> str:
    """For comparing a title with a paragraph: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def _paragraphs(body: Any) -> list[str]:
    """The extracted body's blocks as text, one string per block (a block may hold line breaks)."""
    if body is None:
        return []
    paras = []
    for child in body:
        tail, child.tail = child.tail, None  # a block's tail is loose text: keep it separate
        text = xmltotxt(child, False).strip()
        child.tail = tail
        if text:
            paras.append(text)
        if tail and tail.strip():
            paras.append(" ".join(tail.split()))
    if not paras and body.text and body.text.strip():
        paras.append(body.text.strip())
    return paras


# page furniture removed before extraction: trafilatura's fallback for short pages keeps it
_FURNITURE = ["//nav", "//footer", "//*[@role='navigation']", "//*[@role='contentinfo']"]


def _extract(tree: Any, url: str | None, with_metadata: bool) -> Any:
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
        prune_xpath=_FURNITURE,
        # trafilatura's own date guess is never used (see page_date); keep it cheap
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def with_title(title: str | None, paras: list[str]) -> str:
    """The paragraphs joined by blank lines, headed by `title` unless they already start with it."""
    if title and (not paras or _key(paras[0]) != _key(title)):
        paras = [title, *paras]
    return "\n\n".join(paras)


def parse_html(data: bytes | str, declared_charset: str | None = None) -> Any:
    """The page as an lxml tree; raises `DecodeError` / `ExtractionError`."""
    text = data if isinstance(data, str) else decode_html(data, declared_charset)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise ExtractionError("empty document")
    tree = load_html(text)
    if tree is None:
        raise ExtractionError("not an HTML page")
    return tree


def extract_article(data: bytes | str, declared_charset: str | None = None,
                    url: str | None = None) -> HtmlArticle:
    """The article in an HTML page. Raises `ExtractionError` (or `DecodeError`) when there is none."""
    tree = parse_html(data, declared_charset)
    date = page_date(tree)
    doc = _extract(tree, url, with_metadata=True)
    paras = _paragraphs(doc.body) if doc is not None else []
    if not paras:
        raise ExtractionError("no article text found")
    title = " ".join(doc.title.split()) if doc.title else None
    return HtmlArticle(text=with_title(title, paras), title=title or None, date=date,
                       url=doc.url or url)


# --- HTML fragments (feed content) -------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody thead tfoot tr td th ul".split()
)
_DROP_TAGS = ("script", "style", "noscript", "iframe", "template", "svg", "object", "embed")

LONG_FRAGMENT = 4000  # characters of markup from which trafilatura is worth its cost


def fragment_to_text(fragment: str) -> str:
    """A short HTML fragment as plain text: tags stripped, one paragraph per block element."""
    if "<" not in fragment:
        paras = [" ".join(p.split()) for p in regex.split(r"\n\s*\n", unescape(fragment))]
        return "\n\n".join(p for p in paras if p)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for el in root.xpath("|".join(f".//{t}" for t in _DROP_TAGS)):
        el.drop_tree()

    paras: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        s = " ".join("".join(cur).split())
        if s:
            paras.append(s)
        cur.clear()

    def walk(el: Any) -> None:
        is_elem = isinstance(el.tag, str)  # comments and processing instructions: tail only
        block = is_elem and el.tag.lower() in _BLOCK_TAGS
        if block:
            flush()
        if is_elem:
            cur.append(el.text or "")
            for child in el:
                walk(child)
        if block:
            flush()
        cur.append(el.tail or "")

    walk(root)
    flush()
    return "\n\n".join(paras)


def html_to_text(fragment: str) -> str:
    """An HTML fragment (feed content) as plain text: trafilatura for long markup, lxml otherwise."""
    if len(fragment) >= LONG_FRAGMENT:
        try:
            tree = load_html(f"<html><body><article>{fragment}</article></body></html>")
            doc = _extract(tree, None, with_metadata=False) if tree is not None else None
        except Exception:  # noqa: BLE001 -- trafilatura failing is a reason to fall back
            doc = None
        paras = _paragraphs(doc.body) if doc is not None else []
        if paras:
            return "\n\n".join(paras)
    return fragment_to_text(fragment)


# --- .html / .htm files ---------------------------------------------------------------------

def read_html_file(path: Path, default_date: str | None) -> Iterator[Document | InputError]:
    """One Document for an HTML file (name = base name), or an InputError."""
    source = str(path)
    try:
        art = extract_article(path.read_bytes())
    except (DecodeError, ExtractionError) as e:
        yield InputError(source, str(e))
        return
    yield Document(text=art.text, name=path.name, source=source, date=art.date or default_date,
                   url=art.url, title=art.title)
