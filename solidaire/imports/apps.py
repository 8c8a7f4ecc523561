from django.apps import AppConfig

from solidaire.initiatives.erasers import eraser_register


class ImportsConfig(AppConfig):
    name = "solidaire.imports"
    label = "imports"
    verbose_name = "Imports de documents"

    def ready(self):
        from .erasure import imports_erase

        # An erasure reaches the documents read and their analysis (art. 17).
        eraser_register(imports_erase)
