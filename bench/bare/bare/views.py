"""The floor: three views over an in-memory list, what any Django app costs at least."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

ITEMS = [
    {"id": i, "title": f"Initiative solidaire n°{i}", "commune": "Calais", "kind": "association"}
    for i in range(20)
]


def text(request):
    return HttpResponse("ok", content_type="text/plain")


def items_json(request):
    return JsonResponse({"results": ITEMS})


def items_page(request):
    return render(request, "items.html", {"items": ITEMS})
