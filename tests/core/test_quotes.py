"""Tests for quote extraction: mark pairing, speakers, partial quotes, exclusions and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.models import Quote
from tui.core.quotes import extract_quotes


def quotes_of(text: str) -> dict[str, Quote]:
    found = extract_quotes(text)
    for q in found:
        assert text[q.start:q.end] == q.text
    return {q.text: q for q in found}


def speakers(text: str) -> dict[str, str | None]:
    return {t: q.speaker for t, q in quotes_of(text).items()}


# --------------------------------------------------------------------------- pairing


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("“The bridge will open in May,” the mayor said.", "The bridge will open in May,"),
        ('"The bridge will open in May," the mayor said.', "The bridge will open in May,"),
        ("‘The bridge will open in May,’ the mayor said.", "The bridge will open in May,"),
        ("«The bridge will open in May», the mayor said.", "The bridge will open in May"),
        ("„The bridge will open in May“, the mayor said.", "The bridge will open in May"),
        ('"The bridge will open in May,” the mayor said.', "The bridge will open in May,"),
    ],
)
def test_every_mark_style_pairs(text: str, inner: str) -> None:
    (q,) = extract_quotes(text)
    assert q.text == inner
    assert q.speaker == "the mayor"
    assert text[q.start:q.end] == inner


def test_apostrophes_are_not_quote_marks() -> None:
    text = (
        "Norway’s skiers don't train in the ’90s style any more, the coach said. "
        "“We’re faster than the skiers’ rivals thought,” Ola Berg said."
    )
    assert list(quotes_of(text)) == ["We’re faster than the skiers’ rivals thought,"]


def test_plural_possessive_inside_a_single_quote_does_not_close_it() -> None:
    text = "‘The farmers’ union will not back down,’ Ann Lee said."
    assert speakers(text) == {"The farmers’ union will not back down,": "Ann Lee"}


def test_nested_single_quotes_stay_inside_the_outer_quote() -> None:
    text = "“He told me ‘never again’ and walked out,” Petra Novak said."
    (q,) = extract_quotes(text)
    assert q.text == "He told me ‘never again’ and walked out,"
    assert q.speaker == "Petra Novak"


def test_british_single_outer_quote_keeps_inner_double_quote() -> None:
    text = "‘They called it “a disaster” from day one,’ Tom Reid said."
    (q,) = extract_quotes(text)
    assert q.text == "They called it “a disaster” from day one,"


def test_two_quotes_in_one_sentence_are_two_entries() -> None:
    text = "“We lost,” Mia Fox said. “We will be back.”"
    assert speakers(text) == {"We lost,": "Mia Fox", "We will be back.": "Mia Fox"}


def test_quote_running_over_paragraphs() -> None:
    text = (
        "The club said in a statement: “Our coach has left by mutual consent.\n\n"
        "“We thank him for six wonderful seasons.\n\n"
        "“The search for a successor starts today.”"
    )
    found = extract_quotes(text)
    assert [q.text for q in found] == [
        "Our coach has left by mutual consent.",
        "We thank him for six wonderful seasons.",
        "The search for a successor starts today.",
    ]
    assert {q.speaker for q in found} == {"The club"}
    for q in found:
        assert text[q.start:q.end] == q.text
        assert "\n" not in q.text


def test_multi_paragraph_quote_attributed_at_its_end() -> None:
    text = (
        "“The harvest was the worst in twenty years.\n\n"
        "“Prices will rise before winter,” the farmers’ association said."
    )
    assert set(speakers(text).values()) == {"the farmers’ association"}


def test_same_quote_twice_is_listed_once() -> None:
    text = (
        "Minister calls strike “reckless”\n\n"
        "The transport minister, Lena Holm, called the strike “reckless” on Friday.\n\n"
        "She said it was “reckless” again on Monday."
    )
    found = extract_quotes(text)
    assert [q.text for q in found] == ["reckless"]


def test_offsets_index_the_whole_text() -> None:
    text = "First paragraph without quotes.\n\n“Second paragraph quote,” Ivo Mraz said.\n\n“Third one,” he added."
    found = extract_quotes(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert [text[q.start:q.end] for q in found] == ["Second paragraph quote,", "Third one,"]


# --------------------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“We expect a long winter,” Karl Ott said.", "Karl Ott"),
        ("Karl Ott said: “We expect a long winter.”", "Karl Ott"),
        ("“We expect a long winter,” said Karl Ott.", "Karl Ott"),
        ("“We expect a long winter,” says Karl Ott, a forecaster in Tartu.", "Karl Ott"),
        ("“We expect a long winter,” according to Karl Ott.", "Karl Ott"),
        ("Karl Ott told the Tartu Herald that “a long winter” was coming.", "Karl Ott"),
        ("Karl Ott wrote on his blog: “We expect a long winter.”", "Karl Ott"),
        ("“We expect a long winter,” Karl Ott added.", "Karl Ott"),
        ("Karl Ott tweeted: “We expect a long winter.”", "Karl Ott"),
        ("Karl Ott posted: “We expect a long winter.”", "Karl Ott"),
        ("“We expect a long winter,” Karl Ott stated.", "Karl Ott"),
        ("Karl Ott warned that “a long winter” was coming.", "Karl Ott"),
        ("“We expect a long winter,” Karl Ott explained.", "Karl Ott"),
        ("Karl Ott argued that “a long winter” was likely.", "Karl Ott"),
        ("Karl Ott insisted the forecast was “not alarmist.”", "Karl Ott"),
        ("Karl Ott noted that “a long winter” was likely.", "Karl Ott"),
        ("“We expect a long winter,” Karl Ott told reporters on Friday.", "Karl Ott"),
        ("“We expect a long winter,” Karl Ott said in a statement on Monday.", "Karl Ott"),
        ("“What happens to the crops?” asked Karl Ott.", "Karl Ott"),
        ("Karl Ott’s statement read: “We expect a long winter.”", "Karl Ott’s statement"),
    ],
)
def test_speech_verb_patterns(text: str, speaker: str) -> None:
    (q,) = extract_quotes(text)
    assert q.speaker == speaker


def test_descriptive_clause_between_speaker_and_verb() -> None:
    text = "“The talks are over,” Irina Volkova, the ministry's spokeswoman, said on Tuesday."
    assert speakers(text) == {"The talks are over,": "Irina Volkova"}


def test_appositive_before_the_verb_in_a_leading_attribution() -> None:
    text = "Omar Haddad, a port official in Aqaba, told the agency that the cranes were “completely idle.”"
    assert speakers(text) == {"completely idle.": "Omar Haddad"}


def test_noun_phrase_speakers_are_kept_as_written() -> None:
    text = (
        "“Drills will continue in the north,” Oslo’s defence ministry said.\n\n"
        "“No civilians are at risk,” the statement said.\n\n"
        "“I felt sharp all week,” the 9th-seeded Karlsen said after the final."
    )
    assert speakers(text) == {
        "Drills will continue in the north,": "Oslo’s defence ministry",
        "No civilians are at risk,": "the statement",
        "I felt sharp all week,": "the 9th-seeded Karlsen",
    }


def test_lowercase_title_before_a_name() -> None:
    text = "“Orders fell for a third month,” company chairman Leo Brandt said."
    assert speakers(text) == {"Orders fell for a third month,": "company chairman Leo Brandt"}


def test_indefinite_speaker_followed_by_a_name() -> None:
    text = "“The vote was rigged,” said a senior adviser to the campaign, former judge Hana Kral."
    assert speakers(text) == {"The vote was rigged,": "former judge Hana Kral"}


def test_intro_phrase_before_the_subject_is_skipped() -> None:
    text = "In a letter to shareholders, chief executive Maya Lind said the merger was “on track.”"
    assert speakers(text) == {"on track.": "chief executive Maya Lind"}


def test_he_resolves_to_the_last_named_person() -> None:
    text = (
        "Goalkeeper Pavel Dusek kept a clean sheet on Sunday.\n\n"
        "“The defence made it easy for me,” he said."
    )
    assert speakers(text) == {"The defence made it easy for me,": "Goalkeeper Pavel Dusek"}


def test_she_resolves_to_the_previous_speaker() -> None:
    text = (
        "“We will appeal,” said Rosa Mendes, the union's lawyer.\n\n"
        "“The ruling ignores the evidence,” she said."
    )
    assert speakers(text)["The ruling ignores the evidence,"] == "Rosa Mendes"


def test_it_resolves_to_an_organisation_not_a_person() -> None:
    text = (
        "“Fares will rise in March,” the rail operator said, after talks with Jon Blake.\n\n"
        "It said the rise would “fund new trains”."
    )
    assert speakers(text)["fund new trains"] == "the rail operator"


def test_they_resolves_to_a_group() -> None:
    text = (
        "“We have waited long enough,” the nurses said outside the hospital.\n\n"
        "They said their pay was “a national scandal”."
    )
    assert speakers(text)["a national scandal"] == "the nurses"


def test_participle_borrows_the_main_clause_subject() -> None:
    text = "The regulator fined the bank, citing “serious failings” in its controls."
    assert speakers(text) == {"serious failings": "The regulator"}


def test_second_quote_after_adding_keeps_the_speaker() -> None:
    text = "“Sales were flat,” analyst Ines Roca said, adding, “Next year looks better.”"
    assert set(speakers(text).values()) == {"analyst Ines Roca"}


def test_quote_without_attribution_continues_previous_paragraph() -> None:
    text = (
        "“The river rose two metres overnight,” said fire chief Emil Varga.\n\n"
        "“We moved forty families before dawn.”"
    )
    assert speakers(text)["We moved forty families before dawn."] == "fire chief Emil Varga"


def test_section_header_quote_has_no_speaker() -> None:
    text = (
        "The inquiry opened on Monday.\n\n"
        "“A culture of silence”\n\n"
        "The report describes years of ignored complaints."
    )
    (q,) = extract_quotes(text)
    assert q.text == "A culture of silence"
    assert q.speaker is None
    assert q.partial is False


def test_headline_speaker_with_colon() -> None:
    text = "Mayor Okafor: “The city will not go bankrupt”"
    assert speakers(text) == {"The city will not go bankrupt": "Mayor Okafor"}


def test_signature_after_a_dash() -> None:
    text = "“Keep going, the finish line is close.” — Sara Lind, on her running blog"
    assert speakers(text) == {"Keep going, the finish line is close.": "Sara Lind"}


def test_speaker_is_one_clean_line() -> None:
    text = "“Rents are too high,” Dana\nWhite said."
    (q,) = extract_quotes(text)
    assert q.speaker == "Dana White"


# --------------------------------------------------------------------------- partial quotes


def test_fragment_woven_into_a_sentence_is_partial() -> None:
    found = quotes_of(
        "The ministry called the report “patently false” on Thursday.\n\n"
        "“Our figures are correct,” a ministry spokesman said."
    )
    assert found["patently false"].partial is True
    assert found["patently false"].speaker == "The ministry"
    assert found["Our figures are correct,"].partial is False


def test_single_quoted_word_is_partial() -> None:
    found = quotes_of("Critics described the new tax as a “disaster” for small farms.")
    assert found["disaster"].partial is True
    assert found["disaster"].speaker == "Critics"


def test_full_sentence_after_that_is_not_partial() -> None:
    found = quotes_of("The coach said that “Everyone on this team gave everything today.”")
    assert found["Everyone on this team gave everything today."].partial is False


def test_lowercase_continuation_after_that_is_partial() -> None:
    found = quotes_of("The coach said that “everyone gave everything” in the final.")
    assert found["everyone gave everything"].partial is True


# --------------------------------------------------------------------------- exclusions


@pytest.mark.parametrize(
    "text",
    [
        "Protesters marched against the self-appointed “transitional” council on Sunday.",
        "The territory is governed under the “two peoples, one land” arrangement.",
        "The prison, nicknamed the “Iron House” by inmates, closed in 1998.",
        "Negotiators hope to sign a “stage two” accord before the summit, officials said.",
        "The choir sang “Ode to the Northern Sea” at the opening ceremony.",
        "The novel “Winter Orchard” sold a million copies in its first year.",
        "The so-called “green corridor” has never been used.",
        "The disease was known as the “sweating sickness” in Tudor England.",
    ],
)
def test_terms_titles_and_nicknames_are_not_quotations(text: str) -> None:
    assert extract_quotes(text) == []


def test_a_term_stays_excluded_when_repeated_near_a_verb() -> None:
    text = (
        "Troops entered the capital to support the “provisional” cabinet.\n\n"
        "The envoy said the “provisional” cabinet must hold elections."
    )
    assert extract_quotes(text) == []


def test_short_quote_with_speech_verb_is_kept() -> None:
    text = "The senator dismissed the allegations as “nonsense.”"
    assert speakers(text) == {"nonsense.": "The senator"}


def test_chanted_slogans_are_quotations() -> None:
    text = "Farmers chanted “No farms, no food,” as tractors blocked the square."
    assert speakers(text) == {"No farms, no food,": "Farmers"}


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "No quotation marks here at all.",
        "“An opening mark that never closes, and then the paragraph ends",
        "A closing mark with no opener” and another one”.",
        "\"\"\"\"\"''''“”“”‘’‘’«»«»",
        ".,;:!?—–-…()[]{}",
        "\n\n\n\n",
        "“”",
        "' ' ' \" \" \"",
        "don't won't can't shouldn't y'all ’tis ’90s",
    ],
)
def test_bad_input_gives_a_result(text: str) -> None:
    found = extract_quotes(text)
    for q in found:
        assert text[q.start:q.end] == q.text
        assert q.text.strip()


def test_unbalanced_paragraph_does_not_swallow_the_next() -> None:
    text = "He said “this will never work.\n\n“Fine,” Ada Kim said."
    found = quotes_of(text)
    assert found["Fine,"].speaker == "Ada Kim"
    assert all("\n" not in q.text for q in found.values())


def test_large_text_completes() -> None:
    paragraph = "“We will rebuild the harbour,” said Harbour Master Ines Olsen on Monday. "
    text = "\n\n".join(paragraph + str(i) for i in range(3000)) + "\n\n" + "“" * 20000
    found = extract_quotes(text)
    assert len(found) == 1  # the same quotation, listed once
    assert found[0].speaker == "Harbour Master Ines Olsen"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Cd\"'“”‘’«»„.,:;—-\n")), max_size=200) | st.text(max_size=200))
def test_any_text_gives_valid_offsets(text: str) -> None:
    found = extract_quotes(text)
    seen = set()
    previous = -1
    for q in found:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.start >= previous
        previous = q.start
        assert q.text not in seen
        seen.add(q.text)
        assert q.speaker is None or (q.speaker.strip() and "\n" not in q.speaker)
