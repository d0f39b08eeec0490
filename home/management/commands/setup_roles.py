"""`manage.py setup_roles`: (re)create the editor roles and attach them and the review workflow."""

from django.core.management.base import BaseCommand
from django.db import transaction

from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR, WORKFLOW_NAME, ensure_roles_and_workflow


class Command(BaseCommand):
    help = (
        f"Skapar grupperna {REDAKTOR}, {KOMMUNIKATOR} och {GRANSKARE} med sina behörigheter och kopplar dem och "
        f"arbetsflödet {WORKFLOW_NAME} till de sektionssidor som finns. Kan köras flera gånger."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = ensure_roles_and_workflow()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rollerna är klara: {counts['permissions']} nya sidbehörigheter, arbetsflödet "
                f"{WORKFLOW_NAME} kopplat till {counts['workflow_pages']} nya sektioner."
            )
        )
