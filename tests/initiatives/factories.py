"""Builders for the public pages' tests."""

from tests.factories import make_initiative, make_theme


def make_many(count: int, **kwargs):
    """``count`` published initiatives with a theme, a commune, an EPCI place and a contact."""
    theme = make_theme()
    return [
        make_initiative(
            title=f"Initiative {i}",
            themes=[theme],
            communes=("62193",),
            epcis=("200033579",),
            contacts=[("url", "https://example.org/")],
            quantities=[(10 + i, "masques")],
            **kwargs,
        )
        for i in range(count)
    ]
