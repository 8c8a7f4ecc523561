"""The client's address behind a known number of reverse proxies (no Django here)."""

import ipaddress


def _address(entry: str) -> str | None:
    """One hop of a forwarding header as a plain IP address, or None if it is not one.

    >>> [_address(e) for e in (" 203.0.113.7 ", "203.0.113.7:5120", "[2001:db8::1]:443",
    ...                        "2001:db8::1", "unknown", "")]
    ['203.0.113.7', '203.0.113.7', '2001:db8::1', '2001:db8::1', None, None]
    """
    entry = entry.strip()
    if entry.startswith("["):
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:  # IPv4 with a port; IPv6 has several colons
        entry = entry.partition(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded: str, proxies: int) -> str:
    """The address the last untrusted hop connected from.

    ``forwarded`` is the trusted proxies' header (X-Forwarded-For: "client, proxy1, …"),
    each proxy appending the address it was connected from; ``proxies`` is how many of
    them stand in front of the application. With none, the header is anyone's to write
    and only the socket's address counts. With N, the N-th entry from the right is the
    last one a trusted proxy wrote: entries further left came from the client. A header
    shorter than N falls back to its left-most entry (as Django REST framework does), and
    an entry that is not an address to the socket's address.

    >>> client_address("10.0.0.2", "1.2.3.4", 0)  # no proxy: the header is spoofed
    '10.0.0.2'
    >>> client_address("10.0.0.2", "1.2.3.4, 203.0.113.7", 1)
    '203.0.113.7'
    >>> client_address("10.0.0.3", "1.2.3.4, 203.0.113.7, 10.0.0.2", 2)
    '203.0.113.7'
    >>> client_address("10.0.0.2", "", 1)  # not sent through the proxy
    '10.0.0.2'
    >>> client_address("10.0.0.2", "203.0.113.7", 3)
    '203.0.113.7'
    >>> client_address("10.0.0.2", "1.2.3.4, garbage", 1)
    '10.0.0.2'
    """
    if proxies <= 0 or not forwarded.strip():
        return remote_addr
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote_addr
    return _address(entries[-min(proxies, len(entries))]) or remote_addr


def url_source(template: str) -> str | None:
    """The Content-Security-Policy source of a URL template (a map's tile server).

    Leaflet's ``{s}`` sub-domain placeholder becomes the ``*.`` wildcard; no URL, None.

    >>> url_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    'https://*.tile.openstreetmap.org'
    >>> url_source("https://tiles.example.org:8443/{z}/{x}/{y}.png")
    'https://tiles.example.org:8443'
    >>> url_source("/tiles/{z}/{x}/{y}.png"), url_source("")
    (None, None)
    """
    scheme, separator, rest = template.strip().partition("://")
    if not separator or not scheme:
        return None
    host = rest.split("/", 1)[0]
    labels = host.split(".")
    if labels and "{" in labels[0]:
        labels[0] = "*"
    host = ".".join(labels)
    if not host or "{" in host:
        return None
    return f"{scheme}://{host}"
