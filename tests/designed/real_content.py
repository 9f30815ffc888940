"""The activity report's content, laid out by LibreOffice as designers lay out reports (ODT to PDF)."""

from __future__ import annotations

from tests.designed.real_blocks import (
    WINGDINGS_ARROW,
    WINGDINGS_SQUARE,
    Band,
    Block,
    Box,
    BoxLine,
    Bullets,
    Figure,
    Grid,
    Heading,
    Note,
    Paragraph,
)

# Fictional and French, on a regional programme of territorial transition. Pages are those
# LibreOffice 7.4 gives the PDF (A4, 11 pt body), verified by test_real_layouts.py.
TITLE = "Programme Territoires en transition"
SUBTITLE = "Rapport d'activité de la première année de mise en œuvre"
TITLE_SENTENCE = (
    "Ce rapport a été établi par l'observatoire régional des transitions à partir des bilans transmis "
    "par les vingt-sept territoires engagés."
)
# Odd pages carry the first footer, even pages the second; the title page has none.
ODD_FOOTER = "Territoires en transition — rapport d'activité 2024"
EVEN_FOOTER = "Observatoire régional des transitions"

# Runs from the bottom of band 1's left column to the top of its right column.
COLUMN_SENTENCE = (
    "Quel que soit ce choix, les comités de pilotage locaux associent désormais des habitants tirés au sort, "
    "des représentants des entreprises et des associations environnementales, selon une composition que "
    "chaque territoire a pu adapter à sa taille."
)
# Starts at the foot of page 2 and ends at the top of page 3.
PAGE_SENTENCE = (
    "Cette souplesse a été appréciée des territoires dont les marchés de travaux ont pris du retard, en "
    "particulier dans les communes rurales où les entreprises répondent peu aux appels d'offres."
)
LEAD = "Trois outils ont été proposés aux territoires dès le printemps 2024."

FUND_NOTE = Note(
    after="fonds vert",
    number=1,
    text="Le fonds vert est le fonds d'accélération de la transition écologique dans les territoires, "
    "créé par l'État en 2023.",
    page=2,
)
EARLY_PAYMENT_NOTE = Note(
    after="à la demande de leurs élus.",
    number=2,
    text="Décision de la commission régionale du 14 octobre 2024, prise après avis des départements.",
    page=2,
)
HOUSING_NOTE = Note(
    after="1 240 logements",
    number=3,
    text="Logements privés dont le dossier de subvention a été déposé et accepté avant le 31 décembre.",
    page=4,
)
SURVEY_NOTE = Note(
    after="des habitants interrogés.",
    number=4,
    text="Enquête téléphonique menée en novembre 2024 auprès de 1 015 habitants des territoires engagés.",
    page=4,
)

BAND_1 = Band(
    (
        Paragraph(
            "En 2024, vingt-sept intercommunalités se sont engagées dans le programme Territoires en "
            "transition, soit près de 640 000 habitants répartis dans quatre départements. Chacune a signé "
            "avec la région une feuille de route de trois ans, qui fixe ses priorités, ses moyens et les "
            "indicateurs permettant d'en suivre les effets. La plupart des territoires ont choisi de "
            "commencer par la rénovation énergétique des bâtiments publics, un chantier visible et "
            "rapidement utile aux habitants. Quelques-uns ont préféré ouvrir d'emblée des chantiers plus "
            "difficiles, comme la sobriété foncière ou la reconversion des friches industrielles. "
            + COLUMN_SENTENCE
        ),
        Paragraph(
            "Les équipes projet se sont constituées au premier semestre, le plus souvent autour d'un chargé "
            "de mission recruté pour l'occasion et financé à moitié par le programme. Dans les plus petites "
            "communautés de communes, ce poste est partagé entre deux ou trois territoires voisins, ce qui "
            "oblige à organiser le temps de travail avec soin. Les élus référents "
            "se réunissent chaque trimestre à l'échelle du département pour comparer leurs avancées et "
            "signaler les blocages rencontrés."
        ),
    )
)

FIGURE = Figure(
    "Figure 1 – Répartition des vingt-sept territoires engagés selon leur premier chantier.", page=2
)

