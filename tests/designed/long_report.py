"""A 50-page report full of framed boxes, one chapter per territory, written with python-docx."""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.designed.real_blocks import WINGDINGS_SQUARE, Block, Box, BoxLine, Bullets, Heading, Paragraph
from tests.designed.real_docx import WordFile

TITLE = "Territoires en transition : monographies des territoires engagés"
SUBTITLE = "Observatoire régional des transitions — bilan détaillé 2024"
TITLE_SENTENCE = (
    "Ce volume rassemble les monographies des vingt-quatre territoires engagés dans le programme, rédigées "
    "avec leurs équipes projet entre janvier et mars 2025."
)
ODD_FOOTER = "Monographies des territoires engagés — 2024"
EVEN_FOOTER = "Observatoire régional des transitions — programme Territoires en transition"


@dataclass(frozen=True)
class Territory:
    name: str  # « Val-de-Sarmance »
    designation: str  # « la communauté de communes du Val-de-Sarmance »
    seat: str  # the town where the council sits
    department: str
    elected: str  # « Martine Ollivier »
    role: str  # « vice-présidente chargée de la transition »
    agent: str  # the project officer


TERRITORIES = (
    Territory(
        "Val-de-Sarmance",
        "la communauté de communes du Val-de-Sarmance",
        "Sarmance",
        "la Haute-Lisère",
        "Martine Ollivier",
        "vice-présidente chargée de la transition écologique",
        "Julien Caradec",
    ),
    Territory(
        "Pays d'Aurèle",
        "le pôle d'équilibre territorial du Pays d'Aurèle",
        "Bellerive-d'Aurèle",
        "l'Orvanne",
        "Bernard Quéméneur",
        "président",
        "Sophie Le Meur",
    ),
    Territory(
        "Monts-Brûlés",
        "la communauté de communes des Monts-Brûlés",
        "Brûlon",
        "la Haute-Lisère",
        "Évelyne Rostand",
        "vice-présidente chargée des mobilités",
        "Karim Benali",
    ),
    Territory(
        "Lorvannes",
        "la communauté d'agglomération de Lorvannes",
        "Lorvannes",
        "l'Orvanne",
        "Thierry Gauvain",
        "vice-président chargé de l'énergie",
        "Claire Moisan",
    ),
    Territory(
        "Basse-Guirande",
        "la communauté de communes de la Basse-Guirande",
        "Guirande",
        "la Sarthelle",
        "Nadia Ferrand",
        "présidente",
        "Paul Ardouin",
    ),
    Territory(
        "Coteaux de l'Aubre",
        "la communauté de communes des Coteaux de l'Aubre",
        "Saint-Aubre",
        "la Sarthelle",
        "Jean-Marc Tessier",
        "vice-président chargé de l'agriculture",
        "Laure Pichon",
    ),
    Territory(
        "Vallée du Gaudron",
        "la communauté de communes de la Vallée du Gaudron",
        "Gaudronne",
        "la Morvandie",
        "Hélène Castaing",
        "vice-présidente chargée de l'habitat",
        "Mathieu Roussel",
    ),
    Territory(
        "Plaine de Vérac",
        "la communauté de communes de la Plaine de Vérac",
        "Vérac",
        "la Morvandie",
        "Olivier Marchetti",
        "président",
        "Inès Lacombe",
    ),
    Territory(
        "Haut-Ségalas",
        "la communauté de communes du Haut-Ségalas",
        "Ségalas-le-Haut",
        "l'Orvanne",
        "Françoise Delmas",
        "vice-présidente chargée de la forêt",
        "Antoine Vigier",
    ),
    Territory(
        "Marches de Corlay",
        "la communauté de communes des Marches de Corlay",
        "Corlay",
        "la Sarthelle",
        "Yannick Le Goff",
        "vice-président chargé de l'eau",
        "Émilie Trégoat",
    ),
    Territory(
        "Estuaire de la Lisse",
        "la communauté d'agglomération de l'Estuaire de la Lisse",
        "Port-Lisse",
        "la Haute-Lisère",
        "Sandrine Aubertin",
        "présidente",
        "Nicolas Fabre",
    ),
    Territory(
        "Bocage d'Entrevaux",
        "la communauté de communes du Bocage d'Entrevaux",
        "Saint-Ouen-d'Entrevaux",
        "la Morvandie",
        "Gilles Perrochon",
        "vice-président chargé du foncier",
        "Marion Chaput",
    ),
    Territory(
        "Causses et Vallons",
        "la communauté de communes Causses et Vallons",
        "Valcamp",
        "l'Orvanne",
        "Agnès Bonnafous",
        "vice-présidente chargée du tourisme",
        "Rémi Cassagne",
    ),
    Territory(
        "Pays de Mirande",
        "la communauté de communes du Pays de Mirande",
        "Mirande-les-Bois",
        "la Sarthelle",
        "Didier Lambotte",
        "président",
        "Aurélie Jouannet",
    ),
    Territory(
        "Rives de l'Arly",
        "la communauté de communes des Rives de l'Arly",
        "Pontarly",
        "la Haute-Lisère",
        "Catherine Vuillerme",
        "vice-présidente chargée des déchets",
        "Sébastien Mollard",
    ),
    Territory(
        "Grand Ormois",
        "la communauté d'agglomération du Grand Ormois",
        "Villeneuve-d'Ormois",
        "la Morvandie",
        "Patrick Servant",
        "vice-président chargé de l'urbanisme",
        "Julie Garnier",
    ),
    Territory(
        "Forêts du Vaudan",
        "la communauté de communes des Forêts du Vaudan",
        "Vaudan",
        "l'Orvanne",
        "Monique Réveillère",
        "présidente",
        "Thomas Blanchard",
    ),
    Territory(
        "Lacs de Sauvigne",
        "la communauté de communes des Lacs de Sauvigne",
        "Sauvigne",
        "la Sarthelle",
        "Luc Aubagne",
        "vice-président chargé de l'eau et des milieux",
        "Camille Ferrier",
    ),
    Territory(
        "Hautes-Terres",
        "la communauté de communes des Hautes-Terres",
        "Montclair-d'en-Haut",
        "la Haute-Lisère",
        "Josiane Mercadier",
        "vice-présidente chargée des solidarités",
        "Hugo Delorme",
    ),
    Territory(
        "Val d'Ysère",
        "la communauté de communes du Val d'Ysère",
        "Bourg-d'Ysère",
        "la Morvandie",
        "Alain Dufresne",
        "président",
        "Lucie Bertrand",
    ),
    Territory(
        "Pays des Trois-Sources",
        "la communauté de communes du Pays des Trois-Sources",
        "Trois-Sources",
        "l'Orvanne",
        "Véronique Lestrade",
        "vice-présidente chargée de l'alimentation",
        "Damien Poirier",
    ),
    Territory(
        "Côte des Genêts",
        "la communauté de communes de la Côte des Genêts",
        "Genêts-sur-Mer",
        "la Sarthelle",
        "Erwan Kerjean",
        "vice-président chargé du littoral",
        "Anne Guillou",
    ),
    Territory(
        "Plateau de Brénac",
        "la communauté de communes du Plateau de Brénac",
        "Brénac",
        "la Haute-Lisère",
        "Simone Vialatte",
        "présidente",
        "François Teyssier",
    ),
    Territory(
        "Confluence de l'Yvre",
        "la communauté d'agglomération de la Confluence de l'Yvre",
        "Saint-Yvrac",
        "la Morvandie",
        "Marc Lebrun",
        "vice-président chargé des transitions",
        "Pauline Charrier",
    ),
)

