"""An article's identity across URLs: the canonical form of the address it was published under.

courlan (trafilatura's URL library) lower-cases the host, drops the fragment, default ports and tracking
parameters (`utm_*`, `fbclid`, `ref`, ...) and sorts the query. On top of that, what courlan leaves: the
AMP variants of a page (`amp.` hosts, Google's AMP cache, an `/amp` path segment, `.amp` pages and
`?amp=1`), a leading `www.`, and a trailing slash, which no news site uses to mean another page. The
result identifies an article (two URLs with one canonical form are one article); it is kept beside the
URL as given, which stays the address to link to.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import courlan

# www-cnn-com.cdn.ampproject.org/c/s/www.cnn.com/...: the publisher's URL follows /c/ (and /s/ for https).
_AMP_CACHE = re.compile(r"/(?:[a-z]/)?(?:s/)?(?P<rest>.+)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")
_AMP_QUERY = frozenset({"amp", "amp_js_v", "amp_gsa", "usqp", "outputtype", "_gl"})


def canonical_url(url: str | None) -> str | None:
    """The canonical form of `url`, or None when it is not an http(s) URL with a host.

    `https://amp.example.com/news/amp/story-1?utm_source=tw&id=3` and
    `https://www.example.com/news/story-1/?id=3` both give `https://example.com/news/story-1?id=3`.
    """
    if not url or not url.strip():
        return None
    url = url.strip()
    if _SCHEME.match(url) is None:  # "www.example.com/story": a bare host and path
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not parts.hostname.strip():
        return None
    if parts.hostname.endswith(".cdn.ampproject.org"):
        inner = _AMP_CACHE.fullmatch(parts.path)
        if inner and "." in inner.group("rest").split("/")[0]:
            return canonical_url(
                "https://" + inner.group("rest") + (f"?{parts.query}" if parts.query else "")
            )
    try:
        normal = courlan.normalize_url(url, strict=True)
    except (ValueError, AttributeError):
        return None
    parts = urlsplit(normal)
    host = parts.netloc
    if not host.strip() or any(c.isspace() for c in host):
        return None
    for prefix in ("amp.", "www."):  # an identity, not an address to fetch: www.x and x are one site
        rest = host.removeprefix(prefix)
        if "." in rest.strip(".").split(":")[0]:  # never down to a bare name or nothing ("amp./x")
            host = rest
    path = re.sub(r"/amp(?=/|$)", "", parts.path)
    path = re.sub(r"\.amp(?=\.html?$|$)", "", path)
    path = path.rstrip("/")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _AMP_QUERY]
    )
    return urlunsplit((parts.scheme, host, path, query, ""))
