from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from solidaire.accounts.access import admin_required

from .. import selectors
from ..models import Delivery, DeliveryStatus
from ..sending import delivery_resend


@admin_required
def status(request):
    """Queued, running, stale and failed tasks; e-mails to check; scheduled jobs."""
    context = {
        "title": "Travaux de fond",
        "tasks": selectors.task_counts(),
        "failed_tasks": selectors.tasks_failed(),
        "running_tasks": selectors.tasks_running(),
        "workers": selectors.workers(),
        "emails": selectors.email_counts(),
        "to_check": selectors.emails_to_check(),
        "waiting": selectors.emails_waiting(),
        "jobs": selectors.jobs(),
        "statuses": DeliveryStatus,
    }
    return render(request, "outbox/status.html", context)


@require_POST
@admin_required
def resend(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk)
    if delivery_resend(delivery=delivery):
        messages.success(request, f"L'e-mail à {delivery.address} est renvoyé.")
    else:
        messages.info(
            request,
            f"L'e-mail à {delivery.address} n'est ni en échec ni à vérifier : rien n'a été renvoyé.",
        )
    return redirect("outbox:status")
