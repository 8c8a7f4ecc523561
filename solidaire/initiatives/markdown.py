"""Descriptions: plain text or a small Markdown subset, always sanitised before display."""

import nh3
from markdown_it import MarkdownIt

# Raw HTML is escaped by the parser, and nh3 removes whatever could still run.
_md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "list", "link", "newline", "paragraph", "escape", "backticks"]
)
ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render_markdown(text: str) -> str:
    """Safe HTML for a description.

    >>> render_markdown("Des **visières** pour [la CUA](https://www.cu-arras.org/)")
    '<p>Des <strong>visières</strong> pour <a href="https://www.cu-arras.org/" rel="noopener noreferrer nofollow">la CUA</a></p>'
    >>> render_markdown("<script>alert(1)</script> [x](javascript:alert(1))")
    '<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>'
    """
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
