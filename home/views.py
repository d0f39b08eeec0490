"""Error pages in Swedish that need no database: they must render when things are broken."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid security token (an old tab, blocked cookies): say so in Swedish."""
    return render(request, "403_csrf.html", status=403)
