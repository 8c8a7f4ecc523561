"""Signals that apps above initiatives listen to (the layers run one way)."""

from django.dispatch import Signal

# Sent after a batch of publications (bulk publish, a bulletin's publication) or of freshness
# changes (the scheduled job), inside the
# transaction that made them: what depends on the published set as a whole (the full
# open data files) is regenerated once per batch, not once per initiative.
publication_batch = Signal()

# Sent by the commune page for a signed-in visitor only (an anonymous page is the cached
# one everybody gets), with ``commune`` and ``request``; a receiver returns a list of
# (label, url) buttons to add, such as a mairie member's "Ajouter une initiative".
commune_page_actions = Signal()
