"""French typography on everything the platform renders for people, applied in one place.

The rules are ``solidaire.lib.typography``'s; this module only hooks them into Django's
outputs: every HTML response (middleware), every e-mail (``french_message``), every feed
(``FrenchFeedMixin``) and the PDF (which renders the same HTML). Data outputs (JSON,
GeoJSON, CSV, the API) are data, not prose, and are left as stored.
"""

from django.core.mail import EmailMessage, EmailMultiAlternatives

from solidaire.lib.typography import french_html, french_spacing

# Checked before anything is decoded: most responses are pages, this keeps the others cheap.
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class FrenchTypographyMiddleware:
    """The spaces of French punctuation in the text of every HTML page and fragment.

    Streaming and file responses pass through untouched, as do 304s (no body). ETags are
    computed by the views' ``@condition`` from the data, before rendering, so the same data
    still gives the same tag; Content-Length is recomputed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith(_HTML_TYPES)
            or not response.content
        ):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        fixed = french_html(html)
        if fixed != html:
            response.content = fixed.encode(charset)
            if response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
        return response


def french_message(message: EmailMessage) -> EmailMessage:
    """The same message with French spaces in its subject, text body and HTML alternatives."""
    message.subject = french_spacing(message.subject)
    message.body = french_spacing(message.body)
    if isinstance(message, EmailMultiAlternatives):
        alternatives, message.alternatives = message.alternatives, []
        for content, mimetype in alternatives:
            if mimetype == "text/html" and isinstance(content, str):
                content = french_html(content)
            message.attach_alternative(content, mimetype)
    return message


def _french_values(kwargs: dict, names: tuple[str, ...]) -> dict:
    return {
        key: french_spacing(value) if key in names and isinstance(value, str) else value
        for key, value in kwargs.items()
    }


class FrenchFeedMixin:
    """For a feed generator (``Rss201rev2Feed``, ``Atom1Feed``): French spaces in titles,
    descriptions and subtitles; links, dates and identifiers as given."""

    _FEED_TEXTS = ("title", "description", "subtitle")
    _ITEM_TEXTS = ("title", "description", "content")

    def __init__(self, title, link, description, **kwargs):
        super().__init__(
            french_spacing(title),
            link,
            french_spacing(description),
            **_french_values(kwargs, self._FEED_TEXTS),
        )

    def add_item(self, title, link, description, **kwargs):
        super().add_item(
            french_spacing(title),
            link,
            french_spacing(description) if description else description,
            **_french_values(kwargs, self._ITEM_TEXTS),
        )
