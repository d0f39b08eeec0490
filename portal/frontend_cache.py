"""Wagtail's HTTP frontend-cache backend with a timeout, for Varnish (deploy/varnish/default.vcl).

Wagtail's `HTTPBackend` sends each PURGE with `urlopen()` and no timeout: a Varnish that has
stopped answering (a blackholed address) would hold every publish forever. This subclass sends
the same request with TIMEOUT seconds (OPTIONS-free: the backend's own `TIMEOUT` parameter,
default 2) and logs a failure as Wagtail does. The VCL turns any PURGE from an allowed address
into a ban of everything (the content version moved: everything may have changed), so the URL
sent hardly matters.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail import __version__
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

logger = logging.getLogger("wagtail.frontendcache")


class TimeoutHTTPBackend(HTTPBackend):
    """`HTTPBackend` whose PURGE requests give up after TIMEOUT seconds."""

    def __init__(self, params):
        params = dict(params)
        self.timeout = float(params.pop("TIMEOUT", 2))
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{__version__}"},
        )
        try:
            with urlopen(request, timeout=self.timeout):  # noqa: S310 - the configured LOCATION
                pass
        except HTTPError as error:
            logger.error("Couldn't purge '%s' from HTTP cache. HTTPError: %d %s", url, error.code, error.reason)
        except (URLError, OSError) as error:
            logger.error("Couldn't purge '%s' from HTTP cache: %s", url, getattr(error, "reason", error))
