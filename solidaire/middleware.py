"""Requests whose address carries control characters are refused before any view runs.

A NUL byte in a token, an INSEE code or a filter reached PostgreSQL raw and gave a 500;
no address of the site ever needs a control character, so the path and the query string
are checked once, here, with a French 400 page. Cookies carrying one are dropped rather
than refused, so that a browser is never locked out by a bad cookie. The API answers in
JSON, as its other errors: a "detail" and, per parameter, its error.
"""

from urllib.parse import parse_qsl, unquote_plus

from django.http import JsonResponse
from django.shortcuts import render

from solidaire.lib.untrusted import describe_controls, forbidden_controls

API_PREFIX = "/api/"


def _query_controls(request) -> dict[str, list[str]]:
    """Per parameter, the control characters in its name or values (read from the raw
    query string: request.GET would refuse too many parameters before the view could)."""
    raw = request.META.get("QUERY_STRING", "")
    if not forbidden_controls(unquote_plus(raw, errors="replace")):
        return {}
    found: dict[str, list[str]] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True, errors="replace"):
        chars = found.get(key, [])
        chars += [c for c in forbidden_controls(key + value) if c not in chars]
        if chars:
            found[key] = chars
    return found


def _refusal(request, chars: list[str], parameters: dict[str, list[str]]):
    names = describe_controls(chars)
    if request.path_info.startswith(API_PREFIX):
        body = {
            "detail": f"La requête contient des caractères de contrôle non autorisés ({names}).",
            **{
                key: [f"Caractère de contrôle non autorisé ({describe_controls(c)})."]
                for key, c in parameters.items()
            },
        }
        return JsonResponse(body, status=400)
    return render(
        request,
        "400.html",
        {
            "title": "Demande incorrecte",
            "reason": f"L'adresse demandée contient un caractère invisible non autorisé ({names}).",
        },
        status=400,
    )


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [n for n, v in request.COOKIES.items() if forbidden_controls(n + v)]:
            del request.COOKIES[name]
        parameters = _query_controls(request)
        chars = forbidden_controls(request.path_info)
        chars += [c for found in parameters.values() for c in found if c not in chars]
        if chars:
            return _refusal(request, chars, parameters)
        return self.get_response(request)
