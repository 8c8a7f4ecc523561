"""The credit every page and open-data file owes the sources of the reference geography."""

DATA_ATTRIBUTION = (
    "Sources : INSEE (COG 2026, populations légales), DGCL (EPCI 2026), La Poste (codes postaux), "
    "IGN (ADMIN EXPRESS 2018, GEOFLA 2016), via etalab/decoupage-administratif et "
    "gregoiredavid/france-geojson. Licence Ouverte 2.0."
)
