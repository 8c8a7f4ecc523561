"""Demo data: the "Covid-19" campaign, bulletin n°6's 11 initiatives, one account per role;
with ``--beyond-62``, a few initiatives in the Nord and in Corse-du-Sud too.

Idempotent: what exists is left as is (staff passwords are reset to the printed ones).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from solidaire.accounts.models import Membership, Role, User
from solidaire.initiatives.demo import BEYOND_62, DEMO, demo_initiatives, read
from solidaire.initiatives.models import Actor, Campaign, Initiative, Source, Theme, Transition
from solidaire.initiatives.services import (
    initiative_create,
    initiative_publish,
    initiative_verify,
)
from solidaire.lib.text import french_plural

# Published in the sample's order, before the bulletin of 24 April 2020.
FIRST_PUBLICATION = datetime(2020, 4, 20, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
STEP = timedelta(hours=7)

STAFF = [
    # username, password, superuser, moderator of, editor of
    ("admin", "demo-admin-2020", True, (), ()),
    ("moderateur62", "demo-moderateur62-2020", False, ("62",), ()),
    ("moderateur59", "demo-moderateur59-2020", False, ("59",), ()),
    ("editeur62", "demo-editeur62-2020", False, (), ("62",)),
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (campagne Covid-19, bulletin n°6, comptes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--beyond-62",
            action="store_true",
            help="Ajoute quelques initiatives dans le Nord (59) et en Corse-du-Sud (2A).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEVELOPMENT:
            # Its accounts' passwords are printed here and in the README.
            raise CommandError(
                "load_demo ne fonctionne qu'en développement (DJANGO_ENV=dev) : il crée des "
                "comptes dont les mots de passe sont publics."
            )
        items = [{**item, "owner_department": "62"} for item in demo_initiatives()]
        accounts = self.load_staff()
        campaign, themes = self.load_campaign(read(DEMO)["campaign"])
        created = self.load_initiatives(items, campaign, themes, accounts["admin"])
        s, kept = french_plural(created), len(items) - created
        self.stdout.write(
            f"Campagne « {campaign.name} » : {len(themes)} thème{french_plural(len(themes))} ; "
            f"{created} initiative{s} créée{s}, {kept} déjà là."
        )
        if options.get("beyond_62"):
            extra = [{**item, "quantities": []} for item in BEYOND_62]
            campaign.departments.add(*{item["owner_department"] for item in extra})
            added = self.load_initiatives(
                extra, campaign, themes, accounts["admin"], first=len(items) + 1
            )
            s = french_plural(added)
            self.stdout.write(
                f"Hors du Pas-de-Calais (Nord, Corse-du-Sud) : {added} initiative{s} créée{s}, "
                f"{len(extra) - added} déjà là."
            )
        # Bulletin n°6 is rebuilt from these initiatives; called by name so that this app
        # does not import the bulletins app, which builds on it.
        if apps.is_installed("solidaire.bulletins"):
            call_command("load_demo_bulletins", stdout=self.stdout)
        self.stdout.write("Comptes de démonstration (identifiant / mot de passe) :")
        for username, password, *_ in STAFF:
            self.stdout.write(f"  {username} / {password}")
        return None

    def load_staff(self) -> dict[str, User]:
        accounts = {}
        for username, password, superuser, moderator, editor in STAFF:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@prefecture.exemple.test"}
            )
            user.is_staff = True
            user.is_superuser = superuser
            user.is_active = True
            user.set_password(password)
            user.save()
            for role, codes in ((Role.MODERATOR, moderator), (Role.EDITOR, editor)):
                for code in codes:
                    Membership.objects.get_or_create(user=user, department_id=code, role=role)
            accounts[username] = user
        return accounts

    def load_campaign(self, spec) -> tuple[Campaign, dict[str, Theme]]:
        campaign, _ = Campaign.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "start_date": spec["start_date"],
            },
        )
        campaign.departments.add(*spec["departments"])
        themes = {}
        for position, theme in enumerate(spec["themes"]):
            parent = self.theme(campaign, theme, position, parent=None)
            themes[parent.slug] = parent
            for sub_position, child in enumerate(theme["children"]):
                themes[child["slug"]] = self.theme(campaign, child, sub_position, parent=parent)
        return campaign, themes

    @staticmethod
    def theme(campaign, spec, position, *, parent) -> Theme:
        theme, _ = Theme.objects.get_or_create(
            campaign=campaign,
            slug=spec["slug"],
            defaults={"name": spec["name"], "position": position, "parent": parent},
        )
        return theme

    def load_initiatives(self, items, campaign, themes, admin, *, first=1) -> int:
        created = 0
        for number, item in enumerate(items, start=first):
            if Initiative.objects.filter(campaign=campaign, title=item["title"]).exists():
                continue
            initiative = initiative_create(
                data={
                    "title": item["title"],
                    "description": item["description"],
                    "campaign": campaign,
                    "actor_name": item["actor"],
                    "actor_kind": item["actor_kind"],
                    "owner_department": item["owner_department"],
                    "beneficiaries": item["beneficiaries"],
                    "consent_public_contacts": True,
                    # Fake, private: the privacy tests check these never reach the public.
                    "submitter_name": f"Déposant Démo {number}",
                    "submitter_email": f"deposant{number}@exemple.test",
                    "submitter_phone": f"+336123456{number:02d}",
                },
                source=Source.FORM,
                places=item["places"],
                quantities=item["quantities"],
                contacts=item["contacts"],
                themes=[themes[slug] for slug in item["themes"]],
            )
            published_at = FIRST_PUBLICATION + STEP * (number - 1)
            # Proposed the day before its publication, so the history reads in order.
            proposed_at = published_at - timedelta(days=1)
            Initiative.objects.filter(pk=initiative.pk).update(created_at=proposed_at)
            Transition.objects.filter(initiative=initiative).update(created_at=proposed_at)
            initiative_publish(initiative=initiative, by=admin, at=published_at)
            # Published in 2020, checked when the demo is loaded: its carriers are asked
            # weeks from now, and nothing is marked "à confirmer" meanwhile.
            initiative_verify(initiative=initiative, actor=Actor.STAFF, by=admin)
            created += 1
        return created
