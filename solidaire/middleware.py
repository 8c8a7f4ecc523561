"""Requests whose address carries control characters are refused before any view runs.

A NUL byte in a token, an INSEE code or a filter reached PostgreSQL raw and gave a 500;
no address of the site ever needs a control character, so the path and the query string
are checked once, here, with a French 400 page. Cookies carrying one are dropped rather
than refused, so that a browser is never locked out by a bad cookie.
"""

from django.shortcuts import render

from solidaire.lib.untrusted import describe_controls, forbidden_controls


def _query_controls(request) -> list[str]:
    found: list[str] = []
    for key, values in request.GET.lists():
        for text in (key, *values):
            found += [c for c in forbidden_controls(text) if c not in found]
    return found


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [n for n, v in request.COOKIES.items() if forbidden_controls(n + v)]:
            del request.COOKIES[name]
        chars = forbidden_controls(request.path_info) or _query_controls(request)
        if chars:
            return render(
                request,
                "400.html",
                {
                    "title": "Demande incorrecte",
                    "reason": (
                        "L'adresse demandée contient un caractère invisible non autorisé "
                        f"({describe_controls(chars)})."
                    ),
                },
                status=400,
            )
        return self.get_response(request)
