"""Lines that apps above initiatives add under an initiative's title on its public page.

The detail page cannot load a higher app's template tags (the layers run one way), so the
bulletins app registers its "Relayée dans le n°6 du …" line here from its AppConfig.ready.
"""

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

MentionProvider = Callable[[object], str]

_providers: list[MentionProvider] = []


def mention_register(provider: MentionProvider) -> None:
    """Add ``provider(initiative) -> html`` (an empty string for nothing); once per provider."""
    if provider not in _providers:
        _providers.append(provider)


def mentions_of(initiative) -> SafeString:
    """The registered lines for ``initiative``, in registration order."""
    return format_html_join("", "{}", ((provider(initiative),) for provider in _providers))
