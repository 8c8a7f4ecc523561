"""The page cache: anonymous public pages and API answers kept in the shared cache.

``versions`` holds the version of every unit a page shows (a commune, an EPCI, an
arrondissement, a département, a région, a campaign, an initiative, the lists, the
bulletins, the whole site); the services that change what the public sees bump them
through ``versions_bump``, the only writer. ``routes`` says which versions each public URL
shows, and ``middleware`` keeps the final bytes of a page under the versions it was
rendered with.
"""
