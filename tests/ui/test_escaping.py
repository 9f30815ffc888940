"""Untrusted text shown as text: HTML, links, images and bare addresses leave nothing to
render, and a chat message reads back as it was written."""

from ui.escaping import escape_text, message_text, plain_links, plain_markdown, unescape_text

HOSTILE = (
    'Avant <img src="http://203.0.113.9/x.png" onerror="window.__pwned=2"> '
    "![compost](http://203.0.113.9/y.png) [le site](http://203.0.113.9/plan) "
    '<link rel="stylesheet" href="http://203.0.113.9/s.css"> <iframe src="http://203.0.113.9/v"></iframe> '
    '<div style="background:url(http://203.0.113.9/f.png)">décor</div> '
    "www.example.org contact@example.org http://203.0.113.9/a <http://203.0.113.9/b> après."
)


def test_escape_text_neutralises_html_links_and_images() -> None:
    hostile = "<script>alert(1)</script> ![x](http://evil.example/p.png) [lien](javascript:alert(1))"
    escaped = escape_text(hostile)
    assert "<" not in escaped and ">" not in escaped.replace("&gt;", "")
    assert "![" not in escaped and "](" not in escaped
    assert escaped.startswith("&lt;script&gt;alert\\(1\\)&lt;/script&gt;")


def test_markdown_images_become_their_alt_text_and_links_their_text_and_target() -> None:
    assert plain_links("Le ![compost collectif](http://x.fr/y.png) et [le site](http://x.fr/plan).") == (
        "Le compost collectif et le site (http://x.fr/plan)."
    )
    assert plain_links("![](http://x.fr/i.png)[http://x.fr/](http://x.fr/)[](http://x.fr/v)") == (
        "http://x.fr/http://x.fr/v"
    )


def test_hostile_document_text_leaves_no_tag_link_image_or_address_to_render() -> None:
    escaped = escape_text(HOSTILE)
    assert escaped == (
        'Avant &lt;img src="http&#58;//203.0.113.9/x.png" onerror="window.\\_\\_pwned=2"&gt; compost '
        "le site \\(http&#58;//203.0.113.9/plan\\) "
        '&lt;link rel="stylesheet" href="http&#58;//203.0.113.9/s.css"&gt; '
        '&lt;iframe src="http&#58;//203.0.113.9/v"&gt;&lt;/iframe&gt; '
        '&lt;div style="background:url\\(http&#58;//203.0.113.9/f.png\\)"&gt;décor&lt;/div&gt; '
        "www&#46;example.org contact&#64;example.org http&#58;//203.0.113.9/a "
        "&lt;http&#58;//203.0.113.9/b&gt; après."
    )
    for rendered in ("<", ">", "](", "![", "://", "www.", "@"):
        assert rendered not in escaped
    assert unescape_text(escaped) == plain_links(HOSTILE)


def test_a_question_is_shown_as_text_and_read_back_as_written() -> None:
    question = "Qu'attendait Val-d'Orbelune (journée 2) de <b>contact@ville.fr</b> ? [1]"
    shown = escape_text(question)
    assert "<b>" not in shown and "@" not in shown
    assert message_text(shown) == question
    assert message_text([{"type": "text", "text": shown}]) == question


# -- plain Markdown, for a file read in an editor (the conversation's export) ----------------


def test_plain_markdown_leaves_ordinary_text_as_written() -> None:
    ordinary = (
        "Val-d'Orbelune (journée 2) : 12 personnes > 10 ; 3.1 Quelques chiffres ; -2 % ; 9 h 30 ; C:\\dossier"
    )
    assert plain_markdown(ordinary) == ordinary


def test_plain_markdown_escapes_only_where_markup_would_begin() -> None:
    assert plain_markdown("<script>alert(1)</script> < 3 <!-- x --> <?php") == (
        "&lt;script>alert(1)&lt;/script> < 3 &lt;!-- x --> &lt;?php"
    )
    assert plain_markdown("[clic](javascript:alert(1)) ![suivi](http://x.fr/p.png) [1]: a | b") == (
        "clic (javascript:alert(1)) suivi \\[1\\]: a \\| b"
    )
    assert plain_markdown("http://x.fr www.x.fr a@x.fr awww.x &lt; &#58; & \\[") == (
        "http\\://x.fr www\\.x.fr a\\@x.fr awww.x \\&lt; \\&#58; & \\\\\\["
    )
    lines = "# t\n> q\n- l\n+ l\n* l\n1. l\n2) l\n---\n===\n_ _ _\n```\n~~~\n    code\n#hashtag\n-2\n1.5"
    assert plain_markdown(lines).split("\n") == [
        "\\# t", "\\> q", "\\- l", "\\+ l", "\\* l", "1\\. l", "2\\) l", "\\---", "\\===", "\\_ _ _",
        "\\```", "\\~~~", "code", "#hashtag", "-2", "1.5",
    ]  # fmt: skip
    assert plain_markdown("# t > q", block=False) == "# t > q"  # inside a line of ours
