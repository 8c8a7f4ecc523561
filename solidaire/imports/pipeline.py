"""The import runner: the steps of ``steps.py`` in order, recording what each one did.

``run(text)`` returns an ``ImportResult`` whose ``as_json()`` validates against
``samples/import-result.schema.json``. Every entity keeps its evidence span in offsets of
the ORIGINAL text, so the review screen can highlight why it was found.
No Django here either: the gazetteer loads from the shipped reference files.
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field

from solidaire.territory.gazetteer import Gazetteer, PlaceMatch, get_gazetteer

from . import steps


@dataclass
class StepRecord:
    name: str
    summary: str
    seconds: float


@dataclass
class Evidence:
    kind: str  # commune, area, url, email, phone, quantity, person, actor
    start: int  # offsets in the original text
    end: int
    value: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "value": self.value}


@dataclass
class InitiativeFound:
    paragraphs: list[steps.Paragraph]
    section: int | None
    start: int = 0  # original offsets of the whole box
    end: int = 0
    text: str = ""
    actor: str | None = None
    actor_kind: str = "other"
    beneficiaries: str | None = None
    communes: list[str] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    contact_text: str | None = None
    quantities: list[dict] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # Ready to publish (step "fields"): the description without the private persons' names,
    # and with them (kept only if the moderator says so).
    title: str = ""
    description: str = ""
    description_with_names: str = ""
    dates: list[dict] = field(default_factory=list)
    start_date: str | None = None

    def as_json(self) -> dict:
        return {
            "section": self.section,
            "text": self.text,
            "actor": self.actor,
            "actor_kind": self.actor_kind,
            "beneficiaries": self.beneficiaries,
            "communes": self.communes,
            "areas": self.areas,
            "urls": self.urls,
            "emails": self.emails,
            "phones": self.phones,
            "contact_text": self.contact_text,
            "quantities": self.quantities,
            "people": self.people,
            "evidence": [e.as_dict() for e in self.evidence],
            "title": self.title,
            "description": self.description,
            "description_with_names": self.description_with_names,
            "dates": self.dates,
            "start_date": self.start_date,
        }


@dataclass
class ImportResult:
    original: str
    header: steps.Header
    header_place_insee: str | None
    sections: list[str]
    initiatives: list[InitiativeFound]
    calls_to_action: list[dict]
    log: list[StepRecord]
    header_evidence: list[Evidence] = field(default_factory=list)
    rejected: list[Evidence] = field(default_factory=list)
    # Communes whose evidence fell just below the threshold, with the initiative whose
    # paragraphs name them: the review screen offers them, one click to accept.
    possible: list[dict] = field(default_factory=list)

    def as_json(self, source: str | None = None) -> dict:
        data = {
            "bulletin": {
                "title": self.header.title,
                "number": self.header.number,
                "date": self.header.date,
                "place": self.header.place,
                "place_insee": self.header_place_insee,
            },
            "sections": self.sections,
            "initiatives": [i.as_json() for i in self.initiatives],
            "calls_to_action": self.calls_to_action,
        }
        if source is not None:
            data = {"source": source, **data}
        return data


# The steps run() records, in order, with their French names (shown as the progress of a
# document analysed in the background).
STEPS = {
    "normalise": "Normalisation du texte",
    "paragraphs": "Découpage en paragraphes",
    "header": "Lecture de l'en-tête",
    "sections": "Rubriques",
    "contacts": "Contacts",
    "places": "Communes et zones",
    "initiatives": "Regroupement des initiatives",
    "entities": "Quantités et personnes",
    "fields": "Titres, descriptions et dates",
}


class _Recorder:
    def __init__(self, on_step=None):
        self.log: list[StepRecord] = []
        self._t = time.perf_counter()
        self._on_step = on_step

    def __call__(self, name: str, summary: str):
        now = time.perf_counter()
        self.log.append(StepRecord(name, summary, now - self._t))
        self._t = now
        if self._on_step is not None:
            self._on_step(name, len(self.log), len(STEPS))


def _dedupe(values):
    seen, out = set(), []
    for v in values:
        key = repr(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def run(
    original: str,
    *,
    department: str | None = None,
    series_department: str | None = None,
    gazetteer: Gazetteer | None = None,
    on_step=None,
) -> ImportResult:
    """Read a bulletin, press release or e-mail into initiatives with their evidence.

    ``on_step(name, done, total)`` is called after each step of STEPS.
    """
    gaz = gazetteer or get_gazetteer()
    record = _Recorder(on_step)

    norm = steps.normalise(original)
    text, omap = norm.text, norm.offsets
    record("normalise", ", ".join(f"{k}: {v}" for k, v in norm.changes.items()))

    paragraphs = steps.split_paragraphs(text)
    record("paragraphs", f"{len(paragraphs)} paragraphes")

    header, paragraphs = steps.mark_header(paragraphs)
    record(
        "header",
        f"titre={header.title!r} n°={header.number} date={header.date} lieu={header.place!r}",
    )

    sections, paragraphs = steps.mark_kinds(paragraphs)
    record("sections", f"{len(sections)} sections")

    urls = steps.find_urls(text)
    emails = steps.find_emails(text)
    phones = steps.find_phones(text)
    link_spans = [(s, e) for s, e, _ in urls + emails]
    record("contacts", f"{len(urls)} URL, {len(emails)} e-mails, {len(phones)} téléphones")

    # The dateline's place is where the bulletin was issued, not a place of any initiative.
    excluded = list(link_spans)
    header_spans = [(p.start, p.end) for p in paragraphs if p.kind == "header"]
    excluded += header_spans
    found = gaz.find(
        text, exclude=excluded, department=department, series_department=series_department
    )
    places = _Sorted(found.places, key=lambda p: p.start)
    record(
        "places",
        f"{sum(p.kind == 'commune' for p in places)} communes, "
        f"{sum(p.kind != 'commune' for p in places)} zones, "
        f"{len(found.rejected)} écartés",
    )

    place_insee = None
    if header.place:
        place_insee = gaz.commune_by_name(header.place, department or _dominant(places, gaz))

    grouping = steps.group_initiatives(paragraphs, places)
    ctas = grouping.calls
    record("initiatives", f"{len(grouping.initiatives)} initiatives, {len(ctas)} appels")

    first_names = gaz.first_names
    dept = department or _dominant(places, gaz)
    by_start = lambda item: item[0]  # noqa: E731
    urls_s, emails_s, phones_s = (_Sorted(x, by_start) for x in (urls, emails, phones))
    initiatives = [
        _fill(group, text, omap, places, urls_s, emails_s, phones_s, first_names, gaz, dept)
        for group in grouping.initiatives
    ]
    calls = [
        {
            "text": re.sub(r"\s+", " ", " ".join(p.text for p in group if p.kind != "contact")),
            "urls": _dedupe(
                v for p in group for s, e, v in _in_range(urls_s, urls_s.starts, p.start, p.end)
            ),
        }
        for group in ctas
    ]
    record(
        "entities",
        f"{sum(len(i.quantities) for i in initiatives)} quantités, "
        f"{sum(len(i.people) for i in initiatives)} personnes",
    )

    _fill_fields(initiatives, header, text, gaz)
    record("fields", f"{sum(bool(i.dates) for i in initiatives)} initiatives datées")

    header_evidence = [Evidence(kind, *omap.span(s, e), v) for kind, s, e, v in header.spans]
    rejected = [
        Evidence(f"rejected:{r.reason}", *omap.span(r.start, r.end), r.text)
        for r in found.rejected
        if r.reason not in ("lowercase", "inside_word")
    ]
    possible = _possible(found.possible, grouping, initiatives, omap)
    return ImportResult(
        original,
        header,
        place_insee,
        sections,
        initiatives,
        calls,
        record.log,
        header_evidence,
        rejected,
        possible,
    )


def _possible(matches, grouping, initiatives, omap) -> list[dict]:
    """Each possible commune with the index of the initiative whose paragraphs name it."""
    spans = sorted(
        (p.start, p.end, index)
        for index, group in enumerate(grouping.initiatives)
        for p in group.paragraphs
    )
    starts = [s for s, _, _ in spans]
    out, seen = [], set()
    for match in matches:
        i = bisect.bisect_right(starts, match.start) - 1
        if i < 0 or not spans[i][0] <= match.start < spans[i][1]:
            continue
        index = spans[i][2]
        if match.code in initiatives[index].communes or (index, match.code) in seen:
            continue
        seen.add((index, match.code))
        start, end = omap.span(match.start, match.end)
        out.append(
            {
                "initiative": index,
                "code": match.code,
                "name": match.name,
                "start": start,
                "end": end,
                "value": match.text,
                "score": match.score,
            }
        )
    return out


def _dominant(places: list[PlaceMatch], gaz: Gazetteer) -> str | None:
    return gaz.dominant_department(p.code for p in places if p.kind == "commune" and p.code)


def _in_range(items: list, starts: list[int], start: int, end: int) -> list:
    """Items (sorted by start, ``starts`` their starts) that begin in [start, end)."""
    return items[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _places_in(paragraph: steps.Paragraph, places: list[PlaceMatch]) -> list[PlaceMatch]:
    starts = getattr(places, "starts", None)
    if starts is None:
        return [p for p in places if paragraph.start <= p.start < paragraph.end]
    return _in_range(places, starts, paragraph.start, paragraph.end)


class _Sorted(list):
    """A list sorted by start, with the starts alongside for bisect."""

    def __init__(self, items, key):
        super().__init__(sorted(items, key=key))
        self.starts = [key(item) for item in self]


def _fill(group, text, omap, places, urls, emails, phones, first_names, gaz, dept):
    """A new initiative from a group of paragraphs (``steps.group_initiatives``), its fields
    filled from the entities found in them."""
    initiative = InitiativeFound(list(group.paragraphs), group.section)
    paragraphs = initiative.paragraphs
    start, end = paragraphs[0].start, paragraphs[-1].end
    initiative.start, initiative.end = omap.span(start, end)
    initiative.text = "\n\n".join(p.text for p in paragraphs)
    body = [p for p in paragraphs if p.kind != "contact"]
    body_text = "\n".join(p.text for p in body)

    def evidence(kind, s, e, value):
        initiative.evidence.append(Evidence(kind, *omap.span(s, e), value))

    mine = [place for p in paragraphs for place in _places_in(p, places)]
    mine += list(group.context)
    communes, areas = [], []
    for p in mine:
        if p.kind == "commune":
            communes.append(p.code)
            evidence("commune", p.start, p.end, f"{p.code} {p.name}")
        elif p.code:
            areas.append({"kind": p.kind, "code": p.code})
            evidence("area", p.start, p.end, f"{p.kind} {p.code} {p.name}")
    arrondissements = [a["code"] for a in areas if a["kind"] == "arrondissement"]
    for p in mine:
        if p.kind == "epci" and not p.code:
            siren = gaz.epci_for(
                etype=p.epci_type,
                communes=communes,
                arrondissements=arrondissements,
                department=dept,
            )
            if siren:
                areas.append({"kind": "epci", "code": siren})
                evidence("area", p.start, p.end, f"epci {siren} {gaz.epcis[siren][0]}")
    initiative.communes = _dedupe(communes)
    initiative.areas = _dedupe(areas)
    for kind, found, target in (
        ("url", urls, initiative.urls),
        ("email", emails, initiative.emails),
        ("phone", phones, initiative.phones),
    ):
        for s, e, v in (
            x for p in paragraphs for x in _in_range(found, found.starts, p.start, p.end)
        ):
            if v not in target:
                target.append(v)
                evidence(kind, s, e, v)
    for p in paragraphs:
        if p.kind == "contact":
            initiative.contact_text = initiative.contact_text or steps.contact_text(p.text)
    for p in body:
        local_skip = [
            (s - p.start, e - p.start)
            for found in (urls, emails, phones)
            for s, e, _ in _in_range(found, found.starts, p.start, p.end)
        ]
        for q in steps.find_quantities(p.text, skip=local_skip):
            initiative.quantities.append(
                {"count": q.count, "approximate": q.approximate, "item": q.item, "period": q.period}
            )
            evidence("quantity", p.start + q.start, p.start + q.end, f"{q.count} {q.item}")
        for s, e, name in steps.find_people(p.text, first_names):
            if name not in initiative.people:
                initiative.people.append(name)
            evidence("person", p.start + s, p.start + e, name)
    initiative.actor = steps.guess_actor(body_text)
    initiative.actor_kind = steps.guess_actor_kind(body_text)
    initiative.beneficiaries = steps.find_beneficiaries(body_text)
    initiative.evidence.sort(key=lambda ev: ev.start)
    return initiative


def _fill_fields(initiatives, header, text, gaz) -> None:
    """Step "fields": what a moderator would otherwise rewrite before publishing.

    The document's year dates "Lundi 4 mai"; a page "mis à jour le 07/05/2020" without a
    dateline takes that date.
    """
    if header.date is None:
        updated = [d for d in steps.find_dates(text[:3000]) if d["kind"] == "updated"]
        if updated:
            header.date = updated[0]["date"]
    year = int(header.date[:4]) if header.date else _year_in(text)
    for initiative in initiatives:
        body = [p.text for p in initiative.paragraphs if p.kind != "contact"]
        names = [gaz.communes[c].name for c in initiative.communes if c in gaz.communes]
        if initiative.actor and re.fullmatch(
            r"(?i)(?:la )?communaut[ée] (?:urbaine|d'agglom[ée]ration)", initiative.actor
        ):
            epci = next((a["code"] for a in initiative.areas if a["kind"] == "epci"), None)
            if epci and epci in gaz.epcis:
                initiative.actor = gaz.epcis[epci][0]  # "Communauté Urbaine" said in full
        named = steps.description_of(body)
        initiative.description_with_names = named
        initiative.description = steps.redact_people(
            named, initiative.people, names[0] if names else None
        )
        initiative.dates = [
            {"date": d["date"], "kind": d["kind"]} for d in steps.find_dates(" ".join(body), year)
        ]
        events = [d["date"] for d in initiative.dates if d["kind"] == "event"]
        initiative.start_date = min(events) if events else None
        # A page or an e-mail about one action often says it best in its title.
        lone = len(initiatives) == 1 and header.title
        initiative.title = steps.make_title(
            f"{header.title}. {named}" if lone else named,
            # The most counted thing is what the action is about ("3 000 masques", not
            # "2 vagues" of their distribution).
            items=[q["item"] for q in sorted(initiative.quantities, key=lambda q: -q["count"])],
            communes=names,
            beneficiaries=initiative.beneficiaries,
            # An actor of no known kind is often a misread phrase: never a title's subject.
            actor=initiative.actor if initiative.actor_kind != "other" else None,
        )


def _year_in(text: str) -> int | None:
    years = re.findall(r"\b(20[0-9]{2})\b", text[:5000])
    return int(years[0]) if years else None
