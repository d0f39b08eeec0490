"""The read-only Wagtail API v2 at /api/v2/: pages, images and documents.

Every request is answered as an anonymous visitor would see the site: no session or login
widens what is served, and pages are the live, public ones only (`.live().public()`, on top of
Wagtail's own filtering). `?search=` answers through the portal's search service, ranked as /sok/
ranks. Page fields are each model's `api_fields`, the structured fields its
public page shows, and relations keep to public pages (core/api_fields.py). Images and documents
are those a visitor may download (home/files.py): used by a live, public page or in an open
collection.

Bad parameters answer 400 with a Swedish message, never 500: Wagtail's own checks are translated,
and a value the database cannot compare with a field (a date that is no date, a word for an id)
is caught as well. Listings are bounded by WAGTAILAPI_LIMIT_MAX.
"""

import re

from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError
from django.db.models import Case, Value, When
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed, NotAcceptable, NotFound
from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import (
    DetailUrlField,
    PageAliasOfField,
    PageHtmlUrlField,
    PageParentField,
    PageSerializer,
    TagsField,
    get_serializer_class,
)
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2 import serializers as documents_serializers
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2 import serializers as images_serializers
from wagtail.images.api.v2.views import ImagesAPIViewSet

from core.collation import swedish_sort_key
from home import files
from portal.origin import on_request_origin, page_full_url
from search.service import ranked_page_ids

# Wagtail's messages (wagtail/api/v2) and what a Swedish reader is told instead. The original
# detail, such as a field name, is kept where it helps.
MESSAGES = [
    (r"offset must be a positive integer", "offset måste vara ett heltal som är 0 eller större."),
    (r"limit must be a positive integer", "limit måste vara ett heltal som är 0 eller större."),
    (r"limit cannot be higher than (\d+)", r"limit får vara högst \1."),
    (r"unknown fields: (.*)", r"Okända fält i fields: \1."),
    (r"fields error: unexpected char '(.*)' at position (\d+)", r"Fel i fields: oväntat tecken ”\1” på plats \2."),
    (r"fields error: unexpected whitespace at position (\d+)", r"Fel i fields: oväntat mellanslag på plats \1."),
    (r"fields error: unexpected end of input.*", "Fel i fields: en parentes stängs inte."),
    (r"fields error: '(.*)' must be in the first position", r"Fel i fields: ”\1” måste stå först."),
    (r"fields error: '(.*)' cannot be negated", r"Fel i fields: ”\1” kan inte uteslutas med minus."),
    (
        r"fields error: additional fields with '\*' doesn't make sense",
        "Fel i fields: * tar redan med alla fält; ange inga fler efter den (men -fält går att utesluta).",
    ),
    (
        r"fields error: negated fields with '_' doesn't make sense",
        "Fel i fields: _ tar inte med några fält; det finns inget att utesluta.",
    ),
    (r"fields error: (.*)", r"Fel i fields: \1."),
    (r"type doesn't exist", "Sidtypen finns inte. Ange den som app.Modell, till exempel larande.ConceptPage."),
    (
        r"query parameter is not an operation or a recognised field: (.*)",
        r"Okänd parameter: \1. Se /oppna-data/ för vilka parametrar API:t tar.",
    ),
    (r"cannot order by '(.*)' \(unknown field\)", r"Det går inte att sortera på ”\1”: fältet finns inte."),
    (r"cannot order by '(.*)'.*", r"Det går inte att sortera på ”\1”."),
    (r"random ordering.*", "Slumpvis ordning går inte att kombinera med andra fält eller med offset."),
    (r"field filter error\. '(.*)' is not a valid value for (\w+).*", r"”\1” är inget giltigt värde för \2."),
    (r"field filter error\. null characters.*", "Parametern innehåller otillåtna tecken."),
    (r"(child_of|ancestor_of|descendant_of|translation_of) must be a positive integer", r"\1 måste vara ett sid-id."),
    (r".*page doesn't exist", "Sidan finns inte eller är inte publicerad."),
    (r"filtering by tag with a search query is not supported", "Det går inte att söka och filtrera på tagg samtidigt."),
    (r"cannot (filter|order) by '(.*)' while searching.*", r"Det går inte att använda ”\2” tillsammans med search."),
    (r"search is disabled", "Sökning i API:t är avstängd."),
    (r".*(search_operator|`operator` must be).*", "search_operator ska vara and eller or."),
    (r".*rich_text_format.*", "rich_text_format ska vara html, db_html, markdown eller db_markdown."),
    (r"'(.*)' does not support nested fields", r"Fältet ”\1” har inga underfält."),
]
NOT_FOUND = "Hittades inte: ingen publicerad, öppen sida, bild eller dokument svarar mot förfrågan."
READ_ONLY = "API:t är skrivskyddat: bara GET-förfrågningar är tillåtna."
BAD_VALUE = "Ett värde i förfrågan har fel form för sitt fält, till exempel ett datum som inte är ett datum."
ONLY_JSON = "API:t svarar bara med JSON: ange format=json eller ingen format-parameter alls."
# Errors that Django's own handlers answer (home/views.py) when the address is under the API.
API_PREFIX = "/api/"
ERROR_MESSAGES = {
    400: "Felaktig förfrågan: den kan inte besvaras, till exempel för att adressens värdnamn inte är portalens.",
    403: "Åtkomst nekad.",
    404: "Hittades inte: API:t har ingen sådan adress. Slutpunkterna finns på /api/v2/.",
    405: READ_ONLY,
    500: "Ett fel uppstod i portalen. Försök igen om en stund.",
}


