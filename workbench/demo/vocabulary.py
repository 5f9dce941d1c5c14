"""The demo practice's words: given names that fit an age, topics that fit a patient's sex and
age, and sentences whose slots keep them grammatical whatever fills them.

Slots (filled per thread, the same values in its subject, text and follow-up):
- ``{duur}`` a duration with its own "al" ("al drie dagen"): "ik heb {duur} last van ...";
- ``{sinds}`` a moment with its own "sinds" ("sinds gisteren"): "ik heb {sinds} koorts";
- ``{geleden}`` a moment in the past ("vorige week", "drie dagen geleden"): "ik ben {geleden}
  gevallen";
- ``{plek}`` a body part without article ("mijn {plek}"), ``{de_plek}`` with its own article
  ("op {de_plek}": "op het been"), ``{gewricht}`` a joint;
- ``{medicijn}`` a medicine without article that fits the patient ("mijn {medicijn}");
- someone else writing: ``{wie_naam}`` ("mijn zoon Daan", "mijn cliënte mevrouw de Vries",
  "mijn moeder"), ``{naam}`` (how the text goes on to name them), ``{hij}``, ``{zijn}``,
  ``{hem}``; a capital first letter (``{Wie_naam}``, ``{Hij}``) starts a sentence;
- ``{leeftijd}`` ("6 weken", "8 maanden", "7 jaar"), ``{weken}`` (weeks of pregnancy).

Every topic names ``keywords``: its messages and follow-ups each mention one, so a thread's
follow-up is checkably about its own topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SELF, PARENT, REP = "self", "parent", "rep"  # who writes: the patient, a parent, a representative

# -- given names by age (years at the demo's "now"); a name fits the generation born then ------
GIVEN_NAMES: tuple[tuple[int, int, tuple[str, ...], tuple[str, ...]], ...] = (
    (0, 12,
     ("Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Yara", "Saar", "Liv",
      "Noor", "Nina", "Evi", "Fenna", "Elif", "Ayla", "Maryam", "Lina", "Olivia"),
     ("Noah", "Sem", "Liam", "Luca", "Finn", "Levi", "Mees", "Daan", "Lucas", "Milan", "Ties",
      "Adam", "Sam", "Boaz", "Jens", "Mohammed", "Yusuf", "Amir", "Otis", "James")),
    (12, 25,
     ("Lisa", "Lotte", "Sanne", "Fleur", "Anna", "Eva", "Iris", "Roos", "Lieke", "Isa", "Femke",
      "Noa", "Esra", "Demi", "Anouk", "Britt", "Sarah", "Fatima", "Jasmijn", "Romy"),
     ("Daan", "Thomas", "Bram", "Lars", "Ruben", "Thijs", "Tim", "Jesse", "Luuk", "Stijn",
      "Sven", "Gijs", "Hidde", "Milan", "Emre", "Mohamed", "Bas", "Max", "Niels", "Stan")),
    (25, 40,
     ("Sanne", "Lisa", "Laura", "Kim", "Anouk", "Femke", "Manon", "Iris", "Eva", "Esther",
      "Samira", "Naima", "Ayse", "Priya", "Dewi", "Fleur", "Marloes", "Janneke", "Lotte"),
     ("Tim", "Niels", "Koen", "Rick", "Joris", "Wouter", "Bas", "Sander", "Tom", "Stefan",
      "Jeroen", "Martijn", "Mehmet", "Ahmed", "Ravi", "Omar", "Kevin", "Thijs", "Bart")),
    (40, 55,
     ("Monique", "Sandra", "Linda", "Marieke", "Nicole", "Esther", "Mirjam", "Saskia", "Ilse",
      "Petra", "Miranda", "Yvonne", "Fatima", "Anita", "Karin", "Judith", "Natasja"),
     ("Jeroen", "Martijn", "Mark", "Erik", "Dennis", "Marco", "Patrick", "Arjen", "Joost",
      "Richard", "Sander", "Mohamed", "Rajesh", "Edwin", "Michiel", "Remco", "Vincent")),
    (55, 70,
     ("Ingrid", "Petra", "Annemarie", "Marian", "Wilma", "Hanneke", "Anneke", "Els", "Carla",
      "Gerda", "Yvonne", "Jolanda", "Monique", "Margreet", "Astrid"),
     ("Hans", "Rob", "Frank", "Peter", "Gerard", "Ton", "Johan", "René", "Ronald", "Paul",
      "Ad", "Marcel", "Erik", "Henk", "Jos")),
    (70, 85,
     ("Joke", "Ria", "Gerda", "Annie", "Tineke", "Riet", "Marja", "Greet", "Els", "Wil",
      "Truus", "Ans", "Corrie", "Wilma"),
     ("Henk", "Kees", "Wim", "Jan", "Gerrit", "Cor", "Piet", "Dirk", "Joop", "Theo", "Klaas",
      "Bert", "Hans", "Ton")),
    (85, 130,
     ("Johanna", "Maria", "Cornelia", "Hendrika", "Wilhelmina", "Geertruida", "Bep", "Truus",
      "Corrie", "Riet", "Aaltje", "Grietje", "Jannetje"),
     ("Cornelis", "Hendrik", "Johannes", "Jacobus", "Pieter", "Gerrit", "Willem", "Jan", "Arie",
      "Hendrikus", "Teunis", "Klaas", "Piet")),
)


def given_names(age_years: float, female: bool) -> tuple[str, ...]:
    """The given names that fit someone of this age."""
    for low, high, women, men in GIVEN_NAMES:
        if low <= age_years < high:
            return women if female else men
    return GIVEN_NAMES[-1][2] if female else GIVEN_NAMES[-1][3]


FAMILY_NAMES = (
    "de Vries", "Jansen", "de Jong", "Bakker", "van den Berg", "van Dijk", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
    "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
    "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek",
    "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam",
    "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "Yilmaz", "El Amrani", "Kaya",
    "Bouzid", "Ramdin", "Wouters", "Post", "Kuipers", "Veenstra", "ter Horst", "op den Kamp",
    "van 't Hof", "Boersma", "Timmermans", "Groen", "Sanders", "van Wijk", "Kramer",
    "Gerritsen", "Vink")
STREETS = ("Lindelaan", "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Stationsweg",
           "Beukenlaan", "Julianastraat", "Wilhelminaweg", "Oranjestraat")
CITIES = ("Utrecht", "Zeist", "Bilthoven", "De Bilt", "Bunnik", "Houten", "Nieuwegein",
          "Maarssen")

# -- who writes for someone else: RoleCode, English display, Dutch text ------------------------
PARENT_KINDS = (("MTH", "mother", "moeder"), ("FTH", "father", "vader"),
                ("PRN", "parent", "ouder"))
PARENT_WEIGHTS = (6, 3, 1)
# An adult's representative: a mentor or curator (GUARD), a gemachtigde (POWATT; here a son or
# daughter), a daughter or son (family) or the partner.
REP_KINDS = (("GUARD", "guardian", "mentor"), ("GUARD", "guardian", "curator"),
             ("POWATT", "power of attorney", "gemachtigde"), ("DAU", "daughter", "dochter"),
             ("SON", "son", "zoon"), ("SPS", "spouse", "partner"))
REP_WEIGHTS_OLD = (3, 1, 3, 2, 1, 2)    # patients of 75 and older
REP_WEIGHTS_YOUNG = (5, 2, 0, 0, 0, 3)  # younger adults: a mentor, a curator or the partner

# -- slot values ----------------------------------------------------------------------------------
DURATIONS = ("al twee dagen", "al drie dagen", "al een week", "al vijf dagen", "al ruim een week",
             "al twee weken", "al een maand", "al een paar dagen")
SINCE = ("sinds gisteren", "sinds het weekend", "sinds eergisteren", "sinds vorige week",
         "sinds een paar dagen", "sinds drie dagen", "sinds vanochtend")
AGO = ("gisteren", "eergisteren", "vorige week", "drie dagen geleden", "een week geleden",
       "twee weken geleden", "een paar dagen geleden")
PLACES = (("arm", "de"), ("been", "het"), ("rug", "de"), ("buik", "de"), ("nek", "de"),
          ("gezicht", "het"), ("hand", "de"), ("voet", "de"), ("bovenbeen", "het"),
          ("knie", "de"), ("schouder", "de"), ("enkel", "de"))
JOINTS = ("knie", "enkel", "schouder", "pols")
# (name, lowest age, highest age, only for: "female"/"male"/None)
MEDICINES = (
    ("omeprazol 20 mg", 18, 120, None), ("metformine 500 mg", 40, 120, None),
    ("simvastatine", 45, 120, None), ("amlodipine 5 mg", 45, 120, None),
    ("levothyroxine", 25, 120, None), ("salbutamolpuffer", 6, 120, None),
    ("pantoprazol", 18, 120, None), ("metoprolol", 45, 120, None), ("losartan", 45, 120, None),
    ("microgynon", 16, 50, "female"), ("hydrochloorthiazide", 50, 120, None),
    ("sertraline 50 mg", 18, 120, None), ("fluticason neusspray", 12, 120, None),
    ("tamsulosine", 55, 120, "male"))


def medicines_for(age_years: float, female: bool) -> list[str]:
    sex = "female" if female else "male"
    return [name for name, low, high, only in MEDICINES
            if low <= age_years < high and only in (None, sex)]


GREETINGS = ("Goedemorgen,", "Goedemiddag,", "Hallo,", "Beste dokter,", "Beste huisarts,", "Hoi,",
             "Geachte heer/mevrouw,", "Dag dokter,", "", "Beste assistente,", "goedendag")
CLOSINGS = ("Groetjes", "Mvg", "Met vriendelijke groet", "Alvast bedankt!", "Bvd", "Gr.",
            "Dank u wel", "Groet", "Hoor graag van jullie", "Alvast bedankt voor de moeite")
FILLERS = ("", "", "", "Ik werk overdag dus bellen lukt slecht.",
           "Ik ben vanaf donderdag op vakantie.",
           "Het is niet heel erg maar ik wil het toch even vragen.",
           "Een vriendin zei dat ik het moest vragen.",
           "Ik heb al gegoogeld maar word er niet wijzer van.",
           "Kunt u me terugbellen? Mijn nummer staat in het systeem.",
           "ik had eerder al gebeld maar de lijn was bezet",
           "Is het handig om langs te komen?")
LINKS = ("https://www.thuisarts.nl/huiduitslag", "https://www.thuisarts.nl/koorts-bij-kinderen",
         "https://www.thuisarts.nl/lage-rugpijn", "https://www.apotheek.nl/medicijnen/omeprazol",
         "https://www.thuisarts.nl/keelpijn", "https://nl.wikipedia.org/wiki/Eczeem")
PASTED = ("<b>Let op:</b> dit bericht is belangrijk", "<script>alert('hoi')</script>",
          "<i>zie onder</i>", "<p>Uitslag: Hb 7.9 mmol/l</p>",
          "<a href=\"https://example.org\">klik hier</a>", "&lt;geplakt uit mail&gt; <br>")
ANSWERS = (("Dank voor uw bericht. Wilt u even bellen voor een afspraak? Dan kijkt de huisarts "
           "ernaar."),
           ("Goed dat u het meldt. Als de klachten na een week niet minder zijn, maak dan een "
           "afspraak. Worden de klachten erger, bel dan de praktijk."))


@dataclass(frozen=True)
class Topic:
    """What an e-consult is about, whom it fits, and how its thread is written."""

    key: str
    weight: float
    keywords: tuple[str, ...]
    subjects: tuple[str, ...]
    own: tuple = ()          # the patient writes: texts or (subject, text) pairs
    other: tuple = ()        # a parent or representative writes
    writers: frozenset[str] = frozenset({SELF, PARENT, REP})
    min_age: float = 18      # years, inclusive
    max_age: float = 130     # years, exclusive
    sex: str | None = None   # "female", "male" or None
    photo: bool = False
    urgent: bool = False
    twin: bool = False       # the negated twin of an urgent message: calm words, no advice
    follow_own: tuple[str, ...] = ()
    follow_other: tuple[str, ...] = ()
    answers: tuple[str, ...] = field(default=ANSWERS)

    def fits(self, age_years: float, female: bool, writer: str) -> bool:
        if writer not in self.writers or not self.min_age <= age_years < self.max_age:
            return False
        if self.sex is not None and self.sex != ("female" if female else "male"):
            return False
        return bool(self.own if writer == SELF else self.other)

    def bodies(self, writer: str) -> tuple:
        return self.own if writer == SELF else self.other

    def followups(self, writer: str) -> tuple[str, ...]:
        return self.follow_own if writer == SELF else self.follow_other


ADULTS = frozenset({SELF, REP})
CHILDREN = frozenset({PARENT})

TOPICS: tuple[Topic, ...] = (
    Topic("herhaalrecept", 14, ("recept", "herhal", "apotheek"),
          ("Herhaalrecept", "Herhaalrecept {medicijn}", "Medicijnen bijna op", "recept"),
          own=("Mag ik een herhaalrecept voor {medicijn}? Ik heb nog voor een paar dagen.",
               "ik ben bijna door mijn {medicijn} heen, kan er een nieuw recept naar de apotheek?",
               ("Graag weer een herhaling van mijn {medicijn}, de apotheek zei dat ik het via "
               "jullie moest aanvragen."),
               "Zou u mijn {medicijn} kunnen herhalen? Zelfde dosis als altijd."),
          other=(("Mag ik een herhaalrecept aanvragen voor de {medicijn} van {wie_naam}? "
                 "{Hij} heeft nog voor een paar dagen."),
                 ("De {medicijn} van {wie_naam} is bijna op. Kan er een nieuw recept naar de "
                 "apotheek?")),
          writers=ADULTS,
          follow_own=("Dank u! Kan ik het recept vandaag nog ophalen bij de apotheek?",
                      "Het recept was nog niet bij de apotheek, kunt u nog eens kijken?"),
          follow_other=(("Dank u wel. Kan ik het recept voor {naam} vandaag ophalen bij de "
                        "apotheek?"),
                        "Het recept was nog niet bij de apotheek, kunt u nog eens kijken?"),
          answers=(("Dank voor uw bericht. Het herhaalrecept staat klaar bij de apotheek, u kunt "
                   "het morgen na 14:00 ophalen."),
                   ("Het recept is naar uw apotheek gestuurd. Over 3 maanden graag weer een "
                   "controle bij de POH."))),
    Topic("uitslag", 10, ("uitslag", "bloed"),
          ("Uitslag bloedonderzoek", "uitslag bloedprikken", "Vraag over uitslag", "uitslag lab"),
          own=("Ik heb {geleden} bloed laten prikken. Is de uitslag er al?",
               "Wat was de uitslag van het bloedonderzoek? Mijn ijzer was vorig jaar te laag.",
               "Ik zie in de app een uitslag staan met een sterretje, is dat erg?",
               ("Ik heb nog niks gehoord over de uitslag van het bloedprikken. Geen nieuws goed "
               "nieuws?")),
          other=("{Wie_naam} heeft {geleden} bloed laten prikken. Is de uitslag er al?",),
          writers=ADULTS,
          follow_own=("Dank u. Moet ik de uitslag over een jaar weer laten controleren?",
                      "Wat betekent het sterretje bij de uitslag precies?"),
          follow_other=("Dank u. Moet {naam} het bloed over een jaar weer laten controleren?",),
          answers=(("De uitslag van uw bloedonderzoek is goed, er zijn geen afwijkingen "
                   "gevonden."),
                   ("De uitslag is binnen. De huisarts wil het graag met u bespreken, wilt u "
                   "binnen een week een afspraak maken?"))),
    Topic("huiduitslag", 7, ("plek", "uitslag", "jeuk", "vlek", "bult"),
          ("Huiduitslag {plek}", "Rode plekken", "Uitslag op {de_plek}", "Jeuk en bultjes"),
          own=("Ik heb {sinds} rode jeukende plekken op mijn {plek}. Zie foto. Wat kan het zijn?",
               ("ik heb uitslag op mijn {plek}, het jeukt heel erg vooral 's nachts. foto "
               "bijgevoegd"),
               ("Er zitten {duur} rode vlekken op {de_plek} die steeds groter worden. Ik heb er "
               "een foto van gemaakt."),
               ("Bultjes op mijn {plek}, geen idee waarvan. Nieuw wasmiddel misschien? Foto's "
               "zitten erbij.")),
          other=(("{Wie_naam} heeft {sinds} rode jeukende plekken op {zijn} {plek}. Zie foto. "
                 "Wat kan het zijn?"),
                 ("{Wie_naam} heeft {duur} uitslag op {zijn} {plek} en krabt er veel aan. Foto "
                 "bijgevoegd.")),
          min_age=2, photo=True,
          follow_own=(("De plekken op mijn {plek} worden niet minder van de zalf. Moet ik nu "
                      "langskomen?"),
                      "Dank u. Hoe lang moet ik de zalf op de plekken blijven smeren?"),
          follow_other=(("De plekken op {zijn} {plek} worden niet minder van de zalf. Moeten we "
                        "langskomen?"),),
          answers=(("Dank voor de foto. Het lijkt op eczeem. Smeer 2 keer per dag een vette zalf. "
                   "Wordt de huid rood, warm of komen er blaren met koorts, bel dan dezelfde "
                   "dag."),)),
    Topic("moedervlek", 3, ("moedervlek",),
          ("Moedervlek", "Moedervlek veranderd", "Vlekje op {de_plek}"),
          own=("Een moedervlek op mijn {plek} is groter en donkerder geworden. Foto bijgevoegd.",
               ("Ik heb een moedervlek op mijn {plek} die soms jeukt en een keer bloedde. Zie "
               "foto.")),
          writers=frozenset({SELF}), min_age=25, photo=True,
          follow_own=("Moet ik de moedervlek laten weghalen of eerst afwachten?",),
          answers=(("Dank voor de foto. De huisarts wil de moedervlek graag zien, wilt u deze "
                   "week een afspraak maken?"),)),
    Topic("wond", 4, ("wond", "snee", "hechting"),
          ("Wond {plek}", "Wondje gaat niet dicht", "wond na val", "Ontstoken wond?"),
          own=(("Ik ben {geleden} gevallen en de wond op mijn {plek} wil niet goed genezen. Het "
               "is wat rood rondom. Zie foto."),
               ("De wond van de hechtingen is rood en warm, is dit een ontsteking? Foto in de "
               "bijlage."),
               "Snee in mijn {plek} bij het tuinieren, moet ik een tetanusprik?",
               "Wondje aan mijn {plek} blijft nattig. Foto bijgevoegd."),
          other=(("{Wie_naam} is {geleden} gevallen en de wond op {zijn} {plek} geneest slecht. "
                 "Zie foto."),),
          min_age=4, photo=True,
          follow_own=(("De wond is nu wat minder rood. Moet ik de pleister nog elke dag "
                      "verwisselen?"),
                      "De wond blijft nattig. Moet ik toch langskomen?"),
          follow_other=(("De wond van {naam} is nu wat minder rood. Moeten we de pleister nog "
                        "elke dag verwisselen?"),),
          answers=(("De wond ziet er rustig uit. Houd het schoon en droog. Wordt de wond rood, "
                   "warm of komt er pus uit, bel dan de praktijk."),)),
    Topic("medicatievraag", 7, ("medicijn", "bijwerking"),
          ("Bijwerking {medicijn}", "Vraag over medicijnen", "medicatie vraag", "Bijwerking?"),
          own=(("Sinds ik {medicijn} gebruik heb ik last van duizeligheid. Kan dat een "
               "bijwerking zijn?"),
               "Mag ik mijn medicijn ({medicijn}) samen nemen met paracetamol?",
               ("Ik ben {geleden} begonnen met {medicijn} en ik heb nu hoofdpijn en ben misselijk. "
               "Is dat een bijwerking?"),
               "Kan ik mijn medicijn ({medicijn}) beter 's ochtends of 's avonds innemen?"),
          other=(("Sinds {wie_naam} {medicijn} gebruikt, is {hij} duizelig. Kan dat een "
                 "bijwerking zijn?"),),
          writers=ADULTS,
          follow_own=("Dank u. Mag ik het medicijn dan ook combineren met ibuprofen?",
                      "Hoe lang moet ik het medicijn nog blijven innemen?"),
          follow_other=("Dank u. Hoe lang moet {naam} het medicijn nog innemen?",),
          answers=(("Dat kan een bijwerking zijn. Stop niet zelf, maar maak een belafspraak met "
                   "de huisarts. Krijgt u jeuk, bulten of een dikke tong of lippen, stop dan en "
                   "bel direct."),)),
    Topic("rugpijn", 6, ("rug",),
          ("Rugpijn", "rug", "Pijn in mijn rug"),
          own=(("Ik heb {duur} last van pijn onderin mijn rug, vooral bij bukken. Paracetamol "
               "helpt niet echt."),
               ("Mijn rug zit vast sinds ik {geleden} iets zwaars heb getild. Mag ik gewoon "
               "sporten?"),
               "Ik heb {sinds} rugpijn, vooral 's ochtends bij het opstaan."),
          other=("{Wie_naam} heeft {duur} pijn onderin {zijn} rug en kan slecht zitten.",),
          min_age=12, max_age=95,
          follow_own=("De rugpijn is iets minder. Mag ik weer gaan sporten?",
                      "Mijn rug is nog niet beter, kan ik naar de fysiotherapeut?"),
          follow_other=(("De rugpijn van {naam} is nog niet minder. Kan {hij} naar de "
                        "fysiotherapeut?"),)),
    Topic("keelpijn", 4, ("keel",),
          ("Keelpijn", "keel", "Pijn bij slikken"),
          own=(("Ik heb {sinds} keelpijn, slikken doet pijn en ik voel me slap. Moet ik "
               "antibiotica?"),
               "Mijn keel doet {duur} zeer en nu ook mijn oor. Geen koorts."),
          other=("{Wie_naam} ({leeftijd}) heeft {sinds} keelpijn en wil weinig eten.",),
          min_age=4,
          follow_own=("De keelpijn is nog niet over. Moet ik toch langskomen?",
                      "Dank u, mijn keel is al wat beter."),
          follow_other=("De keelpijn van {naam} is nog niet over. Moeten we langskomen?",)),
    Topic("oorpijn", 4, ("oor",),
          ("Oorpijn", "Oor zit dicht", "oor"),
          own=("Mijn oor zit dicht en doet pijn {sinds}. Kan ik zelf iets doen?",
               "Ik heb {duur} last van mijn oor, het suist en ik hoor slecht."),
          other=(("{Wie_naam} ({leeftijd}) heeft {sinds} oorpijn en slaapt slecht. Paracetamol "
                 "helpt een beetje."),),
          min_age=1,
          follow_own=("Mijn oor zit nog steeds dicht. Helpen oordruppels?",),
          follow_other=("Het oor van {naam} doet nog steeds pijn. Moeten we langskomen?",)),
    Topic("hoofdpijn", 4, ("hoofdpijn",),
          ("Hoofdpijn", "hoofdpijn", "Veel hoofdpijn"),
          own=("Ik heb {duur} elke ochtend hoofdpijn en ook last van mijn nek.",
               "hoofdpijn {sinds}, paracetamol helpt niet meer."),
          other=("{Wie_naam} heeft {duur} elke dag hoofdpijn. Paracetamol helpt niet echt.",),
          min_age=10,
          follow_own=("De hoofdpijn is nog hetzelfde. Moet ik mijn bloeddruk laten meten?",),
          follow_other=("De hoofdpijn van {naam} is nog hetzelfde. Wat kunnen we nog doen?",)),
    Topic("moe", 3, ("moe",),
          ("Moe", "Erg moe", "Vermoeidheid"),
          own=(("Ik ben heel moe de laatste tijd en slaap slecht. Kan dat aan mijn schildklier "
               "liggen?"),
               "Ik ben {duur} erg moe, ook na een nacht goed slapen. Kan ik bloed laten prikken?"),
          writers=frozenset({SELF}),
          follow_own=("Ik ben nog steeds erg moe. Zal ik een afspraak maken?",)),
    Topic("sportblessure", 3, ("sport", "verzwikt"),
          ("Blessure {gewricht}", "Verzwikt", "Pijn na sporten"),
          own=(("Ik heb {geleden} mijn {gewricht} verzwikt bij het sporten. Het is nog dik en "
               "doet pijn."),
               "Pijn in mijn {gewricht} na het sporten, gaat niet weg. Wat is verstandig?"),
          other=(("{Wie_naam} heeft {geleden} {zijn} {gewricht} verzwikt bij het sporten. Het "
                 "is nog dik. Moet er een foto van gemaakt worden?"),),
          writers=frozenset({SELF, PARENT}), min_age=10, max_age=60,
          follow_own=("Mijn {gewricht} is nog steeds dik. Mag ik al weer sporten?",),
          follow_other=("De {gewricht} van {naam} is nog dik. Mag {hij} weer sporten?",)),
    Topic("verwijzing", 6, ("verwijzing", "verwijsbrief"),
          ("Verwijzing",),
          own=(("Verwijzing fysiotherapie", ("Mag ik een verwijzing voor de fysiotherapeut voor "
                "mijn {plek}? Ik heb er {duur} last van.")),
               ("Verwijsbrief dermatoloog", ("Ik zou graag een verwijzing naar de dermatoloog "
                "willen voor een moedervlek die veranderd is.")),
               ("Verwijzing fysio", ("De fysio vraagt om een verwijsbrief van de huisarts, kan "
                "die gemaild worden?")),
               ("Verwijzing KNO", ("Kan ik een verwijzing krijgen voor de KNO-arts? Mijn oor "
                "blijft zeuren."))),
          other=(("Verwijzing geriater", ("Kan {wie_naam} een verwijzing krijgen naar de "
                  "geriater? {Hij} wordt steeds vergeetachtiger.")),),
          writers=ADULTS,
          follow_own=("Dank u. Waar kan ik de verwijzing vinden, in de app?",
                      ("Het ziekenhuis zegt dat de verwijzing er nog niet is. Kunt u het "
                      "nakijken?")),
          follow_other=(("Het ziekenhuis zegt dat de verwijzing er nog niet is. Kunt u het "
                        "nakijken?"),),
          answers=(("De verwijzing staat klaar in ZorgDomein. Maak zelf de afspraak met de code "
                   "uit de brief."),)),
    Topic("administratief", 6, ("gegevens", "verhuisd", "adres", "verklaring", "telefoonnummer",
                                "verzekering"),
          ("Gegevens",),
          own=(("Verhuizing", ("Wij zijn verhuisd naar de {straat} in {stad}. Kunt u het adres "
                "aanpassen?")),
               ("Verklaring nodig", ("Voor mijn werk heb ik een verklaring nodig dat ik bij u "
                "onder behandeling ben. Kan dat?")),
               ("Nieuw telefoonnummer", "Ik heb een nieuw telefoonnummer: 06-{tel}."),
               ("Vraag over inschrijving", ("Mijn zorgverzekering is veranderd per 1 januari, "
                "moet ik dat aan jullie doorgeven?")),
               ("Vaccinatiegegevens", ("Kan ik een kopie van mijn vaccinatiegegevens krijgen "
                "voor een reis?"))),
          other=(("Verhuizing", ("{Wie_naam} is verhuisd naar de {straat} in {stad}. Kunt u het "
                  "adres aanpassen?")),),
          writers=ADULTS,
          follow_own=("Dank u. Moet ik de nieuwe gegevens ook aan de apotheek doorgeven?",),
          follow_other=(("Dank u. Moet ik de nieuwe gegevens van {naam} ook aan de apotheek "
                        "doorgeven?"),),
          answers=("Uw gegevens zijn aangepast. Geef uw nieuwe adres ook door aan de apotheek.",
                   "Een verklaring kunnen wij helaas niet geven, dat loopt via de bedrijfsarts.")),
    Topic("zwangerschap", 2, ("zwanger",),
          ("Zwanger", "Positieve zwangerschapstest", "Vraag over zwangerschap"),
          own=(("Mijn zwangerschapstest is positief! Moet ik eerst bij jullie langskomen of "
               "meteen naar de verloskundige?"),
               ("Ik ben {weken} weken zwanger en ben elke ochtend erg misselijk. Welke "
               "medicijnen mag ik nemen?")),
          writers=frozenset({SELF}), min_age=18, max_age=45, sex="female",
          follow_own=("Dank u. Mag ik in de zwangerschap paracetamol gebruiken?",),
          answers=(("Gefeliciteerd! U kunt zelf een afspraak maken bij de verloskundige, die "
                   "begeleidt de zwangerschap."),)),
    Topic("anticonceptie", 2, ("pil",),
          ("Anticonceptie", "Vraag over de pil", "Pil vergeten"),
          own=("Ik wil graag stoppen met de pil. Moet ik iets weten?",
               "Ik ben mijn pil vergeten, ik slik microgynon. Wat moet ik doen?"),
          writers=frozenset({SELF}), min_age=16, max_age=50, sex="female",
          follow_own=("Moet ik dan ook de stopweek van de pil overslaan?",)),
    Topic("blaasontsteking", 3, ("plas",),
          ("Blaasontsteking", "Branderig plassen", "plasklachten"),
          own=(("Ik heb {sinds} een branderig gevoel bij het plassen en moet steeds. Mag ik "
               "urine inleveren?"),
               ("Weer een blaasontsteking denk ik: vaak plassen en het brandt. Kan ik een potje "
               "plas brengen?")),
          writers=frozenset({SELF}), min_age=16, sex="female",
          follow_own=("Ik heb de plas vanochtend ingeleverd. Wanneer hoor ik de uitslag?",)),
    Topic("plassen_man", 2, ("plas", "prostaat"),
          ("Plassen", "Prostaat?", "'s Nachts plassen"),
          own=(("Ik moet 's nachts drie keer plassen en de straal is zwak. Kan dat de prostaat "
               "zijn?"),
               "Het plassen gaat {duur} moeizaam, het duurt lang voordat het komt."),
          other=(("{Wie_naam} moet 's nachts vaak plassen en het gaat moeizaam. Kan dat de "
                 "prostaat zijn?"),),
          writers=ADULTS, min_age=55, sex="male",
          follow_own=("Moet ik voor de prostaat bloed laten prikken?",),
          follow_other=("Moet {naam} voor de prostaat bloed laten prikken?",)),
    Topic("overgang", 2, ("opvlieger", "overgang"),
          ("Overgang", "Opvliegers"),
          own=("Ik heb veel last van opvliegers en slaap slecht. Kan dat de overgang zijn?",
               ("Ik heb {duur} opvliegers en zweet 's nachts veel. Is er iets tegen de "
               "overgangsklachten?")),
          writers=frozenset({SELF}), min_age=44, max_age=58, sex="female",
          follow_own=(("De opvliegers zijn nog steeds heftig. Zijn er middelen voor de "
                      "overgang?"),)),
    Topic("acne", 2, ("puist", "acne"),
          ("Acne", "Puistjes"),
          own=(("Ik heb al jaren last van puistjes en niets helpt. Is er iets sterkers tegen "
               "acne?"),),
          other=(("{Wie_naam} ({leeftijd}) heeft veel last van puistjes in het gezicht. Is er "
                 "een crème tegen acne?"),),
          writers=frozenset({SELF, PARENT}), min_age=12, max_age=26,
          follow_own=("De crème tegen de acne helpt nog niet. Hoe lang moet ik smeren?",),
          follow_other=(("De crème tegen de acne helpt nog niet. Hoe lang moet {naam} "
                        "smeren?"),)),
    Topic("bloeddruk", 3, ("bloeddruk",),
          ("Bloeddruk", "Hoge bloeddruk?"),
          own=("Ik heb zelf mijn bloeddruk gemeten: 152 over 95. Moet ik iets doen?",),
          other=(("{Wie_naam} heeft thuis een bloeddruk van 160 over 90 gemeten. Moet {hij} "
                 "langskomen?"),),
          writers=ADULTS, min_age=50,
          follow_own=("De bloeddruk is nu 145 over 88. Is dat goed zo?",),
          follow_other=("De bloeddruk van {naam} is nu 145 over 88. Is dat goed zo?",)),
    Topic("geheugen", 3, ("vergeet", "geheugen"),
          ("Geheugen", "Vergeetachtig"),
          own=("Ik vergeet de laatste tijd veel, ook afspraken. Kan ik een geheugentest doen?",),
          other=(("{Wie_naam} vergeet de laatste tijd veel en raakt de weg kwijt. Kunnen we een "
                 "keer langskomen?"),),
          writers=ADULTS, min_age=70,
          follow_own=("Wanneer kan ik de geheugentest doen?",),
          follow_other=(("Kan de praktijkondersteuner langskomen voor het geheugen van "
                        "{naam}?"),)),
    Topic("kind_koorts", 6, ("koorts",),
          ("Koorts {naam}", "Koorts", "Koorts en hoesten", "koorts kind"),
          other=(("{Wie_naam} ({leeftijd}) heeft {sinds} koorts rond 39 graden. {Hij} drinkt wel "
                 "goed. Moeten we langskomen?"),
                 ("{Wie_naam} heeft koorts en oorpijn en huilt veel. Paracetamol helpt een "
                 "beetje."),
                 "{Wie_naam} heeft {duur} koorts en hoest veel 's nachts. Is dat normaal?",
                 "{Wie_naam} is hangerig en heeft koorts, {hij} eet slecht. Wat kunnen we doen?"),
          writers=CHILDREN, min_age=0.5, max_age=12,
          follow_other=("De koorts is gezakt, maar {naam} hoest nog veel. Is dat normaal?",
                        "Dank u. Hoe lang mag {naam} paracetamol krijgen tegen de koorts?"),
          answers=(("Paracetamol mag u blijven geven. Bij koorts boven 40 graden, slecht drinken "
                   "of als uw kind suf wordt, bel ons direct."),)),
    Topic("kind_huid", 3, ("plek", "huid", "waterpok"),
          ("Plekjes {naam}", "Plekjes", "Waterpokken?"),
          other=(("{Wie_naam} heeft {sinds} rode plekjes op {de_plek}. Zijn dit waterpokken? "
                 "Foto bijgevoegd."),
                 ("{Wie_naam} heeft een droge schilferige huid op {de_plek}, zie foto. Welke "
                 "crème kunnen we gebruiken?")),
          writers=CHILDREN, min_age=1, max_age=12, photo=True,
          follow_other=(("De plekjes worden al minder. Mag {naam} weer naar de opvang of "
                        "school?"),),
          answers=(("Dank voor de foto. Dit lijkt op waterpokken, dat gaat vanzelf over. Krijgt "
                   "uw kind hoge koorts of wordt het suf, bel dan direct."),)),
    Topic("tandjes", 2, ("tand",),
          ("Tandjes", "Doorkomende tandjes"),
          other=(("{Wie_naam} ({leeftijd}) krijgt tandjes en slaapt slecht. Mag ik paracetamol "
                 "geven?"),),
          writers=CHILDREN, min_age=0.33, max_age=2.5,
          follow_other=("Het tandje is door en {naam} slaapt weer beter. Dank u!",)),
    Topic("baby_vraag", 3, ("voeding", "baby", "billetjes"),
          ("Vraag over baby", "Spugen baby", "Rode billetjes"),
          other=("{Wie_naam} ({leeftijd}) spuugt na elke voeding een beetje. Is dat normaal?",
                 "Onze baby heeft rode billetjes, welke zalf kunnen we gebruiken?"),
          writers=CHILDREN, min_age=0, max_age=0.25,
          follow_other=("Dank u. Moet ik de baby na elke voeding rechtop houden?",),
          answers=(("Een beetje spugen is bij baby's normaal. Neem contact op als uw baby niet "
                   "goed groeit of minder plast."),)),
    # Urgent: the alarm words the urgency advice looks for (never answered in the demo).
    Topic("urgent_borst", 0.35, ("borst",),
          ("Pijn op de borst", "drukkend gevoel borst", "Pijn borst en arm"),
          own=(("Ik heb sinds vanochtend pijn op de borst die uitstraalt naar mijn linkerarm en "
               "ik zweet erg. Moet ik me zorgen maken?"),
               ("drukkende pijn midden op de borst, ook in mijn kaak, en ik ben misselijk. Het "
               "zakt niet af")),
          writers=frozenset({SELF}), min_age=40, urgent=True),
    Topic("urgent_benauwd", 0.35, ("benauwd",),
          ("Benauwd", "Kortademig", "Moeilijk ademen"),
          own=(("Ik ben sinds vannacht erg benauwd en kan bijna geen zin afmaken. De puffer helpt "
               "niet."),),
          other=(("{Wie_naam} ({leeftijd}) is heel benauwd en {zijn} lippen zien blauwig, wat "
                 "moeten we doen"),),
          writers=ADULTS, urgent=True),
    Topic("urgent_neuro", 0.35, ("mond", "arm"),
          ("Scheve mond", "Arm voelt slap", "plots raar praten"),
          own=(("Sinds een uur krachtsverlies in mijn rechterarm en mijn gezicht voelt doof "
               "aan."),),
          other=(("{Wie_naam} heeft plotseling een scheve mond en kan {zijn} arm niet goed "
                 "optillen. {Hij} praat ook raar."),),
          writers=ADULTS, min_age=50, urgent=True),
    Topic("urgent_bloeding_zwanger", 0.2, ("bloed",),
          ("Veel bloedverlies", "Bloeding stopt niet"),
          own=(("Ik verlies sinds vanmorgen heel veel bloed (zwangerschap 10 weken) en ik voel "
               "me duizelig."),),
          writers=frozenset({SELF}), min_age=18, max_age=45, sex="female", urgent=True),
    Topic("urgent_neusbloeding", 0.2, ("bloed",),
          ("Neusbloeding", "Bloeding stopt niet"),
          own=("Neusbloeding die al een uur niet stopt, ik gebruik bloedverdunners.",),
          writers=frozenset({SELF}), min_age=50, urgent=True),
    Topic("urgent_psych", 0.35, ("leven", "zitten", "eind"),
          ("Het gaat niet goed", "Ik zie het niet meer zitten", "hulp"),
          own=(("Het gaat al weken niet goed met me. Ik wil eigenlijk niet meer leven en weet "
               "niet wat ik moet doen."),
               "ik zie het echt niet meer zitten, ik denk erover om er een eind aan te maken"),
          writers=frozenset({SELF}), min_age=16, urgent=True),
    Topic("urgent_baby", 0.6, ("koorts",),
          ("Baby koorts", "Koorts baby", "Onze baby is warm"),
          other=(("Onze baby {naam} van {leeftijd} heeft 38,6 graden koorts en drinkt slecht. "
                 "Wat moeten we doen?"),
                 ("{Wie_naam} ({leeftijd}) voelt heel warm en is erg slap, koorts 38,4. Is dat "
                 "erg?")),
          writers=CHILDREN, min_age=0, max_age=0.25, urgent=True),
    # The negated twins: the same alarm words, denied or in the past; no advice.
    Topic("negated_twins", 0.35, ("langskomen", "herhaalrecept", "bloeddruk", "borst",
                                  "afspraak"),
          ("Vraag",),
          own=(("Vraag na controle", ("Ik heb geen pijn op de borst meer en ben ook niet "
                "benauwd, maar ik hoest nog steeds. Moet ik nog een keer langskomen?")),
               ("Herhaalrecept", ("Vorig jaar heb ik een hartinfarct gehad. Nu alleen een vraag: "
                "kan mijn herhaalrecept voor de bloedverdunners klaargezet worden?")),
               ("Bloeddruk meten", ("Mijn vader had vroeger een beroerte. Ik wil graag weten of "
                "ik mijn bloeddruk kan laten meten bij de assistente.")),
               ("Vraag voor de zekerheid", ("Wat moet ik doen als ik ooit weer pijn op de borst "
                "krijg? Het gaat nu goed, ik wil het alleen weten voor de zekerheid."))),
          writers=frozenset({SELF}), min_age=45, twin=True,
          follow_own=("Dank u, dan maak ik een afspraak bij de assistente.",),
          answers=(("Dank voor uw bericht. U kunt een afspraak maken bij de assistente; bij "
                   "nieuwe klachten op de borst belt u direct de praktijk of 112."),)),
)
TOPIC_BY_KEY = {topic.key: topic for topic in TOPICS}
