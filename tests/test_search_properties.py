"""Property-based: any string at all, as query, page or facet value, never makes search answer 5xx.

On every engine: the database engine on the database the suite runs on (SQLite FTS5 or
PostgreSQL tsquery, each with its own query syntax) and Elasticsearch.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ConceptPageFactory, GuidancePageFactory
from tests.search_support import make_engine_fixtures


def build():
    ConceptPageFactory(title="Utfall", english_term="outcome", chain_level="D", publish=True)
    GuidancePageFactory(title="Effektkedjor", intro="Om utfall och effekter.", publish=True)


search_content, search_engine = make_engine_fixtures(build)

ANY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.text(alphabet='"()[]{}:*?~^!&|-+/\\ ANDORNOTlive:false', max_size=40),
    # FTS5 (NEAR, column filters, prefix, initial token) and tsquery (&, |, !, <->, :*) syntax.
    st.text(alphabet="\"'(){}:*^-+!&|<> NEARNOTANDORtitlebodyutfall0123", max_size=40),
    st.lists(
        st.sampled_from(["NEAR(", "utfall", "*", "^", '"', ":", "<->", "!", "&", "|", ")", "title:", "{body}"])
    ).map(" ".join),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["utfall", "outcome", "utfallet effekter", "åäö", "\x00utfall", "x" * 5000]),
)
RUN = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@RUN
@given(query=ANY_TEXT, page=ANY_TEXT, facet=ANY_TEXT)
def test_search_page_never_fails(search_engine, client, query, page, facet):
    response = client.get("/sok/", {"q": query, "sida": page, "typ": facet, "tagg": facet, "ar": facet})
    assert response.status_code < 500


@RUN
@given(query=ANY_TEXT, page=ANY_TEXT)
def test_search_json_never_fails(search_engine, client, query, page):
    response = client.get("/sok/", {"q": query, "format": "json", "sida": page, "niva": query[:3]})
    assert response.status_code < 500
    if response.status_code == 200:
        data = response.json()
        assert isinstance(data["results"], list) and data["total"] >= len(data["results"])


@RUN
@given(query=ANY_TEXT)
def test_autocomplete_never_fails(search_engine, client, query):
    response = client.get("/sok/forslag/", {"q": query})
    assert response.status_code < 500
    assert len(response.json()["suggestions"]) <= 10


@pytest.mark.parametrize("raw", ["%ff%fe%00", "%ed%a0%80", "%c0%af", "%e2%80", "utfall%00%01%1b"])
@pytest.mark.parametrize("path", ["/sok/?format=json&q=", "/sok/?q=", "/sok/forslag/?q=", "/sok/?q=utfall&sida="])
def test_bytes_that_are_not_utf8(search_engine, client, raw, path):
    response = client.get(path + raw)
    assert response.status_code < 500