SEARCH_FAILED = "Sökfrågan gick inte att tolka. Sök med vanliga ord."
MAX_OFFSET = 1_000_000
MAX_SEARCH_LENGTH = 200
# The most pages a `?search=` can list (the API's offset and limit page through them).
MAX_SEARCH_HITS = 1000
# What a search may contain: words, digits and spaces. Quotes, brackets and the like are search
# engine syntax (SQLite's FTS5 fails on a lone quote) and carry no meaning for a visitor's search.
SEARCH_NOISE = re.compile(r"[^\w\s]+")


def swedish_message(message: str, default: str | None = None) -> str:
    """Wagtail's English error message in Swedish; an unknown message gets `default`, or its own
    text after a Swedish lead."""
    for pattern, replacement in MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return match.expand(replacement)
    return default or f"Felaktig förfrågan: {message}"


def clean_search(query: str) -> str:
    """The words of a search, without search engine syntax, at most MAX_SEARCH_LENGTH characters."""
    return " ".join(SEARCH_NOISE.sub(" ", query[:MAX_SEARCH_LENGTH]).split())


class BoundedPagination(WagtailPagination):
    """Wagtail's limit/offset pagination, with an offset the database can always take."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset får vara högst {MAX_OFFSET}.")
        return super().paginate_queryset(queryset, request, view)


class UnsupportedFormat(Exception):
    """?format= asks for something other than JSON."""


def asks_for_other_format(request) -> bool:
    """Whether the query string asks for a format other than JSON (`?format=xml`)."""
    value = request.GET.get("format")
    return value is not None and value != "json"


class PublicReadOnlyMixin:
    """Anonymous, read-only, JSON only, with Swedish error messages and no 500 for bad values."""

    # No session or login is read: the API shows what any visitor may see, nothing more.
    authentication_classes = []
    permission_classes = []
    renderer_classes = [JSONRenderer]
    pagination_class = BoundedPagination

    def filter_queryset(self, queryset):
        # Wagtail's SearchFilter reads the query string itself: hand it the cleaned words.
        if "search" in self.request.GET:
            params = self.request._request.GET.copy()
            params["search"] = clean_search(params["search"])
            self.request._request.GET = params
        return super().filter_queryset(queryset)

    def perform_content_negotiation(self, request, force=False):
        # The REST framework answers an unknown ?format= with 404, as if the address were wrong;
        # it is the parameter that is, so say so (400). `force` is the framework rendering an error.
        if not force and asks_for_other_format(request):
            raise UnsupportedFormat
        return super().perform_content_negotiation(request, force=force)

    def handle_exception(self, exc):
        if isinstance(exc, UnsupportedFormat):
            return Response({"message": ONLY_JSON}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, (ValueError, ValidationError, FieldError, OverflowError)) and not isinstance(
            exc, BadRequestError
        ):
            # The filters pass values straight to the ORM; a value that cannot be compared with
            # its field is bad input, not a server fault.
            message = swedish_message(str(getattr(exc, "message", exc)), default=BAD_VALUE)
            return Response({"message": message}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, DatabaseError) and "search" in self.request.GET:
            # What remains of a search the engine still cannot parse is the visitor's input.
            return Response({"message": SEARCH_FAILED}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, BadRequestError):
            return Response({"message": swedish_message(str(exc))}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, MethodNotAllowed):
            response = super().handle_exception(exc)
            response.data = {"message": READ_ONLY}
            return response
        if isinstance(exc, NotAcceptable):
            return Response({"message": ONLY_JSON}, status=status.HTTP_406_NOT_ACCEPTABLE)
        response = super().handle_exception(exc)
        if response.status_code == status.HTTP_404_NOT_FOUND or isinstance(exc, NotFound):
            response.data = {"message": NOT_FOUND}
        return response


# --- Addresses on the request's own address (portal/origin.py), not the Site record's root URL ---


class ServedDetailUrlField(DetailUrlField):
    def to_representation(self, url):
        return on_request_origin(url, self.context["request"])


class ServedPageHtmlUrlField(PageHtmlUrlField):
    def to_representation(self, page):
        return page_full_url(page, self.context["request"])


def _nested_page(field, value):
    """A parent or an original page as {id, meta: {type, detail_url, html_url}, title}, with the
    portal's page serializer (Wagtail's own fields build it on its base serializer)."""
    serializer_class = get_serializer_class(
        value.__class__,
        ["id", "type", "detail_url", "html_url", "title"],
        meta_fields=["type", "detail_url", "html_url"],
        base=ServedPageSerializer,
    )
    return serializer_class(context=field.context).to_representation(value)


class ServedPageParentField(PageParentField):
    def to_representation(self, value):
        return _nested_page(self, value)


class ServedPageAliasOfField(PageAliasOfField):
    def to_representation(self, value):
        return _nested_page(self, value)


class ServedPageSerializer(PageSerializer):
    detail_url = ServedDetailUrlField(read_only=True)
    html_url = ServedPageHtmlUrlField(read_only=True)
    parent = ServedPageParentField(read_only=True)
    alias_of = ServedPageAliasOfField(read_only=True)


class ServedFindMixin:
    """/api/v2/<endpoint>/find/ redirects to the object's detail URL on the request's address."""

    def find_view(self, request):
        response = super().find_view(request)
        if isinstance(response, HttpResponseRedirect):
            response["Location"] = on_request_origin(response["Location"], request)
        return response


class PortalSearchFilter(BaseFilterBackend):
    """`?search=` through the portal's own search service: the same engine, synonyms, near
    spellings and ranking as /sok/, not Wagtail's search index. The pages found are narrowed to
    the view's own queryset (live, public, and any other filters given), best first unless
    `order` asks for another order."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        if request.GET.get("search_operator", "and") not in ("and", "or"):
            raise BadRequestError("`operator` must be either 'or' or 'and'")
        ids = ranked_page_ids(request.GET["search"], limit=MAX_SEARCH_HITS)
        queryset = queryset.filter(pk__in=ids)
        if "order" in request.GET or not ids:
            return queryset
        return queryset.order_by(Case(*(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids))))


