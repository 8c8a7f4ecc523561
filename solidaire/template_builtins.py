"""Filters every template has without {% load %} (declared in TEMPLATES' builtins)."""

from django import template

from solidaire.lib.text import french_plural
from solidaire.lib.typography import lower_first, of_name

register = template.Library()

# Django's own "pluralize" treats 0 as plural, which French does not.
register.filter("pluralize_fr", french_plural)
# "Autour {{ commune.name|of_name }}": "de Calais", "du Portel", "d'Arras".
register.filter("of_name", of_name)
# Django's "lower" would write "(commune, mairie ou ccas)".
register.filter("lower_first", lower_first)