WORKS = (
    ("la rénovation énergétique des écoles", "écoles rénovées"),
    ("la création d'un réseau de chaleur au bois", "bâtiments raccordés"),
    ("le transport à la demande", "trajets assurés"),
    ("la reconversion des friches industrielles", "hectares de friches reconvertis"),
    ("la rénovation des logements privés", "logements rénovés"),
    ("la restauration des haies bocagères", "kilomètres de haies plantés"),
    ("l'extinction nocturne de l'éclairage public", "communes engagées dans l'extinction"),
    ("le développement du covoiturage de proximité", "aires de covoiturage créées"),
    ("la réduction des déchets ménagers", "composteurs collectifs installés"),
    ("l'approvisionnement local des cantines", "cantines approvisionnées localement"),
    ("la protection des zones humides", "hectares de zones humides protégés"),
    ("l'installation de centrales solaires sur les toitures publiques", "toitures équipées"),
)

CONTEXT = (
    "{Designation} compte {population} habitants répartis dans {communes} communes, autour de {seat}.",
    "Le territoire s'étend sur {area} kilomètres carrés, dans le département de {department}, et sa "
    "population "
    "a {trend} de {change} % en dix ans.",
    "L'économie locale repose encore largement sur {economy} : près d'un actif sur {share} y travaille.",
    "{Designation} a rejoint le programme en {joined}, après une délibération adoptée à l'unanimité de son "
    "conseil communautaire.",
    "Avant son entrée dans le programme, le territoire avait déjà conduit {previous}, ce qui lui a donné une "
    "première expérience de la coopération entre communes.",
    "Les élus de {seat} ont souhaité que la feuille de route parte des attentes exprimées par les habitants "
    "lors de {meetings} réunions publiques organisées à l'automne {joined}.",
    "Le diagnostic partagé a mis en évidence une forte dépendance à la voiture individuelle, puisque {cars} "
    "% "
    "des déplacements domicile-travail se font seul au volant.",
    "La facture énergétique du territoire atteint {bill} millions d'euros par an, dont l'essentiel quitte le "
    "territoire pour payer le fioul, le gaz et les carburants.",
)

