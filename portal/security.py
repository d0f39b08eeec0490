"""Security headers for the whole portal (settings in portal/settings/base.py).

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
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse


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
