"""Error pages in Swedish that need no database: they must render when things are broken."""

import base64
import hashlib
import re

from django.shortcuts import render

_INLINE_STYLE = re.compile(rb"<style>(.*?)</style>", re.DOTALL)


def _api_error(request, status: int):
    """Under /api/, errors are JSON with a Swedish message, like the API's own (portal/api.py)."""
    from portal import api

    return api.error_response(status) if api.is_api_request(request) else None


def page_not_found(request, exception=None):
    return _api_error(request, 404) or render(request, "404.html", status=404)


def server_error(request):
    """The 500 page carries its few lines of CSS inline, so it renders even when static files do not.

    The Content-Security-Policy allows no inline style; this response allows exactly its own style
    element, by hash (django-csp adds `_csp_update` to the policy, as its decorators do).
    """
    api_response = _api_error(request, 500)
    if api_response is not None:
        return api_response
    response = render(request, "500.html", status=500)
    hashes = [
        "'sha256-{}'".format(base64.b64encode(hashlib.sha256(css).digest()).decode("ascii"))
        for css in _INLINE_STYLE.findall(response.content)
    ]
    response._csp_update = {"style-src": hashes}
    return response


def bad_request(request, exception=None):
    return _api_error(request, 400) or render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return _api_error(request, 403) or render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid security token (an old tab, blocked cookies): say so in Swedish."""
    return render(request, "403_csrf.html", status=403)