BAND_2 = Band(
    (
        Paragraph(
            "La rénovation des écoles et des salles communales arrive en tête des chantiers, avec "
            "quarante-deux bâtiments traités en un an. Les travaux ont porté sur l'isolation des combles, "
            "le remplacement des chaudières au fioul et la pose de régulations simples, qui suffisent "
            "souvent à réduire d'un quart la consommation d'un bâtiment. Six territoires ont également "
            "lancé un plan de mobilité rurale, fondé sur le covoiturage de proximité et le transport à la "
            "demande."
        ),
        Paragraph(
            "Les chantiers de sobriété foncière avancent plus lentement, car ils supposent de réviser les "
            "documents d'urbanisme et de convaincre des conseils municipaux parfois réticents. Le Pays "
            "d'Aurèle fait figure d'exception : il a identifié quatorze friches à reconvertir avant toute "
            "ouverture de nouvelle zone d'activité. Ses élus comptent y installer des artisans et une "
            "recyclerie dès 2026."
        ),
    )
)

FINANCE = Paragraph(
    "Le programme dispose pour sa première année d'une enveloppe de 12,4 millions d'euros, dont "
    "7,1 millions apportés par la région, 3,8 millions par l'État au titre du fonds vert et le reste par "
    "les départements. Chaque territoire reçoit une dotation de base de 150 000 euros, complétée selon la "
    "taille de sa population et la fragilité de ses ressources fiscales. Les dotations ont été versées en "
    "deux fois, la première moitié à la signature de la feuille de route et la seconde après la remise du "
    "premier bilan d'étape. Le versement de la seconde moitié a été avancé de deux mois pour les "
    "territoires les plus fragiles, à la demande de leurs élus. Chaque euro de dotation a permis de "
    "mobiliser en moyenne 2,3 euros d'autres financements, publics ou privés, ce qui dépasse l'objectif "
    "fixé au lancement du programme. Les crédits non engagés au 31 décembre ne sont pas perdus : ils sont "
    "reportés sur l'année suivante, à condition que le comité de pilotage local en justifie l'usage devant "
    "la commission régionale chargée du suivi des contrats. " + PAGE_SENTENCE + " Elle sera maintenue en "
    "2025, avec un plafond de report fixé à la moitié de la dotation annuelle.",
    notes=(FUND_NOTE, EARLY_PAYMENT_NOTE),
)

DEFINITION_BOX = Box(
    "Contrat de transition",
    (
        BoxLine(
            "Le contrat de transition est l'accord signé pour trois ans entre la région et une "
            "intercommunalité engagée dans le programme. Il fixe les chantiers prioritaires, le montant de "
            "la dotation et les indicateurs que l'observatoire suit chaque année."
        ),
        BoxLine("Il peut être révisé une fois à mi-parcours, à la demande de l'une ou l'autre des parties."),
    ),
    page=3,
)

QUESTIONS_BOX = Box(
    "Questions fréquentes",
    (
        BoxLine("Qui peut rejoindre le programme ?", strong=True),
        BoxLine(
            "Toute intercommunalité de la région peut déposer une candidature, seule ou avec des territoires "
            "voisins, lors de l'appel annuel ouvert chaque mois de mars."
        ),
        BoxLine("Une commune peut-elle candidater seule ?", strong=True),
        BoxLine(
            "Non, car le programme s'adresse aux intercommunalités, mais une commune peut porter un projet "
            "inscrit dans la feuille de route de sa communauté."
        ),
    ),
    page=3,
    frame=True,
)

LEGAL_BOX = Box(
    "Article 6 – Suivi et évaluation",
    (
        BoxLine(
            "Le territoire transmet chaque année à la région, avant le 31 mars, un rapport présentant "
            "l'avancement des chantiers et l'usage de la dotation reçue."
        ),
        BoxLine(
            "À défaut de transmission dans un délai de trois mois après une relance écrite, la région peut "
            "suspendre le versement du solde de la dotation."
        ),
    ),
    page=4,
    small=True,
)

RESOURCES = Bullets(
    (
        "des fiches d'expérience rédigées par les territoires eux-mêmes ;",
        "un annuaire des bureaux d'études et des associations compétentes ;",
        "des modèles de cahiers des charges pour les marchés de rénovation.",
    ),
    char=WINGDINGS_SQUARE,
)

CAUTIONS = Bullets(
    (
        "Les fiches d'expérience sont relues par un autre territoire avant leur mise en ligne.",
        "Les modèles de cahiers des charges doivent être adaptés au droit local de chaque marché.",
    ),
    char=WINGDINGS_ARROW,
)

