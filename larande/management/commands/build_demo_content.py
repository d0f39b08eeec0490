"""`manage.py build_demo_content [--admin]`: the demo portal, built from the framework text."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from larande.demo.build import DemoContentError, build_demo_content, ensure_dev_admin
from larande.demo.seed import SeedError


class Command(BaseCommand):
    help = (
        "Bygger demoinnehållet (startsida, ramverkets kapitel, begrepp, effektkedja, frågor, indikatorer och "
        "fiktiva resultat). Kan köras flera gånger: det som redan finns uppdateras, inget dupliceras."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin",
            action="store_true",
            help="Skapa eller uppdatera utvecklingskontot admin (lösenord i README). Bara när DEBUG är på.",
        )

    def handle(self, *args, admin=False, **options):
        # Refuse before touching anything, so production never gets a half-run with a known password.
        if admin and not settings.DEBUG:
            raise CommandError(
                "--admin är bara tillåtet när DEBUG är på (portal.settings.dev). "
                "Skapa konton i produktion med `manage.py createsuperuser`."
            )
        started = time.monotonic()
        try:
            with transaction.atomic():
                counts = build_demo_content(stdout=self.stdout if options["verbosity"] > 1 else None)
                admin_result = ensure_dev_admin() if admin else None
        except (DemoContentError, SeedError) as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            self.style.SUCCESS(
                f"Demoinnehållet är klart på {time.monotonic() - started:.1f} s: {counts['created']} skapade, "
                f"{counts['updated']} uppdaterade, {counts['unchanged']} oförändrade, {counts['deleted']} borttagna."
            )
        )
        if admin_result:
            word = {"created": "skapat", "updated": "uppdaterat", "unchanged": "oförändrat"}[admin_result]
            self.stdout.write(self.style.SUCCESS(f"Utvecklingskontot admin är {word}."))
