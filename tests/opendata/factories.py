"""Builders for open data tests: a small demo-like set with private submitter data."""

from solidaire.initiatives.models import Status
from tests.factories import make_campaign, make_initiative, make_theme

SUBMITTER = {
    "submitter_name": "Zéphyrine Privatova",
    "submitter_email": "zephyrine.privatova@exemple-prive.test",
    "submitter_phone": "+33687654321",
}
PRIVATE_VALUES = [*SUBMITTER.values(), "Privatova", "687654321", "87 65 43 21"]


def make_demo_set():
    """Five public initiatives over the 62 (and one in the 59), plus non-public ones,
    every one with a submitter's private name, e-mail and phone."""
    campaign = make_campaign()
    health = make_theme(campaign=campaign, name="Solidaires avec les personnels soignants")
    supply = make_theme(campaign=campaign, name="Approvisionnement et production de matériel")
    visors = make_initiative(
        title="1 300 visières pour les soignants du Calaisis",
        communes=("62193",),
        themes=(supply, health),
        actor_name="Maison du numérique et de l'innovation",
        actor_kind="association",
        contacts=(("url", "https://www.facebook.com/MDNIduCalaisis/"),),
        quantities=((1300, "visières"),),
        **SUBMITTER,
    )
    arras = make_initiative(
        title="Visières pour les commerçants de la CUA",
        communes=("62041", "62764"),
        themes=(supply,),
        actor_name="Communauté urbaine d'Arras",
        actor_kind="intercommunality",
        contacts=(("email", "solidarite.grandarras@cu-arras.org"),),
        quantities=((300, "Visière"),),
        **SUBMITTER,
    )
    masks = make_initiative(
        title="Atelier de masques grand public",
        description="Bénévoles, club couture et élus ; modèle AFNOR.",
        communes=("62014",),
        themes=(supply,),
        actor_name="Ville d'Aire-sur-la-Lys",
        actor_kind="municipality",
        quantities=((400, "masques"),),
        status=Status.ARCHIVED,
        **SUBMITTER,
    )
    area = make_initiative(
        title="Courses pour les aînés de la CUA",
        communes=(),
        epcis=("200033579",),
        actor_name="CCAS",
        actor_kind="public_service",
        **SUBMITTER,
    )
    nord = make_initiative(
        title="Repas pour les soignants lillois",
        communes=("59350",),
        owner="59",
        themes=(health,),
        actor_kind="company",
        quantities=((250, "repas"),),
        **SUBMITTER,
    )
    hidden = [
        make_initiative(title="Proposition en attente", status=status, **SUBMITTER)
        for status in (Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN)
    ]
    return {
        "campaign": campaign,
        "themes": (health, supply),
        "public": [visors, arras, masks, area, nord],
        "hidden": hidden,
    }
