"""Descriptions are rendered from a small Markdown subset and sanitised: nothing runs."""

import pytest
from django.template import Context, Template

from solidaire.initiatives.markdown import render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">clic</a>',
        '<img src=x onerror="alert(1)">',
        "[clic](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_no_script_and_no_javascript_link_survive(text):
    html = render_markdown(text).lower()
    assert "<script" not in html
    assert '<a href="javascript:' not in html
    assert "<img" not in html
    assert '<a href="data:' not in html


def test_the_markdown_subset_is_kept():
    html = render_markdown("**Gras**, *italique*\n\n- un\n- deux\n\n[site](https://exemple.fr/)")
    assert "<strong>Gras</strong>" in html
    assert "<em>italique</em>" in html
    assert "<li>un</li>" in html
    assert '<a href="https://exemple.fr/" rel="noopener noreferrer nofollow">site</a>' in html


def test_the_template_filters_render_safely_and_format_phones():
    template = Template("{% load initiative_format %}{{ d|safe_markdown }}|{{ p|phone_display }}")
    out = template.render(Context({"d": "<script>x</script>", "p": "+33321613610"}))
    assert out == "<p>&lt;script&gt;x&lt;/script&gt;</p>|03 21 61 36 10"
