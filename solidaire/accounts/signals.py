"""Signals that apps above accounts listen to (the layers run one way)."""

from django.dispatch import Signal

# Sent after a successful ProConnect sign-in, inside its transaction, with ``user``,
# ``claims`` (the verified claims: "siret", "email", "given_name", "usual_name"…) and
# ``request``.
proconnect_signed_in = Signal()
