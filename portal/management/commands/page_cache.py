"""`manage.py page_cache`: move the content version, so that every cache forgets every page."""

from django.core.management.base import BaseCommand

from portal.content_version import VERSION_KEY, content_version, purge_frontend_caches


class Command(BaseCommand):
    help = (
        "Markera allt innehåll som ändrat: portalens sidcache glöms och Varnish (om den är inställd) töms. "
        "Kör efter att databasen ändrats utanför portalen, t.ex. efter en återställning."
    )

    def handle(self, *args, **options):
        from django.core.cache import cache

        cache.delete(VERSION_KEY)
        purge_frontend_caches()
        version = content_version()
        if version is None:
            self.stdout.write(self.style.WARNING("Cachen svarar inte; sidorna byggs utan cache tills den svarar."))
        else:
            self.stdout.write(self.style.SUCCESS("Sidcachen är tömd (ny innehållsversion)."))
