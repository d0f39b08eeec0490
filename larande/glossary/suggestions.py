"""Föreslå ett begrepp (/begrepp/foresla/): a public form whose suggestions only editors see.

GET shows the form, or with `?skickat=1` the confirmation. POST validates and saves a
ConceptSuggestion with status "new", then redirects (303, Post/Redirect/Get) to the
confirmation, so reloading it sends nothing twice. Nothing a visitor writes is published:
editors handle suggestions in the admin (Ramverket → Begreppsförslag).

Spam is held back twice: a honeypot field that people never see (a filled one gets a neutral
400) and a limit per client, counted in the shared cache (429 with Retry-After). A client is an
IPv4 address, or an IPv6 /64 network (one household or server gets a whole /64 and can pick any
address in it; an IPv4-mapped IPv6 address counts as its IPv4 address). Settings, all optional:

- SUGGESTION_RATE_LIMIT: submissions per client and period (default 5),
- SUGGESTION_RATE_WINDOW: the period in seconds, counted from the client's first submission
  (default 600),
- SUGGESTION_TRUSTED_PROXIES: how many reverse proxies in front of the application append to
  X-Forwarded-For (default TRUSTED_PROXY_COUNT, itself 0: the client is REMOTE_ADDR).

The count is atomic (`portal.cache.count_hit`: one Lua script on Redis, a file lock on the file
cache), so simultaneous submissions cannot slip past the limit together. When the cache is
unavailable the form fails open: submissions are accepted without a limit and a warning is
logged (at most once a minute per process); the honeypot and the validation still apply.
"""

import ipaddress
import logging
import math
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac

from larande.glossary.suggestion_models import (
    SUGGESTION_NAME_MAX_LENGTH,
    SUGGESTION_REASON_MAX_LENGTH,
    SUGGESTION_TERM_MAX_LENGTH,
    ConceptSuggestion,
    SuggestionStatus,
)
from portal import security
from portal.cache import ThrottledWarning, count_hit, uncount_hit

TEMPLATE = "larande/concept_suggestion.html"
SUGGEST_DESCRIPTION = (
    "Saknas ett begrepp i Lärportalens begreppslista? Föreslå det här, med en motivering, så tar redaktionen ställning."
)
SENT_PARAMETER = "skickat"
HONEYPOT_FIELD = "webbplats"
DEFAULT_RATE_LIMIT = 5
DEFAULT_RATE_WINDOW = 600
RATE_KEY_PREFIX = "larande:begreppsforslag"
IPV6_CLIENT_PREFIX = 64

logger = logging.getLogger(__name__)
_fail_open_warning = ThrottledWarning(logger)

HONEYPOT_MESSAGE = "Förslaget kunde inte skickas. Kontrollera det du har skrivit och försök igen."
# Whitespace that a multi-line text may keep; every other control character is refused.
TEXT_WHITESPACE = frozenset("\t\n\r")


def _grouped(number: int) -> str:
    """A number as Swedish text writes it: 2 000 (with a no-break space)."""
    return f"{number:,}".replace(",", "\u00a0")


def _has_control_characters(value: str, allowed=frozenset()) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in value)


class VisitorTextField(forms.CharField):
    """Text as a visitor typed it: trimmed, in Unicode NFC, without invisible control characters.

    A single-line field also collapses runs of whitespace (tabs and line breaks included) into
    one space. `subject` names the field in messages ("Begreppet"); `meaningful` requires at
    least one letter or digit, so a value of only punctuation or symbols is refused.
    """

    def __init__(self, *, subject: str, single_line: bool, meaningful: bool = False, **kwargs):
        self.subject = subject
        self.single_line = single_line
        self.meaningful = meaningful
        super().__init__(strip=True, **kwargs)
        # Control characters, NUL included, get one message of our own (see validate()).
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = unicodedata.normalize("NFC", value)
        if self.single_line:
            return " ".join(value.split())
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if _has_control_characters(value, allowed=frozenset() if self.single_line else TEXT_WHITESPACE):
            raise ValidationError(
                f"{self.subject} innehåller osynliga styrtecken som inte kan sparas. Skriv texten igen utan dem.",
                code="control_characters",
            )
        if self.meaningful and not any(char.isalnum() for char in value):
            raise ValidationError(f"{self.subject} måste innehålla minst en bokstav eller siffra.", code="no_letters")


