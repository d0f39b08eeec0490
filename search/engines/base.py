"""The one interface both search engines implement; views and the service never see more than this."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from search.text import normalise

# Facets in the order the page shows them: URL parameter → heading.
FACETS = {
    "typ": "Typ",
    "niva": "Nivå i effektkedjan",
    "tagg": "Tagg",
    "region": "Region",
    "ar": "År",
}


class EngineUnavailable(Exception):
    """The engine cannot answer right now (down, slow, refusing); the service falls back."""


@dataclass(frozen=True)
class Filters:
    """Selected facet values: OR within a facet, AND between facets."""

    values: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_dict(cls, selected: dict[str, list[str]]) -> "Filters":
        return cls(tuple((name, tuple(vals)) for name, vals in selected.items() if name in FACETS and vals))

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.values)

    def without(self, facet: str) -> "Filters":
        return Filters(tuple((name, vals) for name, vals in self.values if name != facet))

    def __bool__(self):
        return bool(self.values)


@dataclass
class Hit:
    key: str
    title: str
    url: str
    doc_type: str
    type_label: str
    snippet: SafeString
    score: float = 0.0


@dataclass
class FacetCount:
    value: str
    label: str
    count: int


@dataclass
class EngineResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    suggestion: str | None = None  # "Menade du …?", when the engine worked one out
    # False: more than `total` documents match (a bounded count, as Elasticsearch's track_total_hits).
    total_exact: bool = True
    # False: the facet counts are those of an even sample of the matches, not of all of them.
    facets_exact: bool = True


@dataclass
class Suggestion:
    title: str
    url: str
    doc_type: str
    type_label: str
    detail: str = ""  # the label that matched, when it is not the title

    def as_json(self) -> dict:
        return {"title": self.title, "url": self.url, "type": self.type_label, "label": self.detail}


def corrected_query(query: str, corrections: dict[str, str]) -> str | None:
    """The query with each misspelled word (a key of `corrections`) replaced by its correction:
    the "Menade du …?" of both engines; None when nothing changes."""
    if not corrections:
        return None
    normalised = normalise(query)
    fixed = []
    for word in normalised.split():
        bare = word.strip(".,;:!?\"'()[]{}")
        fixed.append(word.replace(bare, corrections[bare]) if bare in corrections else word)
    suggestion = " ".join(fixed)
    return suggestion if suggestion != normalised else None


class SearchEngine:
    """Index and query documents (see `search.documents.IndexDocument`)."""

    name = ""
    label = ""

    def search(self, query: str, filters: Filters, offset: int, limit: int) -> EngineResult:
        raise NotImplementedError

    def autocomplete(self, query: str, limit: int) -> list[Suggestion]:
        raise NotImplementedError

    def index_documents(self, documents) -> None:
        raise NotImplementedError

    def remove_keys(self, keys) -> None:
        raise NotImplementedError
