"""The glossary's hierarchy and SKOS integrity condition S27: `skos:related` is disjoint with
`skos:broaderTransitive`.

A concept is either above or below another one (broader, directly or through others) or related to
it, never both: "Kontext" cannot have "Effektkedja" as its broader concept and as a related one.
Since `skos:related` goes both ways, a concept may not be related to anything above or below it.

Two places keep the rule:

- the admin refuses a concept whose broader and related concepts break it, with the message at
  the field to change (`relation_errors`, called by `ConceptPageForm.clean` with the values the
  editor sent: `broader` and `related` are ParentalManyToMany fields, which reach the page object
  only after validation, when the form is saved);
- the exports (CSV, JSON, SKOS) leave out a related pair that the hierarchy makes a broader one
  (`drop_hierarchical_pairs`), so a pair that slipped through (two drafts published one after the
  other, content from before the rule) never reaches a published file. The hierarchy wins: it is
  the stronger statement.

Relations are stored on the concept that names them: `broader` from the narrower concept to the
broader one, `related` from the concept whose editor chose it (the page shows it on both). The
check reads the stored rows of every concept in two queries, and the titles for a message in one
more, only when there is something to say.
"""

from collections import deque
from collections.abc import Iterable, Mapping


def ancestors(broader: Mapping[int, Iterable[int]], start: int) -> dict[int, int]:
    """Every concept above `start` (broaderTransitive), each with the concept it was reached from,
    so that a path can be told. Cycles end the walk; `start` is included only if it is on one."""
    reached: dict[int, int] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for parent in broader.get(current, ()):
            if parent not in reached:
                reached[parent] = current
                queue.append(parent)
    return reached


def drop_hierarchical_pairs(related_pairs: Iterable[tuple[int, int]], broader: Mapping[int, Iterable[int]]):
    """The related pairs in which neither concept is above the other."""
    above: dict[int, dict[int, int]] = {}

    def over(pk):
        if pk not in above:
            above[pk] = ancestors(broader, pk)
        return above[pk]

    return [(one, other) for one, other in related_pairs if other not in over(one) and one not in over(other)]


def stored_pairs(field_name: str) -> list[tuple[int, int]]:
    """Every stored (from, to) row of a concept-to-concept relation (`broader` or `related`)."""
    from larande.models import ConceptPage

    field = ConceptPage._meta.get_field(field_name)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return list(field.remote_field.through.objects.values_list(f"{source}_id", f"{target}_id"))


def _path(reached: Mapping[int, int], start: int, end: int) -> list[int]:
    """The concepts between `start` and `end` on the way `ancestors` found (both excluded)."""
    between, current = [], reached[end]
    while current != start:
        between.append(current)
        current = reached[current]
    return list(reversed(between))


def relation_errors(concept_id: int | None, broader_ids: Iterable[int], related_ids: Iterable[int]) -> dict:
    """What breaks S27 if the concept is saved with these broader and related concepts:
    {"related": [messages], "broader": [messages]}, empty when nothing does.

    At `related`: a related concept that is above or below this one. At `broader`: a related pair
    elsewhere (or one that another concept states with this one) that the new broader concepts
    would put one above the other. A pair that was already hierarchical before this change is not
    held against this concept's editor, who could not fix it here; the exports leave it out.
    """
    from larande.models import ConceptPage

    me = concept_id if concept_id is not None else 0  # a new concept has no rows yet
    broader_ids, related_ids = list(dict.fromkeys(broader_ids)), list(dict.fromkeys(related_ids))
    stored_broader: dict[int, list[int]] = {}
    for child, parent in stored_pairs("broader"):
        stored_broader.setdefault(child, []).append(parent)
    proposed = {**stored_broader, me: broader_ids}
    children: dict[int, list[int]] = {}
    for child, parents in proposed.items():
        for parent in parents:
            children.setdefault(parent, []).append(child)

    above = ancestors(proposed, me)
    below = ancestors(children, me)
    before = ancestors(stored_broader, me) if concept_id is not None else {}
    newly_above = {pk for pk in above if pk not in before and pk != me}

    related_conflicts = [pk for pk in related_ids if pk != me and (pk in above or pk in below)]
    # Pairs stated on other concepts that the change makes hierarchical: one end at or below this
    # concept, the other newly above it.
    lower = set(below) | {me}
    broader_conflicts = []
    for one, other in stored_pairs("related"):
        if one == me:
            continue  # this concept's own related concepts are the form's, checked above
        for low, high in ((one, other), (other, one)):
            if low in lower and high in newly_above:
                broader_conflicts.append((low, high, one))
    if not related_conflicts and not broader_conflicts:
        return {}

    wanted = set(related_conflicts) | {me} | set(broader_ids) | set(above) | set(below)
    for low, high, owner in broader_conflicts:
        wanted |= {low, high, owner}
    titles = dict(ConceptPage.objects.filter(pk__in=wanted).values_list("pk", "title"))
    titles.setdefault(me, "det här begreppet")

    def name(pk):
        return f"”{titles.get(pk, pk)}”"

    def via(reached, start, end):
        between = _path(reached, start, end)
        return f" via {', '.join(name(pk) for pk in between)}" if between else ""

    errors: dict[str, list[str]] = {}
    for pk in related_conflicts:
        if pk in above:
            relation = f"{name(pk)} är överordnat {name(me)}{via(above, me, pk)}"
        else:
            relation = f"{name(pk)} är underordnat {name(me)}{via(below, me, pk)}"
        errors.setdefault("related", []).append(
            f"{relation} och kan därför inte också vara ett relaterat begrepp: ett begrepp är antingen "
            "över- eller underordnat ett annat eller relaterat till det, inte både och. Ta bort "
            f"{name(pk)} ur relaterade begrepp eller ändra de överordnade begreppen."
        )
    for low, high, owner in dict.fromkeys(broader_conflicts):
        cause = next(pk for pk in broader_ids if pk == high or high in ancestors(proposed, pk))
        errors.setdefault("broader", []).append(
            f"Med {name(cause)} som överordnat begrepp blir {name(high)} överordnat {name(low)}, men de två "
            f"är relaterade begrepp (angivet på {name(owner)}). Ta bort den relationen först eller välj ett "
            "annat överordnat begrepp."
        )
    return errors
