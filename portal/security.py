"""Security headers and login throttling for the whole portal (settings in portal/settings/base.py).

Content-Security-Policy (django-csp 4): every HTML response carries a policy.

- Public pages get CONTENT_SECURITY_POLICY: scripts and styles only from the portal's own static
  files (no inline code, no eval), no plugins, no framing, forms only to the portal itself. A
  template that needs script adds a static file under static/js/, never inline code.
- The Wagtail admin (everything under the admin's URL prefix) gets ADMIN_CONTENT_SECURITY_POLICY:
  Wagtail renders some inline scripts (InlinePanel) and many inline styles, so it needs
  'unsafe-inline' for both; everything else stays as strict as on the public pages.
- A page preview renders the public page, with the public policy, inside the admin's preview
  frame: the only difference is `frame-ancestors 'self'` so that the admin may frame it.
- A view that sets its own Content-Security-Policy header (Wagtail's document serving, the
  diagram download) keeps it.

Login throttling (django-axes): AXES_FAILURE_LIMIT failed logins for one username from one address
lock that combination out; LOGIN_FAILURE_LIMIT_PER_ADDRESS failures from one address, whatever
the usernames, lock the address out. Both last AXES_COOLOFF_TIME; `manage.py axes_reset` (or
`axes_reset_ip`, `axes_reset_username`) unlocks earlier.

Client addresses: behind TRUSTED_PROXY_COUNT reverse proxies that each append to
X-Forwarded-For, the client is the entry that the outermost trusted proxy added. Never trust more
entries than there are proxies: the ones further left come from the client and can be forged.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse

LOCKOUT_TEMPLATE = "security/login_locked_out.html"


def client_address(request, proxies: int | None = None) -> str:
    """The client's IP address: REMOTE_ADDR, or behind `proxies` trusted proxies the one they saw.

    `proxies` defaults to the TRUSTED_PROXY_COUNT setting. With fewer X-Forwarded-For entries
    than proxies the request did not come through them all, and REMOTE_ADDR is used.
    """
    if proxies is None:
        proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def is_admin_path(path: str) -> bool:
    """True for addresses under the Wagtail admin (its login, pages, choosers, previews)."""
    return path.startswith(reverse("wagtailadmin_home"))


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with one policy for the public site and another for the admin."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if getattr(request, "is_preview", False):
            # Wagtail renders a preview as the public page, inside an iframe in the editor.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        elif is_admin_path(request.path_info):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a higher limit for an address than for one user at it.

    AXES_LOCKOUT_PARAMETERS must list the username+address combination first and the address
    alone second. Axes compares the largest count with one limit, so the address's count is
    scaled: it reaches AXES_FAILURE_LIMIT exactly when the address has had
    LOGIN_FAILURE_LIMIT_PER_ADDRESS failures. An office behind one NAT address is then not locked
    out by one person who forgot a password, while an address that tries many usernames is.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if len(counts) != 2:
            return max(counts, default=0)
        per_user, per_address = counts
        limit = get_failure_limit(request, credentials)
        address_limit = int(getattr(settings, "LOGIN_FAILURE_LIMIT_PER_ADDRESS", limit))
        scaled = per_address * limit // address_limit if address_limit else per_address
        return max(per_user, scaled)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful login, forget that user's failures at this address, not the address's.

        Axes would delete every attempt that any lockout parameter matches, so one valid account
        could wipe the count of an address that is trying other usernames.
        """
        attempts_list = self.filter_user_attempts(request, credentials)
        deleted, _ = attempts_list[0].delete() if attempts_list else (0, None)
        return deleted


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429, in Swedish, with Retry-After."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(request, LOCKOUT_TEMPLATE, {"minutes": minutes}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
