"""Föreslå ett begrepp (/begrepp/foresla/)."""

from django.http import Http404


def suggest_view(glossary, request):
    raise Http404("Formuläret är inte klart.")
