"""The columns of the shipped reference files, in order. Plain Python: the refresh script
(scripts/refresh_territory.py) writes them without Django, the loader checks them."""

COLUMNS = {
    "regions.csv": ["code", "name"],
    "departments.csv": ["code", "name", "region_code"],
    "arrondissements.csv": ["code", "name", "department_code"],
    "communes.csv": [
        "insee_code",
        "name",
        "postal_codes",
        "department_code",
        "arrondissement_code",
        "epci_code",
        "epci_name",
        "population",
        "latitude",
        "longitude",
    ],
    # Written by hand, not by the refresh script: other names people use for an EPCI.
    "epci_aliases.csv": ["alias", "siren", "epci_name", "department_code", "source"],
}
