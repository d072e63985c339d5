"""Pages, feed content and plain text become clean Articles; bad input gives a reason, never a traceback."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.article import (
    MAX_BYTES,
    article_from_text,
    extract_article,
    extract_fragment,
    extract_text,
    is_summary,
)

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def test_autoblog_page_keeps_the_story_and_drops_the_junk() -> None:
    art = extract_article(page("autoblog-harbour.html"))
    text = art.text
    assert art.title == "Harbour Town Opens Floating Solar Farm On Old Quarry Lake"
    assert art.title not in text
    assert "Harbour Town Unveils Floating Solar Panels" not in text  # the rewritten headline
    assert art.standfirst == (
        "The panels float on a lake that was once a granite pit, and will supply a fifth of the town"
    )
    kinds = [(b.kind, b.text) for b in art.blocks]
    assert ("heading", "How it works") in kinds and ("heading", "What comes next") in kinds
    assert ("list_item", "About 4.5 megawatts at peak") in kinds
    assert ("blockquote", "The lake was our problem for decades. It turned out to be the answer.") in kinds
    assert art.blocks[0].text.startswith("Harbour Town switched on a floating solar farm")
    assert art.blocks[-1].text.startswith("The council plans a second, smaller array")
    for junk in ("reading time", "Photo:", "syndicated", "View original", "Facebook", "Tags:", "Also Like",
                 "swing bridge", "Tom Reyes", "Leave a Comment", "email address", "Copyright",
                 "should never show", "Recent Posts"):
        assert junk.casefold() not in text.casefold(), junk
    removed = {cat for cat, _ in art.removed}
    assert {"reading-time", "repeated-headline", "caption", "disclaimer"} <= removed


def test_page_metadata() -> None:
    art = extract_article(page("autoblog-harbour.html"), url="https://mirror.example/x")
    assert art.byline == "Mira Olsen"
    assert art.published == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)
    assert art.site_name == "Pelican Post Daily"
    assert art.url == "https://mirror.example/x"
    assert extract_article(page("autoblog-harbour.html")).url == "https://pelicanpost.example/2024/03/harbour-solar"


def test_wire_page_in_a_declared_charset_keeps_dateline_and_credit_line() -> None:
    art = extract_article(page("wire-ledger.html"))
    text = art.text
    assert art.title == "Lisbon tram fleet to go electric-only by 2030"
    assert art.byline == "Rui Costa"
    assert art.published == datetime(2024, 6, 11, 14, 5, tzinfo=UTC)
    assert art.blocks[0].text.startswith("LISBON (Reuters) - Lisbon will retire the last of its diesel buses")
    assert "the city’s transport company" in text  # windows-1252 0x92 decoded, not a control character
    assert "(Reporting by Rui Costa; Editing by Anna Webb)" in text
    for junk in ("ADVERTISEMENT", "Reuters Photo", "Porto weighs", "Related Coverage", "Madrid",
                 "Read the full story", "All rights reserved", "Updated 3 hours ago", "By Rui Costa", "Home"):
        assert junk not in text, junk
    assert not CONTROL.search(text)


FEED_CONTENT = """
<p><strong>2 min read</strong></p>
<h2>Orchard Valley Cider Wins Regional Award</h2>
<p><img src="x.jpg"><br><em>Apples in the Orchard Valley press house. (Photo: Orchard Valley Cider)</em></p>
<p>OSLO (NTB) — A small cider maker from the fjord villages won the regional food prize on Friday, beating
forty producers with a dry cider pressed from apples grown on a single slope above the water.</p>
<p>The judges praised the cider's balance and said it showed how old orchards could be brought back
into use, after decades in which many of the trees had been left to grow wild.</p>
<p>ALSO READ: <a href="https://site.example/beer">Brewers warn of barley shortage</a></p>
<ol><li>First place: Orchard Valley Dry</li><li>Second place: Fjordside Perry</li></ol>
<pre>press  = 400 kg
yield  = 260 l</pre>
<p>The company plans to double production next year and to open a small shop at the farm.</p>
<p>This article has been auto-published from a wire agency feed without modifications to the text.</p>
<p>Subscribe to the Nordic Table newsletter for more food news delivered to your inbox.</p>
<p>The post <a href="https://site.example/cider">Orchard Valley Cider Wins Regional Award</a> appeared first
on <a href="https://site.example">Nordic Table</a>.</p>
<p><a href="javascript:alert('x')">Like</a> <a href="data:text/html,boo">Tweet</a></p>
"""


def test_feed_fragment_is_cleaned_without_readability() -> None:
    art = extract_fragment(FEED_CONTENT, title="Orchard Valley Cider Wins Regional Award",
                           url="https://site.example/cider")
    text = art.text
    assert art.title == "Orchard Valley Cider Wins Regional Award"
    assert art.title not in text
    assert art.blocks[0].text.startswith("OSLO (NTB) — A small cider maker")
    assert [b.text for b in art.blocks if b.kind == "list_item"] == [
        "First place: Orchard Valley Dry", "Second place: Fjordside Perry"]
    assert all(b.ordered for b in art.blocks if b.kind == "list_item")
    assert [b.text for b in art.blocks if b.kind == "code"] == ["press  = 400 kg\nyield  = 260 l"]
    assert "The company plans to double production" in text
    for junk in ("min read", "Photo:", "barley", "wire agency", "newsletter", "appeared first", "javascript",
                 "data:", "Tweet"):
        assert junk.casefold() not in text.casefold(), junk


SEEDLIKE = """Ferry Strike Halts Crossings To The Northern Islands

