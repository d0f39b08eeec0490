"""`manage.py restore ARKIV` into an empty database and media folder; `--verify-only` just checks the archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia (från manage.py backup) till en TOM databas och en TOM mediemapp. Hela "
        "arkivet kontrolleras först (kontrollsummor, formatversion, databastyp, migreringar); sedan skrivs filerna, "
        "databasen läggs på plats i ett steg, nyare migreringar körs och sökindexen byggs om. Med --verify-only "
        "kontrolleras bara arkivet, och ingenting ändras."
    )
    # System checks may open the database connection, and for SQLite that creates the file: nothing
    # may touch the target before the archive is verified.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Arkivet, t.ex. backups/larportalen-20250101T020000Z.tar.gz")
        parser.add_argument(
            "--verify-only", action="store_true", help="Kontrollera bara arkivet; ändra ingenting i portalen."
        )

    def handle(self, *args, archive, verify_only=False, **options):
        try:
            if verify_only:
                verify_archive(archive, stdout=self.stdout)
                self.stdout.write(self.style.SUCCESS(f"{archive} är helt."))
            else:
                restore_backup(archive, stdout=self.stdout)
                self.stdout.write(self.style.SUCCESS(f"Portalen är återställd från {archive}."))
        except BackupError as error:
            raise CommandError(str(error)) from error
