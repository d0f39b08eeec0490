"""The demo content's Swedish texts, written around the parts parsed from the seed.

Everything here is data: page fields, rich text and the structures of concepts, the example
chain, questions, indicators and results. `larande.demo.build` writes it to the database.
Texts that come from the framework document are taken from the parsed `Seed`, never retyped.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join

from core.levels import ChainLevel
from larande.models import QuestionKind

from .seed import Point, Seed

L = ChainLevel

FRAMEWORK_SOURCE = {
    "title": "Ramverk för strategiskt lärande (lärprojektet Regionala resultat)",
    "citation": (
        "Region Västerbotten, Region Jämtland Härjedalen, Landstinget Västernorrland, Länsstyrelsen "
        "Västerbotten och Länsstyrelsen Västernorrland: Ramverk för strategiskt lärande. Presentation, "
        "lärprojektet Regionala resultat."
    ),
}

# The seed's own spelling slips, corrected where its text is shown as a heading.
TITLE_CORRECTIONS = {"Beslutfattande": "Beslutsfattande"}


def point_items(points: list[Point]) -> list[dict]:
    """Seed bullets as items of a `benefits` block."""
    return [{"title": TITLE_CORRECTIONS.get(p.title, p.title), "text": p.text} for p in points]


def _ul(items) -> str:
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items)))


def _page_link(page_id: int, text: str) -> str:
    return format_html('<a linktype="page" id="{}">{}</a>', page_id, text)


# --- The start page, the sections and the general pages -------------------------------------

HOME = {
    "title": "Lärportalen",
    "slug": "hem",
    "seo_title": "Lärportalen – ramverk för strategiskt lärande",
    "search_description": (
        "Ramverk för strategiskt lärande: begrepp, effektkedjor, utvärderingsfrågor, resultat och lärdomar "
        "för den regionala utvecklingsstrategin."
    ),
    "introduction": (
        "<p>Lärportalen samlar <strong>ramverket för strategiskt lärande</strong>: hur regionen följer upp, "
        "utvärderar och lär av arbetet med den regionala utvecklingsstrategin (RUS).</p>"
        "<p>Här finns ramverkets kapitel, en begreppslista som reder ut vad vi menar med till exempel utfall "
        "och effekt, effektkedjor som visar hur insatser förväntas leda till resultat, och resultat och "
        "lärdomar från uppföljningar och utvärderingar.</p>"
    ),
}

# (model name in larande.models, slug, title, intro), in the order the menu shows them.
SECTIONS = [
    (
        "GlossaryIndexPage",
        "begrepp",
        "Begrepp",
        "Ramverkets begrepp med korta definitioner, förklaringar och vad de inte ska förväxlas med – så att vi "
        "menar samma sak när vi säger utfall, effekt eller resultat.",
    ),
    (
        "FrameworkIndexPage",
        "ramverket",
        "Ramverket",
        "Ramverk för strategiskt lärande i sex kapitel: uppgiften, den regionala utvecklingsstrategin, nyttan, "
        "erfarenheterna, effektkedjorna och utvärderingsfrågorna.",
    ),
    (
        "ChainIndexPage",
        "effektkedjor",
        "Effektkedjor",
        "Effektkedjor visar hur resurser och aktiviteter förväntas leda till prestationer, utfall och effekter – "
        "och vilken kunskap antagandena vilar på.",
    ),
    (
        "ResultIndexPage",
        "resultat",
        "Resultat",
        "Resultat från uppföljningar och utvärderingar av insatser inom den regionala utvecklingsstrategin: vad "
        "som undersöktes, vad som kom fram och vad som händer nu.",
    ),
    (
        "LessonIndexPage",
        "lardomar",
        "Lärdomar",
        "Korta lärdomar från utvärderingarna. Filtrera på nivå i effektkedjan, region, år eller tagg.",
    ),
    (
        "EvaluationPlanPage",
        "utvarderingsplan",
        "Utvärderingsplan",
        "Gör ett utkast till utvärderingsplan: välj en effektkedja eller en RUS-prioritering och de "
        "utvärderingsfrågor planen ska omfatta. Portalen föreslår indikatorer, datakällor, när frågorna tidigast "
        "kan besvaras, vilka luckor som finns och en uppdragsbeskrivning – att ladda ned som Word eller PDF.",
    ),
]

ABOUT = {
    "slug": "om",
    "title": "Om portalen",
    "intro": (
        "Lärportalen är ramverket för strategiskt lärande i digital form: ett gemensamt språk och gemensamma "
        "verktyg för att följa upp, utvärdera och lära av det regionala utvecklingsarbetet."
    ),
    "body": [
        (
            "paragraph",
            "<p>Ramverket togs fram i lärprojektet Regionala resultat av Region Västerbotten, Region Jämtland "
            "Härjedalen, Landstinget Västernorrland (i dag Region Västernorrland) och länsstyrelserna i "
            "Västerbotten och Västernorrland. Portalen gör ramverket sökbart och håller ihop dess delar: "
            "vägledningen, begreppen, effektkedjorna, utvärderingsfrågorna och de resultat och lärdomar som "
            "arbetet ger.</p>",
        ),
        (
            "paragraph",
            "<p>Portalen är till för tjänstepersoner som planerar och genomför insatser, för redaktörer som "
            "förvaltar ramverket, för kommunikatörer som publicerar resultat och för politiker, partner och "
            "allmänhet som vill veta vad det regionala utvecklingsarbetet leder till.</p>",
        ),
        (
            "callout",
            {
                "heading": "Exempelinnehåll",
                "text": "<p>Effektkedjan, indikatorvärdena och resultatsidorna i portalen är exempel som visar hur "
                "ramverket används. Resultat märkta <strong>Fiktivt exempel</strong> bygger inte på verkliga "
                "utvärderingar och siffrorna är påhittade.</p>",
            },
        ),
        (
            "paragraph",
            "<p>Synpunkter på innehållet skickar du till redaktionen på "
            '<a href="mailto:larportalen@example.org">larportalen@example.org</a>.</p>',
        ),
    ],
}

ACCESSIBILITY = {
    "slug": "tillganglighet",
    "title": "Tillgänglighetsredogörelse",
    "intro": (
        "Här beskriver vi hur Lärportalen uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig "
        "service, vilka kända brister som finns och hur du kan rapportera problem till oss."
    ),
    "body": [
        (
            "paragraph",
            "<p>Lärportalen förvaltas av de regioner som står bakom ramverket för strategiskt lärande. Vi vill att "
            "så många som möjligt ska kunna använda webbplatsen. Den här redogörelsen gäller hela webbplatsen.</p>"
            "<h3>Hur tillgänglig är webbplatsen?</h3>"
            "<p>Vi är medvetna om att delar av webbplatsen inte är helt tillgängliga. Se avsnittet om innehåll "
            "som inte är tillgängligt nedan.</p>"
            "<h3>Vad kan du göra om du inte kan använda delar av webbplatsen?</h3>"
            "<p>Om du behöver innehåll från Lärportalen som inte är tillgängligt för dig, men som inte omfattas "
            "av lagens tillämpningsområde enligt beskrivningen nedan, kan du meddela oss. Du kan till exempel få "
            "en rapport i ett annat format. Skicka e-post till "
            '<a href="mailto:larportalen@example.org">larportalen@example.org</a>. Vi svarar normalt inom fem '
            "arbetsdagar.</p>"
            "<h3>Rapportera brister i webbplatsens tillgänglighet</h3>"
            "<p>Vi strävar hela tiden efter att förbättra webbplatsens tillgänglighet. Om du upptäcker problem "
            "som inte beskrivs på den här sidan, eller om du anser att vi inte uppfyller lagens krav, meddela "
            'oss på <a href="mailto:larportalen@example.org">larportalen@example.org</a> så att vi får veta att '
            "problemet finns.</p>"
            "<h3>Tillsyn</h3>"
            "<p>Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn av lagen om tillgänglighet "
            "till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du "
            '<a href="https://www.digg.se/tdosanmalan">kontakta Digg och påtala det</a>.</p>',
        ),
        (
            "paragraph",
            "<h3>Teknisk information om webbplatsens tillgänglighet</h3>"
            "<p>Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på "
            "grund av de brister som beskrivs nedan. Målet är att webbplatsen ska uppfylla nivå AA i "
            "standarden Web Content Accessibility Guidelines (WCAG) version 2.1.</p>"
            "<h3>Innehåll som inte är tillgängligt</h3>"
            "<ul>"
            "<li>Rapporter i pdf-format som externa utvärderare har tagit fram kan sakna rubrikstruktur och "
            "taggning för skärmläsare (WCAG 1.3.1). Sammanfattningen, slutsatserna och rekommendationerna finns "
            "alltid som text på resultatsidan.</li>"
            "<li>Äldre bilder i vägledningen kan sakna tillräckliga textalternativ (WCAG 1.1.1). Vi ser över "
            "dem löpande.</li>"
            "</ul>"
            "<h3>Hur vi testat webbplatsen</h3>"
            "<p>Vi testar webbplatsen löpande. Varje sidtyp granskas automatiskt med verktyget axe-core när "
            "koden ändras, och vi gör manuella granskningar med tangentbord, skärmläsare och förstoring. "
            "Redogörelsen ses över när webbplatsen ändras och minst en gång om året.</p>",
        ),
    ],
}


# --- Guidance: the framework's chapters --------------------------------------------------------


def chapters(seed: Seed, links: dict[str, int]) -> list[dict]:
    """The framework's chapters in order; `links` holds page ids for internal links by key."""
    glossary = _page_link(links["glossary"], "begreppslistan")
    chain = _page_link(links["chain"], "Exempel: Innovationsfrämjande insatser")
    rus_definition = max(seed.rus_points, key=len)
    rus_other = [p for p in seed.rus_points if p != rus_definition]
    level_rows = [["Nivå", "Benämning", "Beskrivning", "Tidshorisont"], ["A", L.KONTEXT.label, seed.context, "–"]]
    for level in reversed(ChainLevel.chain_levels()):
        level_rows.append([level.value, level.label, seed.levels[level], level.horizon or "–"])
    summative = [(q.text, q.level.label.lower()) for q in seed.summative_questions]

    return [
        {
            "slug": "vad-ar-uppgiften",
            "title": "Vad är uppgiften",
            "intro": "Ramverket ska göra arbetet med uppföljning, utvärdering och lärande systematiskt, så att den "
            "regionala utvecklingsstrategin kan genomföras effektivt.",
            "tags": ["uppföljning", "utvärdering", "lärande"],
            "body": [
                (
                    "paragraph",
                    format_html(
                        "<p>Ramverk för strategiskt lärande togs fram i lärprojektet Regionala resultat, där Region "
                        "Västerbotten, Region Jämtland Härjedalen och Landstinget Västernorrland (i dag Region "
                        "Västernorrland) arbetade tillsammans med länsstyrelserna i Västerbotten och "
                        "Västernorrland. Uppgiften hade två delar:</p>{}",
                        _ul(seed.tasks),
                    ),
                ),
                (
                    "paragraph",
                    "<p>Den första delen handlar om ordning och reda: uppföljning, utvärdering och lärande ska "
                    "inte vara enstaka insatser utan ett sammanhängande arbetssätt som utgår från strategins "
                    "mål. Den andra handlar om att bygga kunskap tillsammans. Det regionala tillväxtarbetet "
                    "engagerar många aktörer, och ingen av dem kan ensam visa vad strategin åstadkommer.</p>",
                ),
                ("quote", {"quote": seed.final_product, "attribution": seed.title}),
                (
                    "paragraph",
                    format_html(
                        "<p>Kapitlen här under Ramverket är det skrivna dokumentet, i digital form. De läses i "
                        "ordning: först strategin som ramverket tjänar, sedan nyttan och erfarenheterna och sist "
                        "de två verktygen, effektkedjor och utvärderingsfrågor. Orden som används förklaras i "
                        "{}.</p>",
                        glossary,
                    ),
                ),
            ],
        },
        {
            "slug": "regionala-utvecklingsstrategin",
            "title": "Regionala utvecklingsstrategin",
            "intro": f"Den regionala utvecklingsstrategin (RUS) är {rus_definition[0].lower()}{rus_definition[1:]}.",
            "tags": ["regional utveckling", "styrning"],
            "body": [
                (
                    "paragraph",
                    "<p>Ramverket utgår från den regionala utvecklingsstrategin. Strategin anger vart regionen "
                    "vill och varför. Ramverket hjälper till att följa upp om insatserna tar regionen dit, och "
                    "att lära av det som fungerar och av det som inte gör det.</p>",
                ),
                (
                    "callout",
                    {
                        "heading": "Strategin i korthet",
                        "text": format_html(
                            "<p>{}.</p>{}",
                            rus_definition,
                            _ul(rus_other),
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>För ramverket betyder det att strategins mål och prioriteringar är utgångspunkten för "
                    "effektkedjorna. Varje prioritering kan beskrivas som en eller flera kedjor, från de resurser "
                    "som avsätts till de långsiktiga effekter som strategin vill uppnå. Utvärderingsfrågorna "
                    "formuleras sedan utifrån kedjorna, så att uppföljningen mäter det som strategin faktiskt "
                    "syftar till.</p>",
                ),
            ],
        },
        {
            "slug": "nytta-med-ramverk",
            "title": "Nytta med ramverk",
            "intro": "Ett gemensamt ramverk för uppföljning, utvärdering och lärande ger stöd i det egna arbetet – "
            "från planering och styrning till beslut och legitimitet.",
            "tags": ["styrning", "lärande", "legitimitet"],
            "body": [
                (
                    "paragraph",
                    "<p>Ett ramverk är inget mål i sig. Det är värt arbetet för att det ger något tillbaka till "
                    "dem som använder det: tjänstepersoner som planerar och genomför insatser, politiker som "
                    "fattar beslut och alla som vill förstå vad de regionala utvecklingsmedlen leder till. "
                    "Lärprojektet sammanfattade nyttan i åtta punkter.</p>",
                ),
                ("benefits", {"heading": "Åtta nyttor med ramverket", "items": point_items(seed.benefits)}),
                (
                    "callout",
                    {
                        "heading": seed.benefits_tagline,
                        "text": "<p>Nyttorna hänger ihop. Samma effektkedja som används för att planera en insats "
                        "blir underlag för uppföljningen, och resultaten från uppföljningen blir underlag för "
                        "nästa beslut. Då blir ramverket ett stöd i det egna arbetet i stället för ännu en "
                        "rapportering.</p>",
                    },
                ),
            ],
        },
        {
            "slug": "erfarenheter-och-utmaningar",
            "title": "Erfarenheter och utmaningar",
            "intro": "Att införa ett gemensamt ramverk är ett förändringsarbete. Här är de erfarenheter och "
            "utmaningar som lärprojektet tog med sig.",
            "tags": ["lärande", "begreppsförvirring"],
            "body": [
                (
                    "paragraph",
                    "<p>Reaktionerna på arbetet har gått från att det verkar svårt, via skepsis, till att det är "
                    "fantastiskt att äntligen tala samma språk. Erfarenheterna visar att de största "
                    "utmaningarna handlar om avgränsningar, begrepp och organisation snarare än om "
                    "metoder.</p>",
                ),
                ("benefits", {"heading": "Åtta erfarenheter", "items": point_items(seed.challenges)}),
                (
                    "callout",
                    {
                        "heading": "Begreppsförvirring",
                        "text": format_html(
                            "<p>Samma ord används ofta för olika saker. För en person är <em>resultat</em> antalet "
                            "genomförda aktiviteter, för en annan en förändring i samhället. Därför har portalen "
                            "{} där varje begrepp har en definition och en förklaring av vad det inte ska "
                            "förväxlas med.</p>",
                            _page_link(links["glossary"], "en begreppslista"),
                        ),
                    },
                ),
                (
                    "paragraph",
                    "<p>Effektkedjor och utvärderingsfrågor är ramverkets verktyg för att hantera "
                    "utmaningarna. De beskrivs i de två följande kapitlen.</p>",
                ),
            ],
        },
        {
            "slug": "effektkedjor",
            "title": "Effektkedjor",
            "intro": "En effektkedja beskriver hur resurser och aktiviteter förväntas leda till prestationer, "
            "utfall och effekter. Kedjan läses nerifrån och upp och verkar alltid i en politisk, social och "
            "ekonomisk kontext.",
            "tags": ["effektkedjor"],
            "body": [
                (
                    "paragraph",
                    "<p>Effektkedjan är ramverkets modell för hur en insats förväntas fungera. Längst ned finns de "
                    "resurser som avsätts (G) och de aktiviteter som genomförs (F). Därefter följer "
                    "prestationerna (E), alltså hur mycket som har gjorts, och utfallet (D), hur deltagarna har "
                    "påverkats. Högst upp finns effekterna: de kortsiktiga (C) när deltagarna omsätter utfallet "
                    "i handling, och de långsiktiga (B) när samhället påverkas av det samlade resultatet. Allt "
                    "sker i en kontext (A) som insatserna inte styr över.</p>",
                ),
                (
                    "table",
                    {
                        "caption": "Effektkedjans nivåer",
                        "table": {
                            "data": level_rows,
                            "first_row_is_table_header": True,
                            "first_col_is_header": False,
                            "table_header_choice": "row",
                            "table_caption": "",
                            "cell": [],
                            "mergeCells": [],
                        },
                    },
                ),
                (
                    "callout",
                    {
                        "heading": "Kausalitet",
                        "text": format_html(
                            "<p>{}</p><p>Varje länk i kedjan är ett antagande om orsak och verkan: om deltagarna "
                            "får ny kunskap förväntas de också använda den. Antagandena ska kunna motiveras med "
                            "forskning, utvärderingar eller beprövad erfarenhet. Annars går det inte att säga att "
                            "insatserna har bidragit till effekterna.</p>",
                            seed.causality,
                        ),
                    },
                ),
                (
                    "paragraph",
                    format_html(
                        "<p>Läs kedjan nerifrån och upp genom att fråga <em>leder det här till nästa steg?</em> "
                        "och uppifrån och ned genom att fråga <em>vad krävs för att nå hit?</em> Ett fullständigt "
                        "exempel med motiveringar för varje länk finns i effektkedjan {}.</p>",
                        chain,
                    ),
                ),
            ],
        },
        {
            "slug": "utvarderingsfragor",
            "title": "Utvärderingsfrågor",
            "intro": "Utvärderingsfrågor avgör vad som behöver följas upp och vad som behöver utvärderas. De "
            "identifierar det vi vill veta och bestäms gemensamt.",
            "tags": ["utvärderingsfrågor"],
            "body": [
                (
                    "paragraph",
                    format_html(
                        "<p>Utvärderingsfrågorna är ramverkets andra verktyg. De ser till att uppföljning och "
                        "utvärdering besvarar det som är viktigt att veta, inte bara det som är lätt att "
                        "räkna.</p>{}",
                        _ul(seed.question_points),
                    ),
                ),
                (
                    "paragraph",
                    "<p>Ramverket skiljer mellan två slags frågor. <strong>Processorienterade frågor</strong> "
                    "gäller genomförandet: hur insatserna planeras, organiseras och genomförs. "
                    "<strong>Summerande frågor</strong> gäller resultatet och hör till en nivå i effektkedjan – "
                    "prestationer, utfall, kortsiktiga eller långsiktiga effekter.</p>",
                ),
                ("callout", {"heading": "Exempel på utvärderingsfrågor", "text": _ul(seed.example_questions)}),
                (
                    "callout",
                    {
                        "heading": "Processorienterade frågor för implementeringen",
                        "text": _ul(q.text for q in seed.process_questions),
                    },
                ),
                (
                    "callout",
                    {
                        "heading": "Summerande frågor när det gäller resultatet",
                        "text": format_html(
                            "<ul>{}</ul>", format_html_join("", "<li>{} <em>({})</em></li>", summative)
                        ),
                    },
                ),
                (
                    "paragraph",
                    format_html(
                        "<p>De summerande exempelfrågorna prövar var sin nivå i effektkedjan {}.</p>",
                        chain,
                    ),
                ),
            ],
        },
    ]


# --- Concepts --------------------------------------------------------------------------------


@dataclass
class ConceptSpec:
    """One glossary entry; relations name other concepts by slug."""

    slug: str
    title: str
    short_definition: str
    explanation: str
    english_term: str = ""
    english_alt_labels: str = ""  # one per line; the English term is one term
    other_labels: str = ""
    hidden_labels: str = ""
    chain_level: str = ""
    tags: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)
    status: str = "recommended"
    use_instead: str = ""


def concepts(seed: Seed) -> list[ConceptSpec]:
    """Every concept of the demo glossary: the chain levels (definitions from the seed) and the rest."""
    chain_tags = ["effektkedjor"]
    level_broader = ["effektkedja"]
    return [
        ConceptSpec(
            "kontext",
            L.KONTEXT.label,
            f"{seed.context} som hela effektkedjan verkar i. Den påverkar vad insatserna kan åstadkomma men "
            "styrs inte av dem.",
            "<p>Kontexten (nivå A) ramar in hela effektkedjan. Politiska beslut, befolkningsutveckling, "
            "konjunktur och andra förhållanden påverkar om insatserna får avsedd effekt. När kontexten är "
            "beskriven blir det tydligt vilka faktorer utanför insatserna som kan förklara ett resultat – eller "
            "en utebliven effekt.</p>",
            english_term="context",
            other_labels="omvärld, omvärldsfaktorer, förutsättningar",
            hidden_labels="kontexten, kontekst",
            chain_level=L.KONTEXT,
            tags=chain_tags,
            broader=level_broader,
        ),
        ConceptSpec(
            "langsiktiga-effekter",
            L.LANGSIKTIGA_EFFEKTER.label,
            seed.levels[L.LANGSIKTIGA_EFFEKTER],
            "<p>Långsiktiga effekter är kedjans översta nivå (B). De beskriver förändringar i samhället, till "
            "exempel fler arbetstillfällen eller bättre livskvalitet i länet. De är summan av många insatser och "
            "av omvärlden, så en enskild insats kan sällan ensam ta åt sig äran. Därför följs de ofta upp med "
            "indikatorer på regional nivå och prövas med summerande utvärderingsfrågor.</p>"
            "<p>Exempel på fråga: ”Hur påverkas människors livskvalitet i länet?”</p>",
            english_term="impact",
            english_alt_labels="long-term effects",
            other_labels="långsiktig effekt, samhällseffekt, effekt på lång sikt",
            hidden_labels="langsiktiga effekter, langsiktig effekt, långsiktiga efekter, långsiktiga effekten",
            chain_level=L.LANGSIKTIGA_EFFEKTER,
            tags=chain_tags,
            broader=level_broader + ["effekt"],
        ),
        ConceptSpec(
            "kortsiktiga-effekter",
            L.KORTSIKTIGA_EFFEKTER.label,
            seed.levels[L.KORTSIKTIGA_EFFEKTER],
            "<p>Kortsiktiga effekter (nivå C) uppstår när deltagarna gör något med det de fått ut av en "
            "aktivitet. Ett företag som deltagit i ett innovationsprogram lanserar en ny produkt; en "
            "nätverksdeltagare ändrar arbetssätt i sin kommun. Effekterna väntas inom 0–2 år.</p>"
            "<p>Exempel på fråga: ”Leder innovationsfrämjande insatser till nya innovationer?”</p>",
            english_term="short-term outcomes",
            english_alt_labels="short-term effects",
            other_labels="kortsiktig effekt, effekt på kort sikt",
            hidden_labels="kortsiktiga efekter, kortsiktig effekt, kortsiktiga effekten, kortsiktiga effekt",
            chain_level=L.KORTSIKTIGA_EFFEKTER,
            tags=chain_tags,
            broader=level_broader + ["effekt"],
        ),
        ConceptSpec(
            "utfall",
            L.UTFALL.label,
            seed.levels[L.UTFALL],
            "<p>Utfall (nivå D) beskriver vad deltagandet gjorde med deltagarna: ny kunskap, nya kontakter, "
            "ändrade attityder. Utfallet finns redan när aktiviteten är genomförd.</p>"
            "<p>I vardagligt tal betyder utfall ofta ”hur det blev”, som i budgetutfall. I ramverket har ordet "
            "en snävare betydelse, och det är en vanlig källa till begreppsförvirring.</p>"
            "<p>Exempel på fråga: ”Innebär nätverken som drivs regionalt till att deltagarna får ökad kunskap att "
            "genomföra sina uppdrag?”</p>",
            english_term="outcome",
            other_labels="direkt resultat, omedelbart resultat",
            hidden_labels="utfallet, utfal, utfalet",
            chain_level=L.UTFALL,
            tags=chain_tags,
            broader=level_broader + ["resultat"],
        ),
        ConceptSpec(
            "prestationer",
            L.PRESTATIONER.label,
            seed.levels[L.PRESTATIONER],
            "<p>Prestationer (nivå E) är det som räknas när aktiviteterna är gjorda: antal träffar, deltagare, "
            "beviljade projekt eller företag som fått stöd. Prestationer är lätta att mäta, och därför finns en "
            "risk att uppföljningen stannar här. De säger däremot inget om vad aktiviteterna ledde till.</p>"
            "<p>Exempel på fråga: ”Hur aktiva är klustren i länet?”</p>",
            english_term="output",
            other_labels="output, leverans, leveranser",
            hidden_labels="prestation, prestationerna, prestatoner, outputs",
            chain_level=L.PRESTATIONER,
            tags=chain_tags,
            broader=level_broader + ["resultat"],
        ),
        ConceptSpec(
            "aktiviteter",
            L.AKTIVITETER.label,
            seed.levels[L.AKTIVITETER],
            "<p>Aktiviteter (nivå F) är det som görs med resurserna: utbildningar, nätverksträffar, rådgivning, "
            "investeringar. I effektkedjan beskrivs typer av insatser, inte varje enskilt möte, och varje typ "
            "ska ha en tanke om vilket utfall den ska leda till.</p>",
            english_term="activities",
            other_labels="insatser, åtgärder",
            hidden_labels="aktivitet, aktiviteterna, aktiviter",
            chain_level=L.AKTIVITETER,
            tags=chain_tags,
            broader=level_broader,
        ),
        ConceptSpec(
            "resurser",
            L.RESURSER.label,
            seed.levels[L.RESURSER],
            "<p>Resurser (nivå G) är kedjans grund: pengar, arbetstid, lokaler, kompetens och annat som "
            "avsätts. Att beskriva resurserna gör det möjligt att fråga om mängden resurser är rimlig i "
            "förhållande till resultatet.</p>",
            english_term="inputs",
            english_alt_labels="resources",
            other_labels="insatsfaktorer, input, finansiering",
            hidden_labels="resurs, resuser, resurserna",
            chain_level=L.RESURSER,
            tags=chain_tags,
            broader=level_broader,
        ),
        ConceptSpec(
            "effektkedja",
            "Effektkedja",
            "En modell av hur resurser och aktiviteter förväntas leda till prestationer, utfall och kortsiktiga "
            "och långsiktiga effekter i en given kontext. Kedjan läses nerifrån och upp.",
            "<p>Effektkedjan är ett av ramverkets två verktyg. Den har sex nivåer, från resurser (G) till "
            "långsiktiga effekter (B), inom en kontext (A). Mellan nivåerna finns antaganden om orsakssamband "
            "som ska bygga på en kunskaps- och evidensbaserad grund.</p>"
            "<p>Kedjan används både för att planera – vad krävs för att nå effekten? – och för att följa upp och "
            "utvärdera, eftersom varje nivå kan prövas med utvärderingsfrågor och indikatorer.</p>",
            english_term="logic model",
            english_alt_labels="results chain\ntheory of change",
            other_labels="programlogik, interventionslogik, förändringsteori, logisk modell",
            hidden_labels="efektkedja, effektkedjan, effektkedjor, effekt kedja, efektkedjor",
            tags=chain_tags,
        ),
        ConceptSpec(
            "resultatkedja",
            "Resultatkedja",
            "Avrådd benämning på effektkedja. Ordet resultat används om flera nivåer i kedjan, så benämningen "
            "ökar begreppsförvirringen. Använd effektkedja.",
            "<p>Resultatkedja förekommer i litteratur och i andra organisationers vägledningar som översättning "
            "av engelskans <em>results chain</em>. I ramverket heter modellen effektkedja, och ordet resultat "
            "används som samlingsord för prestationer, utfall och effekter.</p>",
            other_labels="resultatkedjan",
            hidden_labels="resultat kedja, resultatkedjor",
            tags=chain_tags,
            status="deprecated",
            use_instead="effektkedja",
        ),
        ConceptSpec(
            "kausalitet",
            "Kausalitet",
            "Orsakssamband: att en nivå i effektkedjan faktiskt leder till nästa. Kedjan ska bygga på en kunskaps- "
            "och evidensbaserad grund så att sambanden går att motivera.",
            "<p>Att två saker förändras samtidigt betyder inte att den ena orsakar den andra. För varje länk i en "
            "effektkedja ska det finnas ett skäl att tro att sambandet gäller: forskning, tidigare utvärderingar "
            "eller beprövad erfarenhet.</p>",
            english_term="causality",
            english_alt_labels="causal link",
            other_labels="orsakssamband, orsak och verkan",
            hidden_labels="kausaliteten, kaulitet, kausalt samband",
            tags=chain_tags,
        ),
        ConceptSpec(
            "utvarderingsfraga",
            "Utvärderingsfråga",
            "En fråga som avgränsar vad som behöver följas upp och utvärderas. Den anger vad vi vill veta, så att "
            "vi inte enbart mäter det som redan går att mäta.",
            "<p>Utvärderingsfrågor är ramverkets andra verktyg. De bestäms gemensamt för att vara förankrade, "
            "praktiska och användbara. En fråga är antingen processorienterad (om genomförandet) eller "
            "summerande (om resultatet på en nivå i effektkedjan).</p>",
            english_term="evaluation question",
            other_labels="frågeställning",
            hidden_labels="utvarderingsfraga, utvärderingsfrågor, utvärderingsfrågan, utvärderings fråga",
            tags=["utvärderingsfrågor"],
        ),
        ConceptSpec(
            "processorienterad-fraga",
            "Processorienterad fråga",
            "En utvärderingsfråga om genomförandet: hur insatserna planeras, organiseras och genomförs, till "
            "exempel om rätt aktörer är involverade.",
            "<p>Processorienterade frågor hjälper till att förbättra insatserna medan de pågår. Exempel: ”Är "
            "regionala insatser jämställdhetsintegrerade?” och ”Hur ser ansökningstrycket på 1.1-medel ut?”</p>",
            english_term="process evaluation question",
            english_alt_labels="implementation question",
            other_labels="processfråga, genomförandefråga, implementeringsfråga",
            hidden_labels="processorienterad fraga, processorienterade frågor, processfrågor",
            tags=["utvärderingsfrågor"],
            broader=["utvarderingsfraga"],
        ),
        ConceptSpec(
            "summerande-fraga",
            "Summerande fråga",
            "En utvärderingsfråga om resultatet: vad insatserna leder till på en bestämd nivå i effektkedjan – "
            "prestationer, utfall, kortsiktiga eller långsiktiga effekter.",
            "<p>Summerande frågor anger alltid vilken nivå de prövar. Exempel: ”Ökar nyföretagandet i länet?” "
            "gäller kortsiktiga effekter, medan ”Hur aktiva är klustren i länet?” gäller prestationer.</p>",
            english_term="summative evaluation question",
            english_alt_labels="outcome question",
            other_labels="resultatfråga, effektfråga",
            hidden_labels="summerande fraga, summerande frågor, summativ fråga",
            tags=["utvärderingsfrågor"],
            broader=["utvarderingsfraga"],
        ),
        ConceptSpec(
            "uppfoljning",
            "Uppföljning",
            "Löpande och systematisk insamling av uppgifter om hur en insats genomförs och vad den presterar, "
            "jämfört med planer, indikatorer och mål.",
            "<p>Uppföljning svarar på frågan <em>vad händer?</em> Den görs löpande, ofta med indikatorer, och ger "
            "underlag för styrning och för utvärderingar.</p>",
            english_term="monitoring",
            other_labels="monitorering, löpande uppföljning",
            hidden_labels="uppfoljning, uppfölning, uppföljningen",
            tags=["uppföljning"],
            broader=["strategiskt-larande"],
        ),
        ConceptSpec(
            "utvardering",
            "Utvärdering",
            "En systematisk och fördjupad bedömning av en insats genomförande, resultat och effekter, utifrån "
            "bestämda utvärderingsfrågor och kriterier.",
            "<p>Utvärdering svarar på frågorna <em>varför blev det så?</em> och <em>var det bra?</em> Den "
            "görs vid bestämda tillfällen, ofta av någon utanför verksamheten, och bygger på uppföljningens "
            "data.</p>",
            english_term="evaluation",
            other_labels="processutvärdering, effektutvärdering",
            hidden_labels="utvardering, utvärderingen, utvädering",
            tags=["utvärdering"],
            broader=["strategiskt-larande"],
        ),
        ConceptSpec(
            "larande",
            "Lärande",
            "Att systematiskt använda erfarenheter och resultat från uppföljning och utvärdering för att förbättra "
            "strategier, planering och genomförande.",
            "<p>Lärande är skälet till att följa upp och utvärdera. Det kräver att resultaten når dem som "
            "planerar och beslutar, i en form de kan använda.</p>",
            english_term="learning",
            other_labels="organisatoriskt lärande, kunskapsåterföring",
            hidden_labels="larande, lärandet",
            tags=["lärande"],
            broader=["strategiskt-larande"],
        ),
        ConceptSpec(
            "strategiskt-larande",
            "Strategiskt lärande",
            "Lärande kopplat till en strategis mål: uppföljning, utvärdering och lärande organiseras så att "
            "kunskapen används i styrning och beslut om strategin.",
            "<p>Ramverk för strategiskt lärande beskriver hur regionen gör detta för den regionala "
            "utvecklingsstrategin: med gemensamma begrepp, effektkedjor och utvärderingsfrågor.</p>",
            english_term="strategic learning",
            other_labels="ramverk för strategiskt lärande",
            hidden_labels="strategiskt larande, strategisk lärande",
            tags=["lärande"],
        ),
        ConceptSpec(
            "lardom",
            "Lärdom",
            "En kort slutsats från en uppföljning eller utvärdering, formulerad så att andra kan använda den i "
            "kommande insatser.",
            "<p>Lärdomar publiceras tillsammans med resultaten och kan filtreras på nivå i effektkedjan, region, "
            "år och tagg.</p>",
            english_term="lesson learned",
            other_labels="lärdomar, erfarenhet",
            hidden_labels="lardom, lardomar, lärdommar",
            tags=["lärande"],
            broader=["larande"],
        ),
        ConceptSpec(
            "indikator",
            "Indikator",
            "Ett mått som visar hur något utvecklas över tid, till exempel antal deltagare eller andel "
            "nystartade företag. En indikator hör till en nivå i effektkedjan.",
            "<p>En bra indikator har en tydlig definition, en källa, en enhet och gärna ett målvärde. Indikatorer "
            "är underlag för att besvara utvärderingsfrågor, men besvarar sällan en fråga ensamma.</p>",
            english_term="indicator",
            english_alt_labels="key performance indicator",
            other_labels="mått, nyckeltal, mätetal",
            hidden_labels="indikatorer, indikatorn, inikator",
            tags=["uppföljning", "indikatorer"],
        ),
        ConceptSpec(
            "regional-utvecklingsstrategi",
            "Regional utvecklingsstrategi (RUS)",
            f"{max(seed.rus_points, key=len)}.",
            "<p>Strategin binder samman relevanta planeringsprocesser och innehåller mål, inriktningar och "
            "prioriteringar. Den nationella strategin för hållbar regional utveckling är vägledande.</p>",
            english_term="regional development strategy",
            other_labels="RUS, regionala utvecklingsstrategin, utvecklingsstrategi",
            hidden_labels="rus, regional utvecklings strategi, regionalutvecklingsstrategi",
            tags=["regional utveckling"],
        ),
        ConceptSpec(
            "hallbar-regional-tillvaxt",
            "Hållbar regional tillväxt",
            "Tillväxt i regionen som är ekonomiskt, socialt och miljömässigt hållbar – målet för den regionala "
            "tillväxtpolitiken som den regionala utvecklingsstrategin ska främja.",
            "<p>Hållbarhet gäller alla tre dimensionerna samtidigt. En utvärderingsfråga i ramverket är därför "
            "”Är insatserna hållbara (ekonomiskt, miljömässigt och socialt)?”</p>",
            english_term="sustainable regional growth",
            other_labels="hållbar regional utveckling, regional tillväxt",
            hidden_labels="hallbar regional tillvaxt, hållbar tillväxt",
            tags=["regional utveckling", "hållbarhet"],
        ),
        ConceptSpec(
            "begreppsforvirring",
            "Begreppsförvirring",
            "När samma ord används för olika saker, eller olika ord för samma sak, så att det blir oklart vad som "
            "menas. Ramverket möter det med gemensamma, entydiga definitioner.",
            "<p>Begreppsförvirring var en av de största utmaningarna i lärprojektet: det fanns inga entydiga "
            "definitioner. Den här begreppslistan finns för att lösa det.</p>",
            english_term="terminological confusion",
            other_labels="otydliga begrepp, begreppsoreda",
            hidden_labels="begreppsforvirring, begrepsförvirring",
            tags=["begreppsförvirring"],
        ),
        ConceptSpec(
            "resultat",
            "Resultat",
            "Samlingsord för det som insatserna åstadkommer – prestationer, utfall och effekter. Ange vilken nivå i "
            "effektkedjan som avses, annars blir ordet tvetydigt.",
            "<p>I vardagligt tal kan resultat betyda allt från antal genomförda möten till förändringar i "
            "samhället. Säg hellre prestationer, utfall, kortsiktiga eller långsiktiga effekter när det går.</p>",
            english_term="results",
            other_labels="åstadkommande",
            hidden_labels="resultatet, reslutat, resultaten",
            tags=["begreppsförvirring"],
        ),
        ConceptSpec(
            "effekt",
            "Effekt",
            "En förändring som insatserna bidrar till bortom det direkta utfallet: kortsiktiga effekter hos "
            "deltagarna eller långsiktiga effekter i samhället.",
            "<p>Effekter är det som strategin ytterst vill uppnå, men de är också svårast att mäta och att "
            "tillskriva en viss insats. Därför behövs en effektkedja som visar hur insatserna är tänkta att "
            "bidra.</p>",
            english_term="effect",
            english_alt_labels="impact",
            other_labels="verkan, påverkan",
            hidden_labels="efekt, effekten, effekter",
            tags=["effektkedjor"],
            broader=["resultat"],
        ),
    ]


# "Förväxla inte med": each pair is shown on both concepts, with one sentence on the difference.
CONTRASTS = [
    (
        "utfall",
        "prestationer",
        "Prestationer räknar hur mycket som har genomförts, till exempel antal deltagare; utfall beskriver hur "
        "deltagarna har påverkats av att delta, till exempel att de fått ny kunskap.",
    ),
    (
        "utfall",
        "kortsiktiga-effekter",
        "Utfall inträffar direkt när aktiviteten genomförs; kortsiktiga effekter uppstår först när deltagarna "
        "omsätter utfallet i handling, inom 0–2 år.",
    ),
    (
        "kortsiktiga-effekter",
        "langsiktiga-effekter",
        "Kortsiktiga effekter gäller vad deltagarna gör inom 0–2 år; långsiktiga effekter gäller hur samhället "
        "påverkas av det samlade resultatet på 1–10 års sikt.",
    ),
    (
        "aktiviteter",
        "prestationer",
        "Aktiviteter är de typer av insatser som görs; prestationer är hur mycket eller hur många av dem som "
        "faktiskt har genomförts.",
    ),
    (
        "uppfoljning",
        "utvardering",
        "Uppföljning beskriver löpande vad som händer, ofta med indikatorer; utvärdering analyserar och värderar "
        "vid ett bestämt tillfälle varför det blev som det blev.",
    ),
    (
        "resultat",
        "effekt",
        "Resultat är ett samlingsord för alla nivåer från prestationer och uppåt; effekt avser bara förändringar "
        "bortom det direkta utfallet (nivå C och B).",
    ),
    (
        "processorienterad-fraga",
        "summerande-fraga",
        "En processorienterad fråga gäller hur insatserna genomförs; en summerande fråga gäller vad de leder "
        "till på en bestämd nivå i effektkedjan.",
    ),
    (
        "utvarderingsfraga",
        "indikator",
        "En utvärderingsfråga anger vad vi vill veta; en indikator är ett mått som kan bidra till svaret men "
        "sällan besvarar frågan ensam.",
    ),
]

# Related concepts, shown on both concepts of each pair. Never a concept and one above or below it
# (SKOS S27): kontext has effektkedja as its broader concept, so the two are not also related.
RELATED = [
    ("effektkedja", "kausalitet"),
    ("effektkedja", "utvarderingsfraga"),
    ("utvarderingsfraga", "utvardering"),
    ("indikator", "uppfoljning"),
    ("regional-utvecklingsstrategi", "hallbar-regional-tillvaxt"),
    ("regional-utvecklingsstrategi", "strategiskt-larande"),
    ("langsiktiga-effekter", "hallbar-regional-tillvaxt"),
    ("begreppsforvirring", "resultat"),
    ("begreppsforvirring", "utfall"),
    ("resurser", "aktiviteter"),
]


# --- Records -----------------------------------------------------------------------------------

REGIONS = ["Region Västerbotten", "Region Jämtland Härjedalen", "Region Västernorrland"]

PRIORITIES = [
    (
        "Innovation och näringslivsutveckling",
        "Exempel på en prioritering i en regional utvecklingsstrategi: ett innovativt och diversifierat "
        "näringsliv med fler kunskapsintensiva företag.",
    ),
    (
        "Kompetensförsörjning och inkludering",
        "Exempel på en prioritering i en regional utvecklingsstrategi: arbetsgivare hittar den kompetens de "
        "behöver och fler kommer i arbete.",
    ),
    (
        "Tillgänglighet och infrastruktur",
        "Exempel på en prioritering i en regional utvecklingsstrategi: goda transporter och digital "
        "infrastruktur i hela länet.",
    ),
    (
        "Attraktiva och hållbara livsmiljöer",
        "Exempel på en prioritering i en regional utvecklingsstrategi: livsmiljöer där människor vill bo, "
        "arbeta och leva, med god service i hela länet.",
    ),
]

# How the seed's general example questions are classified. The seed lists them without kind or
# level, so these are the framework owners' readings; a question missing here stops the build.
GENERAL_QUESTIONS = {
    "Leder insatserna till hållbar regional tillväxt?": (
        QuestionKind.SUMMATIVE,
        L.LANGSIKTIGA_EFFEKTER,
        "Prövar strategins övergripande mål och besvaras med indikatorer på regional nivå över flera år.",
    ),
    "Är det rätt mix av insatser för att komma tillrätta med utmaningar eller ta tillvara på möjligheter?": (
        QuestionKind.PROCESS,
        L.AKTIVITETER,
        "Gäller om de typer av aktiviteter som valts passar de utmaningar och möjligheter som strategin pekar ut.",
    ),
    "Är mängden resurser rimliga i förhållande till resultatet? Finns de nödvändiga resurserna?": (
        QuestionKind.PROCESS,
        L.RESURSER,
        "Ställer resurserna mot vad de ger och frågar om något saknas för att genomföra insatserna.",
    ),
    "Vad kan förbättras i planering och genomförande av insatser?": (
        QuestionKind.PROCESS,
        L.AKTIVITETER,
        "En öppen fråga om genomförandet, ofta besvarad med intervjuer och workshoppar med dem som genomför "
        "insatserna.",
    ),
    "Är rätt personer/aktörer involverade?": (
        QuestionKind.PROCESS,
        L.AKTIVITETER,
        "Gäller vilka som deltar i och driver aktiviteterna, och om några viktiga aktörer saknas.",
    ),
    "Vad leder insatserna till? Planerat eller oplanerat? Direkt eller indirekt?": (
        QuestionKind.SUMMATIVE,
        L.KORTSIKTIGA_EFFEKTER,
        "Söker både avsedda och oavsedda effekter, direkta och indirekta, av insatserna.",
    ),
    "Är insatserna hållbara (ekonomiskt, miljömässigt och socialt)?": (
        QuestionKind.SUMMATIVE,
        L.LANGSIKTIGA_EFFEKTER,
        "Prövar insatsernas effekter i alla tre hållbarhetsdimensionerna.",
    ),
}

QUESTION_EXPLANATIONS = {
    "Hur ser ansökningstrycket på 1.1-medel ut?": (
        L.RESURSER,
        "Följer efterfrågan på de regionala tillväxtmedlen (anslag 1:1): antal ansökningar och sökt belopp i "
        "förhållande till tillgängliga medel.",
    ),
    "Är regionala insatser jämställdhetsintegrerade?": (
        L.AKTIVITETER,
        "Prövar om jämställdhet beaktas i planering, urval och genomförande av insatserna.",
    ),
}

QUESTION_TAGS = {
    "Hur aktiva är klustren i länet?": ["kluster", "innovation"],
    "Innebär nätverken som drivs regionalt till att deltagarna får ökad kunskap att genomföra sina uppdrag?": [
        "nätverk"
    ],
    "Leder innovationsfrämjande insatser till nya innovationer?": ["innovation"],
    "Ökar nyföretagandet i länet?": ["nyföretagande"],
    "Hur påverkas människors livskvalitet i länet?": ["livskvalitet"],
    "Är regionala insatser jämställdhetsintegrerade?": ["jämställdhet"],
    "Leder insatserna till hållbar regional tillväxt?": ["hållbarhet"],
    "Är insatserna hållbara (ekonomiskt, miljömässigt och socialt)?": ["hållbarhet"],
}


@dataclass
class IndicatorSpec:
    name: str
    definition: str
    unit: str
    source: str
    chain_level: str
    values: list[tuple[int, Decimal | None, Decimal | None]]
    questions: list[str] = field(default_factory=list)


EXAMPLE_SOURCE = "Exempeldata – påhittade värden som visar hur indikatorn redovisas"


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


INDICATORS = [
    IndicatorSpec(
        "Antal aktiva klusterinitiativ",
        "Klusterinitiativ med minst fyra gemensamma aktiviteter under året och minst tio deltagande företag. "
        "Exempelindikator.",
        "antal",
        EXAMPLE_SOURCE,
        L.PRESTATIONER,
        [(2021, _d(4), _d(5)), (2022, _d(5), _d(6)), (2023, _d(7), _d(7)), (2024, None, _d(8))],
        ["Hur aktiva är klustren i länet?"],
    ),
    IndicatorSpec(
        "Andel nätverksdeltagare som uppger ökad kunskap",
        "Andel av de svarande i deltagarenkäten som instämmer helt eller delvis i att de fått ökad kunskap för "
        "sitt uppdrag. Exempelindikator.",
        "procent",
        EXAMPLE_SOURCE,
        L.UTFALL,
        [(2022, _d(64), _d(70)), (2023, _d(72), _d(75)), (2024, _d(78), _d(80))],
        ["Innebär nätverken som drivs regionalt till att deltagarna får ökad kunskap att genomföra sina uppdrag?"],
    ),
    IndicatorSpec(
        "Andel företag som infört innovationer",
        "Andel av de stödmottagande företagen som inom två år infört en ny eller väsentligt förbättrad produkt, "
        "tjänst eller process. Exempelindikator.",
        "procent",
        EXAMPLE_SOURCE,
        L.KORTSIKTIGA_EFFEKTER,
        [(2021, _d(21), _d(25)), (2022, _d(24), _d(25)), (2023, _d(27.5), _d(30))],
        ["Leder innovationsfrämjande insatser till nya innovationer?"],
    ),
    IndicatorSpec(
        "Nystartade företag per 1 000 invånare",
        "Antal nystartade företag under året per 1 000 invånare i åldern 16–64 år. Exempelindikator.",
        "antal per 1 000 invånare",
        EXAMPLE_SOURCE,
        L.KORTSIKTIGA_EFFEKTER,
        [(2021, _d(8.1), _d(8.5)), (2022, _d(7.6), _d(8.7)), (2023, _d(8.4), _d(9)), (2024, _d(8.9), _d(9.2))],
        ["Ökar nyföretagandet i länet?"],
    ),
    IndicatorSpec(
        "Andel invånare som är nöjda med sin livssituation",
        "Andel av de svarande i en invånarundersökning som är ganska eller mycket nöjda med sin livssituation "
        "som helhet. Exempelindikator.",
        "procent",
        EXAMPLE_SOURCE,
        L.LANGSIKTIGA_EFFEKTER,
        [(2020, _d(81), None), (2022, _d(79), _d(82)), (2024, _d(82), _d(84))],
        ["Hur påverkas människors livskvalitet i länet?", "Leder insatserna till hållbar regional tillväxt?"],
    ),
]


# --- The example effect chain --------------------------------------------------------------------

CHAIN = {
    "slug": "exempel-innovationsframjande-insatser",
    "priorities": ["Innovation och näringslivsutveckling"],
    "title": "Exempel: Innovationsfrämjande insatser",
    "intro": "En fullständig exempelkedja: hur regionala medel för kluster, nätverk och innovationsstöd "
    "förväntas leda till nya innovationer, fler nya företag och på sikt bättre livskvalitet i länet.",
    "purpose": "Visa hur regionens innovationsfrämjande insatser hänger ihop med strategins mål, så att varje "
    "steg kan följas upp med indikatorer och prövas med utvärderingsfrågor. Kedjan är ett exempel som visar "
    "arbetssättet.",
    "context": "<p>Kedjan verkar i en politisk, social och ekonomisk kontext som insatserna inte styr över:</p>"
    "<ul>"
    "<li>Den regionala utvecklingsstrategin prioriterar innovation och ett mer diversifierat näringsliv.</li>"
    "<li>Glesa strukturer och långa avstånd gör nätverk och mötesplatser särskilt viktiga.</li>"
    "<li>Konjunkturen och nationella satsningar påverkar företagens möjligheter att investera, oavsett "
    "regionala insatser.</li>"
    "</ul>",
    "evidence_basis": "<p>Antagandena bygger på forskning om kluster och regionala innovationssystem, där "
    "samverkan mellan företag, lärosäten och offentliga aktörer ses som en drivkraft för innovation, och på "
    "erfarenheter från tidigare utvärderingar av regionala tillväxtmedel. I en riktig kedja anges regionens "
    "egna källor för varje länk.</p>",
    "tags": ["effektkedjor", "innovation", "kluster", "nätverk", "nyföretagande", "livskvalitet"],
    # (key, level, title, description), listed bottom-up.
    "elements": [
        (
            "G1",
            L.RESURSER,
            "Regionala tillväxtmedel (1:1-medel)",
            "Medel som regionen fördelar till projekt inom innovation och näringslivsutveckling.",
        ),
        (
            "G2",
            L.RESURSER,
            "Personal och medfinansiering",
            "Processledare på regionen och medfinansiering från kommuner, lärosäten och företag.",
        ),
        (
            "F1",
            L.AKTIVITETER,
            "Klusterinitiativ drivs",
            "Regionen finansierar och leder klusterinitiativ där företag, lärosäten och offentliga aktörer möts.",
        ),
        (
            "F2",
            L.AKTIVITETER,
            "Innovationsstöd till företag",
            "Rådgivning, innovationscheckar och stöd för att verifiera idéer i tidigt skede.",
        ),
        (
            "F3",
            L.AKTIVITETER,
            "Regionala nätverk för näringslivsutvecklare",
            "Nätverk där kommunernas näringslivsutvecklare delar kunskap och metoder.",
        ),
        (
            "E1",
            L.PRESTATIONER,
            "Aktiva kluster",
            "Antal klusterinitiativ med regelbundna aktiviteter och antal deltagande företag.",
        ),
        (
            "E2",
            L.PRESTATIONER,
            "Företag som fått innovationsstöd",
            "Antal företag som fått rådgivning eller en innovationscheck.",
        ),
        ("E3", L.PRESTATIONER, "Genomförda nätverksträffar", "Antal träffar och deltagare i de regionala nätverken."),
        (
            "D1",
            L.UTFALL,
            "Ökad kunskap hos deltagarna",
            "Deltagarna i nätverk och kluster har fått ökad kunskap för att genomföra sina uppdrag.",
        ),
        (
            "D2",
            L.UTFALL,
            "Nya kontakter och samarbeten",
            "Företag och forskare har fått kontakter som de inte hade tidigare.",
        ),
        ("D3", L.UTFALL, "Prövade idéer", "Företagen har fått sina idéer prövade och vet vad nästa steg är."),
        (
            "C1",
            L.KORTSIKTIGA_EFFEKTER,
            "Nya innovationer",
            "Företag lanserar nya eller förbättrade produkter, tjänster och processer.",
        ),
        (
            "C2",
            L.KORTSIKTIGA_EFFEKTER,
            "Ökat nyföretagande",
            "Fler nya företag startas i länet, bland annat avknoppningar från klustren.",
        ),
        (
            "B1",
            L.LANGSIKTIGA_EFFEKTER,
            "Hållbar regional tillväxt",
            "Ett mer diversifierat och konkurrenskraftigt näringsliv med fler kunskapsintensiva arbetstillfällen.",
        ),
        (
            "B2",
            L.LANGSIKTIGA_EFFEKTER,
            "Ökad livskvalitet i länet",
            "Människor i länet har bättre möjligheter till arbete, service och en god livsmiljö.",
        ),
    ],
    # (from, to, rationale, evidence)
    "links": [
        (
            "G1",
            "F1",
            "Klusterinitiativ kräver en långsiktig grundfinansiering för processledning.",
            "Tidigare projektuppföljningar: initiativ utan grundfinansiering upphör ofta när projekttiden tar slut.",
        ),
        (
            "G1",
            "F2",
            "Innovationscheckar och rådgivning finansieras av tillväxtmedlen.",
            "Regionens program för innovationsstöd (exempel).",
        ),
        (
            "G2",
            "F1",
            "Processledning och medfinansiering från partnerna gör att initiativen förankras.",
            "Erfarenheter från klusterinitiativ i norra Sverige (exempel).",
        ),
        (
            "G2",
            "F3",
            "Nätverken drivs av regionens personal tillsammans med kommunerna.",
            "Överenskommelse mellan regionen och kommunerna (exempel).",
        ),
        (
            "F1",
            "E1",
            "När initiativen drivs med regelbundna aktiviteter blir klustren aktiva.",
            "Mäts med indikatorn Antal aktiva klusterinitiativ.",
        ),
        ("F2", "E2", "Stödet når företag som söker det.", "Regionens ärendesystem (exempel)."),
        ("F3", "E3", "Nätverken genomför träffar enligt plan.", "Närvarolistor och verksamhetsberättelser."),
        (
            "E1",
            "D2",
            "Återkommande möten ger företag och forskare tillfällen att knyta kontakter.",
            "Forskning om kluster och regionala innovationssystem.",
        ),
        ("E1", "D1", "Deltagarna lär av varandra i klustrens aktiviteter.", "Deltagarenkät (exempel)."),
        (
            "E2",
            "D3",
            "Rådgivning och checkar låter företagen pröva sina idéer.",
            "Uppföljning av innovationscheckar (exempel).",
        ),
        (
            "E3",
            "D1",
            "Nätverksträffar sprider kunskap och metoder mellan deltagarna.",
            "Deltagarenkät med frågan om ökad kunskap (exempel).",
        ),
        (
            "D2",
            "C1",
            "Nya samarbeten mellan företag och forskare leder till nya lösningar.",
            "Utvärderingar av samverkansprojekt (exempel).",
        ),
        (
            "D3",
            "C1",
            "Prövade idéer har större chans att bli produkter på marknaden.",
            "Uppföljning av verifieringsstöd (exempel).",
        ),
        (
            "D1",
            "C2",
            "Kunnigare näringslivsutvecklare ger bättre stöd till dem som vill starta företag.",
            "Intervjuer med nyföretagare (exempel).",
        ),
        (
            "D2",
            "C2",
            "Kontakter i klustren leder till avknoppningar och nya företag.",
            "Forskning om avknoppningar från kluster.",
        ),
        (
            "C1",
            "B1",
            "Innovationer stärker företagens konkurrenskraft och skapar nya arbetstillfällen.",
            "Regional statistik över förädlingsvärde och sysselsättning.",
        ),
        (
            "C2",
            "B1",
            "Nya företag breddar näringslivet och gör regionen mindre sårbar.",
            "Statistik över nystartade företag och sysselsättning.",
        ),
        (
            "C2",
            "B2",
            "Fler företag och arbetstillfällen ger inkomster och underlag för service i hela länet.",
            "Invånarundersökning om livssituation (exempel).",
        ),
    ],
}


# --- More example chains, one per RUS priority --------------------------------------------------

SKILLS_CHAIN = {
    "slug": "exempel-yrkesutbildning-for-kompetensforsorjning",
    "title": "Exempel: Yrkesutbildning för kompetensförsörjning",
    "priorities": ["Kompetensförsörjning och inkludering"],
    "intro": "En exempelkedja: hur ett regionalt samarbete om yrkesutbildning för vuxna förväntas ge fler "
    "yrkesexamina, fler i arbete i bristyrken och på sikt en tryggad kompetensförsörjning.",
    "purpose": "Visa hur insatserna för kompetensförsörjning hänger ihop med strategins mål, så att varje steg "
    "kan följas upp och prövas. Kedjan är ett exempel som visar arbetssättet.",
    "context": "<p>Arbetsmarknaden i länet har brist på yrkesutbildade inom vård, industri och bygg, samtidigt "
    "som många vuxna saknar gymnasieexamen. Konjunkturen påverkar hur många som får arbete, oavsett "
    "utbildningarna.</p>",
    "evidence_basis": "<p>Antagandena bygger på uppföljningar av regional yrkesutbildning för vuxna och på "
    "forskning om arbetsgivares medverkan i yrkesutbildning (exempel).</p>",
    "tags": ["effektkedjor", "kompetensförsörjning", "utbildning"],
    "elements": [
        ("G1", L.RESURSER, "Statsbidrag och regionala medel för yrkesutbildning", "Medel för regionalt yrkesvux."),
        ("F1", L.AKTIVITETER, "Kommunerna samverkar om yrkesutbildningen", "Gemensam planering och antagning."),
        ("F2", L.AKTIVITETER, "Branschråd med arbetsgivare", "Arbetsgivarna är med och utformar utbildningarna."),
        ("E1", L.PRESTATIONER, "Utbildningsplatser i bristyrken", "Antal platser i yrken där det är brist."),
        ("D1", L.UTFALL, "Deltagare med yrkesexamen", "Deltagarna har fått en yrkesexamen."),
        ("C1", L.KORTSIKTIGA_EFFEKTER, "Fler i arbete i bristyrken", "De utbildade får arbete i yrket."),
        (
            "B1",
            L.LANGSIKTIGA_EFFEKTER,
            "Tryggad kompetensförsörjning i länet",
            "Arbetsgivarna hittar den kompetens de behöver.",
        ),
    ],
    "links": [
        ("G1", "F1", "Medlen gör det möjligt att planera utbildningar tillsammans.", "Överenskommelse (exempel)."),
        ("G1", "F2", "Medlen finansierar branschrådens arbete.", ""),
        ("F1", "E1", "Samverkan ger fler och bredare utbildningsplatser.", "Statistik över utbildningsplatser."),
        ("F2", "E1", "Arbetsgivarna pekar ut vilka yrken som behöver platser.", ""),
        ("E1", "D1", "Platserna fylls och deltagarna tar examen.", "Examensstatistik (exempel)."),
        ("D1", "C1", "En yrkesexamen i ett bristyrke leder till arbete.", "Uppföljning ett år efter examen."),
        ("C1", "B1", "Fler i arbete i bristyrken tryggar kompetensförsörjningen.", ""),
    ],
}

DIGITAL_CHAIN = {
    "slug": "exempel-digital-infrastruktur-i-hela-lanet",
    "title": "Exempel: Digital infrastruktur i hela länet",
    "priorities": ["Tillgänglighet och infrastruktur"],
    "intro": "En exempelkedja: hur stöd till bredbandsutbyggnad och digitala servicepunkter förväntas ge fler "
    "tillgång till snabbt bredband, mer användning av digitala tjänster och livskraftiga företag i hela länet.",
    "purpose": "Visa hur insatserna för digital infrastruktur hänger ihop med strategins mål. Kedjan är ett "
    "exempel som visar arbetssättet.",
    "context": "<p>Långa avstånd och gles bebyggelse gör utbyggnaden dyr utanför tätorterna. Nationella "
    "bredbandsstöd och marknadens investeringar avgör mycket av takten.</p>",
    "evidence_basis": "<p>Antagandena bygger på uppföljningar av bredbandsstöd och studier av hur tillgång "
    "till bredband påverkar företag på landsbygden (exempel).</p>",
    "tags": ["effektkedjor", "infrastruktur", "digitalisering"],
    "elements": [
        ("G1", L.RESURSER, "Bredbandsstöd och medfinansiering", "Regionala och nationella medel."),
        ("F1", L.AKTIVITETER, "Utbyggnad av fiber på landsbygden", "Stöd till byanät och utbyggnad."),
        ("F2", L.AKTIVITETER, "Digitala servicepunkter", "Hjälp med digitala tjänster på servicepunkter."),
        ("E1", L.PRESTATIONER, "Hushåll och företag med snabbt bredband", "Antal nya anslutningar."),
        ("D1", L.UTFALL, "Fler använder digitala tjänster", "Invånare och företag använder e-tjänster."),
        ("C1", L.KORTSIKTIGA_EFFEKTER, "Företag utvecklar sin verksamhet digitalt", "Nya digitala arbetssätt."),
        ("B1", L.LANGSIKTIGA_EFFEKTER, "Attraktiva livsmiljöer i hela länet", "Det går att bo och verka i hela länet."),
    ],
    "links": [
        ("G1", "F1", "Stödet gör utbyggnaden lönsam där marknaden inte bygger.", "Bredbandsstrategin (exempel)."),
        ("G1", "F2", "Medlen finansierar servicepunkterna.", ""),
        ("F1", "E1", "Utbyggnaden ger nya anslutningar.", "Bredbandskartläggningen."),
        ("F2", "D1", "Hjälp på plats gör att fler börjar använda digitala tjänster.", ""),
        ("E1", "D1", "Med snabbt bredband kan fler använda digitala tjänster.", ""),
        ("D1", "C1", "Företag som använder digitala tjänster utvecklar sin verksamhet.", ""),
        ("C1", "B1", "Livskraftiga företag gör orterna attraktiva att bo i.", ""),
    ],
}

CHAINS = [CHAIN, SKILLS_CHAIN, DIGITAL_CHAIN]

# Questions for the two extra chains: (text, kind, level, explanation, chain slug).
CHAIN_QUESTIONS = [
    (
        "Är arbetsgivarna delaktiga i att utforma yrkesutbildningarna?",
        QuestionKind.PROCESS,
        L.AKTIVITETER,
        "Gäller om branschråden fungerar och om arbetsgivarnas behov styr utbudet.",
        SKILLS_CHAIN["slug"],
    ),
    (
        "Får deltagarna i yrkesutbildningen en examen i ett bristyrke?",
        QuestionKind.SUMMATIVE,
        L.UTFALL,
        "Summerande fråga om utfall: hur många som tar examen, och i vilka yrken.",
        SKILLS_CHAIN["slug"],
    ),
    (
        "Kommer fler i arbete i bristyrkena?",
        QuestionKind.SUMMATIVE,
        L.KORTSIKTIGA_EFFEKTER,
        "Summerande fråga om kortsiktiga effekter: arbete inom ett år efter examen.",
        SKILLS_CHAIN["slug"],
    ),
    (
        "Når utbyggnaden de hushåll och företag som saknar snabbt bredband?",
        QuestionKind.SUMMATIVE,
        L.PRESTATIONER,
        "Summerande fråga om prestationer: nya anslutningar där de saknades.",
        DIGITAL_CHAIN["slug"],
    ),
    (
        "Använder fler invånare och företag digitala tjänster?",
        QuestionKind.SUMMATIVE,
        L.UTFALL,
        "Summerande fråga om utfall: användningen av e-tjänster.",
        DIGITAL_CHAIN["slug"],
    ),
    (
        "Utvecklar företagen på landsbygden sin verksamhet digitalt?",
        QuestionKind.SUMMATIVE,
        L.KORTSIKTIGA_EFFEKTER,
        "Summerande fråga om kortsiktiga effekter hos företagen.",
        DIGITAL_CHAIN["slug"],
    ),
]

INDICATORS += [
    IndicatorSpec(
        "Andel deltagare i yrkesutbildning som tar examen",
        "Andel av dem som började en yrkesutbildning för vuxna som tagit examen inom två år. Exempelindikator.",
        "procent",
        EXAMPLE_SOURCE,
        L.UTFALL,
        [(2021, _d(61), _d(65)), (2022, _d(64), _d(67)), (2023, _d(66), _d(70)), (2024, _d(69), _d(72))],
        ["Får deltagarna i yrkesutbildningen en examen i ett bristyrke?"],
    ),
    IndicatorSpec(
        "Andel i arbete ett år efter yrkesexamen",
        "Andel av dem som tog en yrkesexamen som har arbete ett år senare. Exempelindikator.",
        "procent",
        EXAMPLE_SOURCE,
        L.KORTSIKTIGA_EFFEKTER,
        [(2021, _d(72), _d(75)), (2022, _d(74), _d(77)), (2023, _d(78), _d(78)), (2024, None, _d(80))],
        ["Kommer fler i arbete i bristyrkena?"],
    ),
    IndicatorSpec(
        "Andel hushåll med tillgång till snabbt bredband",
        "Andel hushåll med tillgång till minst 1 Gbit/s. Exempelindikator.",
        "procent",
        EXAMPLE_SOURCE,
        L.PRESTATIONER,
        [(2020, _d(71), _d(75)), (2021, _d(76), _d(80)), (2022, _d(82), _d(85)), (2023, _d(87), _d(90))],
        ["Når utbyggnaden de hushåll och företag som saknar snabbt bredband?"],
    ),
    IndicatorSpec(
        "Andel invånare som använder e-tjänster",
        "Andel av de svarande i invånarundersökningen som använt en offentlig e-tjänst det senaste året. "
        "Exempelindikator.",
        "procent",
        EXAMPLE_SOURCE,
        L.UTFALL,
        [(2021, _d(74), _d(80)), (2023, _d(81), _d(85)), (2024, _d(83), _d(86))],
        ["Använder fler invånare och företag digitala tjänster?"],
    ),
]


# --- Example results (fictitious) --------------------------------------------------------------


def results() -> list[dict]:
    """The fictitious example results, published 2020–2025 in all three regions; questions and
    indicators are named by text and name, chains by slug, links by their codes (`evidence`).

    Each result is a plain dict, so that more can be added to it (recommendations, decisions)."""
    return [
        {
            "slug": "fiktivt-exempel-klusterinitiativ-2021-2023",
            "title": "Fiktivt exempel: Utvärdering av klusterinitiativen 2021–2023",
            "intro": "Ett påhittat exempel på hur en utvärdering av innovationsfrämjande insatser redovisas, med "
            "svar på utvärderingsfrågor, rekommendationer och lärdomar.",
            "evaluated": "Regionens stöd till fem klusterinitiativ och programmet för innovationscheckar under "
            "2021–2023, utifrån effektkedjan Exempel: Innovationsfrämjande insatser.",
            "period_start": datetime.date(2021, 1, 1),
            "period_end": datetime.date(2023, 12, 31),
            "published_on": datetime.date(2024, 4, 15),
            "regions": ["Region Västerbotten", "Region Jämtland Härjedalen"],
            "priorities": ["Innovation och näringslivsutveckling"],
            "chains": [CHAIN["slug"]],
            "evaluator": "Exempelutvärderarna AB (fiktiv utvärderare)",
            "key_findings": "Klustren är aktiva och deltagarna har fått nya kontakter, men få samarbeten har ännu "
            "lett till nya produkter. Innovationscheckarna når främst företag som redan samarbetar med "
            "lärosäten.",
            "findings": "<p>Under perioden ökade antalet aktiva klusterinitiativ från fyra till sju. I "
            "deltagarenkäten uppger en majoritet att de fått nya kontakter (utfall), och hälften av "
            "företagen har inlett minst ett nytt samarbete.</p>"
            "<ul><li>Aktiviteten är högst i de kluster som har en processledare på heltid.</li>"
            "<li>Innovationscheckarna söks främst av företag som redan har kontakter med lärosäten.</li>"
            "<li>Andelen företag som infört innovationer ökade något men nådde inte målvärdet.</li></ul>",
            "conclusions": "<p>Kedjan håller från resurser till utfall: medlen leder till aktiva kluster och "
            "nya kontakter. Länken från utfall till kortsiktiga effekter är svagare än antaget, och det är "
            "för tidigt att bedöma de långsiktiga effekterna.</p>",
            "tags": ["innovation", "kluster", "utvärdering"],
            "answers": [
                (
                    "Hur aktiva är klustren i länet?",
                    "Sju av åtta initiativ hade minst fyra gemensamma aktiviteter 2023, jämfört med fyra 2021.",
                    "answered",
                ),
                (
                    "Innebär nätverken som drivs regionalt till att deltagarna får ökad kunskap att genomföra sina "
                    "uppdrag?",
                    "72 procent av de svarande uppger ökad kunskap, men svarsfrekvensen var låg (41 procent).",
                    "partly",
                ),
                (
                    "Leder innovationsfrämjande insatser till nya innovationer?",
                    "Andelen företag som infört "
                    "innovationer ökade från 21 till 27,5 procent, men det går ännu inte att skilja insatsernas "
                    "bidrag från konjunkturens.",
                    "partly",
                ),
                (
                    "Hur ser ansökningstrycket på 1.1-medel ut?",
                    "Ansökningarna översteg tillgängliga medel med ungefär 40 procent varje år.",
                    "answered",
                ),
            ],
            "recommendations": [
                (
                    "Ge varje klusterinitiativ en processledare med tid avsatt för uppdraget.",
                    "Regionen inför krav på avsatt tid för processledning i nya beslut från 2025.",
                    "in_progress",
                ),
                (
                    "Marknadsför innovationscheckarna till företag utan tidigare kontakter med lärosäten.",
                    "Görs tillsammans med kommunernas näringslivsutvecklare i nätverket.",
                    "planned",
                ),
                (
                    "Mät kortsiktiga effekter två år efter stödet, inte vid projektets slut.",
                    "Uppföljningsplanen är ändrad.",
                    "done",
                ),
            ],
            "lessons": [
                ("Aktiva kluster kräver en processledare med avsatt tid.", L.AKTIVITETER, ["kluster"]),
                (
                    "Nya kontakter blir inte nya produkter av sig själva – länken från utfall till effekt behöver "
                    "eget stöd.",
                    L.UTFALL,
                    ["innovation", "effektkedjor"],
                ),
                (
                    "Mät kortsiktiga effekter när de hinner uppstå, inom två år efter insatsen.",
                    L.KORTSIKTIGA_EFFEKTER,
                    ["uppföljning"],
                ),
            ],
            # (chain slug, from, to, verdict, the answer or finding that tests the link)
            "evidence": [
                (CHAIN["slug"], "F1", "E1", "supports", "Antalet aktiva klusterinitiativ ökade från fyra till sju."),
                (CHAIN["slug"], "E1", "D2", "supports", "En majoritet av deltagarna uppger nya kontakter."),
                (
                    CHAIN["slug"],
                    "D2",
                    "C1",
                    "contradicts",
                    "Få av de nya samarbetena har ännu lett till nya produkter; andelen företag med innovationer "
                    "nådde inte målvärdet.",
                ),
                (
                    CHAIN["slug"],
                    "E3",
                    "D1",
                    "inconclusive",
                    "72 procent uppger ökad kunskap, men svarsfrekvensen var låg.",
                ),
            ],
            "indicator_values": [
                ("Antal aktiva klusterinitiativ", 2023, _d(7), _d(7)),
                ("Andel företag som infört innovationer", 2023, _d(27.5), _d(30)),
                ("Andel nätverksdeltagare som uppger ökad kunskap", 2023, _d(72), _d(75)),
            ],
        },
        {
            "slug": "fiktivt-exempel-jamstalldhet-och-nyforetagande-2022-2024",
            "title": "Fiktivt exempel: Jämställdhet och nyföretagande i regionala insatser 2022–2024",
            "intro": "Ett påhittat exempel på en uppföljning av hur jämställdhet beaktas i de regionala "
            "insatserna och vad de betyder för nyföretagandet.",
            "evaluated": "Jämställdhetsintegreringen i regionens beslut om tillväxtmedel och stöd till "
            "nyföretagande under 2022–2024.",
            "period_start": datetime.date(2022, 1, 1),
            "period_end": datetime.date(2024, 12, 31),
            "published_on": datetime.date(2025, 2, 20),
            "regions": ["Region Västernorrland"],
            "priorities": ["Kompetensförsörjning och inkludering", "Innovation och näringslivsutveckling"],
            "chains": [CHAIN["slug"]],
            "evaluator": "Regionens analysenhet (fiktivt exempel)",
            "key_findings": "Jämställdhet finns med i alla beslut, men analysen stannar ofta vid att räkna "
            "deltagare. Kvinnor startar en allt större andel av de nya företagen, men det går ännu inte att "
            "säga om insatserna bidragit.",
            "findings": "<p>Alla granskade beslut innehöll en jämställdhetsanalys, men i två av tre bestod den "
            "av könsuppdelad statistik över deltagare utan bedömning av hur insatsen påverkar kvinnor och män "
            "olika.</p><p>Andelen nya företag som startas av kvinnor ökade under perioden.</p>",
            "conclusions": "<p>Jämställdhetsintegreringen är formellt genomförd men behöver fördjupas. "
            "Frågan om nyföretagandet kan besvaras först när registerdata för 2024 finns.</p>",
            "tags": ["jämställdhet", "nyföretagande", "uppföljning"],
            "answers": [
                (
                    "Är regionala insatser jämställdhetsintegrerade?",
                    "Ja, formellt: alla beslut har en jämställdhetsanalys. Analysernas kvalitet varierar.",
                    "answered",
                ),
                (
                    "Är rätt personer/aktörer involverade?",
                    "Företagsfrämjande organisationer deltar, men "
                    "organisationer med många kvinnliga företagare saknas i flera projekt.",
                    "partly",
                ),
                (
                    "Ökar nyföretagandet i länet?",
                    "Kan inte besvaras än: registerdata för hela perioden saknas.",
                    "not_answered",
                ),
            ],
            "recommendations": [
                (
                    "Ta fram en mall för jämställdhetsanalys som går längre än könsuppdelad statistik.",
                    "Mallen tas fram tillsammans med länsstyrelsen.",
                    "in_progress",
                ),
                (
                    "Bjud in organisationer som når kvinnliga företagare till projektens styrgrupper.",
                    "Regionen anser att urvalet av partner är projektägarnas ansvar och avstår.",
                    "rejected",
                ),
            ],
            "lessons": [
                ("Könsuppdelad statistik är en början, inte en jämställdhetsanalys.", L.AKTIVITETER, ["jämställdhet"]),
                (
                    "Bestäm i förväg när en effektfråga kan besvaras och med vilka data.",
                    L.KORTSIKTIGA_EFFEKTER,
                    ["uppföljning", "nyföretagande"],
                ),
            ],
            "evidence": [
                (
                    CHAIN["slug"],
                    "D2",
                    "C2",
                    "inconclusive",
                    "Nyföretagandet kan inte bedömas förrän registerdata för hela perioden finns.",
                ),
            ],
            "indicator_values": [
                ("Nystartade företag per 1 000 invånare", 2023, _d(8.4), _d(9)),
                ("Nystartade företag per 1 000 invånare", 2024, _d(8.9), _d(9.2)),
            ],
        },
        {
            "slug": "fiktivt-exempel-forstudie-innovationscheckar-2020",
            "title": "Fiktivt exempel: Förstudie om innovationscheckar 2019–2020",
            "intro": "Ett påhittat exempel på en förstudie inför regionens program för innovationscheckar.",
            "evaluated": "Efterfrågan på och de första erfarenheterna av innovationscheckar under ett pilotår.",
            "period_start": datetime.date(2019, 9, 1),
            "period_end": datetime.date(2020, 8, 31),
            "published_on": datetime.date(2020, 11, 10),
            "regions": ["Region Jämtland Härjedalen"],
            "priorities": ["Innovation och näringslivsutveckling"],
            "chains": [CHAIN["slug"]],
            "evaluator": "Regionens analysenhet (fiktivt exempel)",
            "key_findings": "Efterfrågan på checkarna är stor och medlen räcker inte till alla. Det är för tidigt "
            "att säga om de prövade idéerna blir produkter.",
            "findings": "<p>Under pilotåret söktes dubbelt så många checkar som det fanns medel till. Företagen "
            "uppskattar det snabba beslutet.</p>",
            "conclusions": "<p>Programmet bör bli permanent, med en uppföljning av vad idéerna leder till.</p>",
            "tags": ["innovation", "uppföljning"],
            "answers": [
                ("Hur ser ansökningstrycket på 1.1-medel ut?", "Dubbelt så många ansökningar som medel.", "answered"),
                (
                    "Är mängden resurser rimliga i förhållande till resultatet? Finns de nödvändiga resurserna?",
                    "Medlen räcker till hälften av de sökande; handläggningen fungerar.",
                    "partly",
                ),
                (
                    "Leder innovationsfrämjande insatser till nya innovationer?",
                    "För tidigt att säga efter ett pilotår.",
                    "not_answered",
                ),
            ],
            "recommendations": [
                ("Gör programmet för innovationscheckar permanent.", "Beslutat i budgeten för 2021.", "done"),
                ("Följ upp företagen två år efter checken.", "Ingår i uppföljningsplanen.", "planned"),
            ],
            "lessons": [
                ("Ett snabbt beslut är det företagen värdesätter mest.", L.AKTIVITETER, ["innovation"]),
                ("Bestäm redan från början hur effekterna ska följas upp.", L.KORTSIKTIGA_EFFEKTER, ["uppföljning"]),
            ],
            "evidence": [
                (CHAIN["slug"], "G1", "F2", "supports", "Medlen finansierade 40 checkar under pilotåret."),
                (CHAIN["slug"], "F2", "E2", "supports", "Stödet nådde de företag som sökte det."),
                (CHAIN["slug"], "E2", "D3", "inconclusive", "Företagen har prövat idéer, men utfallet är inte mätt."),
            ],
            "indicator_values": [("Andel företag som infört innovationer", 2021, _d(21), _d(25))],
        },
        {
            "slug": "fiktivt-exempel-bredband-pa-landsbygden-2019-2021",
            "title": "Fiktivt exempel: Bredbandsutbyggnaden på landsbygden 2019–2021",
            "intro": "Ett påhittat exempel på en utvärdering av stödet till bredbandsutbyggnad.",
            "evaluated": "Stödet till fiberutbyggnad i byanät under 2019–2021.",
            "period_start": datetime.date(2019, 1, 1),
            "period_end": datetime.date(2021, 3, 31),
            "published_on": datetime.date(2021, 6, 15),
            "regions": ["Region Västerbotten"],
            "priorities": ["Tillgänglighet och infrastruktur"],
            "chains": [DIGITAL_CHAIN["slug"]],
            "evaluator": "Exempelutvärderarna AB (fiktiv utvärderare)",
            "key_findings": "Stödet har gett tusentals nya anslutningar där marknaden inte byggde. Om fler "
            "använder digitala tjänster går ännu inte att säga.",
            "findings": "<p>Andelen hushåll med snabbt bredband ökade från 71 till 76 procent. Byanäten har "
            "haft svårt att hitta ideella krafter.</p>",
            "conclusions": "<p>Kedjan håller från resurser till prestationer; användningen behöver mätas.</p>",
            "tags": ["infrastruktur", "digitalisering"],
            "answers": [
                (
                    "Når utbyggnaden de hushåll och företag som saknar snabbt bredband?",
                    "Ja: andelen med snabbt bredband ökade från 71 till 76 procent.",
                    "answered",
                ),
                (
                    "Använder fler invånare och företag digitala tjänster?",
                    "Kan inte besvaras: användningen mättes inte före utbyggnaden.",
                    "not_answered",
                ),
                ("Är rätt personer/aktörer involverade?", "Byanäten saknar ofta ideella krafter.", "partly"),
            ],
            "recommendations": [
                ("Mät användningen av digitala tjänster före och efter utbyggnaden.", "Görs från 2022.", "in_progress"),
                ("Ge byanäten stöd med projektledning.", "Regionen ser inte att det ryms i budgeten.", "rejected"),
            ],
            "lessons": [
                ("Mät utgångsläget innan insatsen börjar.", L.UTFALL, ["uppföljning"]),
                ("Ideella byanät behöver stöd för att orka bygga.", L.AKTIVITETER, ["infrastruktur"]),
            ],
            "evidence": [
                (DIGITAL_CHAIN["slug"], "G1", "F1", "supports", "Stödet gjorde utbyggnaden möjlig i 40 byanät."),
                (DIGITAL_CHAIN["slug"], "F1", "E1", "supports", "Andelen med snabbt bredband ökade till 76 procent."),
                (DIGITAL_CHAIN["slug"], "E1", "D1", "inconclusive", "Användningen mättes inte före utbyggnaden."),
            ],
            "indicator_values": [("Andel hushåll med tillgång till snabbt bredband", 2021, _d(76), _d(80))],
        },
        {
            "slug": "fiktivt-exempel-yrkesutbildning-i-samverkan-2020-2022",
            "title": "Fiktivt exempel: Yrkesutbildning i samverkan 2020–2022",
            "intro": "Ett påhittat exempel på en utvärdering av kommunernas samarbete om yrkesutbildning för vuxna.",
            "evaluated": "Det regionala samarbetet om yrkesutbildning för vuxna under 2020–2022.",
            "period_start": datetime.date(2020, 1, 1),
            "period_end": datetime.date(2022, 12, 31),
            "published_on": datetime.date(2022, 9, 30),
            "regions": ["Region Västernorrland", "Region Västerbotten"],
            "priorities": ["Kompetensförsörjning och inkludering"],
            "chains": [SKILLS_CHAIN["slug"]],
            "evaluator": "Exempelutvärderarna AB (fiktiv utvärderare)",
            "key_findings": "Samarbetet har gett fler utbildningsplatser i bristyrken och fler tar examen. De "
            "flesta som tar examen får arbete inom ett år.",
            "findings": "<p>Antalet platser i bristyrken ökade med en tredjedel. Andelen som tar examen steg "
            "från 61 till 64 procent, och 74 procent hade arbete ett år senare.</p>",
            "conclusions": "<p>Kedjan håller från samverkan till arbete. Branschråden är viktiga men ojämnt "
            "aktiva.</p>",
            "tags": ["kompetensförsörjning", "utbildning"],
            "answers": [
                (
                    "Är arbetsgivarna delaktiga i att utforma yrkesutbildningarna?",
                    "Delvis: två av fem branschråd träffas regelbundet.",
                    "partly",
                ),
                (
                    "Får deltagarna i yrkesutbildningen en examen i ett bristyrke?",
                    "Ja, allt fler: 64 procent tog examen 2022.",
                    "answered",
                ),
                ("Kommer fler i arbete i bristyrkena?", "74 procent hade arbete ett år efter examen.", "answered"),
            ],
            "recommendations": [
                ("Ge varje branschråd en sammankallande från regionen.", "Infört 2023.", "done"),
                ("Följ upp deltagarna två år efter examen.", "Planeras till nästa utvärdering.", "planned"),
            ],
            "lessons": [
                (
                    "Arbetsgivarnas medverkan avgör om utbildningen leder till jobb.",
                    L.AKTIVITETER,
                    ["kompetensförsörjning"],
                ),
                (
                    "Examen är ett utfall; arbete i yrket är effekten som räknas.",
                    L.KORTSIKTIGA_EFFEKTER,
                    ["utbildning"],
                ),
            ],
            "evidence": [
                (SKILLS_CHAIN["slug"], "F1", "E1", "supports", "Platserna i bristyrken ökade med en tredjedel."),
                (SKILLS_CHAIN["slug"], "E1", "D1", "supports", "Andelen som tar examen steg från 61 till 64 procent."),
                (SKILLS_CHAIN["slug"], "D1", "C1", "supports", "74 procent hade arbete ett år efter examen."),
                (SKILLS_CHAIN["slug"], "F2", "E1", "inconclusive", "Bara två av fem branschråd träffas regelbundet."),
            ],
            "indicator_values": [
                ("Andel deltagare i yrkesutbildning som tar examen", 2022, _d(64), _d(67)),
                ("Andel i arbete ett år efter yrkesexamen", 2022, _d(74), _d(77)),
            ],
        },
        {
            "slug": "fiktivt-exempel-digitala-servicepunkter-2021-2023",
            "title": "Fiktivt exempel: Digitala servicepunkter 2021–2023",
            "intro": "Ett påhittat exempel på en utvärdering av digitala servicepunkter i glesbygden.",
            "evaluated": "Sju digitala servicepunkter i kommunernas servicekontor 2021–2023.",
            "period_start": datetime.date(2021, 1, 1),
            "period_end": datetime.date(2023, 6, 30),
            "published_on": datetime.date(2023, 10, 5),
            "regions": ["Region Jämtland Härjedalen"],
            "priorities": ["Tillgänglighet och infrastruktur", "Attraktiva och hållbara livsmiljöer"],
            "chains": [DIGITAL_CHAIN["slug"]],
            "evaluator": "Regionens analysenhet (fiktivt exempel)",
            "key_findings": "Servicepunkterna används mest av dem som redan använder digitala tjänster. De som "
            "saknar vana hittar sällan dit.",
            "findings": "<p>Besökarna är i huvudsak vana användare som behöver hjälp med en enskild tjänst. "
            "Andelen invånare som använder e-tjänster ökade, men inte mer i kommunerna med servicepunkter.</p>",
            "conclusions": "<p>Länken från servicepunkter till ökad användning håller inte som den är tänkt.</p>",
            "tags": ["digitalisering", "livsmiljö"],
            "answers": [
                (
                    "Använder fler invånare och företag digitala tjänster?",
                    "Ja, men inte mer där det finns servicepunkter.",
                    "answered",
                ),
                (
                    "Vad kan förbättras i planering och genomförande av insatser?",
                    "Uppsökande verksamhet behövs för att nå ovana användare.",
                    "answered",
                ),
                (
                    "Utvecklar företagen på landsbygden sin verksamhet digitalt?",
                    "Inte undersökt i den här utvärderingen.",
                    "not_answered",
                ),
            ],
            "recommendations": [
                (
                    "Komplettera servicepunkterna med uppsökande verksamhet.",
                    "Prövas i två kommuner 2024.",
                    "in_progress",
                ),
                ("Samla in hur besökarna hittade till servicepunkten.", "Enkäten är ändrad.", "done"),
            ],
            "lessons": [
                ("En lokal finns inte för dem som inte vet att den finns.", L.AKTIVITETER, ["digitalisering"]),
                ("Jämför med kommuner utan insatsen innan effekten tillskrivs insatsen.", L.UTFALL, ["uppföljning"]),
            ],
            "evidence": [
                (
                    DIGITAL_CHAIN["slug"],
                    "F2",
                    "D1",
                    "contradicts",
                    "Användningen ökade inte mer i kommunerna med servicepunkter än i övriga.",
                ),
                (DIGITAL_CHAIN["slug"], "E1", "D1", "supports", "Användningen ökade där bredbandet byggts ut."),
            ],
            "indicator_values": [("Andel invånare som använder e-tjänster", 2023, _d(81), _d(85))],
        },
        {
            "slug": "fiktivt-exempel-uppfoljning-av-yrkesutbildningen-2023-2024",
            "title": "Fiktivt exempel: Uppföljning av yrkesutbildningen 2023–2024",
            "intro": "Ett påhittat exempel på en uppföljning av vad yrkesutbildningen ledde till två år senare.",
            "evaluated": "Deltagarna som tog yrkesexamen 2022, följda till och med 2024.",
            "period_start": datetime.date(2023, 1, 1),
            "period_end": datetime.date(2024, 12, 31),
            "published_on": datetime.date(2025, 5, 20),
            "regions": ["Region Jämtland Härjedalen"],
            "priorities": ["Kompetensförsörjning och inkludering"],
            "chains": [SKILLS_CHAIN["slug"]],
            "evaluator": "Exempelutvärderarna AB (fiktiv utvärderare)",
            "key_findings": "Två år efter examen arbetar färre i yrket än ett år efter. Konjunkturen förklarar en "
            "del, men många lämnar yrket.",
            "findings": "<p>Andelen i arbete i yrket sjönk från 74 till 63 procent mellan det första och andra "
            "året efter examen.</p>",
            "conclusions": "<p>Länken från examen till arbete i bristyrket är svagare på två års sikt än på ett.</p>",
            "tags": ["kompetensförsörjning", "uppföljning"],
            "answers": [
                ("Kommer fler i arbete i bristyrkena?", "Färre arbetar i yrket två år efter examen.", "answered"),
                (
                    "Får deltagarna i yrkesutbildningen en examen i ett bristyrke?",
                    "69 procent tog examen 2024.",
                    "answered",
                ),
                (
                    "Leder insatserna till hållbar regional tillväxt?",
                    "För tidigt att bedöma efter två år.",
                    "not_answered",
                ),
            ],
            "recommendations": [
                ("Undersök varför de utbildade lämnar yrket.", "Uppdrag till analysenheten 2025.", "planned"),
                ("Ta med arbetsmiljö i branschrådens arbete.", "Arbetsgivarna har tackat ja.", "in_progress"),
            ],
            "lessons": [
                ("En effekt som syns efter ett år kan vara borta efter två.", L.KORTSIKTIGA_EFFEKTER, ["uppföljning"]),
                (
                    "Utbildning räcker inte om arbetsvillkoren får folk att lämna yrket.",
                    L.LANGSIKTIGA_EFFEKTER,
                    ["kompetensförsörjning"],
                ),
            ],
            "evidence": [
                (
                    SKILLS_CHAIN["slug"],
                    "D1",
                    "C1",
                    "contradicts",
                    "Andelen i arbete i yrket sjönk till 63 procent två år efter examen.",
                ),
                (SKILLS_CHAIN["slug"], "C1", "B1", "inconclusive", "För tidigt att bedöma den långsiktiga effekten."),
            ],
            "indicator_values": [("Andel i arbete ett år efter yrkesexamen", 2023, _d(78), _d(78))],
        },
    ]


# --- Recommendation tracker, follow-up and questions decided together (issue 16, parts 3–5) ----------
# Kept apart from the results above so that more results can be added without touching these.

# Beside the results' sections: the tracker and the follow-up, in the order the menu shows them.
TRACKER_SECTIONS = [
    (
        "RecommendationIndexPage",
        "rekommendationer",
        "Rekommendationer",
        "Vad regionerna gjort med rekommendationerna från utvärderingarna: ägarens svar och status – planerad, "
        "pågår, genomförd eller avvisad – för varje rekommendation. Filtrera på region, år, status, "
        "RUS-prioritering och nivå i effektkedjan.",
    ),
    (
        "FollowUpIndexPage",
        "uppfoljning",
        "Uppföljning",
        "Uppföljning per prioritering i den regionala utvecklingsstrategin: effektkedjor, indikatorer mot mål, "
        "luckor i uppföljningen, de senaste resultaten och lärdomarna och öppna rekommendationer.",
    ),
]


def recommendation_details() -> dict[tuple[str, str], dict]:
    """Per (result slug, recommendation text): its chain level, the day its current status began and
    its earlier statuses [(date, status)], oldest first. Together the demo shows every status, and
    recommendations that moved from planerad to pågår to genomförd."""
    cluster = "fiktivt-exempel-klusterinitiativ-2021-2023"
    equality = "fiktivt-exempel-jamstalldhet-och-nyforetagande-2022-2024"
    return {
        (cluster, "Ge varje klusterinitiativ en processledare med tid avsatt för uppdraget."): {
            "chain_level": L.AKTIVITETER,
            "status_date": datetime.date(2024, 11, 4),
            "history": [(datetime.date(2024, 4, 15), "planned")],
        },
        (cluster, "Marknadsför innovationscheckarna till företag utan tidigare kontakter med lärosäten."): {
            "chain_level": L.PRESTATIONER,
            "status_date": datetime.date(2024, 4, 15),
            "history": [],
        },
        (cluster, "Mät kortsiktiga effekter två år efter stödet, inte vid projektets slut."): {
            "chain_level": L.KORTSIKTIGA_EFFEKTER,
            "status_date": datetime.date(2025, 3, 10),
            "history": [(datetime.date(2024, 4, 15), "planned"), (datetime.date(2024, 9, 2), "in_progress")],
        },
        (equality, "Ta fram en mall för jämställdhetsanalys som går längre än könsuppdelad statistik."): {
            "chain_level": L.AKTIVITETER,
            "status_date": datetime.date(2025, 6, 16),
            "history": [(datetime.date(2025, 2, 20), "planned")],
        },
        (equality, "Bjud in organisationer som når kvinnliga företagare till projektens styrgrupper."): {
            "chain_level": L.UTFALL,
            "status_date": datetime.date(2025, 4, 1),
            "history": [(datetime.date(2025, 2, 20), "planned")],
        },
        ("fiktivt-exempel-forstudie-innovationscheckar-2020", "Gör programmet för innovationscheckar permanent."): {
            "chain_level": L.RESURSER,
            "status_date": datetime.date(2021, 1, 15),
            "history": [],
        },
        ("fiktivt-exempel-forstudie-innovationscheckar-2020", "Följ upp företagen två år efter checken."): {
            "chain_level": L.KORTSIKTIGA_EFFEKTER,
            "status_date": datetime.date(2020, 11, 2),
            "history": [],
        },
        (
            "fiktivt-exempel-bredband-pa-landsbygden-2019-2021",
            "Mät användningen av digitala tjänster före och efter utbyggnaden.",
        ): {
            "chain_level": L.UTFALL,
            "status_date": datetime.date(2022, 3, 1),
            "history": [],
        },
        ("fiktivt-exempel-bredband-pa-landsbygden-2019-2021", "Ge byanäten stöd med projektledning."): {
            "chain_level": L.AKTIVITETER,
            "status_date": datetime.date(2021, 12, 6),
            "history": [],
        },
        (
            "fiktivt-exempel-yrkesutbildning-i-samverkan-2020-2022",
            "Ge varje branschråd en sammankallande från regionen.",
        ): {
            "chain_level": L.AKTIVITETER,
            "status_date": datetime.date(2023, 2, 1),
            "history": [],
        },
        ("fiktivt-exempel-yrkesutbildning-i-samverkan-2020-2022", "Följ upp deltagarna två år efter examen."): {
            "chain_level": L.KORTSIKTIGA_EFFEKTER,
            "status_date": datetime.date(2022, 12, 12),
            "history": [],
        },
        (
            "fiktivt-exempel-digitala-servicepunkter-2021-2023",
            "Komplettera servicepunkterna med uppsökande verksamhet.",
        ): {
            "chain_level": L.AKTIVITETER,
            "status_date": datetime.date(2024, 1, 22),
            "history": [],
        },
        ("fiktivt-exempel-digitala-servicepunkter-2021-2023", "Samla in hur besökarna hittade till servicepunkten."): {
            "chain_level": L.UTFALL,
            "status_date": datetime.date(2024, 3, 4),
            "history": [],
        },
        ("fiktivt-exempel-uppfoljning-av-yrkesutbildningen-2023-2024", "Undersök varför de utbildade lämnar yrket."): {
            "chain_level": L.LANGSIKTIGA_EFFEKTER,
            "status_date": datetime.date(2025, 1, 13),
            "history": [],
        },
        ("fiktivt-exempel-uppfoljning-av-yrkesutbildningen-2023-2024", "Ta med arbetsmiljö i branschrådens arbete."): {
            "chain_level": L.PRESTATIONER,
            "status_date": datetime.date(2025, 2, 3),
            "history": [],
        },
    }


def question_decisions() -> list[dict]:
    """Fictitious decisions on some of the example questions: decided together, when, by which
    regions and in which forum, and why."""
    all_regions = list(REGIONS)
    return [
        {
            "text": "Leder innovationsfrämjande insatser till nya innovationer?",
            "decided_on": datetime.date(2023, 10, 12),
            "regions": all_regions,
            "forums": "Gemensamt RUS-forum för de tre regionerna (fiktivt exempel)",
            "rationale": "Frågan prövar länken från utfall till kortsiktiga effekter i innovationskedjan, den "
            "länk som de regionala satsningarna vilar mest på och som har prövats minst.",
        },
        {
            "text": "Hur aktiva är klustren i länet?",
            "decided_on": datetime.date(2023, 10, 12),
            "regions": ["Region Västerbotten", "Region Jämtland Härjedalen"],
            "forums": "Gemensamt RUS-forum för de tre regionerna (fiktivt exempel)",
            "rationale": "En processfråga som kan besvaras varje år och som visar tidigt om insatserna "
            "genomförs som planerat.",
        },
        {
            "text": "Är regionala insatser jämställdhetsintegrerade?",
            "decided_on": datetime.date(2024, 3, 5),
            "regions": ["Region Västernorrland"],
            "forums": "Regionala utvecklingsnämnden, Region Västernorrland (fiktivt exempel)",
            "rationale": "Jämställdhetsintegrering är ett krav i alla beslut om tillväxtmedel, och nämnden vill "
            "veta om analyserna påverkar insatsernas utformning.",
        },
    ]
