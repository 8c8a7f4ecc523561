"""The pages behind the signed links of "Votre initiative est-elle toujours active ?".

Mail scanners open links: a GET only shows the page and its one button; only that
button's POST changes anything. Tampered links get 400, expired ones 410, unknown ones 404,
each with a French page; an answer given twice changes nothing and says so.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .forms_public import ChangeProposalForm
from .freshness import (
    OPT_OUT,
    AnswerRefused,
    LinkError,
    ask_answer,
    ask_from_token,
    ask_opt_out,
    ask_state,
)
from .models import AskAnswer

TEMPLATE = "initiatives/freshness/answer.html"
TITLES = {
    AskAnswer.ACTIVE: "Confirmer que l'initiative est toujours active",
    AskAnswer.ENDED: "Confirmer que l'initiative est terminée",
    AskAnswer.CHANGES: "Proposer une modification de l'initiative",
    OPT_OUT: "Ne plus recevoir ces demandes",
}
DONE = {
    AskAnswer.ACTIVE: "Merci ! Votre initiative est confirmée : elle reste affichée.",
    AskAnswer.ENDED: "Merci ! Votre initiative est marquée comme terminée.",
    AskAnswer.CHANGES: (
        "Merci ! Votre proposition est transmise à la préfecture ; la version publiée "
        "reste en ligne en attendant."
    ),
    OPT_OUT: "C'est noté : vous ne recevrez plus ces demandes.",
}


def _page(request, context, status=200):
    return render(request, TEMPLATE, context, status=status)


@never_cache  # token pages are never kept by a browser or a proxy
def freshness_answer(request, token: str):
    try:
        ask, action = ask_from_token(token)
    except LinkError as error:
        return _page(
            request, {"title": "Lien inutilisable", "error": error.message}, status=error.status
        )
    context = {"title": TITLES[action], "ask": ask, "initiative": ask.initiative, "action": action}
    if action == OPT_OUT:
        if request.method == "POST":
            ask_opt_out(ask=ask)
            return _page(request, {**context, "done": DONE[action]})
        return _page(request, context)
    refused = ask_state(ask)
    if refused:
        return _page(request, {**context, "refused": refused})
    form = ChangeProposalForm(request.POST or None) if action == AskAnswer.CHANGES else None
    if request.method != "POST":
        return _page(request, {**context, "form": form})
    if form is not None and not form.is_valid():
        return _page(request, {**context, "form": form}, status=400)
    try:
        ask_answer(ask=ask, answer=action, message=form.cleaned_data["message"] if form else "")
    except AnswerRefused as error:
        return _page(request, {**context, "refused": error.message})
    return _page(request, {**context, "done": DONE[action]})
