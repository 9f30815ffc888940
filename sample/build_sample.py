"""Build the fictional sample report used to test the document Q&A assistant.

Everything in this document (territories, people, places, dates, figures) is
invented. The output is byte-for-byte deterministic: running the script twice
produces identical files.

Usage::

    python sample/build_sample.py          # writes sample/bilan-exemple.pdf
"""

from __future__ import annotations

import io
import pathlib
from xml.sax.saxutils import escape

from reportlab import rl_config

rl_config.invariant = 1
rl_config.hyphenationLang = ""

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

HERE = pathlib.Path(__file__).resolve().parent
OUTPUT = HERE / "bilan-exemple.pdf"

TITLE = "Bilan d'exemple des quatre journées d'initiation à la conduite du changement systémique"
SUBTITLE = (
    "Quatre journées d'apprentissage entre pairs pour douze territoires imaginaires, de mars à juin 2026"
)
AUTHOR = "Association Les Passeurs de Transitions (organisation fictive)"
SUBJECT = "Document d'exemple entièrement fictif pour tester l'assistant"
RUNNING_HEADER = "Bilan d'exemple — journées d'initiation (contenu fictif)"
FOOTER_FORMAT = "Page {page} / {total}"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.0 * cm
MARGIN_TOP = 2.4 * cm
MARGIN_BOTTOM = 2.2 * cm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

# --------------------------------------------------------------------------
# Styles (standard Helvetica family only, no hyphenation)
# --------------------------------------------------------------------------

_COMMON = {"hyphenationLang": "", "embeddedHyphenation": 0, "uriWasteReduce": 0}

BODY = ParagraphStyle(
    "Body",
    fontName="Helvetica",
    fontSize=10.5,
    leading=14.5,
    alignment=TA_LEFT,
    spaceAfter=6,
    **_COMMON,
)
H1 = ParagraphStyle(
    "H1",
    fontName="Helvetica-Bold",
    fontSize=17,
    leading=21,
    spaceBefore=4,
    spaceAfter=10,
    textColor=colors.HexColor("#1F3A5F"),
    keepWithNext=1,
    **_COMMON,
)
H2 = ParagraphStyle(
    "H2",
    fontName="Helvetica-Bold",
    fontSize=13,
    leading=17,
    spaceBefore=8,
    spaceAfter=6,
    textColor=colors.HexColor("#1F3A5F"),
    keepWithNext=1,
    **_COMMON,
)
INFO = ParagraphStyle(
    "Info",
    parent=BODY,
    spaceAfter=1,
)
CELL = ParagraphStyle(
    "Cell",
    fontName="Helvetica",
    fontSize=9,
    leading=11.5,
    alignment=TA_LEFT,
    **_COMMON,
)
CELL_HEAD = ParagraphStyle(
    "CellHead",
    parent=CELL,
    fontName="Helvetica-Bold",
    textColor=colors.white,
)
COVER_TITLE = ParagraphStyle(
    "CoverTitle",
    fontName="Helvetica-Bold",
    fontSize=24,
    leading=30,
    alignment=TA_CENTER,
    textColor=colors.HexColor("#1F3A5F"),
    **_COMMON,
)
COVER_SUB = ParagraphStyle(
    "CoverSub",
    fontName="Helvetica",
    fontSize=13,
    leading=18,
    alignment=TA_CENTER,
    **_COMMON,
)
COVER_NOTICE = ParagraphStyle(
    "CoverNotice",
    fontName="Helvetica-Oblique",
    fontSize=10,
    leading=14,
    alignment=TA_CENTER,
    textColor=colors.HexColor("#8A1C1C"),
    **_COMMON,
)


def p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """Paragraph from trusted markup (may contain <b>, <i>)."""
    return Paragraph(text, style)


def pt(text: str, style: ParagraphStyle = CELL) -> Paragraph:
    """Paragraph from plain text (escaped)."""
    return Paragraph(escape(text), style)


# --------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------

