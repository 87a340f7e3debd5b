"""The outlet registry: one display name for each outlet, whatever domain, subdomain or alias names it.

Domains are split with tldextract's bundled copy of the Public Suffix List (nothing is fetched), so
`edition.cnn.com` and `money.cnn.com`, or `usa.chinadaily.com.cn` and `europe.chinadaily.com.cn`, fall under
one registered domain. `outlets.toml` beside this file names the well-known outlets and wire agencies and the
domains and aliases of each; an unlisted domain is shown as its registered domain. On platforms that host
many publishers the platform is not the outlet: on blogging platforms the publisher is the subdomain (or
medium.com's first path segment), on syndication portals the source the article credits.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import tldextract

from newsfuse.clean.agencies import canonical_agency

# Publishers' own sites on a shared domain: "jane.substack.com" is Jane's newsletter, not Substack's.
_BLOG_PLATFORMS = frozenset(
    ("medium.com", "substack.com", "blogspot.com", "wordpress.com", "tumblr.com", "typepad.com", "ghost.io")
)
# Portals that republish other outlets' articles: the outlet is the one credited, when known.
_SYNDICATORS = frozenset(("news.yahoo.com", "yahoo.com", "msn.com", "aol.com", "news.google.com"))


@dataclass(frozen=True, slots=True)
class Outlet:
    """An outlet as the registry resolved it: `name` to show, `domain` as the input gave it."""

    name: str
    domain: str | None  # the host the article came from, without "www." ("edition.cnn.com")
    known: bool  # listed in outlets.toml (or a wire agency), rather than named after its domain
    syndicator: bool = False  # a portal republishing others: a credited source should replace it


@cache
def _extract() -> tldextract.TLDExtract:
    # suffix_list_urls=() and cache_dir=None: use the snapshot bundled with the package, never download.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(domain -> name, folded alias or name -> name) from outlets.toml."""
    data = tomllib.loads(resources.files("newsfuse.clean").joinpath("outlets.toml").read_text("utf-8"))
    by_domain: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for entry in data["outlet"]:
        name = entry["name"]
        for domain in entry.get("domains", ()):
            by_domain[domain.lower()] = name
        for alias in (name, *entry.get("aliases", ())):
            by_name[_fold(alias)] = name
    return by_domain, by_name


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def host_of(url_or_host: str) -> str | None:
    """The lower-cased host of a URL or bare host, without "www."; None when it has none."""
    text = url_or_host.strip()
    try:
        host = urlsplit(text if "//" in text else f"//{text}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def looks_like_domain(value: str) -> bool:
    """True for "www.npr.org" or "cnn.com" (a public suffix), False for "CNN" or "Harbour Times"."""
    if " " in value.strip() or "." not in value:
        return False
    host = host_of(value)
    return bool(host and _extract()(host).suffix)


def outlet_from_domain(url_or_host: str) -> Outlet | None:
    """The outlet a URL or host belongs to, or None when it has no host with a public suffix."""
    host = host_of(url_or_host)
    if host is None:
        return None
    parts = _extract()(host)
    registered = parts.top_domain_under_public_suffix
    if not registered:
        return None
    by_domain, _ = _table()
    labels = host.split(".")
    # The most specific listed domain wins: "news.sky.com" before "sky.com", "abcnews.go.com" before "go.com".
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in _SYNDICATORS:
            return Outlet(by_domain.get(candidate, candidate), host, candidate in by_domain, syndicator=True)
        if candidate in by_domain:
            return Outlet(by_domain[candidate], host, True)
        if len(candidate) < len(registered):
            break
    if registered in _BLOG_PLATFORMS or parts.domain == "blogspot":  # blogspot has a domain per country
        return Outlet(_platform_publisher(url_or_host, host, registered), host, False)
    return Outlet(registered, host, False)


def _platform_publisher(url_or_host: str, host: str, platform: str) -> str:
    """ "jane.substack.com"; on medium.com without a subdomain, "medium.com/@jane" or "medium.com/pub"."""
    if host != platform:
        return host
    if platform == "medium.com" and "//" in url_or_host:
        first = urlsplit(url_or_host).path.strip("/").split("/", 1)[0]
        if first:
            return f"{platform}/{first}"
    return platform


def outlet_from_name(name: str) -> str | None:
    """The display name of a listed outlet or agency by any alias ("nyt", "Associated Press"), or None."""
    _, by_name = _table()
    return by_name.get(_fold(name)) or canonical_agency(name)


def resolve_outlet(given: str | None, url: str | None) -> Outlet | None:
    """The outlet for a record's or page's outlet field (`given`: a name or a domain) and its URL.

    A listed name or alias wins; then the domain of `given`, then of the URL. A syndication portal's URL
    gives way to a credited name. A name the registry does not know is kept as given.
    """
    domain_outlet = outlet_from_domain(url) if url else None
    if given:
        if looks_like_domain(given):
            from_given = outlet_from_domain(given)
            if from_given is not None and domain_outlet is None:
                return from_given
            if from_given is not None and not from_given.syndicator:
                assert domain_outlet is not None
                return Outlet(from_given.name, domain_outlet.domain, from_given.known)
            return domain_outlet
        else:
            listed = outlet_from_name(given)
            domain = domain_outlet.domain if domain_outlet else (host_of(url) if url else None)
            portal = domain_outlet.name if domain_outlet is not None and domain_outlet.syndicator else None
            if listed is not None:
                return Outlet(listed, domain, True, syndicator=listed == portal)
            if domain_outlet is None or domain_outlet.syndicator or not domain_outlet.known:
                return Outlet(" ".join(given.split()), domain, False)
            # A listed domain outranks an unlisted page name (a section's "CNN Politics" site name).
            return domain_outlet
    return domain_outlet