WORK_SENTENCES = (
    "Le premier chantier retenu par {designation} porte sur {work}, pour un montant de {amount} euros.",
    "Fin 2024, le territoire comptait {count} {unit}, contre {before} un an plus tôt.",
    "Les travaux ont été confiés à {firms} entreprises locales, dont {young} créées depuis moins de cinq "
    "ans.",
    "Un second chantier, consacré à {work2}, a démarré en {month} avec l'appui du syndicat départemental "
    "d'énergie.",
    "L'équipe projet, animée par {agent}, réunit chaque mois les services techniques des communes les plus "
    "concernées.",
    "Les habitants ont été associés au choix des priorités grâce à un budget participatif de {budget} euros, "
    "qui a reçu {projects} propositions.",
    "Les premiers résultats sont visibles : la consommation d'énergie des bâtiments traités a baissé de "
    "{saving} % dès le premier hiver.",
    "{Agent} estime que la réussite du chantier tient d'abord à la régularité des échanges avec les maires, "
    "réunis en conférence tous les deux mois.",
    "Le chantier a bénéficié d'un cofinancement de {cofinancing} euros apporté par le fonds vert, en plus de "
    "la dotation régionale.",
    "Une convention signée avec le lycée agricole de {seat} permet à {students} élèves de participer au "
    "suivi "
    "des travaux.",
)

DIFFICULTIES = (
    "La principale difficulté tient au manque d'artisans qualifiés, qui a retardé de {delay} mois une partie "
    "des travaux.",
    "Plusieurs communes ont hésité à s'engager, faute de pouvoir avancer leur part du financement avant le "
    "versement des subventions.",
    "Le départ du directeur des services techniques en {month} a privé l'équipe projet d'un appui précieux "
    "pendant plusieurs mois.",
    "La hausse des prix des matériaux a obligé le territoire à reporter {postponed} opérations à l'année "
    "suivante.",
    "Les habitants des hameaux les plus éloignés se sont sentis peu concernés par les premières réunions "
    "publiques, tenues à {seat}.",
    "L'instruction des autorisations d'urbanisme a pris plus de temps que prévu, en particulier dans les "
    "secteurs protégés.",
)

