"""What imports hold of an erased person (registered in initiatives/erasers.py by ready()).

A document's text is masked with as many marks as the erased characters, so the offsets
of the analysis (each found entity points at the passage that proves it) stay right; the
analysis itself is masked the same way.
"""

from solidaire.initiatives.erasers import Erasure
from solidaire.lib.redact import scrub_data

from .models import ImportedDocument


def imports_erase(erasure: Erasure) -> None:
    mask = erasure.needles.mask
    changed = 0
    documents = ImportedDocument.objects.only("pk", "source_name", "text", "result", "choices")
    for document in documents.iterator(chunk_size=50):
        text, result = mask(document.text), scrub_data(document.result, mask)
        # The review's choices hold the titles and actors a moderator typed.
        choices = scrub_data(document.choices, mask)
        source_name = erasure.scrub(document.source_name)
        before = (document.text, document.result, document.choices, document.source_name)
        if (text, result, choices, source_name) != before:
            ImportedDocument.objects.filter(pk=document.pk).update(
                text=text, result=result, choices=choices, source_name=source_name
            )
            changed += 1
    erasure.counts["documents importés"] += changed
