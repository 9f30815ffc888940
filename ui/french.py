"""The page is French and accessible whatever the browser: the script and style sheet the
gate writes at the top of every page (``ui.gate``), before Gradio's own code runs.

Why a script: Gradio picks its interface language from the browser (an English browser
gets « Search... », « More tabs », « Error ») and many of its labels are written in its
components, not in its translation files. So the page
- tells Gradio the browser is French (its French translations then apply) and keeps
  ``<html lang="fr">`` (a screen reader reads French with a French voice);
- rewrites the English labels Gradio leaves (``GRADIO_FRENCH``) in text, ``aria-label``,
  ``title``, ``placeholder`` and ``alt``, never inside the answers and documents shown;
- puts a skip link first in the page, to the question box;
- makes the tabs operable with the arrow keys, Home and End (ARIA tabs pattern);
- names each citation marker by where it leads (« source 1 : bilan-exemple.pdf, page 8 »,
  its title): Gradio's chat drops ``aria-*`` attributes from messages.

``FRENCH_STYLE``: contrast of 4.5:1 at least (WCAG 2.1 AA) where Gradio's theme is paler,
the skip link, and the phone layout (a compact header, territories as cards).
"""

from __future__ import annotations

import json

SKIP_LINK = "Aller à la question"

# Gradio's English labels (as its components write them) and what the page shows instead.
GRADIO_FRENCH: dict[str, str] = {
    "Search...": "Rechercher…",
    "Search": "Rechercher",
    "More tabs": "Autres onglets",
    "Fullscreen": "Plein écran",
    "Exit fullscreen mode": "Quitter le plein écran",
    "Copy table data": "Copier le tableau",
    "Copy": "Copier",
    "Copied": "Copié",
    "Copy message": "Copier le message",
    "Copy all messages": "Copier toute la conversation",
    "Copy conversation": "Copier la conversation",
    "Copied message": "Message copié",
    "Empty value": "Valeur vide",
    "Open cell menu": "Ouvrir le menu de la cellule",
    "Table actions": "Actions du tableau",
    "Dataframe": "Tableau",
    "File upload": "Dépôt de fichiers",
    "Gradio footer navigation": "Pied de page",
    "chatbot conversation": "Conversation",
    "Chatbot": "Discussion",
    "Like": "J'aime",
    "Dislike": "Je n'aime pas",
    "Clear": "Effacer",
    "Undo": "Annuler",
    "Retry": "Réessayer",
    "Edit": "Modifier",
    "Submit": "Envoyer",
    "Stop": "Arrêter",
    "Download": "Télécharger",
    "Download All": "Tout télécharger",
    "Share": "Partager",
    "Close": "Fermer",
    "Dismiss": "Fermer",
    "Error": "Erreur",
    "Warning": "Attention",
    "Info": "Information",
    "Success": "Réussi",
    "Loading...": "Chargement…",
    "Loading": "Chargement",
    "processing": "en cours",
    "Processing": "En cours",
    "Drop File Here": "Déposez un fichier ici",
    "Drop Files Here": "Déposez des fichiers ici",
    "Click to Upload": "Cliquez pour déposer",
    "- or -": "- ou -",
    "Upload file": "Déposer un fichier",
    "Remove file": "Retirer le fichier",
    "Remove": "Retirer",
    "Expand": "Agrandir",
    "Collapse": "Réduire",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Clear sort": "Annuler le tri",
    "Filter": "Filtrer",
    "Clear filters": "Effacer les filtres",
    "Select all": "Tout sélectionner",
    "Dropdown": "Menu déroulant",
    "Textbox": "Zone de texte",
    "Gallery": "Galerie",
    "Previous": "Précédent",
    "Next": "Suivant",
    "Use via API": "Utiliser par l'API",
    "Settings": "Paramètres",
    "Built with Gradio": "Créé avec Gradio",
    "Username": "Nom d'utilisateur",
    "Password": "Mot de passe",
    "Login": "Se connecter",
    "Incorrect Credentials": "Identifiants incorrects",
    "Connection errored out.": "La connexion a échoué.",
    "Connection lost": "Connexion perdue",
    "Reconnecting...": "Reconnexion…",
    "Scroll down": "Aller en bas",
    "Scroll to bottom": "Aller en bas",
    "Enter text to search the table": "Rechercher dans le tableau",
    "common.complete": "Terminé",  # a key Gradio's French translation lacks
}

