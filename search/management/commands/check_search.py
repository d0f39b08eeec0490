"""`manage.py check_search`: do the database engine and Elasticsearch reduce Swedish words to the same terms?

An operator runs it against the production cluster (after an upgrade of Elasticsearch, a change of
plugins or of the analysis): it analyses sample words with the portal's own analysis
(`search.text`) and with the index analyzer of the live Elasticsearch index, and fails, in
Swedish, naming every word where they differ.
"""

from django.core.management.base import BaseCommand, CommandError

from search.engines import EngineUnavailable, elasticsearch_configured, elasticsearch_engine
from search.text import analyse

# Inflections, definite and plural forms, compounds, å/ä/ö, upper case and stop words.
SAMPLE_WORDS = [
    "utfall",
    "utfallet",
    "utfallen",
    "Utfallets",
    "prestation",
    "prestationerna",
    "prestationen",
    "resurser",
    "resursen",
    "aktiviteterna",
    "långsiktiga",
    "langsiktiga",
    "effekter",
    "effekterna",
    "effektkedja",
    "effektkedjan",
    "effektkedjorna",
    "indikator",
    "indikatorn",
    "indikatorer",
    "indikatorerna",
    "resultat",
    "resultatet",
    "resultaten",
    "kausalitet",
    "kausaliteten",
    "utvärderingsfråga",
    "utvarderingsfragor",
    "utvärderingsfrågorna",
    "omvärlden",
    "kunskapsåterföringen",
    "interventionslogiken",
    "jämställdhetsintegrerade",
    "nyföretagandet",
    "hållbar",
    "tillväxt",
    "Västerbotten",
    "ÅÄÖ",
    "och",
    "för",
    "att",
    "är",
    "på",
    "",
]


class Command(BaseCommand):
    help = (
        "Jämför hur databasens sökmotor och Elasticsearch analyserar svenska ord (böjningar, å/ä/ö, "
        "stoppord) och misslyckas med en lista över ord som skiljer sig."
    )

    def add_arguments(self, parser):
        parser.add_argument("ord", nargs="*", help="Ord att jämföra i stället för de inbyggda exemplen.")

    def handle(self, *args, **options):
        if not elasticsearch_configured():
            raise CommandError("ELASTICSEARCH_URL är inte satt: det finns ingen Elasticsearch att jämföra med.")
        words = options["ord"] or SAMPLE_WORDS
        engine = elasticsearch_engine()
        try:
            analysed = engine.analyse(words)
        except EngineUnavailable as error:
            raise CommandError(f"Elasticsearch svarar inte eller saknar sökindexet: {error}") from error
        differences = []
        for word, es_terms in zip(words, analysed, strict=True):
            db_terms = analyse(word)
            if db_terms != es_terms:
                differences.append(
                    f"  ”{word}”: databasen ger {_terms(db_terms)}, Elasticsearch ger {_terms(es_terms)}"
                )
        if differences:
            raise CommandError(
                f"Sökmotorerna analyserar {len(differences)} av {len(words)} ord olika, så samma sökning "
                "kan ge olika träffar beroende på vilken motor som svarar:\n"
                + "\n".join(differences)
                + "\nKontrollera Elasticsearch-versionen och insticksmodulerna och bygg om indexet "
                "(manage.py rebuild_search_index)."
            )
        self.stdout.write(self.style.SUCCESS(f"Sökmotorerna analyserar alla {len(words)} ord likadant."))


def _terms(terms: list[str]) -> str:
    return ", ".join(terms) if terms else "inget (stoppord)"
