"""Text from documents, models or users made safe to show as Markdown: no raw HTML, and no Markdown of its own
(an image ![](http://…) the browser would fetch, a link, emphasis) — it reads as the characters it is."""

from __future__ import annotations

import html
import re

# Brackets (what makes an image or a link), emphasis and code marks. Underscores inside words (file names such as
# test_county_2024.txt) mean nothing in Markdown and stay as they are, so API callers get them back unchanged.
_SPECIAL = re.compile(r"([\\`*\[\]~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")


def escape_markdown(text: str) -> str:
    """`text` as Markdown that renders to exactly its characters: HTML entities for < > &, a backslash before
    Markdown's punctuation."""
    return _SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def unescape_markdown(text: str) -> str:
    """The characters `escape_markdown` was given (for a renderer that escapes HTML itself)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text))
