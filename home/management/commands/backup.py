"""`manage.py backup [--output ARKIV] [--overwrite]`: the database and the media files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar portalen till ett arkiv (tar.gz): databasen i en enda ögonblicksbild, mediefilerna "
        "(utom bildrenderingar) och ett manifest med versioner, migreringar och SHA-256 för varje fil. Kan köras "
        "medan portalen är i gång. Standardnamn: backups/larportalen-<UTC-tid>.tar.gz."
    )
    # The checks would look at the database before the snapshot; the backup needs none of them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Arkivets sökväg, eller en mapp där arkivet får sitt standardnamn (backups/larportalen-<tid>.tar.gz).",
        )
        parser.add_argument("--overwrite", action="store_true", help="Ersätt ett befintligt arkiv med samma namn.")

    def handle(self, *args, output=None, overwrite=False, **options):
        try:
            path = create_backup(output=output, overwrite=overwrite, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Säkerhetskopian är klar: {path}"))
