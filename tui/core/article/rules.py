"""The junk-wording rules: one line per phrasing that cleaning removes (the data the boilerplate pass applies)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["RULES", "Action", "Rule", "Where"]

Where = Literal["start", "end", "anywhere"]
Action = Literal["block", "section", "cut"]
# block:   drop this block only
# section: drop this heading and the list of other stories' headlines/excerpts that follows it
# cut:     drop this block and everything after it (comment threads, end matter)


@dataclass(frozen=True, slots=True)
class Rule:
    """One junk phrasing: a case-insensitive regex searched in a block's whole text."""

    pattern: re.Pattern[str]
    category: str
    where: Where = "anywhere"
    max_len: int = 200  # longer blocks are article text, whatever they contain
    action: Action = "block"


def _r(pattern: str, category: str, where: Where = "anywhere", max_len: int = 200,
       action: Action = "block") -> Rule:
    return Rule(re.compile(pattern, re.I), category, where, max_len, action)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})"
    rf"(?:,?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{{2,5}})?)?"
)
_SHARE_NETWORKS = (
    r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|telegram|e-?mail|messenger|flipboard|threads|bluesky)"
)

# The rule table: a new junk phrasing is one line here.
RULES: tuple[Rule, ...] = (
    # reading time
    _r(r"^(?=.*\bread)(?=.*\d+\s*(?:min|sec|m\b)).*$", "reading-time", "anywhere", 60),
    _r(r"^(?:est(?:imated)?\.?\s+)?read(?:ing)?\s+time\b.*$", "reading-time", "anywhere", 60),
    # syndication: source links, feed footers, "originally published"
    _r(r"^(?:source link|source url|original source|view (?:the )?original(?: article| post| story)?|"
       r"go to (?:the )?source|link to (?:the )?(?:source|original)(?: article)?)\W*$", "source-link"),
    _r(r"^(?:source|via|sources|credit|courtesy(?: of)?)\s*[:\-–—]\s*\S.{0,80}$", "source-link", "end", 100),
    _r(r"^via [A-Z][\w .&'’-]{1,40}\W*$", "source-link", "end", 50),
    _r(r"^(?:this (?:story|article|post|piece|report) )?(?:was )?(?:originally|first) "
       r"(?:published|posted|appeared|ran)\b.*$", "source-link", "anywhere", 300),
    _r(r"^(?:read|see|view|continue reading) (?:the )?(?:full|original|complete|whole|rest of the|entire)\b.*"
       r"(?:story|article|post|report|piece)\b.*$", "source-link", "anywhere", 250),
    _r(r"^(?:read more|continue reading|keep reading)\s*(?:at|on|here|»|›|→|…|\.\.\.)?\W*$", "source-link"),
    _r(r"^the post\b.{3,400}\bappeared first on\b.*$", "feed-footer", "anywhere", 600),
    _r(r"\bappeared first on\b.{2,120}$", "feed-footer", "end", 300),
    _r(r"^(?:the|this) (?:post|article|entry|story)\b.{3,400}\b(?:was )?(?:first |originally )?"
       r"(?:appeared|published|posted)(?: first)? (?:on|at|in)\b.{2,120}$", "feed-footer", "anywhere", 600),
    _r(r"\bis a post from\s*:?\s*\S.{0,120}$", "feed-footer", "end", 300),
    _r(r"^(?:this|the) (?:rss )?feed is (?:for|intended for) personal,? non-?commercial use only\b.*$", "feed-footer",
       "anywhere", 600),
    _r(r"\bif you are (?:not )?reading this (?:article|content|post|entry)\b.{0,60}\b(?:feed ?reader|news ?reader|"
       r"aggregator)\b", "feed-footer", "anywhere", 600),
    # syndication and wire disclaimers
    _r(r"(?:published|generated|sourced|taken|reproduced) (?:\w+ ){0,3}from (?:an? |the )?(?:\w+ ){0,3}"
       r"(?:syndicated|agency|wire|news agency|rss)\b(?: (?:feed|copy|service|content))?", "disclaimer", "anywhere", 500),
    _r(r"\b(?:has|have) not been edited by\b", "disclaimer", "anywhere", 500),
    _r(r"\bwithout (?:any )?modifications? to the (?:text|content|copy)\b", "disclaimer", "anywhere", 500),
    _r(r"\bonly the (?:headline|title)(?: and [\w ]{1,30})? (?:has|have) been (?:changed|edited|modified)\b",
       "disclaimer", "anywhere", 500),
    _r(r"\b(?:auto-?generated|automatically generated|automatically published|computer-generated) "
       r"(?:from|by|story|article|content)\b", "disclaimer", "anywhere", 500),
    _r(r"^\W*disclaimer\b\s*[:\-–—].*$", "disclaimer", "end", 800),
    _r(r"\b(?:views|opinions) expressed (?:in this|herein|by the)\b.*\b(?:do not|don't|are not|not necessarily)\b",
       "disclaimer", "end", 600),
    _r(r"^(?:republished|reprinted|reproduced|syndicated) (?:here )?(?:with|by) (?:kind |the )?permission\b.*$",
       "disclaimer", "anywhere", 300),
    _r(r"^this (?:content|article|story|post|feature) (?:was|is|has been) (?:produced|created|written|paid for|"
       r"sponsored|funded)\b.{0,40}\b(?:by|in partnership with|with)\b.*$", "disclaimer", "anywhere", 300),
    _r(r"^(?:the )?(?:views|opinions) expressed\b.{0,200}\b(?:are (?:solely |entirely )?(?:those of|the "
       r"(?:author|writer|contributor)'?s?\b)|belong to)\b.*$", "disclaimer", "end", 600),
    # copyright and redistribution notices
    _r(r"^this (?:document|article|material|story|content) is (?:subject to|protected by) copyright\b", "copyright",
       "end", 600, "cut"),
    _r(r"^citation\s*:.{5,300}\bretrieved\b.{0,60}\bfrom\b.*$", "citation", "end", 500),
    _r(r"^provided by (?:the )?[A-Z][\w .,&'’-]{2,80}$", "source-link", "end", 100),
    _r(r"^\W*(?:©|\(c\)|copyright\b|&copy;)", "copyright", "anywhere", 400),
    _r(r"\ball rights reserved\b", "copyright", "anywhere", 400),
    _r(r"\bmay not be (?:\w+,? ){0,3}(?:published|reproduced|redistributed|rewritten|broadcast|copied|"
       r"distributed|republished)\b", "copyright", "anywhere", 500),
    _r(r"\b(?:redistribution|republication|reproduction|republishing|reprinting)\b.{0,120}"
       r"\b(?:prohibited|not permitted|forbidden|without (?:the )?(?:prior )?(?:express )?(?:written )?"
       r"(?:permission|consent))", "copyright", "anywhere", 500),
    _r(r"^our standards\s*:.*$", "copyright", "anywhere", 300),
    _r(r"\btrust principles\b", "copyright", "end", 300),
    # comment sections and forms
    _r(r"^(?:leave|post|add|write|submit) (?:a |your )?(?:reply|comment|response)s?\b.{0,40}$", "comments",
       "anywhere", 80, "cut"),
    _r(r"^(?:\d+|one|two|three|no) (?:thoughts?|comments?|responses?|replies|reactions?) (?:on|to)\b.*$",
       "comments", "anywhere", 300, "cut"),
    _r(r"^(?:\d+\s+)?(?:reader )?(?:comments?|discussion|responses)(?:\s*\(\d+\))?\W*$", "comments", "end", 40,
       "cut"),
    _r(r"^(?:join|start) the (?:conversation|discussion)\b.*$", "comments", "end", 120, "cut"),
    _r(r"^(?:show|view|load|read|see) (?:all |the )?(?:\d+ )?comments?\b.*$", "comments", "anywhere", 80, "cut"),
    _r(r"^(?:what do you think|have your say|tell us what you think)\b.*$", "comments", "end", 120, "cut"),
    _r(r"^\S.{0,60}\b(?:says|said|wrote|writes|replied)\s*:\s*$", "comments", "end", 80, "cut"),
    _r(r"\byour email address will not be published\b", "comments", "anywhere", 300),
    _r(r"\bnotify me of (?:follow-?up comments|new (?:posts|comments))\b", "comments", "anywhere", 200),
    _r(r"\brequired fields are (?:marked|indicated)\b", "comments", "anywhere", 300),
    _r(r"\bsave my name,? e-?mail\b", "comments", "anywhere", 300),
    _r(r"\bcomments?\b.{0,60}\b(?:moderat\w*|approv\w*|spam)\b", "comments", "end", 200),
    _r(r"\b(?:coment[aá]rios?|commentaires?|kommentare?|commenti)\b.{0,120}\b(?:mod[eé]r\w*|aprovad\w*|aprobad\w*|"
       r"approuv\w*|freigeschaltet|approvat\w*)", "comments", "end", 300),
    _r(r"^(?:you must be logged in|log in to (?:leave|post) a comment|comments are closed)\b.*$", "comments",
       "anywhere", 200, "cut"),
    # related content and inline promos
    _r(r"^(?:similar|related|recommended|suggested|more|other|latest|popular|trending|top|further|featured|"
       r"must|editor'?s|don'?t)\s+(?:posts?|stories|articles?|news|reads?|reading|coverage|content|links?|"
       r"videos?|headlines|picks?|topics|miss|watch)(?:\s+(?:from|on|in|about)\s+.{1,40})?\W*$",
       "related", "anywhere", 70, "section"),
    _r(r"^(?:related|recommended(?: for you| reading)?|picked for you|read (?:more|next|also)|also read|see also|also see|"
       r"you (?:may|might|could) "
       r"(?:also )?(?:like|enjoy|be interested in)|don'?t miss|in (?:other|case you missed)(?: news| it)?|"
       r"most (?:read|popular|viewed|shared)|trending(?: now)?|what to read next|up next|more from .{1,40}|"
       r"more on (?:this|that)(?: story| topic)?|further reading|elsewhere on .{1,40}|"
       r"from (?:around|across) the web|also on .{1,40}|leggi anche|lesen sie auch|lire aussi|leia também|"
       r"lee también|ver también|zobacz też|lees ook)\W*$", "related", "anywhere", 70, "section"),
    _r(r"^(?:more|other|related|recommended|similar|latest|top)\s+(?:[\w'’-]+\s+){1,2}(?:posts|stories|articles|"
       r"reads|coverage|videos|headlines)\W*$", "related", "anywhere", 60, "section"),
    _r(r"^\W*(?:also read|read also|related|read more|more|see also|also see|read next|recommended|watch|"
       r"listen|also|don'?t miss|must read|related (?:article|story|coverage|news|link)s?|"
       r"click here|more news|latest|related \w+)(?:\s*[:|»›>\-–—/]|\s*\n)\s*\S.*$", "also-read", "anywhere", 250),
    _r(r"^also on \S+\s+\S.*$", "also-read", "anywhere", 250),
    _r(r"^(?:more|follow)\b.{0,60}\bcoverage\b.*$|^more\b.{0,40}:\s*https?://\S+.*$", "also-read", "end", 200),
    _r(r"^\W*click here\b.*$", "also-read", "anywhere", 250),
    # share / follow / subscribe / newsletter / app promos
    _r(rf"^(?:share|share this|share (?:this |the )?(?:article|story|post|page)|share on {_SHARE_NETWORKS}|"
       rf"share via .{{1,20}}|tweet(?: this)?|like this|pin it|print(?: this)?(?: article| page)?|"
       rf"{_SHARE_NETWORKS}|copy link|link copied|like|loading|like loading)\W*$", "share", "anywhere", 60),
    _r(rf"^(?:share|post|send)(?: (?:this|the) (?:article|story|post|page))? (?:on|to|via|with) {_SHARE_NETWORKS}"
       rf"(?:[\s,/|]+(?:{_SHARE_NETWORKS}|or|and))*\W*$", "share", "anywhere", 120),
    _r(r"^(?=.{0,60}\b(?:like|enjoy|enjoyed|love|found)\b.{0,30}\b(?:story|article|post)\b).{0,60}\bshare\b.*$",
       "share", "anywhere", 150),
    _r(r"\b(?:requires|enable|turn on|needs) javascript\b|\bjavascript (?:is )?(?:disabled|required)\b", "chrome",
       "anywhere", 200),
    _r(r"^\[\w+\b[^\]]*\].*\[/\w+\]$", "chrome", "anywhere", 400),
    _r(r"^(?:follow|like|join) (?:us|me|\S+(?: \S+){0,3}) on (?:facebook|twitter|x|instagram|telegram|whatsapp|"
       r"linkedin|youtube|tiktok|threads|google news|social media)\b.*$", "social", "anywhere", 400),
    _r(r"^sharing is caring\W*$", "share", "anywhere", 40),
    _r(r"^click to (?:share|email|print|tweet|pin)\b.{0,80}$", "share", "anywhere", 120),
    _r(r"^listen to (?:this|the) (?:article|story|report|piece)\b.{0,40}$", "chrome", "anywhere", 80),
    _r(r"^(?:listen|tune in) (?:to )?[\w'’ .-]{2,40}\blive\b.{0,100}$", "promo", "anywhere", 160),
    _r(r"^(?:[A-Z]{1,4}\s*[-–—|]\s*)?(?:https?://)?www\.[\w-]+(?:\.[\w-]+)+/?$", "signature", "end", 80),
    _r(r"^(?:download|get|install) (?:our|the) (?:[\w'’-]+ ){0,3}app\W*$", "promo", "anywhere", 60),
    _r(r"^join (?:our|us on) (?:whatsapp|telegram|signal|discord)\b.{0,60}$", "social", "anywhere", 120),
    _r(rf"^(?:(?:share|like|tweet|pin|print|save|copy link|comment|{_SHARE_NETWORKS})\b\W*){{2,10}}$", "share",
       "anywhere", 120),
    _r(r"^(?:stay connected|connect with us|follow us|find us on|social media)\W*$", "social", "anywhere", 40),
    _r(r"^(?:sign up|subscribe|register|get|receive|join)\b.{0,80}\b(?:newsletter|inbox|e-?mail alerts?|"
       r"briefing|digest|updates)\b.*$", "newsletter", "anywhere", 250),
    _r(r"^(?:newsletter|subscribe(?: now| today| here)?|sign up(?: now| today| here)?)\b\W*$", "newsletter",
       "anywhere", 40),
    _r(r"\b(?:inbox|in your (?:e-?mail|mailbox))\b", "newsletter", "anywhere", 200),
    _r(r"\b(?:download|get|install)\b.{0,60}\b(?:app|application)\b.{0,80}(?:google play|app store|android|ios|"
       r"iphone|news|updates|free)", "promo", "anywhere", 300),
    _r(r"^(?:catch|get|read|follow|check out|see)\s+(?:all|the latest|more|live|today'?s)\b.{0,200}"
       r"\b(?:news|headlines|updates|stories|coverage)\b.*$", "promo",
       "end", 400),
    _r(r"^(?=.*\b(?:click here|tap here|use (?:the )?(?:promo |coupon |discount )?code|subscribe (?:now|today|here)|"
       r"order (?:now|today)|for as little as)\b)(?=.*(?:[$£€₹¥]\s?\d|\brs\.?\s?\d|\b\d+ issues\b|\bsubscri)).*$",
       "promo", "end", 400),
    _r(r"^join (?:our|the) .{0,60}\b(?:forums?|community|discord|mailing list|readers'? panel)\b.*$", "promo",
       "end", 300),
    _r(r"^(?:subscribe|become a (?:member|subscriber)|support (?:our|independent) journalism|"
       r"donate)\b.*$", "promo", "anywhere", 250),
    _r(r"^if you (?:enjoyed|liked|like|enjoy|appreciate|value)\b.{0,120}\b(?:join|subscribe|support|donate|"
       r"become|sign up)\b", "promo", "anywhere", 400),
    # labels
    _r(r"^(?:advertisement|advert|ad)\s*[-–—:|]\s*(?:continue|scroll|story|article)\b.{0,40}$", "ad-label",
       "anywhere", 80),
    _r(r"^(?:advertisement|advertising|advert|ad|ads|sponsored(?: content| post| links?)?|promoted(?: content)?|"
       r"paid (?:content|post)|partner content|(?:story|article) continues (?:below|after)(?: (?:this )?"
       r"(?:ad|advertisement))?|continue reading (?:below|after)(?: (?:the )?(?:ad|advertisement))?|"
       r"scroll (?:down )?to continue(?: with content| reading)?|skip (?:advert|ad)(?:isement)?)\W*$",
       "ad-label", "anywhere", 80),
    # captions and photo credits
    _r(r"(?:^|[\s(|])(?:reuters|ap|afp|epa|getty|pa|aap|ani|file)(?:/[\w .'’-]{1,40})?/(?:file |handout |pool )?"
       r"(?:photo|picture|image)s?\W*$", "caption", "anywhere", 350),
    _r(r"\((?:[^()]{0,60}[\s/,;:])?(?:file |staff |handout |pool )?(?:photo(?:graph)?s?|images?|pic(?:ture)?s?|"
       r"illustration|video|graphic|screenshot|screengrab)\b[^()]{0,80}\)\W*$", "caption", "anywhere", 400),
    _r(r"\((?:photo |image |picture )?(?:credits?|courtesy)\b[^()]{1,80}\)\W*$", "caption", "anywhere", 400),
    _r(r"\b(?:photo(?:graph)?s?|images?|pic(?:ture)?s?|photography)\s*(?:©|\(c\)|copyright\b)", "caption",
       "anywhere", 200),
    _r(r"^(?:photo(?:graph)?s?|images?|pic(?:ture)?s?|illustration|credit|photo credit|image credit|"
       r"video|graphic)\s*(?:credit)?\s*[:/|©].{0,120}$", "caption", "anywhere", 150),
    _r(r"(?:[/|•·]\s*|\b)(?:getty images|shutterstock|alamy|afp via getty|istock(?:photo)?|unsplash)\W*$",
       "caption", "anywhere", 350),
    _r(r"^\W*\d+\s*/\s*\d+\W*$", "caption", "anywhere", 12),
    _r(r"^\W*\d{1,3}\W*$", "chrome", "anywhere", 6),  # a stray counter: comments, shares, slide number
    # tags, categories
    _r(r"^(?:tags?|tagged(?: with)?|topics?|filed under|categories|category|posted in|related topics|"
       r"keywords?|more about)\s*[:\-–—/|]\s*.*$", "tags", "anywhere", 300),
    # meta: bylines and date lines, breadcrumbs, post navigation
    _r(r"^(?:by|written by|words by|story by|posted by|published by|author)\s*:?\s+[^.!?]{2,80}$", "meta",
       "start", 100),
    _r(rf"^(?:(?:posted|published|updated|last updated|first published|modified|date)\b(?: on| at)?:?\s*)?"
       rf"{_DATE}(?:\s*(?:[|•·,/\-–—]|updated:?|modified:?)\s*.{{0,60}})?$", "meta", "anywhere", 120),
    # a date line in any language: a short line holding a year and a clock time, over the story
    _r(r"^(?=.*\b(?:19|20)\d{2}\b)(?=.*\b\d{1,2}[:h]\d{2}\b)[^!?]{4,80}(?<!\.)$", "meta", "start", 80),
    _r(r"^(?:posted|published|updated|last updated|first published)(?: on| at)?\s*:?\s+\S.{0,60}$", "meta",
       "start", 80),
    _r(rf"^(?:updated|posted|published|last updated|first published|modified)(?: on| at)?:?\s+"
       rf"(?:{_DATE}|\d{{1,2}}(?:[:.]\d{{2}})?\s*[ap]\.?m\.?\b.*|\d+ (?:minutes?|hours?|days?) ago)\W*$", "meta",
       "anywhere", 120),
    _r(r"^[A-Z][\w.'’ -]{2,40}, (?:[\w.'’]+ ){0,4}(?:writer|reporter|correspondent|editor|journalist|columnist|"
       r"contributor)$", "meta", "start", 100),
    _r(r"^(?:contributing|additional reporting|with additional reporting)(?: by)?\s*:?\s+[^.!?]{2,80}\.?$"
       r"|\bcontributed (?:reporting )?to this (?:report|story|article)\.?$", "credit", "end", 200),
    _r(r"^home\s*(?:[»›>/|]\s*\S.*)?$", "breadcrumb", "anywhere", 150),
    _r(r"^(?:previous|next|prev|older|newer)(?: (?:article|post|story|entry))?\s*[:»›<>«‹]?\W*(?:\S.{0,150})?$",
       "post-nav", "end", 160),
    # author bios, a press release's "About <company>" boilerplate, and affiliate disclaimers
    _r(r"^[A-Z][\w&.’' -]{1,50} (?:is|are) (?:a|an|the) (?:(?:global|leading|world'?s? leading|international|"
       r"premier|privately[- ]held|publicly[- ]traded|[\w-]+-based)\b).{0,120}\b(?:provider|company|firm|"
       r"manufacturer|supplier|developer|leader|maker|group|organi[sz]ation|platform)\b.*$",
       "about-company", "end", 700, "cut"),
    _r(r"^(?:about the author|about the writer|author bio|more by this author|more articles by)\b.*$",
       "author-box", "end", 500, "cut"),
    _r(r"^[A-Z][\w.'’ -]{2,50}(?: \([^()]{1,80}\))? (?:is|was) (?:an?|the|[\w.]+'s|[\w.]+’s) (?:[\w-]+ ){0,5}"
       r"(?:reporter|writer|"
       r"journalist|editor|correspondent|contributor|columnist|freelancer|author|producer|curator|analyst|host)\b.*$",
       "author-box", "end", 500),
    _r(r"\bfollow (?:him|her|them|me) (?:on|at) \S+", "author-box", "end", 400),
    _r(r"^(?:contact|email|follow) (?:the )?(?:author|reporter|writer)\b.*$", "author-box", "end", 200),
    _r(r"^(?:write to|contact|email|reach) .{2,60}\b(?:at|via)\s+\S+@\S+", "author-box", "end", 200),
    _r(r"\b(?:we|i|this site|this website)\s+(?:may|might|could)\s+(?:earn|receive|get)\b.{0,40}"
       r"\b(?:commission|compensation|share of sales)", "affiliate", "anywhere", 600),
    _r(r"\bif you (?:buy|purchase|click|shop|subscribe)\b.{0,80}\b(?:may|might|could|will) (?:get|earn|receive)\b",
       "affiliate", "anywhere", 400),
    _r(r"\baffiliate (?:links?|commission|partnerships?)\b", "affiliate", "anywhere", 400),
)