# Who speaks, as Gradio's chat names each message for assistive technology (« user's
# message: <the whole message> »): the French name alone, never the message's Markdown.
SPEAKERS: dict[str, str] = {"user": "Votre question", "bot": "Réponse de l'assistant"}
# File sizes as Gradio writes them (« 11.9 KB ») and in French units (« 11,9 ko »).
SIZE_UNITS: dict[str, str] = {"B": "o", "KB": "ko", "MB": "Mo", "GB": "Go", "TB": "To"}
# A citation's crop is legible when shown at this share of its size at least: its file is
# made at 90 CSS pixels per inch (``ingest.page_crops``), so 10-point text is 12.5 px high,
# and 11 px needs 88 %. Below it (a phone), the card shows the passage's text and a link.
LEGIBLE_SHARE = 11 / 12.5

_SCRIPT = """
(() => {
  const french = FRENCH;
  const skipLabel = SKIP;
  const speakers = SPEAKERS;
  const units = UNITS;
  const legibleShare = LEGIBLE;
  for (const name of ["language", "languages"]) {
    try {
      Object.defineProperty(Navigator.prototype, name, {
        configurable: true,
        get: () => (name === "language" ? "fr-FR" : ["fr-FR", "fr"]),
      });
    } catch (error) {}
  }
  const root = document.documentElement;
  const keepFrench = () => { if (root.lang !== "fr") root.lang = "fr"; };
  keepFrench();
  new MutationObserver(keepFrench).observe(root, {attributes: true, attributeFilter: ["lang"]});

  // Answers, documents and questions are shown as written: never rewritten.
  const content = ".prose, .md, [data-testid='bot'], [data-testid='user'], textarea, input, "
    + "table td:not(.download)";  // a file's size is Gradio's words
  const attributes = ["aria-label", "title", "placeholder", "alt", "aria-roledescription"];
  const size = (text) => {
    const found = /^(\\d+(?:\\.\\d+)?)\\s?(B|KB|MB|GB|TB)$/.exec(text);
    return found ? `${found[1].replace(".", ",")} ${units[found[2]]}` : undefined;
  };
  const translate = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.nodeValue.trim();
      const translated = text && (french[text] || size(text));
      if (translated && !node.parentElement?.closest(content)) {
        node.nodeValue = node.nodeValue.replace(text, translated);
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const element of [node, ...node.querySelectorAll("*")]) {
      for (const name of attributes) {
        const value = element.getAttribute(name);
        if (value && french[value.trim()]) element.setAttribute(name, french[value.trim()]);
        const thumbnail = value && /^Thumbnail (\\d+) of (\\d+)$/.exec(value);
        if (thumbnail) element.setAttribute(name, `Miniature ${thumbnail[1]} sur ${thumbnail[2]}`);
        const speaker = value && /^(\\w+)'s message: /.exec(value);
        if (speaker) element.setAttribute(name, speakers[speaker[1]] || "Message");
      }
      // A citation marker is named by where it leads (its title), not « [1] ».
      if (element.matches?.("a.renvoi[title]") && element.getAttribute("aria-label") !== element.title)
        element.setAttribute("aria-label", element.title);
      // A search box named only by its title gets the same words as its name.
      if (element.matches?.("input[title], textarea[title]") && !element.hasAttribute("aria-label")
          && !element.labels?.length) element.setAttribute("aria-label", element.title);
      // A notice's header is a button holding the close button: only the latter stays one.
      if (element.matches?.(".toast-header[role='button']")) {
        element.removeAttribute("role");
        element.removeAttribute("tabindex");
      }
      // A name on a plain container is not announced (and axe forbids it): make it a group.
      if (element.hasAttribute("aria-label") && !element.hasAttribute("role")
          && ["DIV", "SPAN"].includes(element.tagName)) element.setAttribute("role", "group");
      if (element.closest(content)) continue;
      for (const child of element.childNodes) if (child.nodeType === Node.TEXT_NODE) translate(child);
    }
  };
  // A crop shown too small to read (on a phone) gives way to the card's text and a link.
  const fitCrops = () => {
    for (const link of document.querySelectorAll("a.extrait-lien")) {
      const natural = Number(link.querySelector("img.extrait")?.getAttribute("width"));
      const room = link.parentElement?.clientWidth || 0;
      if (natural && room) link.classList.toggle("illisible", Math.min(room, 640) / natural < legibleShare);
    }
  };
  // Notices take room at the bottom of the question bar, never over an answer: the bar
  // grows by their height (on the other tabs they sit at the bottom of the screen).
  const placeNotices = () => {
    const notices = document.querySelector(".toast-wrap");
    const height = notices ? notices.getBoundingClientRect().height : 0;
    root.style.setProperty("--hauteur-avis", `${Math.ceil(height)}px`);
  };
  let planned = false;
  const arrange = () => {
    if (planned) return;
    planned = true;
    requestAnimationFrame(() => { planned = false; fitCrops(); placeNotices(); });
  };
  window.addEventListener("resize", arrange);
  const watch = () => {
    translate(document.body);
    new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === "characterData") translate(change.target);
        else if (change.type === "attributes") translate(change.target);
        else change.addedNodes.forEach(translate);
      }
      arrange();
    }).observe(document.body, {
      childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: attributes,
    });
    const skip = document.createElement("a");
    skip.href = "#question";
    skip.className = "lien-evitement";
    skip.textContent = skipLabel;
    skip.addEventListener("click", (event) => {
      const box = document.querySelector("#question textarea");
      if (box) { event.preventDefault(); box.focus(); box.scrollIntoView({block: "center"}); }
    });
    document.body.prepend(skip);
  };
  if (document.body) watch(); else document.addEventListener("DOMContentLoaded", watch);

  // Tabs: arrow keys, Home and End move between them (and select, as a click does).
  document.addEventListener("keydown", (event) => {
    const tab = event.target.closest?.("[role='tab']");
    if (!tab) return;
    const tabs = [...tab.closest("[role='tablist']").querySelectorAll("[role='tab']")]
      .filter((t) => t.offsetParent !== null && !t.disabled);
    const at = tabs.indexOf(tab);
    const next = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1}[event.key];
    if (next === undefined || at < 0) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    target.focus();
    target.click();
  });
})();
"""

