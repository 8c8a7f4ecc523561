from django.apps import AppConfig

from solidaire.accounts.signals import proconnect_signed_in
from solidaire.initiatives.erasers import eraser_register
from solidaire.initiatives.signals import commune_page_actions


class OrganisationsConfig(AppConfig):
    name = "solidaire.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from .erasure import organisations_erase
        from .receivers import commune_actions, on_proconnect_signed_in

        eraser_register(organisations_erase)
        proconnect_signed_in.connect(on_proconnect_signed_in, dispatch_uid="organisations_sign_in")
        commune_page_actions.connect(commune_actions, dispatch_uid="organisations_commune")
