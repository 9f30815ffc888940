"""A note drawn with reportlab as Word's PDF export draws text: glyph clusters placed one by one."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.designed.real_blocks import Heading, Note, Paragraph

FONTS = Path("/usr/share/fonts/truetype/liberation2")
SERIF, SERIF_BOLD, SANS_BOLD = "LiberationSerif", "LiberationSerif-Bold", "LiberationSans-Bold"
LEFT, WIDTH = 56.7, 481.9  # 2 cm margins on A4
TOP, BOTTOM = 785.0, 60.0
BODY, LEADING = 11.0, 13.6
CALL = re.compile(r"\{(\d+)\}")  # a note call in the drawn text: « logements{1} »

TITLE = "Rénovation des logements communaux : bilan de l'année 2024"
FOOTER = "Commune de Saint-Aubin-des-Landes — note de synthèse"
LEAD = "La commune a rénové 14 logements en 2024 pour 300~000~€ de travaux."

NOTES = (
    Note("14 logements", 1, "Logements appartenant à la commune et loués à l'année.", 1),
    Note("par les loyers.", 2, "Loyers modérés, révisés chaque année selon l'indice de référence.", 1),
)

# What is drawn, page by page; « {n} » marks a raised note call, « ~ » a non-breaking space.
PAGE_1 = (
    Paragraph(LEAD, lead=True),
    Heading(1, "1.", "Les opérations réalisées", 1),
    Paragraph(
        "Les travaux ont porté sur 14 logements{1} d'une surface totale de 1~020~m², répartis dans "
        "trois bâtiments du centre-bourg. Le plus grand appartement, situé au-dessus de l'ancienne poste, "
        "mesure 150~m² et accueille désormais une famille de cinq personnes. Les entreprises retenues sont "
        "toutes implantées à moins de 30~km de la commune, ce qui a réduit les délais d'intervention."
    ),
    Paragraph(
        "Le chantier a duré onze mois, de janvier à novembre 2024, sans que les locataires aient à quitter "
        "leur logement plus de trois jours. Chaque appartement a reçu une isolation des murs par "
        "l'extérieur, "
        "des fenêtres à double vitrage et une ventilation mécanique. Le code couleur des façades, choisi "
        "avec "
        "l'architecte des bâtiments de France, reprend les teintes ocre des maisons voisines."
    ),
    Paragraph(
        "Le montant des travaux atteint 300~000~€ hors taxes, dont 120~000~€ apportés par la "
        "dotation du programme régional et 45~000~€ par les certificats d'économies d'énergie. Le reste "
        "est couvert par un emprunt de 135~000~€ sur vingt ans, remboursé par les loyers.{2} La "
        "consommation d'énergie des logements a baissé de 42~%, soit une économie de 18~500~kWh par an."
    ),
    Heading(1, "2.", "Le réseau de chaleur", 1),
    Heading(2, "2.1", "La chaufferie au bois", 1),
    Paragraph(
        "La chaufferie au bois, mise en service en octobre 2024, dessert l'école, la mairie et 22 logements. "
        "Elle consomme chaque année 310 tonnes de plaquettes forestières, fournies par une coopérative "
        "située "
        "à 12~km. Son coût de fonctionnement est inférieur de 27~% à celui des anciennes chaudières au fioul."
    ),
)
PAGE_2 = (
    Heading(2, "2.2", "Le raccordement des particuliers", 2),
    Paragraph(
        "Onze foyers ont demandé à être raccordés au réseau de chaleur en 2025. Le code de l'énergie impose "
        "un classement du réseau, que le conseil municipal votera en mars, afin que le raccordement devienne "
        "obligatoire pour les constructions neuves situées à moins de 200~m. Le tarif proposé aux "
        "particuliers, fixé à 89~€ le mégawattheure, reste inférieur au prix moyen du fioul constaté en 2024."
    ),
    Heading(1, "3.", "Les prochaines étapes", 2),
    Paragraph(
        "En 2025, la commune engagera la rénovation de l'école maternelle, estimée à 480~000~€, et "
        "l'isolation du gymnase. Les études préalables, confiées à un bureau d'études de Rennes, seront "
        "rendues en juin. Le conseil municipal arrêtera le plan de financement avant la fin de l'été, après "
        "avoir sollicité le fonds vert et la dotation de soutien à l'investissement local."
    ),
    Paragraph(
        "Une réunion publique présentera ces projets aux habitants le 12 avril 2025, à la salle des fêtes. "
        "Les locataires des logements rénovés y témoigneront de leur expérience, et le syndicat d'énergie "
        "présentera les aides ouvertes aux propriétaires privés qui souhaitent isoler leur maison."
    ),
)
PAGES = (PAGE_1, PAGE_2)


def plain(text: str) -> str:
    """The drawn text as a reader should give it: calls removed, non-breaking spaces as spaces."""
    return CALL.sub("", text).replace("~", " ")


@dataclass(frozen=True)
class Cluster:
    """Glyphs drawn from one text origin: ``shift`` after the previous cluster's advance."""

    text: str
    shift: float
    spacing: float  # character spacing (Tc) inside the cluster
    call: str = ""  # a note call drawn raised after it


