"""core.listings: the facet logic behind the result and lesson listings, on plain data."""

from django.http import QueryDict

from core.listings import (
    Facet,
    Row,
    facet_counts,
    facet_listing,
    filter_rows,
    level_labels,
    normalize_level,
    normalize_year,
    page_links,
    paginate,
    querystring,
    querystring_without,
    read_filters,
)

TAG = Facet("tagg", "Tagg", "Okänd tagg ”{value}”.")
LEVEL = Facet("niva", "Nivå", "Okänd nivå ”{value}”.", order="level", normalize=normalize_level)
YEAR = Facet("ar", "År", "”{value}” är inget årtal.", order="desc", normalize=normalize_year)
FACETS = [TAG, LEVEL, YEAR]


def row(key, tags=(), level=None, year=2024):
    return Row(
        key, {"tagg": frozenset(tags), "niva": frozenset({level} if level else ()), "ar": frozenset({str(year)})}
    )


ROWS = [
    row(1, ["kluster", "finansiering"], "C", 2024),
    row(2, ["kluster"], "E", 2024),
    row(3, ["kompetens"], "D", 2023),
    row(4, ["finansiering"], None, 2024),
]


def keys(listing):
    return listing.keys


def test_read_filters_takes_first_trimmed_non_empty_value_and_caps_length():
    params = QueryDict("tagg=+kluster+&tagg=annat&niva=&ar=" + "9" * 300)
    assert read_filters(params, FACETS) == {"tagg": "kluster", "ar": "9" * 100}
    assert read_filters({"tagg": ["a", "b"]}, FACETS) == {"tagg": "a"}


def test_filters_combine_with_and():
    assert [r.key for r in filter_rows(ROWS, {"tagg": "kluster"})] == [1, 2]
    assert [r.key for r in filter_rows(ROWS, {"tagg": "kluster", "niva": "E"})] == [2]
    assert [r.key for r in filter_rows(ROWS, {"tagg": "finansiering", "ar": "2023"})] == []
    assert [r.key for r in filter_rows(ROWS, {})] == [1, 2, 3, 4]


def test_counts_apply_the_other_filters_but_not_their_own():
    active = {"tagg": "kluster", "ar": "2024"}
    assert facet_counts(ROWS, "tagg", active) == {"kluster": 2, "finansiering": 2}
    assert facet_counts(ROWS, "niva", active) == {"C": 1, "E": 1}
    assert facet_counts(ROWS, "ar", active) == {"2024": 2}


def test_facet_listing_builds_ordered_options_with_counts_and_selection():
    listing = facet_listing(ROWS, FACETS, QueryDict("tagg=finansiering"), {"tagg": {"finansiering": "Finansiering"}})

    assert keys(listing) == [1, 4]
    tags, levels, years = listing.groups
    assert [(o.label, o.count, o.selected) for o in tags.options] == [
        ("Finansiering", 2, True),
        ("kluster", 2, False),
        ("kompetens", 1, False),
    ]
    assert tags.all_count == 4
    assert [(o.value, o.count) for o in levels.options] == [("C", 1)]
    assert levels.all_count == 2
    assert [(o.value, o.count) for o in years.options] == [("2024", 2)]
    assert [(f.legend, f.label, f.remove_url) for f in listing.active_filters] == [("Tagg", "Finansiering", "?")]
    assert listing.errors == []


def test_levels_order_top_down_and_years_newest_first():
    listing = facet_listing(ROWS, FACETS, {}, {"niva": level_labels()})
    _tags, levels, years = listing.groups
    assert [o.label for o in levels.options] == ["C Kortsiktiga effekter", "D Utfall", "E Prestationer"]
    assert [o.value for o in years.options] == ["2024", "2023"]


def test_options_sort_in_swedish_order():
    rows = [row(i, [name]) for i, name in enumerate(["ö", "z", "å", "a", "ä"])]
    listing = facet_listing(rows, [TAG], {})
    assert [o.value for o in listing.groups[0].options] == ["a", "z", "å", "ä", "ö"]


def test_unknown_value_gives_empty_list_message_and_still_offers_valid_options():
    listing = facet_listing(ROWS, FACETS, {"tagg": "okand", "niva": "c"})

    assert keys(listing) == []
    assert listing.errors == ["Okänd tagg ”okand”."]
    tags, levels, _years = listing.groups
    # The valid level filter still narrows the counts; the unknown tag does not select anything.
    assert tags.selected == "" and [(o.value, o.count) for o in tags.options] == [("finansiering", 1), ("kluster", 1)]
    assert levels.selected == "C"


def test_values_of_a_fixed_vocabulary_are_normalised_or_rejected():
    assert keys(facet_listing(ROWS, FACETS, {"niva": "e"})) == [2]
    assert facet_listing(ROWS, FACETS, {"niva": "G"}).errors == []
    assert keys(facet_listing(ROWS, FACETS, {"niva": "G"})) == []
    assert facet_listing(ROWS, FACETS, {"niva": "Z"}).errors == ["Okänd nivå ”Z”."]
    assert facet_listing(ROWS, FACETS, {"ar": "2O24"}).errors == ["”2O24” är inget årtal."]
    assert facet_listing(ROWS, FACETS, {"ar": "１２３４"}).errors == ["”１２３４” är inget årtal."]
    assert normalize_year(" 1999 ") == "1999"


def test_a_valid_choice_left_without_items_stays_visible_and_checked():
    listing = facet_listing(ROWS, FACETS, {"tagg": "kompetens", "ar": "2024"})
    years = listing.groups[2]
    assert keys(listing) == []
    assert [(o.value, o.count, o.selected) for o in years.options] == [("2024", 0, True), ("2023", 1, False)]


def test_querystring_helpers_keep_other_filters_and_drop_page_and_empties():
    params = QueryDict("tagg=kluster&niva=C&sida=3&ar=&tagg=annat")
    assert querystring_without(params, "niva") == "?tagg=kluster&tagg=annat"
    assert querystring(params, niva="D") == "?tagg=kluster&tagg=annat&niva=D"
    assert querystring(params, sida=2) == "?tagg=kluster&tagg=annat&niva=C&sida=2"
    assert querystring_without({"q": "å ä"}, "x") == "?q=%C3%A5+%C3%A4"
    assert querystring_without(params, "tagg", "niva") == "?"


def test_paginate_never_fails_on_bad_page_numbers():
    items = list(range(25))
    assert list(paginate(items, {"sida": "2"}, 10).object_list) == list(range(10, 20))
    assert paginate(items, {"sida": "abc"}, 10).number == 1
    assert paginate(items, {"sida": "999"}, 10).number == 3
    assert paginate(items, {"sida": "-4"}, 10).number == 3
    assert paginate([], {"sida": "5"}, 10).number == 1


def test_page_links_keep_filters():
    params = QueryDict("tagg=kluster&sida=2")
    links = page_links(paginate(list(range(25)), params, 10), params)
    assert links["previous_url"] == "?tagg=kluster"
    assert links["next_url"] == "?tagg=kluster&sida=3"
    assert [(n["number"], n["current"]) for n in links["numbers"]] == [(1, False), (2, True), (3, False)]
