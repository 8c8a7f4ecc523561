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
}
