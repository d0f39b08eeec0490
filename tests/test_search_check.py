"""`manage.py check_search` against the real Elasticsearch node: the same terms pass, a different
analysis fails with a Swedish message naming the words."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from search.engines import elasticsearch_engine
from tests.search_support import engine_settings, unique_prefix

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def es_alias():
    prefix = unique_prefix()
    with override_settings(**engine_settings("elasticsearch", prefix)):
        engine = elasticsearch_engine()
        try:
            yield engine
        finally:
            engine.drop_everything()


def test_the_portals_index_analyses_as_the_database_does(es_alias, db, capsys):
    name = es_alias.new_index_name()
    es_alias.create_index(name, [])
    es_alias.swap_alias(name)
    call_command("check_search")
    assert "analyserar alla" in capsys.readouterr().out


def test_a_different_analysis_fails_in_swedish_naming_the_words(es_alias, db):
    # An index whose "sv_index" only lower-cases: what a cluster without the Swedish stemmer would do.
    name = es_alias.new_index_name()
    es_alias.admin.indices.create(
        index=name,
        settings={
            "analysis": {"analyzer": {"sv_index": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]}}}
        },
    )
    es_alias.swap_alias(name)
    with pytest.raises(CommandError) as failure:
        call_command("check_search", "utfallet", "och")
    message = str(failure.value)
    assert "analyserar 2 av 2 ord olika" in message
    assert "”utfallet”: databasen ger utfall, Elasticsearch ger utfallet" in message
    assert "”och”: databasen ger inget (stoppord), Elasticsearch ger och" in message


def test_without_elasticsearch_it_says_so(db):
    with override_settings(ELASTICSEARCH_URL=""), pytest.raises(CommandError, match="ELASTICSEARCH_URL är inte satt"):
        call_command("check_search")


def test_a_missing_index_is_a_swedish_error(es_alias, db):
    with pytest.raises(CommandError, match="Elasticsearch svarar inte eller saknar sökindexet"):
        call_command("check_search")