Ferry Crossings To Northern Islands Halted By Strike Over Pay And Hours

4 minutes, 2 seconds Read

Ferry Strike Halts Crossings To The Northern Islands

Islanders stock up as the walkout enters its second day

Ferry crews walked out on Monday over pay and rosters, halting every crossing to the northern islands and leaving hundreds of travellers stranded at the mainland port.

The union said talks had broken down after the operator offered a rise below inflation and refused to limit the length of shifts on the winter timetable.

Empty shelves

Islanders stock up as the walkout enters its second day.

Shops on the largest island reported empty bread and milk shelves by the afternoon, and the island council asked residents to share supplies with elderly neighbours.

Talks resume

The operator said it would meet union leaders again on Wednesday and hoped to restore a reduced service before the weekend.

(Except for the headline, this story has not been edited by Harbour Wire staff and is published from a syndicated feed.)

Source link

Related Posts

Leave a Reply

Your email address will not be published. Required fields are marked *
"""


def test_plain_text_like_an_aggregator_shows_it() -> None:
    art = article_from_text(SEEDLIKE)
    text = art.text
    assert art.title == "Ferry Strike Halts Crossings To The Northern Islands"
    assert art.standfirst == "Islanders stock up as the walkout enters its second day"
    assert art.title not in text and "Halted By Strike" not in text
    assert [b.text for b in art.blocks if b.kind == "heading"] == ["Empty shelves", "Talks resume"]
    assert "Islanders stock up as the walkout enters its second day." in text  # the body sentence stays
    assert text.startswith("Islanders stock up as the walkout enters its second day\n\nFerry crews walked out on Monday")
    assert text.endswith("restore a reduced service before the weekend.")
    for junk in ("Read", "syndicated", "Source link", "Related Posts", "Leave a Reply", "email address"):
        assert junk not in text, junk


def test_extract_text_is_standfirst_and_body_without_title() -> None:
    out = extract_text(page("autoblog-harbour.html").decode("utf-8"))
    paras = out.split("\n\n")
    assert paras[0].startswith("The panels float on a lake")
    assert "Harbour Town Opens Floating Solar Farm" not in out
    assert all(p.strip() == p and p for p in paras)


def test_is_summary() -> None:
    assert is_summary("<p>The council approved night buses on Thursday…</p>")
    assert is_summary("")
    long = " ".join(["The council approved the night buses after a long debate."] * 12)
    assert not is_summary(f"<p>{long}</p>")
    assert is_summary(f"<p>{long} [&#8230;]</p>")
    assert is_summary(f"<p>{long}</p><p><a href='/x'>Continue reading</a></p>")
    assert is_summary(long + " Read more")


def test_the_cut_ending_check_skips_its_regex_only_where_the_regex_finds_nothing() -> None:
    from tui.core.article.teaser import _ENDS_CUT, _ends_cut

    long = " ".join(["The council approved the night buses after a long debate."] * 4)
    endings = ["", " …", "...", " [&hellip;]", " [ … ]", " Continue reading »", " READ MORE", " Read the full story",
               " read the rest here", " contİnue reading", " read the rest.", " The end.", " ’’", " ı", " İ", " more"]
    for ending in endings:
        for tail in (long + ending, (long + ending)[-200:], ending.upper(), ending.lower()):
            assert _ends_cut(tail) == (_ENDS_CUT.search(tail) is not None), tail
    assert _ends_cut(long + " contİnue reading") and not _ends_cut(long + " The end.")


def test_bad_inputs_give_a_reason_not_a_traceback() -> None:
    assert extract_article("").reason == "empty document"
    assert extract_article(b"").reason == "empty document"
    assert extract_article(bytes(range(256)) * 100).reason == "not HTML"
    huge = "<html><body>" + "<p>words and more words</p>" * (MAX_BYTES // 20) + "</body></html>"
    assert len(huge) > 10_000_000 // 2
    assert extract_article(huge).reason == f"page too large ({len(huge) / 1e6:.1f} MB; the limit is 6 MB)"
    nav_only = ("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
                "<footer><p>© 2024 Example Site. All rights reserved.</p></footer></body></html>")
    assert extract_article(nav_only).reason == "no article text found"


def test_ten_megabytes_are_refused_quickly() -> None:
    art = extract_article(b"<p>" + b"x" * 10_000_000)
    assert art.reason == "page too large (10.0 MB; the limit is 6 MB)" and art.is_empty


def test_ten_thousand_levels_of_nesting() -> None:
    para = "<p>A paragraph of text that sits very deep inside the page, with enough words to count.</p>"
    deep = "<html><body>" + "<div>" * 10_000 + para + "</div>" * 10_000 + "</body></html>"
    art = extract_article(deep)
    assert art.is_empty == (art.reason is not None)
    frag = extract_fragment("<span>" * 10_000 + "deep words here" + "</span>" * 10_000, title="T")
    assert frag.reason is not None or "deep words here" in frag.text


def test_bom_and_meta_charset_decoding() -> None:
    body = "<html><body><p>Crème brûlée, naïve café — “quoted” text for the test page.</p></body></html>"
    for data in (body.encode("utf-16"), b"\xef\xbb\xbf" + body.encode("utf-8"),
                 body.replace("<html>", '<html><head><meta charset="iso-8859-15"></head>').encode("iso-8859-15",
                                                                                                    "replace")):
        assert "Crème brûlée, naïve café" in extract_article(data).text


def test_scripts_styles_and_forms_never_show() -> None:
    html = ("<html><body><article><p>Story text that is long enough to be the article body, surely it is.</p>"
            "<script>alert('x')</script><style>p{}</style><form><input value='secret'>Search</form>"
            "<iframe src='https://ads.example'>frame text</iframe></article></body></html>")
    text = extract_article(html).text
    assert "alert" not in text and "p{}" not in text and "Search" not in text and "frame text" not in text


def test_control_characters_are_stripped() -> None:
    html = "<p>Evil \x1b[31mred\x1b[0m words \x07 and a C1 \x9b char in a long enough paragraph.</p>"
    text = extract_article(html).text
    assert "red" in text and not CONTROL.search(text) and "\x1b" not in text


HTMLISH = st.lists(
    st.one_of(
        st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<h2>", "<li>", "<br>", "<a href='javascript:x'>",
                         "<!--", "<![CDATA[", "&amp;", "&#0;", "&#x9b;", "<?xml encoding='latin-1'?>"]),
        st.text(alphabet=st.sampled_from(list("<>/=\"' abcpdivh1lu&;#x\x00\x1b\x9b\n\t…—é")), max_size=40),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTMLISH)
def test_any_htmlish_text_is_handled(raw: str) -> None:
    for art in (extract_article(raw), extract_fragment(raw, title="T\x1bitle"), article_from_text(raw)):
        for s in (art.title, art.standfirst or "", art.text, *(t for _, t in art.removed)):
            assert not CONTROL.search(s.replace("\n", "").replace("\t", ""))
    is_summary(raw)


DEMO = Path(__file__).resolve().parents[2] / "tui" / "demo"


def test_every_demo_page_keeps_its_story_and_loses_its_junk() -> None:
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    assert expected
    for case in expected:
        art = extract_article((DEMO / "pages" / f"{case['slug']}.html").read_bytes())
        text = art.text
        blocks = {b.text for b in art.blocks}
        assert art.title == case["title"], case["slug"]
        assert case["title"] not in text, case["slug"]
        assert case["standfirst"] in text, case["slug"]
        for p in case["paragraphs"]:
            assert p in text, (case["slug"], p)
        for junk in case["junk"]:
            # one-word junk ("About") may be an ordinary word of the story: it must not stand alone
            gone = junk not in blocks if len(junk.split()) == 1 else junk.casefold() not in text.casefold()
            assert gone, (case["slug"], junk)


def test_plain_text_without_a_headline_keeps_its_first_paragraph() -> None:
    text = ("GENEVA (Relay) — Delegates agreed on Tuesday to extend the talks, officials said.\n\n"
            "“We need another week,” the chair told reporters.")
    art = article_from_text(text)
    assert art.title == ""
    assert art.text.startswith("GENEVA (Relay) — Delegates agreed on Tuesday")
    assert "“We need another week,” the chair told reporters." in art.text


def test_card_portal_keeps_every_paragraph_and_drops_its_widgets() -> None:
    art = extract_article(page("portal-cards.html"))
    text = art.text
    # the lead opens with a <cite> and a link beside the story's container: readability alone drops it
    assert art.blocks[0].text.startswith("(Northgate Wire) Homes in the Glasshouse district are now warmed")
    # a short paragraph with an inline link, alone in its wrapper, is text, not a link box
    assert "The company said its own study of the heat network found it saved" in text
    # an embedded post is a quotation of the story
    assert ("blockquote", "Our first flats are on the heat network today. Warm radiators, no boiler, no flame. "
            "Proud of the team that dug through a very wet winter.") in [(b.kind, b.text) for b in art.blocks]
    # a hover card inside a sentence goes; the sentence stays whole
    assert ("The scheme was first proposed by councillor Ines Halloran, who said the warmth had been thrown "
            "away for a decade while tenants struggled with their bills.") in text
    for junk in ("Ferry fares to rise", "Library opens on Sundays", "Engineers check the heat pumps",
                 "RIVER RESCUE", "Kayakers pulled", "lottery prize", "bridge closes", "DON'T MISS",
                 "Canal boat owners", "Housing Glasshouse"):
        assert junk not in text, junk
    assert art.blocks[-1].text.startswith("Residents who want to join the network")


def test_the_story_the_page_marks_up_wins_over_a_longer_listing() -> None:
    art = extract_article(page("blog-with-listing.html"))
    assert art.title == "Why the kettle sings before it boils"
    assert art.text.startswith("The hiss a kettle makes a minute before it boils")
    assert "salt" not in art.text and "honing rod" not in art.text


def test_a_source_tag_glued_to_the_first_word_gets_its_space_back() -> None:
    body = ("The county council on Thursday approved a network of night buses linking the valley villages "
            "to the city, ending a decade of early last buses. ") * 3
    html = (f"<html><body><article><h1>Night buses</h1><p><cite>(CNN)</cite>{body}</p>"
            f"<p>{body}</p></article></body></html>")
    art = extract_article(html)
    assert art.text.startswith("(CNN) The county council")


def test_a_product_boxs_name_and_price_stay_under_its_feature_list() -> None:
    intro = ("The best lanterns for a winter of power cuts are cheaper this week than at any time this year, "
             "and we picked the ones our testers kept using after the storms had passed. ") * 2
    box = ('<div class="shop-product-box"><a class="product-link" href="https://shop.example/l1">'
           '<img src="l.jpg"></a><div class="inner"><a class="product-title" href="https://shop.example/l1">'
           'Harbour Lantern 300 (2026 model)</a><div class="product-price-wrap"><a class="product-price" '
           'href="https://shop.example/l1">$39.99</a></div><a href="https://shop.example/l1">Buy now</a></div></div>')
    html = (f"<html><body><article><h1>The best storm lanterns</h1><p>{intro}</p>"
            "<h2>Harbour Lantern</h2><ul><li>Runs for 40 hours on one charge</li><li>Folds flat in a drawer</li></ul>"
            f"{box}<p>{intro}</p></article></body></html>")
    art = extract_article(html)
    texts = [b.text for b in art.blocks]
    features = texts.index("Folds flat in a drawer")
    assert texts[features + 1:features + 3] == ["Harbour Lantern 300 (2026 model)", "$39.99"]
    assert "Buy now" not in art.text


def test_a_feed_title_that_is_the_storys_opening_words_gives_way_to_the_pages_headline() -> None:
    page = (
        "<html><head><title>Harbour blaze destroys three boats | Island Daily</title></head><body>"
        "<article><h1>Harbour blaze destroys three boats</h1>"
        "<p>PORT ELLEN — A fire that started in a fuel store spread along the east quay overnight, "
        "destroying three fishing boats and damaging the lifeboat station.</p>"
        "<p>No one was hurt, the coastguard said, but the harbour will stay closed until Friday while "
        "divers check the quay for damage.</p><p>The fuel store had been inspected in March.</p></article></body></html>"
    )
    # Feeds without real headlines send the opening words, cut short: the page's headline is shown.
    cut = extract_article(page, "https://daily.example/fire", title_hint="PORT ELLEN — A fire that started in a fuel store")
    assert cut.title == "Harbour blaze destroys three boats"
    assert cut.blocks[0].text.startswith("PORT ELLEN — A fire that started")
    # A real headline from the feed still wins over the page's.
    own = extract_article(page, "https://daily.example/fire", title_hint="Fire closes Port Ellen harbour")
    assert own.title == "Fire closes Port Ellen harbour"


def test_a_dateline_cut_at_its_first_full_stop_gives_way_to_the_pages_headline() -> None:
    # Feeds without headlines cut the opening words at the first full stop, which in a dateline is an
    # abbreviation: "OBAN, Scot." or "ST." — one or two words, shorter than any cut the rule allowed.
    page = (
        "<html><head><title>Ferry runs aground off Kerrera | West Coast Post</title></head><body>"
        "<article><h1>Ferry runs aground off Kerrera</h1>"
        "<p>{dateline} — A car ferry with forty passengers on board ran aground on a sandbank in the sound "
        "on Tuesday morning, and was towed off by two tugs at high tide.</p>"
        "<p>No one was hurt, the operator said, and the crossing will resume on Wednesday after divers "
        "have checked the hull.</p><p>The sandbank moved in the winter storms.</p></article></body></html>"
    )
    for dateline, hint in (("OBAN, Scot.", "OBAN, Scot."), ("ST. KILDA, Scotland", "ST.")):
        cut = extract_article(page.format(dateline=dateline), "https://post.example/ferry", title_hint=hint)
        assert cut.title == "Ferry runs aground off Kerrera", hint
        assert cut.blocks[0].text.startswith(dateline)
    # A short headline of the feed's own, even one the story happens to open with, stays.
    own = extract_article(page.format(dateline="Ferry aground"), "https://post.example/ferry",
                          title_hint="Ferry aground")
    assert own.title == "Ferry aground"
