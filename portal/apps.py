"""The portal itself as an app: the content version's signal receivers and the page cache's hook."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Lärportalen"

    def ready(self):
        from wagtail import hooks

        from portal import content_version, pagecache

        # Listed last in INSTALLED_APPS: these receivers run after every other app's, so the
        # version's commit hook runs after theirs (the search index's among them).
        content_version.connect_signals()
        hooks.register("before_serve_page", pagecache.mark_restricted_page)