GRID = Grid(
    ("Territoire", "Premier chantier", "Montant engagé"),
    (
        ("Val-de-Sarmance", "Rénovation de six écoles", "410 000 €"),
        ("Pays d'Aurèle", "Reconversion de la friche Montier", "1,2 million d'euros"),
        ("Monts-Brûlés", "Transport à la demande", "185 000 €"),
        ("Lorvannes", "Réseau de chaleur au bois", "760 000 €"),
        ("Basse-Guirande", "Plan de sobriété foncière", "95 000 €"),
    ),
    page=4,
)

RESULTS = Paragraph(
    "Au 31 décembre 2024, 1 240 logements avaient bénéficié d'une aide à la rénovation dans les territoires "
    "engagés, soit deux fois plus qu'en 2023. Le gain moyen atteint 38 % de la consommation de chauffage "
    "selon les diagnostics réalisés après travaux. La notoriété du programme progresse aussi, puisqu'il "
    "est désormais connu de 41 % des habitants interrogés. Les territoires ruraux restent pourtant moins "
    "bien servis que les villes moyennes, faute d'artisans qualifiés disponibles.",
    notes=(HOUSING_NOTE, SURVEY_NOTE),
)

TWO_LINE_HEADING = Heading(
    1,
    "2.",
    "Des outils pour accompagner les collectivités dans la conduite de leurs projets de transition",
    3,
)
EMPTY_HEADING = Heading(2, "2.3", "Le réseau des accompagnateurs", 3)
ANNEX_HEADING = Heading(
    1,
    "",
    "Annexe – Liste des territoires engagés dans le programme et des référents chargés de leur suivi",
    5,
    new_page=True,
)

BLOCKS: tuple[Block, ...] = (
    Heading(1, "1.", "Une première année de mise en œuvre", 2, new_page=True),
    BAND_1,
    FIGURE,
    Heading(2, "1.1", "Les premiers chantiers engagés", 2),
    BAND_2,
    Heading(2, "1.2", "Le financement du programme", 2),
    FINANCE,
    TWO_LINE_HEADING,
    Paragraph(LEAD, lead=True),
    Paragraph(
        "Le premier est un guide méthodologique, le deuxième un centre de ressources en ligne et le "
        "troisième un réseau d'accompagnateurs présents dans chaque département. Tous trois ont été conçus "
        "avec les agences d'urbanisme et les conseils d'architecture, d'urbanisme et de l'environnement."
    ),
    Heading(2, "2.1", "Le guide méthodologique", 3),
    Paragraph(
        "Le guide décrit pas à pas la préparation d'une feuille de route, depuis le diagnostic partagé "
        "jusqu'au choix des indicateurs. Il a été téléchargé plus de 2 300 fois au cours de l'année."
    ),
    DEFINITION_BOX,
    Heading(2, "2.2", "Le centre de ressources en ligne", 3),
    Paragraph("Le centre de ressources propose notamment :"),
    RESOURCES,
    Paragraph("Deux règles encadrent son usage :"),
    CAUTIONS,
    QUESTIONS_BOX,
    EMPTY_HEADING,
    Heading(2, "2.4", "Les formations proposées aux élus", 3),
    Paragraph(
        "Quatre sessions de formation ont réuni 212 élus, le samedi matin pour ménager leurs agendas. "
        "Elles portaient sur la lecture d'un bilan énergétique et sur la conduite d'une concertation."
    ),
    Heading(1, "3.", "Premiers résultats", 4, new_page=True),
    RESULTS,
    GRID,
    Paragraph(
        "Les montants engagés correspondent aux marchés notifiés au 31 décembre ; ils ne comprennent ni les "
        "études préalables ni les frais de personnel. Le suivi de ces engagements est encadré par la "
        "convention type signée avec chaque territoire, dont l'article relatif au suivi est reproduit "
        "ci-dessous."
    ),
    LEGAL_BOX,
    ANNEX_HEADING,
    Paragraph(
        "Chaque territoire a désigné un élu référent et un référent technique, qui sont les interlocuteurs "
        "de la région pour toute question relative au contrat. La liste complète, mise à jour chaque "
        "trimestre, est publiée sur le site de l'observatoire régional des transitions."
    ),
)
