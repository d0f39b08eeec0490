"""The glossary's print view (/begrepp/skriv-ut/)."""

from django.http import Http404


def print_view(glossary, request):
    raise Http404("Utskriftsvyn är inte klar.")
