"""Evidence on a chain's links: what published results say about each "leder till".

Editors mark, on a result, which answers or findings test which link of a chain and whether they
support it, contradict it or give no clear answer (`LinkEvidence`). This module gathers that per
link, for the chain page, its diagram and text version, its coverage section and the evaluation
plan:

    "stöds av 2 utvärderingar · 1 motsäger"   or   "ej prövad"

Only results an anonymous visitor may see count (`portal.visibility.visible_pages`): a draft, a
private result or an unpublished change of a live one never does (a draft change lives only in its
revision; the rows in the database are the live version's). A result counts once per link and
verdict, however many of its findings say the same.

The status a link is drawn with follows from the counts:

- stöds: only supporting results (inconclusive ones may be among them);
- motsägs: only contradicting results;
- omstridd: both supporting and contradicting results;
- oklar: results that tested it, none with a clear answer;
- ej prövad: no published result has tested it.

Query budget: one query for a chain (or for several chains at once), whatever the number of links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from larande.models import EvaluationResultPage, LinkEvidence
from portal.visibility import visible_pages

Verdict = LinkEvidence.Verdict


class LinkStatus(Enum):
    """How a link stands after the published results; each is drawn with its own line style."""

    SUPPORTED = ("stods", "Stöds", "heldragen tjock linje")
    CONTRADICTED = ("motsags", "Motsägs", "streckad linje")
    DISPUTED = ("omstridd", "Omstridd (både stöd och motsägelse)", "streck och punkt")
    UNCLEAR = ("oklar", "Prövad utan tydligt besked", "korta streck")
    UNTESTED = ("ej-provad", "Ej prövad", "prickad linje")

    def __init__(self, slug: str, label: str, line_name: str):
        self.slug = slug
        self.label = label
        self.line_name = line_name


@dataclass
class EvidenceItem:
    """One published result's finding about a link."""

    result: EvaluationResultPage
    verdict: str
    finding: str

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label


@dataclass
class LinkEvidenceSummary:
    """What the published results say about one link."""

    items: list[EvidenceItem] = field(default_factory=list)

    def _results(self, verdict: str) -> int:
        return len({item.result.pk for item in self.items if item.verdict == verdict})

    @property
    def supports(self) -> int:
        return self._results(Verdict.SUPPORTS)

    @property
    def contradicts(self) -> int:
        return self._results(Verdict.CONTRADICTS)

    @property
    def inconclusive(self) -> int:
        return self._results(Verdict.INCONCLUSIVE)

    @property
    def tested(self) -> bool:
        return bool(self.items)

    @property
    def status(self) -> LinkStatus:
        if self.supports and self.contradicts:
            return LinkStatus.DISPUTED
        if self.supports:
            return LinkStatus.SUPPORTED
        if self.contradicts:
            return LinkStatus.CONTRADICTED
        if self.items:
            return LinkStatus.UNCLEAR
        return LinkStatus.UNTESTED

    @property
    def text(self) -> str:
        """The summary in words: "stöds av 2 utvärderingar · 1 motsäger" or "ej prövad"."""
        parts = []
        if self.supports:
            parts.append(f"stöds av {_evaluations(self.supports)}")
        if self.contradicts:
            parts.append(f"{self.contradicts} motsäger")
        if self.inconclusive:
            parts.append(f"{self.inconclusive} utan tydligt besked")
        return " · ".join(parts) if parts else "ej prövad"

    @property
    def results(self) -> list[EvaluationResultPage]:
        seen, results = set(), []
        for item in self.items:
            if item.result.pk not in seen:
                seen.add(item.result.pk)
                results.append(item.result)
        return results


def _evaluations(count: int) -> str:
    return "en utvärdering" if count == 1 else f"{count} utvärderingar"


EMPTY = LinkEvidenceSummary()


def evidence_by_link(chain_ids, private_q=None) -> dict[int, LinkEvidenceSummary]:
    """{link id: summary} for every link of the given chains that a visible result has tested
    (one query). Links nobody has tested are absent: use `.get(link.pk, EMPTY)`."""
    chain_ids = list(chain_ids)
    if not chain_ids:
        return {}
    visible = visible_pages(EvaluationResultPage, private_q=private_q)
    rows = (
        LinkEvidence.objects.filter(link__chain_id__in=chain_ids, result__in=visible)
        .select_related("result")
        .only(
            "link_id",
            "verdict",
            "finding",
            "result__id",
            "result__title",
            "result__url_path",
            "result__path",
            "result__depth",
            "result__published_on",
            "result__is_fictitious",
        )
        .order_by("-result__published_on", "result__title", "sort_order", "pk")
    )
    summaries: dict[int, LinkEvidenceSummary] = {}
    for row in rows:
        summaries.setdefault(row.link_id, LinkEvidenceSummary()).items.append(
            EvidenceItem(row.result, row.verdict, row.finding)
        )
    return summaries


@dataclass
class ChainEvidence:
    """The evidence on every drawable link of one chain, in the chain's link order."""

    links: list[tuple]  # (source element, target element, link, summary)

    def for_link(self, link) -> LinkEvidenceSummary:
        for _source, _target, candidate, summary in self.links:
            if candidate.pk == link.pk:
                return summary
        return EMPTY

    @property
    def untested(self) -> list[tuple]:
        return [row for row in self.links if not row[3].tested]

    @property
    def statuses(self) -> list[LinkStatus]:
        """The statuses in use, in the legend's order."""
        used = {row[3].status for row in self.links}
        return [status for status in LinkStatus if status in used]


def chain_evidence(chain, resolved_links=None, private_q=None) -> ChainEvidence:
    """The evidence on each of the chain's resolved links (source, target, link) (one query)."""
    resolved = chain.resolved_links() if resolved_links is None else resolved_links
    summaries = evidence_by_link([chain.pk], private_q) if chain.pk else {}
    return ChainEvidence([(s, t, link, summaries.get(link.pk, EMPTY)) for s, t, link in resolved])