@dataclass(frozen=True)
class Style:
    font: str
    size: float


def _register() -> None:
    for name, file in (
        (SERIF, "LiberationSerif-Regular.ttf"),
        (SERIF_BOLD, "LiberationSerif-Bold.ttf"),
        (SANS_BOLD, "LiberationSans-Bold.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


class GlyphWriter:
    """Draws words cluster by cluster, as Word's PDF export positions text.

    Every cluster of 1 to 4 glyphs has its own text origin, with small positive and negative
    kerning offsets between the clusters of a word and a per-cluster character spacing; accented
    letters come as clusters of their own (« r », « é », « seau »). Justified lines widen their
    word gaps, and on half of them no space glyph is drawn at all: the gap is only a move. Note
    calls are small digits drawn higher, after a word or after a full stop. A reader joining
    clusters by their gaps alone makes « c ode » or « r é seau »."""

    def __init__(self, pdf: canvas.Canvas, seed: int) -> None:
        self.pdf = pdf
        self.random = random.Random(seed)

    def clusters(self, token: str) -> list[Cluster]:
        """A word cut into clusters of 1 to 4 glyphs; an accented letter is a cluster of its own."""
        word, calls = CALL.sub("", token).replace("~", "\u00a0"), CALL.findall(token)
        found: list[Cluster] = []
        index = 0
        while index < len(word):
            length = min(self.random.choice((1, 2, 2, 3, 3, 4)), _ascii_run(word, index)) or 1
            shift = round(self.random.uniform(-0.25, 0.45), 2) if found else 0.0
            spacing = self.random.choice((0.0, 0.0, 0.12, -0.08)) if length > 1 else 0.0
            found.append(Cluster(word[index : index + length], shift, spacing))
            index += length
        if calls:
            found[-1] = Cluster(found[-1].text, found[-1].shift, found[-1].spacing, calls[0])
        return found

    @staticmethod
    def advance(cluster: Cluster, style: Style) -> float:
        """How far a cluster moves the pen: its glyphs' widths and its character spacing."""
        return pdfmetrics.stringWidth(cluster.text, style.font, style.size) + cluster.spacing * len(
            cluster.text
        )

    def width(self, clusters: list[Cluster], style: Style) -> float:
        total = 0.0
        for cluster in clusters:
            total += cluster.shift + self.advance(cluster, style)
            if cluster.call:
                total += 0.3 + pdfmetrics.stringWidth(cluster.call, style.font, 7)
        return total

    def draw_word(self, clusters: list[Cluster], x: float, y: float, style: Style, space: bool) -> None:
        """Each cluster from its own origin; ``space``: a space glyph drawn after the word."""
        text = self.pdf.beginText()
        text.setFont(style.font, style.size)
        for number, cluster in enumerate(clusters):
            x += cluster.shift
            text.setTextOrigin(x, y)
            text.setCharSpace(cluster.spacing)
            last = number == len(clusters) - 1
            glyphs = cluster.text + (" " if last and space and not cluster.call else "")
            text.textOut(glyphs)
            x += self.advance(cluster, style)
            if cluster.call:
                text.setCharSpace(0)
                text.setFont(style.font, 7)
                text.setTextOrigin(x + 0.3, y + 4.2)
                text.textOut(cluster.call + (" " if space else ""))
                text.setFont(style.font, style.size)
        text.setCharSpace(0)
        self.pdf.drawText(text)

    def paragraph(self, text: str, y: float, style: Style, *, justify: bool) -> float:
        """Draw ``text`` in lines filling the width; justified but its last line. Returns the next y."""
        words = [(token, self.clusters(token)) for token in text.split(" ")]
        space = pdfmetrics.stringWidth(" ", style.font, style.size)
        lines = list(_lines([(token, self.width(c, style)) for token, c in words], WIDTH, space))
        start = 0
        for number, line in enumerate(lines):
            chunk = words[start : start + len(line)]
            start += len(line)
            natural = sum(width for _, width in line) + space * (len(line) - 1)
            widen = justify and number < len(lines) - 1 and len(line) > 1
            extra = (WIDTH - natural) / (len(line) - 1) if widen else 0
            glyph_spaces = number % 2 == 1 or extra == 0  # even justified lines: gaps without space glyphs
            x = LEFT
            for index, ((_, clusters), (_, width)) in enumerate(zip(chunk, line, strict=True)):
                self.draw_word(clusters, x, y, style, glyph_spaces and index < len(line) - 1)
                x += width + space + extra
            y -= style.size * LEADING / BODY
        return y


def _ascii_run(word: str, index: int) -> int:
    """How many ASCII characters follow ``index`` (0 when it is an accented letter or a symbol)."""
    run = 0
    while index + run < len(word) and word[index + run].isascii():
        run += 1
    return run


def _lines(words: list[tuple[str, float]], width: float, space: float) -> Iterator[list[tuple[str, float]]]:
    """Greedy line filling."""
    line: list[tuple[str, float]] = []
    used = 0.0
    for word in words:
        needed = word[1] if not line else used + space + word[1]
        if line and needed > width:
            yield line
            line, needed = [], word[1]
        line.append(word)
        used = needed
    if line:
        yield line


HEADING_STYLES = {1: Style(SANS_BOLD, 13.0), 2: Style(SANS_BOLD, 11.5)}


def _page(writer: GlyphWriter, blocks: tuple[Paragraph | Heading, ...], first: bool) -> float:
    y = TOP
    if first:
        y = writer.paragraph(TITLE, y, Style(SANS_BOLD, 16.0), justify=False) - 6
    for block in blocks:
        if isinstance(block, Heading):
            y = writer.paragraph(block.label, y - 8, HEADING_STYLES[block.level], justify=False) - 2
        elif block.lead:
            y = writer.paragraph(block.text, y, Style(SERIF_BOLD, 12.5), justify=False) - 6
        else:
            y = writer.paragraph(block.text, y, Style(SERIF, BODY), justify=True) - 6
    return y


def _notes(writer: GlyphWriter, notes: tuple[Note, ...], floor: float) -> None:
    """The page's notes at its foot, under a short rule, each after its raised number."""
    y = BOTTOM + 14 + 11 * (len(notes) - 1)
    if y + 12 > floor:
        raise ValueError("the notes overlap the text of the page")
    writer.pdf.setLineWidth(0.5)
    writer.pdf.line(LEFT, y + 11, LEFT + 140, y + 11)
    small = Style(SERIF, 9.0)
    for note in notes:
        writer.pdf.setFont(SERIF, 6.5)
        writer.pdf.drawString(LEFT, y + 3.5, str(note.number))
        x = LEFT + 5
        for token in note.text.split(" "):
            clusters = writer.clusters(token)
            writer.draw_word(clusters, x, y, small, True)
            x += writer.width(clusters, small) + pdfmetrics.stringWidth(" ", SERIF, small.size)
        y -= 11


def write_word_export(path: Path, seed: int = 2026) -> Path:
    """Draw the note's two pages at ``path``."""
    _register()
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setTitle(TITLE)
    writer = GlyphWriter(pdf, seed)
    for number, blocks in enumerate(PAGES, start=1):
        floor = _page(writer, blocks, number == 1)
        if floor < BOTTOM + 30:
            raise ValueError(f"page {number} overflows")
        notes = tuple(note for note in NOTES if note.page == number)
        if notes:
            _notes(writer, notes, floor)
        pdf.setFont(SERIF, 9)
        pdf.drawCentredString(A4[0] / 2, 30, f"{FOOTER} — {number}/{len(PAGES)}")
        pdf.showPage()
    pdf.save()
    return path