class PublicPagesAPIViewSet(ServedFindMixin, PublicReadOnlyMixin, PagesAPIViewSet):
    """Live, public pages only, whoever asks."""

    base_serializer_class = ServedPageSerializer
    # Wagtail's own search filter (last) is replaced by the portal's search.
    filter_backends = [
        *(backend for backend in PagesAPIViewSet.filter_backends if backend is not SearchFilter),
        PortalSearchFilter,
    ]

    def get_base_queryset(self):
        # Wagtail's queryset already drops restricted pages for an anonymous request; `.public()`
        # makes sure no session (a password once given, a login) ever adds them back. Expiry is
        # not filtered here: `?search=` accepts only the search index's filter fields, and
        # `expire_at` is none of them. An expired page is unpublished by portal.scheduling before
        # this request is answered, so it is never listed either.
        return super().get_base_queryset().public()


class SortedTagsField(TagsField):
    """Tag names in Swedish order, read from the prefetched tags: no query per image or document
    (Wagtail's own field asks the database once per item)."""

    def to_representation(self, value):
        return sorted((tag.name for tag in value.all()), key=swedish_sort_key)


class PrefetchedTagsMixin:
    def build_property_field(self, field_name, model_class):
        field_class, kwargs = super().build_property_field(field_name, model_class)
        return (SortedTagsField if field_class is TagsField else field_class), kwargs


