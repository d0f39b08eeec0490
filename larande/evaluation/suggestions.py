"""Föreslå en utvärderingsfråga (/utvarderingsfragor/foresla/): a public form whose suggestions only
editors see, so that the questions can be decided together.

The same protections as the concept suggestions (larande/glossary/suggestions.py, whose building
blocks it uses): CSRF, a honeypot field (a filled one gets a neutral 400), a limit per client
counted in the shared cache (429 with Retry-After; its own count, with the same settings), length
and control-character checks with Swedish messages, and Post/Redirect/Get to a confirmation. Nothing
a visitor writes is published: editors handle suggestions in the admin (Ramverket → Frågeförslag)
and record the decision on the evaluation question itself.
"""

import math

from django import forms
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from core.levels import ChainLevel
from larande.evaluation.suggestion_models import (
    QUESTION_SUGGESTION_NAME_MAX_LENGTH,
    QUESTION_SUGGESTION_ORGANISATION_MAX_LENGTH,
    QUESTION_SUGGESTION_QUESTION_MAX_LENGTH,
    QUESTION_SUGGESTION_REASON_MAX_LENGTH,
    QuestionSuggestion,
    QuestionSuggestionStatus,
)
from larande.glossary.suggestions import (
    HONEYPOT_FIELD,
    HONEYPOT_MESSAGE,
    SENT_PARAMETER,
    SubmissionLimit,
    VisitorTextField,
    _grouped,
    _max_length_message,
    rate_limit_settings,
)

TEMPLATE = "larande/question_suggestion.html"
RATE_KEY_PREFIX = "larande:fragforslag"
SUGGEST_DESCRIPTION = (
    "Föreslå en utvärderingsfråga till ramverket. Frågorna beslutas gemensamt av regionerna, så att de blir "
    "förankrade, praktiska och användbara."
)


class QuestionSuggestionForm(forms.ModelForm):
    """The stakeholder's question; the honeypot field `webbplats` must stay empty."""

    question = VisitorTextField(
        subject="Frågan",
        single_line=True,
        meaningful=True,
        max_length=QUESTION_SUGGESTION_QUESTION_MAX_LENGTH,
        label="Utvärderingsfråga",
        help_text=f"Frågan som du vill att en utvärdering ska besvara, högst {QUESTION_SUGGESTION_QUESTION_MAX_LENGTH} "
        "tecken.",
        error_messages={
            "required": "Skriv vilken fråga du vill föreslå.",
            "max_length": _max_length_message("Frågan", QUESTION_SUGGESTION_QUESTION_MAX_LENGTH),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "true"}),
    )
    chain_level = forms.TypedChoiceField(
        label="Nivå i effektkedjan (frivilligt)",
        help_text="Vilken nivå frågan gäller, om du vet det.",
        choices=[("", "Vet inte")]
        + [(level.value, f"{level.value} – {level.label}") for level in ChainLevel.top_down()],
        required=False,
        error_messages={"invalid_choice": "Välj en av nivåerna i listan."},
    )
    reason = VisitorTextField(
        subject="Motiveringen",
        single_line=False,
        meaningful=True,
        max_length=QUESTION_SUGGESTION_REASON_MAX_LENGTH,
        label="Varför behövs frågan?",
        help_text=(
            "Till exempel vilket beslut svaret skulle ligga till grund för. "
            f"Högst {_grouped(QUESTION_SUGGESTION_REASON_MAX_LENGTH)} tecken."
        ),
        error_messages={
            "required": "Skriv varför frågan behövs.",
            "max_length": _max_length_message("Motiveringen", QUESTION_SUGGESTION_REASON_MAX_LENGTH),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    organisation = VisitorTextField(
        subject="Organisationen",
        single_line=True,
        required=False,
        max_length=QUESTION_SUGGESTION_ORGANISATION_MAX_LENGTH,
        label="Organisation eller forum (frivilligt)",
        help_text="Till exempel din region eller det forum där frågan kom upp.",
        error_messages={
            "max_length": _max_length_message("Organisationen", QUESTION_SUGGESTION_ORGANISATION_MAX_LENGTH)
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    name = VisitorTextField(
        subject="Namnet",
        single_line=True,
        required=False,
        max_length=QUESTION_SUGGESTION_NAME_MAX_LENGTH,
        label="Ditt namn (frivilligt)",
        help_text="Om du vill att redaktionen ska veta vem förslaget kommer från. Namnet visas aldrig på webbplatsen.",
        error_messages={"max_length": _max_length_message("Namnet", QUESTION_SUGGESTION_NAME_MAX_LENGTH)},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    webbplats = forms.CharField(
        required=False,
        label="Lämna det här fältet tomt",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = QuestionSuggestion
        fields = ["question", "chain_level", "reason", "organisation", "name"]

    @property
    def suggestion_fields(self):
        return [self[name] for name in self._meta.fields]

    def error_summary(self) -> list[tuple[str, str]]:
        return [(field.id_for_label, error) for field in self.suggestion_fields for error in field.errors]

    def save(self, commit=True):
        self.instance.status = QuestionSuggestionStatus.NEW
        return super().save(commit)


def _visitor_text(request) -> dict:
    return {name: request.POST.get(name, "") for name in QuestionSuggestionForm._meta.fields}


def _render(request, form, status=200, **context):
    response = TemplateResponse(
        request,
        TEMPLATE,
        {
            "breadcrumb_current": "Föreslå en utvärderingsfråga",
            "meta_description": SUGGEST_DESCRIPTION,
            "form": form,
            "sent": False,
            "notice": "",
            "rate_window_minutes": max(1, math.ceil(rate_limit_settings()[1] / 60)),
            **context,
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


def suggest_question(request):
    """GET shows the form (or with ?skickat=1 the confirmation), POST saves a suggestion."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method != "POST":
        if request.GET.get(SENT_PARAMETER) == "1":
            return _render(request, None, sent=True)
        return _render(request, QuestionSuggestionForm())

    limit = SubmissionLimit(request, RATE_KEY_PREFIX)
    if not limit.reserve():
        seconds = limit.retry_after()
        minutes = max(1, math.ceil(seconds / 60))
        wait = "en minut" if minutes == 1 else f"{minutes} minuter"
        notice = (
            "Du har skickat många förslag på kort tid. "
            f"Vänta {wait} och försök sedan igen. Det du har skrivit finns kvar i formuläret."
        )
        response = _render(request, QuestionSuggestionForm(initial=_visitor_text(request)), status=429, notice=notice)
        response["Retry-After"] = str(seconds)
        return response
    if request.POST.get(HONEYPOT_FIELD, ""):
        return _render(
            request, QuestionSuggestionForm(initial=_visitor_text(request)), status=400, notice=HONEYPOT_MESSAGE
        )
    form = QuestionSuggestionForm(request.POST)
    if not form.is_valid():
        limit.release()
        return _render(request, form, status=400)
    form.save()
    return HttpResponseRedirect(f"{reverse('larande:question_suggest')}?{SENT_PARAMETER}=1", status=303)