LEVERS = (
    "Pour y remédier, {designation} a mutualisé un poste de technicien avec {neighbour}, ce qui a permis de "
    "relancer les consultations.",
    "La région a accepté de verser une avance de {advance} % de la dotation, ce qui a levé le principal "
    "frein "
    "financier des petites communes.",
    "Un groupement de commandes entre communes a permis d'obtenir des prix inférieurs de {discount} % à ceux "
    "des marchés passés séparément.",
    "Des permanences tenues chaque semaine dans les mairies des hameaux ont fait revenir les habitants vers "
    "le "
    "projet.",
    "L'accompagnateur de proximité a organisé une visite chez {neighbour}, dont l'expérience a convaincu les "
    "élus les plus réservés.",
)

PROSPECTS = (
    "En 2025, {designation} prévoit d'étendre son action à {work2}, avec un budget prévisionnel de {future} "
    "euros.",
    "Le comité de pilotage local se réunira en {month} pour arrêter la liste des opérations de la deuxième "
    "année.",
    "Les élus souhaitent aussi engager une réflexion sur la sobriété foncière, en lien avec la révision du "
    "plan "
    "local d'urbanisme intercommunal.",
    "Un bilan intermédiaire sera présenté aux habitants de {seat} à l'automne, lors d'une réunion publique "
    "ouverte à tous.",
    "{Elected} souhaite que le territoire accueille en {next_year} une rencontre départementale consacrée à "
    "{work}.",
)

ACTIONS = (
    "un diagnostic des bâtiments communaux les plus énergivores ;",
    "la formation des secrétaires de mairie aux marchés de travaux ;",
    "un guichet unique de la rénovation ouvert deux jours par semaine ;",
    "une étude d'opportunité pour un réseau de chaleur ;",
    "la plantation de haies le long des chemins communaux ;",
    "un plan de covoiturage avec les entreprises de la zone d'activité ;",
    "l'inventaire des friches et des logements vacants ;",
    "un programme d'animations dans les écoles sur les économies d'énergie ;",
)