DAYS = [
    {
        "num": 1,
        "date": "jeudi 12 mars 2026",
        "iso": "2026-03-12",
        "lieu": "Grange des Trois-Ormeaux, à Brumeval",
        "theme": "Cartographier le système d'acteurs",
        "participants": 11,
        "deroule": (
            "La première journée a posé le vocabulaire commun du cycle. Après "
            "un tour de table où chaque territoire a présenté en cinq minutes "
            "un projet qui patine, les participants ont dessiné à la main la "
            "carte des acteurs de ce projet : qui décide, qui finance, qui "
            "subit, qui peut bloquer. L'après-midi, chaque territoire a "
            "présenté sa carte à un autre territoire, qui l'a questionnée sans "
            "donner de conseil pendant vingt minutes. La journée s'est "
            "terminée par un « marché des cartes » où chacun a relevé les "
            "acteurs oubliés par les autres."
        ),
        "rows": [
            (
                "Communauté de communes des Hautes-Saulaies",
                (
                    "Comprendre qui décide réellement sur la gestion de l'eau et "
                    "sortir d'une approche service par service."
                ),
                (
                    "Carte des acteurs de l'eau réalisée en avril avec 14 "
                    "partenaires ; nomination d'un référent transition."
                ),
            ),
            (
                "Pays de Brumeval",
                (
                    "Relancer un projet alimentaire territorial bloqué depuis deux "
                    "ans faute d'accord avec la chambre d'agriculture fictive."
                ),
                (
                    "Atelier de cartographie reproduit avec 9 agriculteurs ; comité "
                    "alimentaire relancé en mai."
                ),
            ),
            (
                "Commune de Frênebourg-les-Ondes",
                (
                    "Outiller une petite équipe municipale de cinq agents qui ne "
                    "dispose d'aucune ingénierie dédiée."
                ),
                (
                    "Adoption de la « roue des acteurs » en conseil municipal ; "
                    "binôme d'entraide formé avec les Hautes-Saulaies."
                ),
            ),
        ],
        "difficultes": (
            "le cloisonnement entre services d'une même collectivité, le "
            "manque de temps des agents pour sortir de l'urgence, la peur de "
            "montrer aux élus une carte qui révèle des conflits, et des "
            "cartographies trop lourdes, réalisées par des bureaux d'études "
            "et jamais réutilisées."
        ),
        "leviers": (
            "une cartographie des acteurs réalisée en une heure avec des "
            "post-it plutôt qu'en six mois ; le repérage des acteurs-relais, "
            "ces personnes qui circulent entre plusieurs cercles ; l'usage de "
            "la carte comme objet de dialogue avec les élus ; et la règle "
            "de la réunion d'une page, qui oblige à résumer l'enjeu avant "
            "toute rencontre."
        ),
    },
    {
        "num": 2,
        "date": "jeudi 9 avril 2026",
        "iso": "2026-04-09",
        "lieu": "Salle des fêtes de Sauvelière",
        "theme": "Associer les habitants aux décisions",
        "participants": 13,
        "deroule": (
            "La deuxième journée portait sur la place des habitants dans les "
            "projets de transition. Le matin, une habitante de Sauvelière "
            "membre du conseil de quartier a raconté comment elle avait "
            "cessé de venir aux réunions publiques, ce qui a ouvert une "
            "discussion franche sur la participation « alibi ». Les "
            "territoires ont ensuite travaillé en trios sur une grille "
            "simple : informer, consulter, concerter, co-décider. "
            "L'après-midi a été consacrée à une séance de codéveloppement sur "
            "le cas du Syndicat mixte des Monts Cendrés, choisi par vote."
        ),
        "rows": [
            (
                "Commune de Sauvelière",
                (
                    "Sortir des réunions publiques où viennent toujours les mêmes "
                    "personnes et toucher les familles et les jeunes."
                ),
                ("Budget participatif de 40 000 € lancé, voté par le conseil municipal en juin."),
            ),
            (
                "Communauté d'agglomération du Val-d'Orbelune",
                ("Associer les quartiers éloignés du centre à l'élaboration du plan de mobilité."),
                (
                    "Trois marches exploratoires organisées avec des habitants ; "
                    "une ligne de transport à la demande testée à l'automne."
                ),
            ),
            (
                "Syndicat mixte des Monts Cendrés",
                (
                    "Faire accepter un projet de réserve de biodiversité perçu "
                    "comme une contrainte par les chasseurs et les éleveurs."
                ),
                (
                    "Création d'un panel citoyen de 24 personnes tirées au sort, "
                    "réuni pour la première fois en septembre."
                ),
            ),
        ],
        "difficultes": (
            "la faible présence des jeunes et des actifs, la méfiance "
            "d'habitants déjà consultés sans retour, la crainte de certains "
            "élus de perdre la main sur la décision, et des délais "
            "administratifs incompatibles avec le rythme de la participation."
        ),
        "leviers": (
            "le budget participatif, qui donne aux habitants un pouvoir de "
            "décision réel sur une enveloppe identifiée ; le tirage au sort "
            "pour diversifier les profils ; la démarche d'« aller vers » avec "
            "des permanences sur le marché du samedi ; et une restitution "
            "systématique intitulée « ce que nous avons fait de vos idées »."
        ),
    },
    {
        "num": 3,
        "date": "jeudi 21 mai 2026",
        "iso": "2026-05-21",
        "lieu": "Tiers-lieu La Fabrique des Hérons, à Port-Aiglantine",
        "theme": "Faire coopérer acteurs économiques et associatifs",
        "participants": 12,
        "deroule": (
            "La troisième journée s'est tenue dans un ancien entrepôt "
            "reconverti, ce qui a servi de support concret à la réflexion. "
            "La gérante du lieu a présenté son modèle économique, puis les "
            "participants ont joué à un jeu de rôle où chacun incarnait un "
            "commerçant, une association, un artisan ou un financeur devant "
            "se partager un local vacant. L'après-midi, chaque territoire a "
            "formulé une « proposition de coopération » adressée à un autre "
            "territoire présent, et deux d'entre elles ont été adoptées le "
            "jour même."
        ),
        "rows": [
            (
                "Ville de Port-Aiglantine",
                (
                    "Faire travailler ensemble les commerçants et les associations "
                    "du centre ancien, qui s'ignorent."
                ),
                (
                    "Convention d'occupation de l'ancienne halle aux poissons, "
                    "transformée en tiers-lieu géré par un collectif."
                ),
            ),
            (
                "Communauté de communes des Coteaux de Marjolaine",
                ("Structurer une filière locale de réemploi des matériaux de construction."),
                (
                    "Groupement de 7 artisans constitué ; ressourcerie du bâtiment "
                    "en préfiguration sur une ancienne déchetterie."
                ),
            ),
            (
                "Pôle d'équilibre territorial des Landes d'Ambrecourt",
                ("Mutualiser l'ingénierie entre quatre intercommunalités aux moyens très inégaux."),
                ("Poste de chargé de coopération partagé, financé à 50 % par les quatre intercommunalités."),
            ),
        ],
        "difficultes": (
            "la concurrence entre structures qui répondent aux mêmes appels "
            "à projets, des modèles économiques fragiles qui reposent sur "
            "des subventions annuelles, et la difficulté à faire dialoguer "
            "le temps court des entreprises avec le temps long des "
            "collectivités."
        ),
        "leviers": (
            "le tiers-lieu comme espace neutre où chacun peut venir sans "
            "rendre de comptes ; une table de coopération trimestrielle "
            "réunissant entreprises, associations et collectivité ; la "
            "commande publique responsable, avec des clauses de réemploi ; "
            "et la valorisation des contributions en nature, comme le prêt "
            "de locaux ou de matériel."
        ),
    },
    {
        "num": 4,
        "date": "jeudi 18 juin 2026",
        "iso": "2026-06-18",
        "lieu": "Médiathèque des Quatre-Vents, à Lumerive",
        "theme": "Évaluer et faire durer la dynamique",
        "participants": 11,
        "deroule": (
            "La dernière journée a été consacrée à l'évaluation et à la "
            "pérennité des démarches. Le matin, chaque territoire a choisi "
            "trois signes concrets montrant que le changement est en cours, "
            "en dehors des indicateurs budgétaires. Une revue croisée a "
            "ensuite associé les territoires deux par deux pour relire "
            "mutuellement leurs tableaux de bord. La journée s'est achevée "
            "par un bilan collectif du cycle et par l'écriture, sur une "
            "grande fresque, des engagements de chacun pour l'année suivante."
        ),
        "rows": [
            (
                "Communauté urbaine de Lumerive",
                (
                    "Construire des indicateurs qui aillent au-delà du suivi "
                    "budgétaire et parlent aux habitants."
                ),
                ("Baromètre du bien-vivre de 10 indicateurs co-construits avec le conseil de développement."),
            ),
            (
                "Commune de Roc-Tilleul",
                ("Assurer la continuité du projet malgré le départ annoncé de sa cheffe de projet."),
                (
                    "Carnet de bord de transmission rédigé ; tutorat de trois mois "
                    "pour la personne qui reprend le poste."
                ),
            ),
            (
                "Communauté de communes de la Vallée des Pâquerettes",
                ("Rendre compte aux financeurs sans s'épuiser dans des tableaux de suivi interminables."),
                (
                    "Rapport d'étape simplifié de 4 pages, accepté par le "
                    "ministère comme format de compte rendu."
                ),
            ),
        ],
        "difficultes": (
            "l'épuisement des équipes porteuses, le renouvellement fréquent "
            "des agents, des indicateurs imposés d'en haut qui ne mesurent "
            "pas ce qui compte, et la difficulté à rendre visibles les "
            "effets qualitatifs comme la confiance entre acteurs."
        ),
        "leviers": (
            "le récit de transition, qui raconte le chemin parcouru en une "
            "page illustrée ; la revue entre pairs, où un territoire relit "
            "l'évaluation d'un autre ; le baromètre du bien-vivre ; et le "
            "carnet de bord, qui garde la mémoire des décisions quand les "
            "personnes changent."
        ),
    },
]