class ImageSerializer(PrefetchedTagsMixin, images_serializers.ImageSerializer):
    detail_url = ServedDetailUrlField(read_only=True)


class ServedDocumentDownloadUrlField(documents_serializers.DocumentDownloadUrlField):
    def to_representation(self, document):
        return on_request_origin(super().to_representation(document), self.context["request"])


class DocumentSerializer(PrefetchedTagsMixin, documents_serializers.DocumentSerializer):
    detail_url = ServedDetailUrlField(read_only=True)
    download_url = ServedDocumentDownloadUrlField(read_only=True)


class VisibleFilesMixin:
    """Only the files a visitor may download (home/files.py: used by a live, public page or in an
    open collection), on top of Wagtail's exclusion of restricted collections.

    The queryset is built once per request (Wagtail asks for it again to learn the model), with
    the visibility as `pk__in`, a filter Wagtail's search backends accept along with ?search=.
    """

    def get_queryset(self):
        if getattr(self, "_visible_queryset", None) is None:
            queryset = super().get_queryset()
            visible = files.visible(queryset.model.objects.all()).values("pk")
            self._visible_queryset = queryset.filter(pk__in=visible).prefetch_related("tags")
        return self._visible_queryset.all()


class PublicImagesAPIViewSet(ServedFindMixin, VisibleFilesMixin, PublicReadOnlyMixin, ImagesAPIViewSet):
    """Images a visitor may see."""

    base_serializer_class = ImageSerializer


class PublicDocumentsAPIViewSet(ServedFindMixin, VisibleFilesMixin, PublicReadOnlyMixin, DocumentsAPIViewSet):
    """Documents a visitor may see; `download_url` is the portal's /dokument/ address, which applies
    the same rule."""

    base_serializer_class = DocumentSerializer


ENDPOINTS = {"pages": PublicPagesAPIViewSet, "images": PublicImagesAPIViewSet, "documents": PublicDocumentsAPIViewSet}
api_router = WagtailAPIRouter("wagtailapi")
for _name, _viewset in ENDPOINTS.items():
    api_router.register_endpoint(_name, _viewset)


def api_index(request):
    """What /api/v2/ offers, so the address itself answers instead of 404."""
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"message": READ_ONLY}, status=405, headers={"Allow": "GET, HEAD"})
    if asks_for_other_format(request):
        return JsonResponse({"message": ONLY_JSON}, status=400)
    endpoints = {name: request.build_absolute_uri(reverse(f"wagtailapi:{name}:listing")) for name in ENDPOINTS}
    return JsonResponse(
        {
            "beskrivning": "Lärportalens öppna, skrivskyddade API (Wagtail API v2). Endast publicerade, "
            "offentliga sidor visas.",
            "dokumentation": request.build_absolute_uri(reverse("outputs:open_data")),
            "slutpunkter": endpoints,
            "max_limit": settings.WAGTAILAPI_LIMIT_MAX,
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def error_response(status_code: int) -> JsonResponse:
    """A JSON error with a Swedish message, for what Django answers under /api/ (home/views.py)."""
    return JsonResponse(
        {"message": ERROR_MESSAGES[status_code]}, status=status_code, json_dumps_params={"ensure_ascii": False}
    )


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_not_found(request, *args, **kwargs):
    """Any address under /api/ that no endpoint answers (/api/v2/pages/abc/, /api/v3/): JSON, not
    the portal's HTML page."""
    return error_response(404)


urlpatterns = [
    path("", api_index, name="api_index"),
    path("", api_router.urls),
]