FRENCH_STYLE = """
.lien-evitement { position: absolute; left: -10000px; top: 0; z-index: 1000; }
.lien-evitement:focus { left: 8px; top: 8px; padding: 8px 12px; background: #fff; color: #1e3a8a;
  border: 2px solid #1e3a8a; border-radius: 4px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
button[role='tab'].selected, button[role='tab'][aria-selected='true'] { color: #1e3a8a !important; }
footer a, footer button, footer .show-api, footer .settings { color: #4b5563 !important; }
#entete h1 { margin-bottom: 0.25em; }
#chat [data-testid='bot'], #chat .message-row { scroll-margin-top: 2.5em; }
details.verification > summary { cursor: pointer; color: #374151; font-size: 0.92em; }
#chat img.extrait, img.extrait { display: block; width: min(100%, 640px) !important;
  max-width: 100% !important; max-height: none !important; height: auto !important;
  margin: 0.4em 0; border: 1px solid #d1d5db; }
#cartes-territoires { display: none; }
.gradio-container { overflow: visible !important; overflow-x: clip !important; } /* sticky needs it */
#sans-reponse th, #documents th { word-break: normal; overflow-wrap: normal; hyphens: manual; }
button, .gallery-item, h1, h2, h3 { text-wrap: pretty; } /* no « ? » alone on a line */
#leviers summary { padding: 0.45em 0; cursor: pointer; } /* a finger's target on a phone */
#cartes-territoires .gallery-item { width: 100%; text-align: left; line-height: 1.4; }
#saisie { position: sticky; bottom: 0; z-index: 40; background: var(--background-fill-primary);
  padding: 0.5em 0 calc(0.5em + var(--hauteur-avis, 0px)); margin: 0; flex-wrap: nowrap; }
.toast-wrap { top: auto !important; bottom: 0 !important; }
/* A notice shows at once, fully: a fading one is pale text (3.8:1) while it fades. */
.toast-body { opacity: 1 !important; transform: none !important; }
a.extrait-lien .extrait-texte { display: none; }
a.extrait-lien.illisible img.extrait { display: none !important; }
a.extrait-lien.illisible .extrait-texte { display: inline; }
@media (max-width: 640px) {
  #entete h1 { font-size: 1.15rem; }
  #entete p { font-size: 0.9rem; margin: 0.2em 0; }
  #territoires { display: none; }
  #cartes-territoires { display: block !important; }
}
"""


def french_head() -> str:
    """The script and style sheet written at the top of every page's ``<head>``."""
    script = _SCRIPT.replace("FRENCH", json.dumps(GRADIO_FRENCH, ensure_ascii=False)).replace(
        "SKIP", json.dumps(SKIP_LINK, ensure_ascii=False)
    )
    script = script.replace("SPEAKERS", json.dumps(SPEAKERS, ensure_ascii=False))
    script = script.replace("UNITS", json.dumps(SIZE_UNITS)).replace("LEGIBLE", f"{LEGIBLE_SHARE:.3f}")
    return f"<script>{script}</script><style>{FRENCH_STYLE}</style>"
