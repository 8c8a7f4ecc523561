from django.apps import AppConfig

from solidaire.initiatives.erasers import eraser_register
from solidaire.initiatives.mentions import mention_register


class BulletinsConfig(AppConfig):
    name = "solidaire.bulletins"
    label = "bulletins"
    verbose_name = "Bulletins"

    def ready(self):
        # The initiative page shows which numbers relayed it, without loading our tags.
        from .erasure import bulletins_erase
        from .relays import relayed_in

        mention_register(relayed_in)
        # An erasure reaches the numbers, subscribers and ledger rows (art. 17).
        eraser_register(bulletins_erase)
