"""Filters every template has without {% load %} (declared in TEMPLATES' builtins)."""

from django import template

from solidaire.lib.text import french_plural

register = template.Library()

# Django's own "pluralize" treats 0 as plural, which French does not.
register.filter("pluralize_fr", french_plural)