def _max_length_message(subject: str, limit: int) -> str:
    return f"{subject} får vara högst {_grouped(limit)} tecken. Nu är det %(show_value)d tecken."


class ConceptSuggestionForm(forms.ModelForm):
    """The visitor's suggestion; the honeypot field `webbplats` must stay empty."""

    name = VisitorTextField(
        subject="Namnet",
        single_line=True,
        required=False,
        max_length=SUGGESTION_NAME_MAX_LENGTH,
        label="Ditt namn (frivilligt)",
        help_text="Om du vill att redaktionen ska veta vem förslaget kommer från. Namnet visas aldrig på webbplatsen.",
        error_messages={"max_length": _max_length_message("Namnet", SUGGESTION_NAME_MAX_LENGTH)},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    term = VisitorTextField(
        subject="Begreppet",
        single_line=True,
        meaningful=True,
        max_length=SUGGESTION_TERM_MAX_LENGTH,
        label="Begrepp",
        help_text=f"Ordet eller uttrycket som saknas i begreppslistan, högst {SUGGESTION_TERM_MAX_LENGTH} tecken.",
        error_messages={
            "required": "Skriv vilket begrepp du vill föreslå.",
            "max_length": _max_length_message("Begreppet", SUGGESTION_TERM_MAX_LENGTH),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "true"}),
    )
    reason = VisitorTextField(
        subject="Motiveringen",
        single_line=False,
        meaningful=True,
        max_length=SUGGESTION_REASON_MAX_LENGTH,
        label="Varför behövs begreppet?",
        help_text=(
            "Till exempel var du har stött på begreppet och vad som behöver förklaras. "
            f"Högst {_grouped(SUGGESTION_REASON_MAX_LENGTH)} tecken."
        ),
        error_messages={
            "required": "Skriv varför begreppet behövs.",
            "max_length": _max_length_message("Motiveringen", SUGGESTION_REASON_MAX_LENGTH),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # The honeypot: hidden from everybody with CSS (display: none), so only a robot fills it in.
    webbplats = forms.CharField(
        required=False,
        label="Lämna det här fältet tomt",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ConceptSuggestion
        fields = ["name", "term", "reason"]

    @property
    def suggestion_fields(self):
        """The fields a visitor fills in, in order (the honeypot is rendered on its own)."""
        return [self[name] for name in self._meta.fields]

    def error_summary(self) -> list[tuple[str, str]]:
        """(field id, message) for every error, in the form's order, for the summary at the top."""
        return [(field.id_for_label, error) for field in self.suggestion_fields for error in field.errors]

    def save(self, commit=True):
        self.instance.status = SuggestionStatus.NEW
        return super().save(commit)


def rate_limit_settings() -> tuple[int, int]:
    """(submissions, seconds) allowed per client, from the settings or the defaults."""
    return (
        int(getattr(settings, "SUGGESTION_RATE_LIMIT", DEFAULT_RATE_LIMIT)),
        int(getattr(settings, "SUGGESTION_RATE_WINDOW", DEFAULT_RATE_WINDOW)),
    )


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind trusted proxies the one they saw."""
    proxies = getattr(settings, "SUGGESTION_TRUSTED_PROXIES", None)
    return security.client_address(request, None if proxies is None else int(proxies))


def _parse_address(value: str):
    """An IP address from REMOTE_ADDR or X-Forwarded-For, also with a port ("[2001:db8::1]:443",
    "192.0.2.1:80"); None when it is none."""
    value = value.strip()
    candidates = [value]
    if value.startswith("[") and "]" in value:
        candidates.append(value[1 : value.index("]")])
    elif value.count(":") == 1:
        candidates.append(value.split(":")[0])
    for candidate in candidates:
        try:
            return ipaddress.ip_address(candidate)
        except ValueError:
            continue
    return None


def client_network(request) -> str:
    """What the rate limit counts: the IPv4 address, or the IPv6 /64 network, of the visitor."""
    raw = client_address(request)
    address = _parse_address(raw)
    if address is None:
        return raw  # not an address (a test client, a misconfigured proxy): counted as it is
    if address.version == 6 and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    if address.version == 6:
        # int(): an address with a zone ("fe80::1%eth0") counts as the same network without it.
        return str(ipaddress.IPv6Network((int(address), IPV6_CLIENT_PREFIX), strict=False))
    return str(address)


class SubmissionLimit:
    """At most SUGGESTION_RATE_LIMIT submissions per client in SUGGESTION_RATE_WINDOW seconds.

    The period starts with the client's first submission; the count lives in the shared cache
    under a keyed hash of the client's address or network, never the address itself.
    """

    def __init__(self, request, prefix: str = RATE_KEY_PREFIX):
        self.limit, self.window = rate_limit_settings()
        # Each form counts on its own (`prefix`), so suggesting a concept leaves room for a question.
        client = salted_hmac(prefix, client_network(request)).hexdigest()
        self.count_key = f"{prefix}:{client}:antal"
        self.seconds_left = self.window
        self.counted = False

    def reserve(self) -> bool:
        """Count a submission before it is handled; False when it is over the limit.

        Counting first (atomically) keeps simultaneous submissions from slipping past the limit
        together. A submission refused for its content is given back with release(). Without a
        cache the submission is let through (fail open) and a warning logged.
        """
        counted = count_hit(self.count_key, self.window)
        if counted is None:
            _fail_open_warning.warn("Suggestion rate limit not enforced: the cache is unavailable")
            return True
        hits, self.seconds_left = counted
        self.counted = True
        return hits <= self.limit

    def release(self):
        if self.counted:
            uncount_hit(self.count_key)

    def retry_after(self) -> int:
        """Seconds until the client's period ends."""
        return max(1, math.ceil(self.seconds_left))


def _visitor_text(request) -> dict:
    """What the visitor typed, to show again in a fresh form when the submission is refused as a whole."""
    return {name: request.POST.get(name, "") for name in ConceptSuggestionForm._meta.fields}


def _render(request, glossary, form, status=200, **context):
    response = TemplateResponse(
        request,
        TEMPLATE,
        {
            "page": glossary,
            "breadcrumb_current": "Föreslå ett begrepp",
            "meta_description": SUGGEST_DESCRIPTION,
            "form": form,
            "sent": False,
            "notice": "",
            "rate_window_minutes": max(1, math.ceil(rate_limit_settings()[1] / 60)),
            **context,
        },
        status=status,
    )
    # The form carries a CSRF token and what the visitor typed: never for a shared cache.
    add_never_cache_headers(response)
    return response


def _rate_limited(request, glossary, limit: SubmissionLimit):
    seconds = limit.retry_after()
    minutes = max(1, math.ceil(seconds / 60))
    wait = "en minut" if minutes == 1 else f"{minutes} minuter"
    notice = (
        "Du har skickat många förslag på kort tid. "
        f"Vänta {wait} och försök sedan igen. Det du har skrivit finns kvar i formuläret."
    )
    response = _render(
        request, glossary, ConceptSuggestionForm(initial=_visitor_text(request)), status=429, notice=notice
    )
    response["Retry-After"] = str(seconds)
    return response


def suggest_view(glossary, request):
    """The form below the glossary: GET shows it (or the confirmation), POST saves a suggestion."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method != "POST":
        if request.GET.get(SENT_PARAMETER) == "1":
            return _render(request, glossary, None, sent=True)
        return _render(request, glossary, ConceptSuggestionForm())

    limit = SubmissionLimit(request)
    if not limit.reserve():
        return _rate_limited(request, glossary, limit)
    if request.POST.get(HONEYPOT_FIELD, ""):
        # Kept in the count: a robot that fills in the honeypot soon meets the limit too.
        return _render(
            request,
            glossary,
            ConceptSuggestionForm(initial=_visitor_text(request)),
            status=400,
            notice=HONEYPOT_MESSAGE,
        )
    form = ConceptSuggestionForm(request.POST)
    if not form.is_valid():
        limit.release()  # a visitor correcting mistakes does not use up the limit
        return _render(request, glossary, form, status=400)
    form.save()
    url = f"{glossary.reverse_subpage('suggest')}?{SENT_PARAMETER}=1"
    return HttpResponseRedirect(glossary.get_url(request) + url, status=303)
