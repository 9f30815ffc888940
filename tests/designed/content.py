"""The content of the designed report, written once and rendered both to ODT and to Markdown.

The text is fictional and French, on the project's theme (peer-learning « journées » for local
territories). Keeping the content as plain data lets the ODT writer, the Markdown twin and the
expectations share the exact same sentences, so a test can never check a sentence that the
document does not contain. Pages are the pages LibreOffice 7.4 gives the PDF (A4, 11 pt body);
the generator's tests verify them on the produced file.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = "Bilan des journées d'initiation — document de travail"
FOOTER = "Réseau des territoires apprenants"
TITLE = "Bilan du cycle de journées d'initiation au changement systémique"
SUBTITLE = "Synthèse établie par l'équipe d'animation du réseau, version du 14 mars 2025."
TABLE_HEADER = ("Territoire", "Attentes", "Suites données")


@dataclass(frozen=True)
class Heading:
    """A heading; ``number`` is made by the word processor's numbering, never typed ("": none)."""

    level: int
    number: str
    title: str
    page: int
    new_page: bool = False

    @property
    def label(self) -> str:
        """The heading as a reader sees it, number included (« 1.1 Objectifs du cycle »)."""
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Footnote:
    """A footnote whose call mark is placed right after ``after`` inside its paragraph."""

    after: str
    text: str
    page: int


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, optionally carrying one footnote."""

    text: str
    note: Footnote | None = None


@dataclass(frozen=True)
class ItemList:
    """A bullet list, or a numbered list whose numbers LibreOffice generates."""

    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Columns:
    """A section laid out in columns; ``widths`` are relative, unequal widths move the gutter."""

    widths: tuple[int, ...]
    blocks: tuple[Heading | Paragraph | ItemList, ...]


@dataclass(frozen=True)
class Table:
    """A ruled table whose header row is repeated on each page it spans."""

    rows: tuple[tuple[str, str, str], ...]


Block = Heading | Paragraph | ItemList | Columns | Table

FOOTNOTE = Footnote(
    after="présidé par Hélène Quérand",
    text="Hélène Quérand dirige depuis 2019 le service de coopération territoriale du département "
    "des Hautes-Brumes.",
    page=1,
)

# The paragraph at the bottom of page 1: its sentence « Le budget total … » runs onto page 2.
PAGE_BREAK_SENTENCE = (
    "Le budget total du cycle s'est élevé à 38 500 euros, financés pour moitié par la région et pour "
    "moitié par les intercommunalités participantes, ce qui représente un coût moyen d'environ 150 euros "
    "par participant et par journée, repas et déplacements compris."
)

# The sentence cut between the left and the right column of page 2.
COLUMN_BREAK_SENTENCE = (
    "Le thème retenu était celui des jeux d'acteurs, c'est-à-dire la manière dont les intérêts, les "
    "alliances et les rivalités orientent les décisions locales."
)

# The sentence cut between the second and the third column of page 3.
THREE_COLUMN_BREAK_SENTENCE = (
    "L'articulation avec les politiques contractuelles de la région reste à construire."
)

BULLETS = (
    "Chaque équipe apprend à cartographier les acteurs de son territoire et leurs relations.",
    "Les participants repèrent les boucles de rétroaction qui entretiennent un problème local.",
    "Les élus s'exercent à formuler une vision partagée du territoire à l'horizon 2035.",
    "Les agents testent au moins une méthode de concertation entre deux journées.",
    "Chaque territoire choisit un levier d'action et le présente lors de la journée de clôture.",
)

DATES = (
    "12 septembre 2024 : première journée à Saint-Ormel-sur-Lisse, consacrée à la lecture systémique.",
    "17 octobre 2024 : deuxième journée à Val-d'Orbelune, consacrée aux jeux d'acteurs.",
    "21 novembre 2024 : troisième journée à Bréval-les-Étangs, consacrée à l'expérimentation.",
    "23 janvier 2025 : journée de clôture à Montcaillou-le-Vieux, consacrée aux engagements.",
)

ROWS: tuple[tuple[str, str, str], ...] = (
    (
        "Saint-Ormel-sur-Lisse",
        "Sortir du blocage sur la revitalisation du centre-bourg.",
        "Un comité d'usagers de la place du marché se réunit chaque mois depuis janvier 2025. Il réunit "
        "commerçants, riverains et forains.",
    ),
    (
        "Val-d'Orbelune",
        "Faire travailler ensemble les trois anciens villages de la commune nouvelle, qui gardent chacun "
        "leurs habitudes.",
        "Une conférence des maires délégués prépare un projet de territoire commun pour 2026.",
    ),
    (
        "Bréval-les-Étangs",
        "Mieux partager l'eau entre agriculteurs, pêcheurs et habitants.",
        "Une expérimentation de gestion concertée des étangs est lancée sur trois ans, avec un suivi "
        "annuel des niveaux d'eau.",
    ),
    (
        "Communauté de communes des Hautes-Brumes",
        "Donner une culture commune aux agents des vingt-deux communes membres.",
        "Un parcours de formation interne reprend les méthodes du cycle. Trente agents y sont inscrits "
        "pour 2025.",
    ),
    (
        "Montcaillou-le-Vieux",
        "Préparer l'accueil de nouveaux habitants sans fragiliser les services existants, déjà saturés "
        "le mercredi.",
        "Une enquête auprès des nouveaux arrivants est confiée au conseil des jeunes.",
    ),
    (
        "Pays de Morlanne",
        "Relier les projets alimentaires des communes, jusqu'ici menés chacun de leur côté.",
        "Un projet alimentaire territorial est voté le 4 février 2025.",
    ),
    (
        "Sainte-Alvise",
        "Comprendre la baisse de fréquentation de l'école de musique depuis la rentrée 2022.",
        "Une carte des mobilités des familles est en cours de réalisation avec le collège voisin.",
    ),
    (
        "Coteaux du Verdan",
        "Associer les viticulteurs à la stratégie climatique, après deux étés de sécheresse.",
        "Deux ateliers communs sont programmés avant les vendanges de 2025.",
    ),
    (
        "Lanvéran",
        "Rouvrir le dialogue avec les associations après la fermeture de la salle polyvalente.",
        "Un lieu provisoire est ouvert dans l'ancienne gare, géré par un collectif d'associations.",
    ),
    (
        "Vallée de la Sorgane",
        "Anticiper les effets des crues sur les hameaux isolés.",
        "Un exercice de simulation avec les habitants est prévu au printemps, sous la conduite des "
        "pompiers volontaires.",
    ),
    (
        "Île-de-Penmor",
        "Concilier tourisme estival et vie à l'année.",
        "Une charte d'accueil des visiteurs est rédigée avec les loueurs et les pêcheurs de l'île.",
    ),
    (
        "Roc-Salbert",
        "Trouver des repreneurs pour les commerces du bourg, dont la boulangerie fermée depuis 2023.",
        "Une boutique à l'essai ouvre en avril 2025 dans un local communal rénové, avec un loyer réduit "
        "la première année.",
    ),
    (
        "Haut-Ferrail",
        "Redonner envie aux habitants de s'engager dans la vie locale et associative.",
        "Un budget participatif de 20 000 euros est ouvert aux habitants dès 2025. Les projets seront "
        "votés en septembre.",
    ),
    (
        "Plateau d'Essarmont",
        "Mutualiser l'ingénierie entre petites communes qui n'ont ni secrétaire de mairie à temps plein ni "
        "service technique.",
        "Un poste de chargée de mission partagé entre six communes est créé. Sa prise de fonction est "
        "prévue le 1er avril 2025.",
    ),
)

COLUMNS_2 = Columns(
    widths=(3, 2),
    blocks=(
        Heading(2, "2.1", "Première journée à Saint-Ormel-sur-Lisse", 2),
        Paragraph(
            "La première journée s'est ouverte le 12 septembre 2024 dans la salle des fêtes de "
            "Saint-Ormel-sur-Lisse, devant 64 participants. La maire, Inès Daurignac, a présenté le projet "
            "de revitalisation du centre-bourg, engagé depuis 2021 et longtemps freiné par des conflits "
            "d'usage autour de la place du marché. Le facilitateur Bastien Lorvel a proposé aux équipes de "
            "dessiner la carte des relations entre commerçants, habitants, services techniques et "
            "propriétaires des locaux vacants. L'exercice a fait apparaître une boucle de rétroaction que "
            "personne n'avait formulée jusque-là : moins de commerces ouverts réduisent la fréquentation, "
            "ce qui décourage les repreneurs potentiels."
        ),
        Paragraph(
            "En fin de journée, chaque binôme est reparti avec une carte provisoire de son territoire, à "
            "compléter avant la journée suivante. Les retours à chaud ont été très positifs, même si "
            "plusieurs élus ont regretté de ne pas avoir eu davantage de temps pour échanger avec leurs "
            "homologues."
        ),
        Heading(2, "2.2", "Deuxième journée à Val-d'Orbelune", 2),
        Paragraph(
            "La deuxième journée a eu lieu le 17 octobre 2024 à Val-d'Orbelune, une commune nouvelle de "
            "3200 habitants issue de la fusion de trois villages en 2019. "
            + COLUMN_BREAK_SENTENCE
            + " Les participants ont joué une simulation de conseil communautaire consacrée à "
            "l'implantation d'une chaufferie au bois, chacun tenant un rôle éloigné de sa fonction "
            "habituelle. Ce déplacement a beaucoup marqué les élus, qui ont découvert combien les "
            "arguments techniques pèsent peu face aux loyautés anciennes entre communes. La journée s'est "
            "conclue par une visite de la ferme collective des Quatre-Vents, reprise en 2022 par une "
            "coopérative de sept jeunes agriculteurs."
        ),
        Paragraph(
            "Le lendemain, un questionnaire envoyé aux participants a recueilli 58 réponses. Les deux "
            "tiers des répondants disaient avoir changé de regard sur au moins un conflit de leur propre "
            "territoire. Plusieurs binômes ont demandé que la simulation soit reprise dans leur commune, "
            "avec les habitants cette fois."
        ),
    ),
)

COLUMNS_3 = Columns(
    widths=(1, 1, 1),
    blocks=(
        Heading(2, "3.1", "Ce qui a fonctionné", 3),
        Paragraph(
            "Les participants soulignent d'abord la qualité de l'accompagnement méthodologique. La "
            "cartographie systémique a permis de rendre visibles des interdépendances que les "
            "organigrammes habituels masquent. Les échanges entre territoires de tailles très différentes "
            "se sont révélés particulièrement féconds, une petite commune pouvant inspirer une "
            "intercommunalité entière. La règle du binôme entre un élu et un agent a favorisé une "
            "appropriation durable des outils."
        ),
        Heading(2, "3.2", "Les difficultés rencontrées", 3),
        Paragraph(
            "Plusieurs équipes ont peiné à maintenir la dynamique entre deux journées, faute de temps "
            "dédié dans les agendas municipaux. La troisième journée, consacrée à l'expérimentation, a "
            "réuni seulement 51 participants en raison d'intempéries. Certains élus ont exprimé une "
            "inquiétude face au vocabulaire jugé trop théorique, ce qui a conduit l'équipe d'animation à "
            "simplifier ses supports. " + THREE_COLUMN_BREAK_SENTENCE
        ),
        Heading(2, "3.3", "Journée de clôture", 3),
        Paragraph(
            "La journée de clôture s'est tenue le 23 janvier 2025 à Montcaillou-le-Vieux, en présence du "
            "vice-président de la région chargé de l'aménagement. Chaque territoire y a présenté son "
            "levier d'action devant un jury bienveillant composé de pairs. Les engagements pris ce "
            "jour-là sont repris dans le tableau de la partie suivante. Les présentations, limitées à "
            "sept minutes, ont été filmées pour constituer une ressource partagée entre les territoires "
            "du réseau."
        ),
    ),
)

BLOCKS: tuple[Block, ...] = (
    Heading(1, "1.", "Contexte et objectifs", 1),
    Paragraph(
        "Entre septembre 2024 et janvier 2025, quatorze territoires ruraux et périurbains se sont réunis "
        "pour apprendre ensemble à conduire des transformations durables. Le cycle a été conçu comme une "
        "suite de journées d'apprentissage entre pairs, où chaque territoire apporte une situation "
        "concrète et repart avec des pistes d'action. Il s'inscrit dans le programme régional "
        "Territoires en transition, lancé en 2023 pour accompagner les collectivités qui veulent dépasser "
        "la logique des projets isolés. Le présent document rend compte de ce qui a été vécu, des "
        "enseignements partagés et des engagements pris par chacun des territoires. Les journées ont été "
        "animées par une équipe de trois facilitateurs, dont Bastien Lorvel, qui accompagne depuis dix ans "
        "des démarches de coopération entre communes rurales et qui avait conçu en 2022 une première "
        "version du parcours pour les communes du littoral."
    ),
    Heading(2, "1.1", "Objectifs du cycle", 1),
    Paragraph(
        "Le comité de pilotage, présidé par Hélène Quérand, a fixé trois objectifs au cycle dès la réunion "
        "de lancement du 3 juin 2024. Il s'agissait de donner aux élus et aux agents un langage commun pour "
        "décrire les systèmes dans lesquels ils agissent, de les outiller pour agir sur ces systèmes et de "
        "créer un réseau durable entre territoires. Pour atteindre ces objectifs, le programme a retenu "
        "cinq engagements concrets, demandés à chaque équipe territoriale :",
        note=FOOTNOTE,
    ),
    ItemList(BULLETS),
    Paragraph(
        "Ces engagements ont été rappelés au début de chaque journée et suivis dans un tableau de bord "
        "partagé, mis à jour par les binômes eux-mêmes. Ils ne constituaient pas une obligation de "
        "résultat, mais une manière de garder le fil entre deux rencontres espacées de plusieurs semaines."
    ),
    Heading(2, "1.2", "Calendrier et participants", 1),
    Paragraph(
        "Les quatre journées se sont tenues dans quatre territoires différents, afin que chaque hôte "
        "puisse montrer son terrain et mettre en discussion une difficulté qu'il n'avait pas encore su "
        "dépasser :"
    ),
    ItemList(DATES, numbered=True),
    Paragraph(
        "Au total, 86 personnes ont participé à au moins une journée, dont 42 élus et 44 agents ou "
        "partenaires associatifs. La participation est restée stable d'une journée à l'autre, ce qui est "
        "rare pour un cycle aussi long et traduit l'intérêt des équipes pour la démarche. Les territoires "
        "ont été invités à venir en binôme, un élu et un agent, pour que les apprentissages puissent "
        "ensuite circuler dans les services comme dans les assemblées délibérantes. Cette règle a été "
        "respectée par douze territoires sur quatorze, les deux autres ayant envoyé deux agents faute "
        "d'élu disponible aux dates prévues. Les frais de déplacement des élus des communes de moins de "
        "2000 habitants ont été pris en charge intégralement, afin qu'aucune équipe ne renonce pour des "
        "raisons financières. "
        + PAGE_BREAK_SENTENCE
        + " L'évaluation finale, conduite en février 2025 auprès de 71 répondants, montre que 92 % d'entre "
        "eux recommanderaient le cycle à un territoire voisin."
    ),
    Heading(1, "2.", "Déroulé des journées", 2),
    COLUMNS_2,
    Heading(1, "3.", "Enseignements transversaux", 3, new_page=True),
    COLUMNS_3,
    Heading(1, "4.", "Attentes et suites par territoire", 4, new_page=True),
    Paragraph(
        "Le tableau ci-dessous rassemble, pour chaque territoire, les attentes exprimées lors de "
        "l'inscription et les suites concrètes annoncées lors de la journée de clôture. Il a été relu "
        "par les référents de chaque territoire avant sa diffusion. Les suites indiquées sont des "
        "engagements publics : l'équipe d'animation en fera le point avec chaque binôme lors d'un entretien "
        "téléphonique prévu en juin 2025, puis lors de la journée de retrouvailles. Les territoires sont "
        "présentés dans l'ordre de leur inscription au cycle, du premier inscrit au dernier, le Plateau "
        "d'Essarmont, qui a rejoint le groupe quelques jours seulement avant la première journée. Les "
        "cellules reprennent les formulations des territoires eux-mêmes, à peine raccourcies par l'équipe "
        "d'animation pour tenir dans le tableau."
    ),
    Table(ROWS),
    Heading(1, "5.", "Perspectives", 5),
    Paragraph(
        "Le comité de pilotage a décidé de reconduire le cycle à l'automne 2025 pour une nouvelle "
        "promotion de douze territoires. Les territoires de la première promotion deviendront des "
        "parrains pour les nouveaux venus. Une journée de retrouvailles réunira les deux promotions le "
        "16 octobre 2025 à Lanvéran. Les ressources produites pendant le cycle seront publiées sous "
        "licence libre sur le site du réseau."
    ),
    Paragraph(
        "Pour la seconde promotion, trois évolutions sont prévues. Les journées passeront de quatre à "
        "cinq, afin de laisser plus de place aux échanges entre homologues. Un temps de travail à distance "
        "d'une heure sera proposé chaque mois entre deux journées. Enfin, un élu et un agent de la première "
        "promotion rejoindront l'équipe d'animation pour partager leur expérience."
    ),
)