def day_heading(day: dict) -> str:
    return f"2.{day['num']} Journée {day['num']} — {day['theme']}"


def territory_table(rows: list[tuple[str, str, str]]) -> Table:
    data = [
        [
            pt("Territoire", CELL_HEAD),
            pt("Attentes", CELL_HEAD),
            pt("Suites données", CELL_HEAD),
        ]
    ]
    for name, attentes, suites in rows:
        data.append(
            [
                pt(
                    name,
                    ParagraphStyle("CellBold", parent=CELL, fontName="Helvetica-Bold"),
                ),
                pt(attentes),
                pt(suites),
            ]
        )
    table = Table(
        data,
        colWidths=[4.3 * cm, 6.35 * cm, 6.35 * cm],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F3A5F")),
                (
                    "ROWBACKGROUNDS",
                    (0, 1),
                    (-1, -1),
                    [colors.white, colors.HexColor("#EEF2F7")],
                ),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA7B8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def simple_table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data = [[pt(h, CELL_HEAD) for h in header]]
    for row in rows:
        data.append([pt(c) for c in row])
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F3A5F")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA7B8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def cover_story() -> list:
    return [
        Spacer(1, 5.5 * cm),
        p(TITLE, COVER_TITLE),
        Spacer(1, 0.9 * cm),
        p(SUBTITLE, COVER_SUB),
        Spacer(1, 1.6 * cm),
        p(
            "Association Les Passeurs de Transitions<br/>et ministère des Territoires imaginaires",
            COVER_SUB,
        ),
        Spacer(1, 0.5 * cm),
        p("Version provisoire du 3 juillet 2026", COVER_SUB),
        Spacer(1, 3.0 * cm),
        p(
            "Document d'exemple entièrement fictif, rédigé pour tester "
            "l’assistant :<br/>territoires, personnes, chiffres inventés.",
            COVER_NOTICE,
        ),
        Spacer(1, 0.3 * cm),
        p(
            "Toute ressemblance avec des lieux ou des personnes réels serait une pure coïncidence.",
            COVER_NOTICE,
        ),
    ]


def part1_story() -> list:
    return [
        p("1. Les intentions de départ", H1),
        p(
            "Ce bilan rend compte d'un cycle de quatre journées organisé de "
            "mars à juin 2026 par l'association Les Passeurs de Transitions et "
            "le ministère des Territoires imaginaires, à destination de douze "
            "collectivités engagées dans des projets de transition. <b>La "
            "conduite du changement systémique désigne la manière "
            "d'accompagner une transformation en agissant en même temps sur "
            "les relations entre acteurs, sur les règles du jeu et sur les "
            "représentations, plutôt que sur un projet isolé.</b> Le cycle "
            "visait à en transmettre les fondamentaux à des agents et à des "
            "élus qui n'avaient pas été formés à cette approche."
        ),
        p("1.1 La logique d'alliance", H2),
        p(
            "<b>La logique d'alliance consiste à réunir autour d'un objectif "
            "commun des acteurs qui n'ont pas l'habitude de travailler "
            "ensemble, en reconnaissant à chacun sa légitimité et ses intérêts "
            "propres.</b> Dans ce cycle, l'alliance associait trois parties : "
            "l'association, qui apportait la méthode et l'animation ; le "
            "ministère, qui apportait le financement et la reconnaissance "
            "institutionnelle ; les territoires, qui apportaient leurs "
            "situations réelles. Aucune de ces parties ne pouvait porter seule "
            "le dispositif, et chacune gardait la liberté de s'en retirer."
        ),
        p("1.2 Une communauté apprenante", H2),
        p(
            "<b>Une communauté apprenante est un groupe de personnes qui "
            "progressent ensemble en partageant régulièrement leurs pratiques, "
            "leurs réussites et leurs échecs, sans relation hiérarchique entre "
            "elles.</b> L'ambition de départ était que les douze territoires "
            "continuent à s'entraider après la fin des journées, grâce à une "
            "liste de diffusion commune et à des binômes d'entraide. La "
            "communauté apprenante se distingue d'une formation classique : "
            "le savoir ne descend pas d'un formateur, il circule entre les "
            "participants."
        ),
        p("1.3 Pourquoi travailler entre pairs", H2),
        p(
            "<b>Le travail entre pairs désigne un mode d'apprentissage où des "
            "agents et des élus de territoires comparables s'aident "
            "mutuellement à résoudre leurs problèmes, sans passer par un "
            "expert extérieur qui détiendrait la bonne réponse.</b> Ce choix "
            "reposait sur un constat : les collectivités font davantage "
            "confiance à une commune voisine qui a vécu la même difficulté "
            "qu'à un consultant. Le travail entre pairs permet aussi de "
            "parler librement des échecs, car personne n'évalue personne."
        ),
        p("1.4 Les objectifs fixés", H2),
        p(
            "Trois objectifs avaient été fixés au lancement : permettre à "
            "chaque territoire de repartir avec au moins une action concrète "
            "à engager dans les trois mois ; constituer un réseau durable "
            "entre les douze territoires ; et produire, à partir des échanges, "
            "des fiches-leviers réutilisables par d'autres collectivités. Le "
            "public visé était composé pour moitié d'agents territoriaux et "
            "pour moitié d'élus, avec une attention particulière aux "
            "communes de moins de 5 000 habitants."
        ),
    ]


def part2_intro_story() -> list:
    return [
        p("2. Le déroulé des quatre journées", H1),
        p(
            "Les quatre journées ont suivi un format commun de 9 h 30 à "
            "16 h 30, animé par Léonie Farandole pour l'association et "
            "Gaspard Vernazelle pour le ministère. Chaque journée accueillait "
            "trois territoires différents, chaque fois chez l'un d'eux, et "
            "alternait apports courts, ateliers sur des cas réels et séances "
            "de codéveloppement. Le codéveloppement est une méthode où un "
            "participant expose un problème et où les autres l'aident par des "
            "questions avant de proposer des pistes."
        ),
    ]


def day_story(day: dict) -> list:
    story: list = [
        p(day_heading(day), H2),
        p(f"<b>Date :</b> {day['date']}", INFO),
        p(f"<b>Lieu :</b> {day['lieu']}", INFO),
        p(f"<b>Thème :</b> {day['theme']}", INFO),
        p(f"<b>Participants :</b> {day['participants']} personnes", INFO),
        Spacer(1, 6),
        p(day["deroule"]),
        Spacer(1, 2),
        territory_table(day["rows"]),
        Spacer(1, 10),
        p(f"<b>Difficultés évoquées.</b> Les échanges entre pairs ont fait ressortir {day['difficultes']}"),
        p(f"<b>Leviers identifiés.</b> Les participants ont retenu {day['leviers']}"),
    ]
    return story


def part2_needs_story() -> list:
    return [
        p("2.5 Besoins et enjeux pour aller plus loin", H2),
        p(
            "Au fil des quatre journées, les territoires ont exprimé des "
            "besoins qui dépassent le cadre d'un cycle d'initiation. Le "
            "premier besoin est un cycle d'approfondissement, plus long, "
            "centré sur la mise en œuvre plutôt que sur la découverte des "
            "notions. Plusieurs participants ont demandé des visites "
            "croisées, c'est-à-dire la possibilité de passer une journée dans "
            "un autre territoire pour observer une démarche en cours."
        ),
        p(
            "Le deuxième besoin concerne les élus. Les agents ont souligné "
            "qu'ils revenaient des journées avec des idées que leurs élus "
            "n'avaient pas entendues. Un module spécifique de deux demi-"
            "journées réservé aux élus a donc été proposé pour 2027, avec un "
            "horaire en soirée compatible avec les mandats bénévoles."
        ),
        p(
            "Le troisième besoin est un espace numérique partagé. La liste de "
            "diffusion créée en mars s'est révélée insuffisante : les "
            "documents s'y perdent et les nouveaux arrivants n'ont pas accès "
            "à l'historique. Les territoires souhaitent une plateforme simple "
            "où déposer leurs cartes d'acteurs, leurs fiches-leviers et leurs "
            "comptes rendus."
        ),
        p(
            "Enfin, l'enjeu principal reste le financement dans la durée. "
            "Un cycle annuel ne suffit pas à installer une communauté "
            "apprenante ; les participants plaident pour un engagement "
            "pluriannuel de trois ans, avec une rencontre annuelle réunissant "
            "les douze territoires et les nouveaux venus. La question du "
            "portage de la coordination, aujourd'hui assurée par "
            "l'association seule, reste ouverte."
        ),
        p(
            "Un dernier enjeu a été formulé par plusieurs territoires ruraux : "
            "la distance. Les lieux d'accueil étaient parfois à plus de deux "
            "heures de route, ce qui a découragé certains élus. Une "
            "alternance entre journées en présence et courtes séances à "
            "distance a été suggérée, sans remettre en cause l'importance de "
            "la rencontre physique, jugée essentielle pour créer la "
            "confiance."
        ),
    ]


def part3_story() -> list:
    return [
        p("3. Les résultats obtenus", H1),
        p("3.1 Quelques chiffres", H2),
        p(
            "Le cycle a réuni 47 participants au total, répartis en 11, 13, "
            "12 et 11 personnes selon les journées. Les 12 territoires "
            "inscrits ont tous participé à leur journée, soit un taux de "
            "présence de 100 %. L'animation a représenté 26 heures au total, "
            "à raison de six heures trente par journée."
        ),
        p(
            "Le questionnaire de fin de cycle, rempli par 41 personnes, "
            "indique un taux de satisfaction de 92 %. Parmi les répondants, "
            "37 déclarent avoir réutilisé au moins un outil dans leur "
            "collectivité. Les échanges ont permis de rédiger 31 fiches-leviers "
            "et 9 territoires sur 12 ont engagé une suite concrète dans les "
            "trois mois qui ont suivi leur journée."
        ),
        p("3.2 Effets observés", H2),
        p(
            "L'effet le plus souvent cité est un changement de posture : "
            "plusieurs agents disent ne plus chercher « la bonne solution » "
            "mais les bons interlocuteurs. Les binômes d'entraide ont "
            "fonctionné dans quatre cas sur six, le plus actif étant celui "
            "formé par Frênebourg-les-Ondes et les Hautes-Saulaies, qui "
            "échangent chaque mois par téléphone."
        ),
        p(
            "Un second effet concerne la légitimité des agents. Avoir "
            "participé à un dispositif soutenu par le ministère a aidé "
            "certains d'entre eux à obtenir l'accord de leur hiérarchie pour "
            "tester de nouvelles méthodes. Comme l'a résumé une participante : "
            "« on m’a enfin laissé essayer sans tout justifier à l’avance »."
        ),
        p("3.3 Limites du dispositif", H2),
        p(
            "Le bilan comporte aussi des limites. Les élus sont restés "
            "minoritaires, avec seulement 14 élus sur 47 participants, loin "
            "de l'objectif de parité fixé au départ. Trois territoires n'ont "
            "pas encore engagé de suite, principalement faute de temps "
            "disponible. Enfin, l'absence d'outil numérique commun a freiné "
            "la circulation des ressources entre les journées, et les effets "
            "à long terme ne pourront être mesurés qu'en 2027."
        ),
    ]


def part4_story() -> list:
    budget_rows = [
        ["Animation et conception pédagogique", "16 800 €"],
        ["Logistique (salles, repas, matériel)", "9 600 €"],
        ["Conception des outils et des fiches-leviers", "5 400 €"],
        ["Déplacements des animateurs", "4 200 €"],
        ["Évaluation et rédaction du bilan", "2 400 €"],
        ["Total", "38 400 €"],
    ]
    time_rows = [
        ["Préparation des journées", "18 jours"],
        ["Animation (4 journées, 2 animateurs)", "8 jours"],
        ["Suivi des territoires après les journées", "16 jours"],
        ["Capitalisation et rédaction", "14 jours"],
        ["Coordination avec le ministère", "6 jours"],
        ["Total", "62 jours"],
    ]
    return [
        p("4. Le bilan financier et temporel", H1),
        p(
            "Les montants présentés ici sont provisoires : certaines factures "
            "de la quatrième journée n'étaient pas encore arrivées à la date "
            "de rédaction. Le bilan définitif sera arrêté en septembre 2026."
        ),
        p("4.1 Le budget provisoire", H2),
        p(
            "Le coût total du cycle s'élève à 38 400 €, soit environ 817 € "
            "par participant et 3 200 € par territoire. Le poste le plus "
            "important est l'animation et la conception pédagogique, qui "
            "représente 16 800 €, soit près de 44 % du total."
        ),
        simple_table(["Poste de dépense", "Montant"], budget_rows, [11.0 * cm, 4.0 * cm]),
        Spacer(1, 8),
        p(
            "Le financement provient du ministère des Territoires imaginaires "
            "pour 24 000 €, des fonds propres de l'association pour 8 400 € "
            "et d'une participation forfaitaire de 500 € demandée à chacun "
            "des douze territoires, soit 6 000 €."
        ),
        p("4.2 Le temps mobilisé", H2),
        p(
            "L'équipe de l'association a consacré 62 jours de travail au "
            "cycle, dont seulement 8 jours d'animation proprement dite. La "
            "préparation a demandé 18 jours, soit plus de quatre jours par "
            "journée animée."
        ),
        simple_table(["Activité", "Temps"], time_rows, [11.0 * cm, 4.0 * cm]),
        Spacer(1, 8),
        p("4.3 Points de vigilance", H2),
        p(
            "Le suivi des territoires après les journées a finalement "
            "demandé 16 jours, contre 10 jours prévus au départ. Pour un "
            "prochain cycle, l'association recommande de budgéter ce suivi "
            "dès le départ et de prévoir une participation plus élevée des "
            "territoires les mieux dotés."
        ),
    ]


def photo_story() -> list:
    """A page holding only a picture (no text layer), as scanned pages in real reports."""
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from reportlab.platypus import Image

    picture = PILImage.new("RGB", (900, 600), "#DDE6F0")
    draw = ImageDraw.Draw(picture)
    for i in range(12):  # twelve stylised participants
        x, y = 90 + (i % 6) * 130, 170 + (i // 6) * 220
        draw.ellipse((x, y, x + 70, y + 70), fill="#1F3A5F")
        draw.rectangle((x - 10, y + 80, x + 80, y + 190), fill="#5F7FA3")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=False)
    buffer.seek(0)
    return [Image(buffer, width=15 * cm, height=10 * cm)]


def quote_box() -> Table:
    """A boxed quote set in Vera, with real fi/fl ligature glyphs and a word hyphenated by hand."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    style = ParagraphStyle("Quote", parent=BODY, fontName="Vera", fontSize=10, leading=14)
    text = (
        "« Ce que nous retenons, c'est la con\ufb01ance : on ose mon-<br/>"
        "trer un projet qui patine, et la ré\ufb02exion collective fait le reste. »"
    )
    box = Table([[Paragraph(text, style)]], colWidths=[BODY_WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1F3A5F"))]))
    return box


def annex_story() -> list:
    """A presence table long enough to cross a page break (its header repeated)."""
    rows = [
        [name, str(day["num"]), str(count), role]
        for day in DAYS
        for (name, _, _), count, role in zip(
            day["rows"], (4, 3, 4), ("chargée de mission", "directeur des services", "élue référente"),
            strict=True,
        )
    ]  # fmt: skip
    data = [[pt(h, CELL_HEAD) for h in ("Territoire", "Journée", "Personnes présentes", "Référent")]]
    data += [[pt(cell) for cell in row] for row in rows]
    table = Table(data, colWidths=[7 * cm, 2.2 * cm, 3.4 * cm, 4.4 * cm], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F3A5F")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA7B8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return [
        p("Annexe — Présence des territoires", H1),
        p("Le tableau ci-dessous récapitule la présence de chaque territoire à sa journée."),
        table,
    ]


def conclusion_story() -> list:
    return [
        p("Conclusion", H1),
        p(
            "Ce cycle d'initiation a montré qu'un format court, fondé sur le "
            "travail entre pairs et sur des cas réels, peut produire des "
            "effets concrets en quelques mois. Les douze territoires ont "
            "exprimé le souhait de poursuivre, et l'association prépare un "
            "cycle d'approfondissement pour 2027, sous réserve de "
            "financement."
        ),
        p(
            "Le principal enseignement du cycle tient en une phrase : le "
            "changement systémique ne se décrète pas, il se cultive par des "
            "relations de confiance entretenues dans la durée. Les journées "
            "ont créé ces relations ; il reste à leur donner un cadre stable."
        ),
        Spacer(1, 4),
        quote_box(),
        p("Prochaines étapes", H2),
        p(
            "Une rencontre de l'ensemble des participants aura lieu le "
            "jeudi 15 octobre 2026 à Brumeval, pour faire le point sur les "
            "suites engagées et présenter le baromètre du bien-vivre. Le "
            "module réservé aux élus sera testé en novembre 2026 avec deux "
            "territoires volontaires. Le lancement du cycle "
            "d'approfondissement est envisagé pour janvier 2027, avec six "
            "journées réparties sur l'année."
        ),
        p("Remerciements", H2),
        p(
            "L'association remercie les élus et les agents des douze "
            "territoires pour leur franchise, les équipes qui ont accueilli "
            "les journées, ainsi que la gérante de La Fabrique des Hérons "
            "pour la visite de son tiers-lieu. Ce document, rappelons-le, est "
            "un exemple entièrement fictif : les territoires, les personnes "
            "et les chiffres qu'il contient ont été inventés pour tester "
            "l'assistant de questions-réponses."
        ),
    ]


def build_story() -> list:
    story: list = []
    story += cover_story()
    story += [NextPageTemplate("body"), PageBreak()]
    story += part1_story()
    story += [PageBreak()]
    story += part2_intro_story()
    story += day_story(DAYS[0])
    for day in DAYS[1:]:
        story += [PageBreak()]
        story += day_story(day)
    story += [NextPageTemplate("twocol"), PageBreak()]
    story += part2_needs_story()
    story += [NextPageTemplate("body"), PageBreak()]
    story += part3_story()
    story += [PageBreak()]
    story += part4_story()
    story += [PageBreak()]
    story += photo_story()
    story += [PageBreak()]
    story += conclusion_story()
    story += annex_story()
    return story


# --------------------------------------------------------------------------
# Page templates (header and footer drawn on the canvas, not as flowables)
# --------------------------------------------------------------------------


def _draw_header(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    y = PAGE_HEIGHT - 1.3 * cm
    canvas.drawString(MARGIN_X, y, RUNNING_HEADER)
    canvas.setStrokeColor(colors.HexColor("#9AA7B8"))
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, y - 4, PAGE_WIDTH - MARGIN_X, y - 4)
    canvas.restoreState()


def _make_footer(total_pages: int):
    def _draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        text = FOOTER_FORMAT.format(page=canvas.getPageNumber(), total=total_pages)
        canvas.drawCentredString(PAGE_WIDTH / 2, 1.2 * cm, text)
        canvas.restoreState()

    return _draw_footer


def _two_columns() -> list[Frame]:
    """Two frames side by side with a 1 cm gutter: the page read column by column."""
    gutter = 1 * cm
    width = (BODY_WIDTH - gutter) / 2
    height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return [
        Frame(MARGIN_X + i * (width + gutter), MARGIN_BOTTOM, width, height, id=f"col{i}", leftPadding=0,
              rightPadding=0, topPadding=0, bottomPadding=0)
        for i in (0, 1)
    ]  # fmt: skip


def _render(target, total_pages: int) -> int:
    doc = BaseDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=TITLE,
        author=AUTHOR,
        subject=SUBJECT,
        creator="sample/build_sample.py",
        producer="ReportLab (invariant)",
        keywords="exemple, fictif, conduite du changement systémique",
        lang="fr-FR",
        invariant=1,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        BODY_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    footer = _make_footer(total_pages)
    doc.addPageTemplates(
        [
            PageTemplate(id="cover", frames=[frame], onPageEnd=footer),
            PageTemplate(id="body", frames=[frame], onPage=_draw_header, onPageEnd=footer),
            PageTemplate(id="twocol", frames=_two_columns(), onPage=_draw_header, onPageEnd=footer),
        ]
    )
    doc.build(build_story())
    return doc.page


def build_pdf(path: pathlib.Path) -> None:
    """Write the fictional sample report to ``path`` (deterministic)."""
    rl_config.invariant = 1
    # First pass: count pages so the footer can say "Page N / total".
    total = _render(io.BytesIO(), total_pages=0)
    buffer = io.BytesIO()
    final_total = _render(buffer, total_pages=total)
    if final_total != total:  # pragma: no cover - layout is static
        raise RuntimeError("page count changed between passes")
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    build_pdf(OUTPUT)
    print(f"wrote {OUTPUT}")