CLAUSES = (
    (
        "Versement de la dotation",
        "La région verse la dotation en deux fractions égales, la première à la signature du contrat et la "
        "seconde "
        "sur présentation du premier bilan d'étape.",
    ),
    (
        "Modification du programme d'actions",
        "Toute modification substantielle du programme d'actions fait l'objet d'un avenant approuvé par le "
        "comité "
        "de pilotage et par la commission permanente de la région.",
    ),
    (
        "Communication",
        "Le territoire mentionne le soutien de la région sur tous les supports de communication relatifs aux "
        "opérations financées, ainsi que sur les panneaux de chantier.",
    ),
    (
        "Suivi des indicateurs",
        "Le territoire renseigne chaque semestre les indicateurs de suivi définis dans son contrat, sur la "
        "plateforme mise à disposition par l'observatoire.",
    ),
    (
        "Résiliation",
        "En cas de manquement grave aux engagements du contrat, la région peut le résilier après une mise en "
        "demeure restée sans effet pendant deux mois.",
    ),
    (
        "Propriété des études",
        "Les études financées dans le cadre du contrat peuvent être diffusées librement par la région et par "
        "l'observatoire, sous réserve des données personnelles qu'elles contiennent.",
    ),
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(rng: random.Random, low: int, high: int, step: int = 1) -> str:
    """A figure written the French way, thousands separated by a space."""
    return f"{rng.randrange(low, high, step):,}".replace(",", " ")


def _facts(territory: Territory, index: int, rng: random.Random) -> dict[str, str]:
    work, unit = WORKS[index % len(WORKS)]
    neighbour = TERRITORIES[(index + 5) % len(TERRITORIES)]
    return {
        "designation": territory.designation,
        "Designation": _cap(territory.designation),
        "seat": territory.seat,
        "department": territory.department,
        "agent": territory.agent,
        "Agent": territory.agent,
        "Elected": territory.elected,
        "population": _number(rng, 9000, 68000, 10),
        "communes": str(rng.randrange(11, 48)),
        "area": str(rng.randrange(180, 920)),
        "trend": rng.choice(("augmenté", "diminué")),
        "change": str(rng.randrange(2, 9)),
        "economy": rng.choice(
            (
                "l'agriculture",
                "l'industrie agroalimentaire",
                "le tourisme",
                "la filière bois",
                "les services à la personne",
                "la sous-traitance automobile",
            )
        ),
        "share": rng.choice(("trois", "quatre", "cinq")),
        "joined": str(rng.choice((2023, 2024))),
        "previous": rng.choice(
            (
                "un plan climat-air-énergie territorial",
                "un projet alimentaire territorial",
                "une opération programmée d'amélioration de l'habitat",
                "un contrat de ruralité",
            )
        ),
        "meetings": rng.choice(("quatre", "cinq", "six", "sept")),
        "cars": str(rng.randrange(72, 91)),
        "bill": f"{rng.randrange(18, 95)},{rng.randrange(1, 9)}",
        "work": work,
        "work2": WORKS[(index + 4) % len(WORKS)][0],
        "unit": unit,
        "count": str(rng.randrange(12, 60)),
        "before": str(rng.randrange(1, 11)),
        "amount": _number(rng, 120000, 1400000, 5000),
        "firms": rng.choice(("six", "sept", "huit", "neuf", "onze")),
        "young": rng.choice(("deux", "trois", "quatre")),
        "month": rng.choice(("février", "mars", "avril", "mai", "juin", "septembre", "octobre")),
        "budget": _number(rng, 20000, 90000, 5000),
        "projects": str(rng.randrange(24, 130)),
        "saving": str(rng.randrange(18, 41)),
        "cofinancing": _number(rng, 60000, 450000, 5000),
        "students": str(rng.randrange(12, 40)),
        "delay": rng.choice(("trois", "quatre", "cinq", "six")),
        "postponed": rng.choice(("deux", "trois", "quatre")),
        "neighbour": neighbour.designation,
        "advance": str(rng.choice((30, 40, 50))),
        "discount": str(rng.randrange(8, 19)),
        "future": _number(rng, 150000, 900000, 10000),
        "next_year": str(rng.choice((2025, 2026))),
    }


def _pick(rng: random.Random, patterns: tuple[str, ...], count: int, facts: dict[str, str]) -> str:
    return " ".join(pattern.format(**facts) for pattern in rng.sample(patterns, count))


def _items(actions: list[str]) -> tuple[str, ...]:
    """List items as a French list writes them: a semicolon after each, a full stop after the last."""
    return (*actions[:-1], actions[-1].removesuffix(" ;") + ".")


def _interview(territory: Territory, facts: dict[str, str]) -> Box:
    return Box(
        f"Trois questions à {territory.elected}",
        (
            BoxLine(
                f"Pourquoi les élus de {facts['seat']} se sont-ils engagés dans le programme ?", strong=True
            ),
            BoxLine(
                f"« À {facts['seat']} comme ailleurs, nous avions des projets dispersés, sans vision "
                "d'ensemble. "
                f"Le programme "
                f"nous a obligés à choisir, et le choix de {facts['work']} s'est imposé parce que chacun en "
                "voyait "
                "l'utilité. »"
            ),
            BoxLine(f"Qu'est-ce qui a le plus changé pour {territory.name} depuis un an ?", strong=True),
            BoxLine(
                "« Les maires se parlent davantage. Nous nous retrouvons tous les deux mois à "
                f"{facts['seat']}, "
                "et les décisions se prennent plus vite qu'avant. »"
            ),
        ),
        page=0,
    )


def chapter(territory: Territory, index: int, rng: random.Random) -> tuple[Block, ...]:
    """One territory's chapter: four sections and three boxes."""
    facts = _facts(territory, index, rng)
    number = index + 2
    title, article = CLAUSES[index % len(CLAUSES)]
    return (
        Heading(1, f"{number}.", territory.name, 0, new_page=True),
        Heading(2, f"{number}.1", "Contexte", 0),
        Paragraph(CONTEXT[0].format(**facts) + " " + _pick(rng, CONTEXT[1:], 5, facts)),
        Box(
            "Chiffres clés",
            (
                BoxLine(
                    f"{facts['count']} {facts['unit']} fin 2024 ; {facts['amount']} euros engagés ; "
                    f"{facts['projects']} propositions d'habitants reçues."
                ),
                BoxLine(f"Élue ou élu référent : {territory.elected}, {territory.role}."),
            ),
            page=0,
        ),
        Heading(2, f"{number}.2", "Chantiers engagés", 0),
        Paragraph(WORK_SENTENCES[0].format(**facts) + " " + _pick(rng, WORK_SENTENCES[1:5], 3, facts)),
        Paragraph(_pick(rng, WORK_SENTENCES[5:], 3, facts)),
        Paragraph("Pour la deuxième année, l'équipe projet a inscrit à son programme :"),
        Bullets(_items(rng.sample(ACTIONS, 3)), char=WINGDINGS_SQUARE),
        _interview(territory, facts),
        Heading(2, f"{number}.3", "Difficultés et leviers", 0),
        Paragraph(_pick(rng, DIFFICULTIES, 3, facts) + " " + _pick(rng, LEVERS, 2, facts)),
        Box(
            f"Article {index % len(CLAUSES) + 3} de la convention – {title}",
            (BoxLine(article),),
            0,
            small=True,
        ),
        Heading(2, f"{number}.4", "Perspectives", 0),
        Paragraph(_pick(rng, PROSPECTS, 4, facts)),
    )


INTRODUCTION: tuple[Block, ...] = (
    Heading(1, "1.", "Présentation des monographies", 0, new_page=True),
    Paragraph(
        "Chaque monographie suit le même plan : le contexte du territoire, les chantiers engagés pendant la "
        "première année, les difficultés rencontrées et les leviers trouvés pour les surmonter, enfin les "
        "perspectives pour 2025. Les chiffres clés sont ceux que les territoires ont déclarés à "
        "l'observatoire "
        "au 31 décembre 2024 ; ils n'ont pas fait l'objet d'un contrôle sur place."
    ),
    Box(
        "Comment lire les encadrés",
        (
            BoxLine(
                "Chaque chapitre comporte trois encadrés : les chiffres clés du territoire, un entretien "
                "avec "
                "l'élu référent et un article de la convention type qui éclaire une difficulté rencontrée."
            ),
        ),
        page=0,
    ),
)


def blocks(seed: int = 26) -> tuple[Block, ...]:
    """The whole report's blocks, the same for the same seed.

    Sentences are French patterns filled with each territory's facts, so that no two chapters
    read alike; every chapter has three boxes (key figures, an interview, a clause of the
    convention), bordered one-cell tables. Built only for the speed target of issue 26."""
    rng = random.Random(seed)
    found = list(INTRODUCTION)
    for index, territory in enumerate(TERRITORIES):
        found.extend(chapter(territory, index, rng))
    return tuple(found)


def word_file(seed: int = 26) -> WordFile:
    return WordFile(TITLE, SUBTITLE, TITLE_SENTENCE, ODD_FOOTER, EVEN_FOOTER, blocks(seed))
