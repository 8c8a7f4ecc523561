"""Signals other apps connect to.

``proconnect_signed_in`` is sent once per successful ProConnect sign-in, inside the
transaction that creates or links the account: ``sender=User``, ``user`` (the account),
``claims`` (the verified userinfo claims, a dict: sub, email, given_name, usual_name,
siret…) and ``request``. A receiver that raises makes the sign-in fail and rolls back
the account's creation or linking with it; the user reads a generic French message, or
the receiver's own when it raises ``django.core.exceptions.ValidationError("…")``.
"""

from django.dispatch import Signal

proconnect_signed_in = Signal()
