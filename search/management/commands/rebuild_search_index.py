"""`manage.py rebuild_search_index`: rebuild the search indexes from the database, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError

from search.engines import EngineUnavailable, elasticsearch_configured
from search.rebuild import rebuild


class Command(BaseCommand):
    help = (
        "Bygger om sökindexen från databasen: databasindexet och, om ELASTICSEARCH_URL är satt, "
        "Elasticsearch (nytt index, aliaset flyttas atomärt). Tar också igen missade uppdateringar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database-only", action="store_true", help="Bygg bara om databasindexet.")
        parser.add_argument("--elasticsearch-only", action="store_true", help="Bygg bara om Elasticsearch-indexet.")

    def handle(self, *args, **options):
        if options["database_only"] and options["elasticsearch_only"]:
            raise CommandError("Välj högst en av --database-only och --elasticsearch-only.")
        if options["elasticsearch_only"] and not elasticsearch_configured():
            raise CommandError("ELASTICSEARCH_URL är inte satt.")
        try:
            report = rebuild(
                stream=self.stdout,
                database=not options["elasticsearch_only"],
                elasticsearch=not options["database_only"],
            )
        except EngineUnavailable as error:
            raise CommandError(f"Elasticsearch svarar inte: {error}") from error
        self.stdout.write(f"Sökbara sidor och frågor i databasen: {report.expected}")
        self.stdout.write(f"Databasindexet: {report.database} dokument")
        if report.elasticsearch is not None:
            self.stdout.write(f"Elasticsearch ({report.index_name}): {report.elasticsearch} dokument")
        ok = report.database == report.expected and report.elasticsearch in (None, report.expected)
        message = f"Klart på {report.seconds:.1f} s."
        self.stdout.write(self.style.SUCCESS(message) if ok else self.style.WARNING(message + " Antalen skiljer sig."))
