"""Tests for quote extraction: mark pairing, speakers, partial quotes, exclusions and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.language.quotes import extract_quotes
from tui.core.models import Quote


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


# --------------------------------------------------------------------------- appositives and heads


def test_place_inside_an_appositive_is_not_the_speaker() -> None:
    text = (
        "Lukas Meyer, 34, a baker from Freiburg, said flour had doubled in price since spring.\n\n"
        "“I have raised my prices twice this year.\n\n"
        "“My customers understand, for now,” he said."
    )
    assert set(speakers(text).values()) == {"Lukas Meyer"}


def test_organisation_and_city_inside_an_appositive_before_a_colon() -> None:
    text = (
        "Piet Janssen, chief economist at Noordbank in Utrecht, said: “Rates will fall again in spring.” "
        "He called the statement “quietly optimistic”."
    )
    assert speakers(text) == {
        "Rates will fall again in spring.": "Piet Janssen",
        "quietly optimistic": "Piet Janssen",
    }


def test_relative_clause_naming_a_town_does_not_capture_he() -> None:
    text = (
        "Tomas Ruiz, 61, whose family has fished from the harbour of Cadaques for a century, "
        "travelled to Madrid with other skippers.\n\n"
        "“The sea is empty. We want the quotas back,” he said."
    )
    assert speakers(text) == {"The sea is empty. We want the quotas back,": "Tomas Ruiz"}


def test_club_named_in_a_that_clause_is_not_she() -> None:
    text = (
        "Ashford Rovers’ chief executive, Nina Sharp, told reporters that Ashford had been tracking "
        "the midfielder “for a long time” before making an offer.\n\n"
        "“She reads the game better than anyone in the league,” she said."
    )
    assert set(speakers(text).values()) == {"Nina Sharp"}


def test_sentence_initial_plural_is_not_he() -> None:
    text = (
        "Mayor Tom Rhee of Incheon said the bridge was safe. Engineers from Seoul disagreed.\n\n"
        "“I drive over it every day,” he said."
    )
    assert speakers(text) == {"I drive over it every day,": "Mayor Tom Rhee"}


def test_surname_used_alone_still_resolves_he() -> None:
    text = "Okonjo spoke in Abuja on Friday.\n\n“The reforms will continue,” he said."
    assert speakers(text) == {"The reforms will continue,": "Okonjo"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The bloc’s special envoy for the Sahel, Ines Moreau, said the talks showed that “patience pays”.",
         "Ines Moreau"),
        ("‘It was a penalty all day long,’ said the Leeds manager, Tom Ashby.", "Tom Ashby"),
        ("LONDON (Reuters) - Britain’s finance minister, Clara Hughes, said on Monday that growth "
         "would be “modest but positive”.", "Clara Hughes"),
        ("The ministry’s spokesman, Oleg Petrenko, told reporters: “No decision has been taken.”",
         "Oleg Petrenko"),
    ],
)
def test_name_after_a_descriptive_title_is_the_speaker(text: str, speaker: str) -> None:
    assert set(speakers(text).values()) == {speaker}


def test_coordinated_speech_verb_takes_the_clause_subject() -> None:
    text = (
        "Forecasters in Reno said the gusts would ease by Friday.\n\n"
        "The weather service extended its warning and described the conditions as “extremely dangerous”."
    )
    assert speakers(text) == {"extremely dangerous": "The weather service"}


def test_verb_in_the_next_sentence_introduces_its_own_quote() -> None:
    text = "Ada Lund said: “Costs are rising.” The analyst described the mood as “gloomy”."
    assert speakers(text) == {"Costs are rising.": "Ada Lund", "gloomy": "The analyst"}


def test_name_given_with_an_article_is_not_a_quote() -> None:
    text = "Grants for young families, a scheme the council branded the “Green Ladder”, start in May."
    assert extract_quotes(text) == []


def test_label_pinned_on_a_person_is_still_a_quote() -> None:
    text = "The senator branded him “a coward” in a speech on Tuesday."
    assert speakers(text) == {"a coward": "The senator"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # British, sports and wire styles
        ("‘We were second best all afternoon,’ said Jack Dawes, the Bristol captain. ‘No excuses.’", "Jack Dawes"),
        ("Greta Holm, the Swedish team captain, said after the match in Gothenburg: “We were not good enough.”",
         "Greta Holm"),
        ("WASHINGTON (AP) — The Pentagon said Tuesday it would send more troops, calling the situation “fluid.”",
         "The Pentagon"),
        ("“We will not be bullied,” Fatima Okoye, a nurse from Kano who joined the strike in March, said.",
         "Fatima Okoye"),
        ("“The line will close,” said Piet de Vries, chief engineer at the port authority in Rotterdam.",
         "Piet de Vries"),
        ("Nadia Brandt, who has run the shelter in Graz since 2009, said: “We have never been this full.”",
         "Nadia Brandt"),
        ("“We have never been this full,” Nadia Brandt, who has run the shelter in Graz since 2009, said.",
         "Nadia Brandt"),
        ("“This is a catastrophe,” said Omar Khalil, whose family has farmed near Jericho for generations.",
         "Omar Khalil"),
        ("Kofi Mensah, Ghana’s finance minister, told parliament the deficit was “under control”.", "Kofi Mensah"),
        # titles
        ("Mayor Ines Castro said the budget was “balanced for the first time in a decade.”", "Mayor Ines Castro"),
        ("“Our troops are ready,” Gen. Marcus Hale told the committee.", "Gen. Marcus Hale"),
        ("“The vaccine works,” said Dr. Amara Singh, an epidemiologist at the University of Leeds.",
         "Dr. Amara Singh"),
        ("Dr. Helen Park, director of the clinic in Busan, said demand had tripled.\n\n"
         "“We are turning people away every day,” she said.", "Dr. Helen Park"),
        ("“There is no plan B,” said Gen. Viktor Orlov, commander of the western district, on Thursday.",
         "Gen. Viktor Orlov"),
        ("Ms Hartley, whose son died in the crash, said: “Nobody has said sorry.”", "Ms Hartley"),
        # bodies
        ("“We are assessing the damage,” according to the agency.", "the agency"),
        ("The airline’s chief executive, Johan Lind, apologised to passengers stranded in Oslo and Bergen.\n\n"
         "“We let our customers down,” he said.", "Johan Lind"),
    ],
)
def test_other_styles_of_attribution(text: str, speaker: str) -> None:
    assert set(speakers(text).values()) == {speaker}


# --------------------------------------------------------------------------- issue 11: news nobody tuned for


@pytest.mark.parametrize(
    "text",
    [
        "\"We will not close the depot,'' said Ruth Okafor, the council leader. \"Not this year.''",
        "‘‘We will not close the depot,’’ said Ruth Okafor, the council leader. ‘‘Not this year.’’",
        "“We will not close the depot,’’ said Ruth Okafor, the council leader. “Not this year.’’",
    ],
)
def test_ap_style_doubled_marks_pair_as_double_quotes(text: str) -> None:
    assert speakers(text) == {"We will not close the depot,": "Ruth Okafor", "Not this year.": "Ruth Okafor"}


def test_straight_doubled_apostrophes_never_open_a_quote() -> None:
    # ``…'' typewriter markup, ditto and inch marks: only a closing '' after a real opening mark counts
    text = "The 12'' pipe and the 6'' valve were replaced, ''as planned,'' the engineer's log says."
    assert speakers(text) == {}


def test_doubled_marks_keep_apostrophes_inside() -> None:
    text = "“It's the farmers' turn now,'' Ivo Brandt said."
    assert speakers(text) == {"It's the farmers' turn now,": "Ivo Brandt"}


@pytest.mark.parametrize(
    "text",
    [
        "The mayor promised “a new bridge by spring” — Now the council must find the money.",
        "Voters wanted “change at any cost” — Instead, they got a recount.",
        "The motion called for “an end to the delays” — Democratic members walked out.",
    ],
)
def test_words_after_a_dash_that_are_not_names_are_not_speakers(text: str) -> None:
    for q in extract_quotes(text):
        assert q.speaker not in {"Now", "Instead", "Democratic", "Democratic members"}


def test_signature_after_a_horizontal_bar_on_its_own_line() -> None:
    text = "“The ferry saved my business.” ― Tomas Reyes\n“I still walk to work.” ― Lena Fox"
    assert speakers(text) == {"The ferry saved my business.": "Tomas Reyes", "I still walk to work.": "Lena Fox"}


def test_a_question_is_not_a_speaker() -> None:
    text = "The rules say a member may not vote by proxy “in any special meeting.” Would Ana Ruiz agree? Nobody asked."
    assert all(q.speaker != "Would Ana Ruiz" for q in extract_quotes(text))


def test_adverb_between_name_and_verb_is_not_part_of_the_name() -> None:
    text = "Weber allegedly told the guard, “Nobody will miss the crates.”"
    assert speakers(text) == {"Nobody will miss the crates.": "Weber"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The hearing was a farce,” Rep. Dana Holt (R-Ohio) said.", "Rep. Dana Holt (R-Ohio)"),
        ("“The hearing was a farce,” said Sen. Lou Park (D-N.M.), who sits on the panel.", "Sen. Lou Park (D-N.M.)"),
        ("“The hearing was a farce,” Senate leader Pat Moss, R-Ky., said on Tuesday.", "Senate leader Pat Moss"),
    ],
)
def test_party_and_state_after_a_name_stay_with_the_name(text: str, speaker: str) -> None:
    assert speakers(text) == {"The hearing was a farce,": speaker}


def test_she_is_not_a_man_named_just_before() -> None:
    text = (
        "Maria Santos met Mr. Okoye after the vote, and Mr. Okoye left early.\n\n"
        "“We will appeal,” she said."
    )
    assert speakers(text) == {"We will appeal,": "Maria Santos"}


def test_a_surname_alone_inherits_the_gender_of_its_full_name() -> None:
    text = (
        "Karen Lindqvist chaired the hearing. Lindqvist then questioned Peter Hale about the budget.\n\n"
        "“The numbers do not add up,” she said."
    )
    assert speakers(text) == {"The numbers do not add up,": "Lindqvist"}


def test_he_is_not_a_country_standing_as_a_subject() -> None:
    text = (
        "Tariq Aziz, the trade envoy, spoke after the summit. France had blocked the deal on Friday.\n\n"
        "“We expected nothing else,” he said."
    )
    assert speakers(text)["We expected nothing else,"] == "Tariq Aziz"


def test_the_person_spoken_about_is_not_the_speaker() -> None:
    text = (
        "Dr. Imani Cole remembered the late neurologist who had trained her.\n\n"
        "“He taught me to listen before I cut,” she said."
    )
    assert speakers(text) == {"He taught me to listen before I cut,": "Dr. Imani Cole"}


def test_transcript_labels_name_the_speaker() -> None:
    text = (
        "Part of the interview follows:\n\n"
        "“HOST: Will you run again?\n\n"
        "“GREER: Not this time. I have a farm to look after.”"
    )
    found = speakers(text)
    assert found["HOST: Will you run again?"] == "HOST"
    assert found["GREER: Not this time. I have a farm to look after."] == "GREER"


def test_a_paragraph_ending_with_said_colon_attributes_the_next() -> None:
    text = "The regional paper reported:\n\n“Three of the five mills will close by the end of the year.”"
    assert speakers(text) == {"Three of the five mills will close by the end of the year.": "The regional paper"}


def test_pronoun_before_a_colon_in_the_paragraph_before() -> None:
    text = (
        "Governor Amy Lund took questions for an hour.\n\n"
        "She said:\n\n"
        "“The budget will be balanced without new taxes.”"
    )
    assert speakers(text) == {"The budget will be balanced without new taxes.": "Governor Amy Lund"}


def test_the_subject_of_a_clause_ending_with_a_colon_is_the_speaker() -> None:
    text = "Okafor fired back forcefully: “My opponent has never run anything.”"
    assert speakers(text) == {"My opponent has never run anything.": "Okafor"}


def test_a_fragment_without_a_speech_verb_takes_the_sentence_subject() -> None:
    text = (
        "“The plan is sound,” Ivo Brandt said.\n\n"
        "Ruth Okafor went after the plan on Monday, calling it “a gift to landlords” in a radio interview."
    )
    assert speakers(text)["a gift to landlords"] == "Ruth Okafor"


def test_single_marks_outside_double_quotes_are_not_quotations_in_american_style() -> None:
    text = (
        "Mayor Says Budget Is ‘Fine’\n\n"
        "“The budget is fine,” Mayor Jo Tan said on Monday. “We have a surplus.”\n\n"
        "Critics called the claim ‘optimistic’ at best."
    )
    assert set(speakers(text)) == {"The budget is fine,", "We have a surplus."}


def test_quotation_with_no_attribution_anywhere_is_unattributed() -> None:
    text = "The flood reached the square by noon.\n\n“Everything we owned is under water.”"
    assert speakers(text) == {"Everything we owned is under water.": None}


@pytest.mark.parametrize(
    "text",
    [
        "Her memoir, “Salt and Iron,” sold well in the north.",
        "Doctors have a name for it: the so-called “feather-duvet lung.”",
        "The show “Harbour Lights” returns in May.",
    ],
)
def test_titles_and_coined_terms_are_still_not_quotations(text: str) -> None:
    assert extract_quotes(text) == []


def test_large_input_with_doubled_marks_completes() -> None:
    text = "\n\n".join(f"“Fine {i},'' she said. He said “ok {i}.''" for i in range(3000)) + "\n\n" + "''" * 30000
    found = extract_quotes(text)
    assert len(found) == 6000
    for q in found[:50]:
        assert text[q.start:q.end] == q.text


def test_every_lexicon_loads_and_is_lower_case() -> None:
    from tui.core.language.lexicon import LEXICON_NAMES, lexicon, lexicon_digest

    for name in LEXICON_NAMES:
        words = lexicon(name)
        assert words, name
        assert all(w == w.lower() and w == w.strip() for w in words), name
    assert "said" in lexicon("speech_verbs")
    from importlib import resources

    shipped = {f.name.removesuffix(".txt") for f in resources.files("tui.core.data").joinpath("lexicon").iterdir()
               if f.name.endswith(".txt")}
    assert shipped == set(LEXICON_NAMES)  # every list file is registered, and every registered list ships
    assert len(lexicon_digest()) == 16
    with pytest.raises(KeyError):
        lexicon("no-such-list")


def test_a_plural_noun_that_looks_like_a_speech_verb_is_not_the_attribution() -> None:
    text = "Ruth Okafor says Ivo Brandt’s late-night posts attacking the council were “beneath the office.”"
    assert speakers(text) == {"beneath the office.": "Ruth Okafor"}


def test_a_verb_after_a_quoted_sentence_belongs_to_the_next_sentence() -> None:
    text = (
        "“This is a sad day,” said Rep. Ana Ruiz (D-Ore.), who chairs the panel. “The report is a whitewash.”\n"
        "Members of the panel met on Friday, shortly after Governor Tom Hale said he would not resign."
    )
    assert speakers(text)["The report is a whitewash."] == "Rep. Ana Ruiz (D-Ore.)"


def test_a_name_followed_by_a_participle_is_the_one_speaking() -> None:
    text = "The new advert shows footage of Tomas Reyes asking, “Why are the trains always late?”"
    assert speakers(text) == {"Why are the trains always late?": "Tomas Reyes"}


def test_a_quotation_standing_alone_after_a_named_subject_is_theirs() -> None:
    text = (
        "The hearing ran late into the night.\n\n"
        "Councillor Ada Brennan kept up her attack on the budget.\n\n"
        "“Nobody in this room has read the appendix.”"
    )
    assert speakers(text) == {"Nobody in this room has read the appendix.": "Councillor Ada Brennan"}


def test_as_someone_put_it() -> None:
    text = "As the harbour master, Ines Olsen, put it: “The sea does not read our timetables.”"
    assert speakers(text)["The sea does not read our timetables."] in {"Ines Olsen", "the harbour master"}


def test_a_quotation_after_a_short_sentence_about_a_named_person_is_theirs() -> None:
    text = (
        "“The bypass will save ten minutes,” said Tomas Reyes, the transport chief.\n\n"
        "Dana Okoro disagreed. “It will move the traffic jam two miles north.”"
    )
    assert speakers(text)["It will move the traffic jam two miles north."] == "Dana Okoro"


def test_a_participle_after_the_subject_is_not_part_of_its_name() -> None:
    text = "Farmers marching through the square chanted “No land, no bread!” until dusk."
    assert speakers(text) == {"No land, no bread!": "Farmers"}


def test_an_appositive_with_its_own_verb_between_name_and_speech_verb() -> None:
    text = "“The count is far from over,” Ines Olsen, the analyst who built the model, wrote on Monday."
    assert speakers(text) == {"The count is far from over,": "Ines Olsen"}


def test_a_described_name_opening_the_sentence_owns_a_fragment_in_it() -> None:
    text = "Independent candidate Rosa Lind is asking whether the council would act “if the river were in Mayfair.”"
    assert speakers(text) == {"if the river were in Mayfair.": "Independent candidate Rosa Lind"}


# --------------------------------------------------------------------------- second round


def test_a_titled_name_with_a_party_parenthetical_after_a_lowercase_modifier() -> None:
    text = "“Deadlines are not suggestions at all,” committee Chairwoman Sen. Mara Quill (D-Ore.) said after the vote."
    assert speakers(text) == {"Deadlines are not suggestions at all,": "committee Chairwoman Sen. Mara Quill (D-Ore.)"}


def test_a_possessive_determiner_opens_a_speaker() -> None:
    text = "The orchard was sold in 1990. “Trees outlive their owners,” my grandmother often said."
    assert speakers(text) == {"Trees outlive their owners,": "my grandmother"}


def test_a_quotation_after_a_sentence_closed_by_an_attribution_is_the_same_speakers() -> None:
    text = (
        "The depot may close before winter, Okafor said. “Nobody has told the drivers what happens next.”\n\n"
        "The ferry will keep running, said Lina Park. “We have fuel until March and a crew that stays.”"
    )
    assert speakers(text) == {
        "Nobody has told the drivers what happens next.": "Okafor",
        "We have fuel until March and a crew that stays.": "Lina Park",
    }


def test_a_short_sentence_without_an_attribution_lends_no_speaker_to_the_next() -> None:
    # Not "…, Okafor said.": the verb is not closing the sentence, so the quotation stays unattributed.
    text = "The depot may close because Okafor said so. “Nobody has told the drivers what happens next.”"
    assert speakers(text)["Nobody has told the drivers what happens next."] is None


def test_a_news_agency_reports_but_is_no_signature() -> None:
    reported = "Turnout was “the highest the county has seen in forty years,” reported Reuters."
    assert speakers(reported) == {"the highest the county has seen in forty years,": "Reuters"}
    credit = "“We will be back next season and we will win.” — Reuters"
    assert speakers(credit) == {"We will be back next season and we will win.": None}


def test_a_pronoun_takes_the_subject_of_the_sentence_naming_several_people() -> None:
    text = (
        "Under pressure from donors, Marta Ilves opened an inquiry, chaired by former judge Tomas Berg, into the contracts.\n\n"
        "“Nobody is above the rules we wrote ourselves,” she said."
    )
    assert speakers(text) == {"Nobody is above the rules we wrote ourselves,": "Marta Ilves"}


def test_a_pronoun_still_takes_the_nearest_sentence_that_names_someone() -> None:
    text = (
        "Ivo Lund opened the hearing and read the charges.\n\n"
        "After the break the chair sat down. Tomas Berg, who had waited all morning, took the floor.\n\n"
        "“I have waited long enough to say this,” he said."
    )
    assert speakers(text) == {"I have waited long enough to say this,": "Tomas Berg"}


def test_a_name_between_a_dash_and_a_colon_labels_the_quotation() -> None:
    text = "FEWER FERRIES THIS WINTER - Ada K. Mensah: “Crews are short and fuel is dearer than last year.”"
    assert speakers(text) == {"Crews are short and fuel is dearer than last year.": "Ada K. Mensah"}


def test_a_name_closing_a_place_phrase_without_a_comma_is_the_subject() -> None:
    text = "On Friday at the county fair Gov. Ruth Alder (D-Ore.) said the levy was “a tax on bread.”"
    assert speakers(text) == {"a tax on bread.": "Gov. Ruth Alder (D-Ore.)"}


def test_a_name_before_an_appositive_between_dashes_is_the_speaker() -> None:
    text = "Omar Test — a baker from Lyle Creek — says the new levy is “a tax on bread.”"
    assert speakers(text) == {"a tax on bread.": "Omar Test"}


def test_the_subject_after_an_introductory_phrase_is_who_he_points_back_to() -> None:
    text = (
        "Speaking at a fish market in Lyle, North Dakota, Ivo Kessler went after Tomas Brandt, "
        "calling him “a lazy fisherman.”\n\n"
        "He says, “Here is a man who never once got up before noon.”"
    )
    assert speakers(text) == {
        "a lazy fisherman.": "Ivo Kessler",
        "Here is a man who never once got up before noon.": "Ivo Kessler",
    }


def test_a_pronoun_never_points_back_to_an_indefinite_subject() -> None:
    text = (
        "Speaking in Lisbon, ministry spokesman Tiago Faria said the charges were invented.\n\n"
        "People should show proof and not wave around words like “maybe”, he told reporters. "
        "“Nobody has seen a single document from them.”"
    )
    assert speakers(text)["Nobody has seen a single document from them."] == "Tiago Faria"


def test_a_pronoun_speaker_drops_the_party_parenthetical() -> None:
    text = (
        "“The hearing goes ahead on Monday,” Rep. Nora Vell (D-Ore.) said.\n\n"
        "“We will not wait for another delay,” she said."
    )
    assert speakers(text) == {"The hearing goes ahead on Monday,": "Rep. Nora Vell (D-Ore.)",
                              "We will not wait for another delay,": "Rep. Nora Vell"}


def test_a_programme_title_after_a_possessive_or_on_is_not_a_quotation() -> None:
    text = (
        "In an interview on KTVX’s “Morning Desk,” Mayor Ana Ruiz said the bridge would open in May.\n\n"
        "On “Valley Weekly Roundup,” Ruiz said the toll was “a fair price for a safer crossing.”"
    )
    assert speakers(text) == {"a fair price for a safer crossing.": "Ruiz"}


def test_a_title_case_quotation_that_is_speech_stays() -> None:
    text = "“Never Again, Never Again,” the crowd chanted as Ines Moreau spoke."
    assert list(speakers(text)) == ["Never Again, Never Again,"]


def test_a_participial_opener_is_never_the_speaker_but_a_surname_in_ing_is() -> None:
    opener = "Repeating an old line, the former governor talked about keeping “the promise we made to the valley” alive."
    assert speakers(opener) == {"the promise we made to the valley": "the former governor"}
    name = "Manning told reporters, in a long call, that it was “a disaster for the whole county.”"
    assert speakers(name) == {"a disaster for the whole county.": "Manning"}


def test_an_irregular_past_verb_after_a_name_lends_its_subject_to_a_participle() -> None:
    text = "Prime Minister Ilse Varga also spoke out sharply against the levy, suggesting “Vargism” had reached politics."
    assert speakers(text) == {"Vargism": "Prime Minister Ilse Varga"}


def test_a_conjunction_before_a_name_with_an_appositive_participle() -> None:
    text = "But Sen. Ora Bell (D-Ill.), noting the size of the crowd, said, “Let me tell you, this list is long.”"
    assert speakers(text) == {"Let me tell you, this list is long.": "Sen. Ora Bell (D-Ill.)"}


def test_an_inverted_verb_between_commas_before_the_quotation() -> None:
    text = "Because of the short calendar, explained Rosa Imre, “there is no time left to buy airtime before June.”"
    assert speakers(text) == {"there is no time left to buy airtime before June.": "Rosa Imre"}


def test_he_never_points_back_to_an_acronym() -> None:
    text = (
        "In a statement, President Ivo Dane condemned the test. He said allies would seek new U.N. sanctions.\n\n"
        "“Nobody will accept this as normal,” he said."
    )
    assert speakers(text) == {"Nobody will accept this as normal,": "President Ivo Dane"}


def test_a_sentence_adverb_opening_a_paragraph_is_nobody_he_points_back_to() -> None:
    text = (
        "Omar Haddad, 41, came to Lyle Creek from Basra in 2012.\n\n"
        "Soon, he found the town welcoming. Just a year later he opened a bakery.\n\n"
        "“People here were kind to us from the first day,” he said."
    )
    assert speakers(text) == {"People here were kind to us from the first day,": "Omar Haddad"}


def test_a_given_name_standing_alone_keeps_its_gender() -> None:
    text = (
        "“You winning?” Melanie asked, but Kevin was drifting off again.\n\n"
        "“I love you,” he said."
    )
    assert speakers(text)["I love you,"] == "Kevin"


def test_a_verb_with_its_particle_reports_speech() -> None:
    text = (
        "“You know, it happens, right?” Dan Roe went on, as if he had not heard her.\n\n"
        "After Mayor Ivo Lund criticised the budget in a debate, Ruth Alder shot back, “Read it before you vote on it.”\n\n"
        "Tomas Berg went on to win the seat, and the ferry went on “running late every single day,” riders said."
    )
    assert speakers(text) == {
        "You know, it happens, right?": "Dan Roe",
        "Read it before you vote on it.": "Ruth Alder",
        "running late every single day,": "riders",
    }


def test_a_quotation_inside_a_reported_clause_is_the_reporters() -> None:
    text = (
        "Sen. Ruth Alder said Wednesday that Republicans rejected her amendment, calling it an “empty gesture.”\n\n"
        "Mayor Ivo Lund said during a rally in Lyle that Dan Roe once described the bridge as “the best deal we ever made.”"
    )
    assert speakers(text) == {"empty gesture.": "Sen. Ruth Alder", "the best deal we ever made.": "Mayor Ivo Lund"}


def test_two_descriptions_joined_by_and_are_one_speaker() -> None:
    text = "The former governor and current Democratic nominee said she wanted to speak “directly to farmers.”"
    assert speakers(text) == {"directly to farmers.": "The former governor and current Democratic nominee"}


def test_a_subject_of_nouns_before_a_name_is_kept_whole() -> None:
    text = (
        "Soviet dissident Milovan Djilas referred to the “new class of party officials who own everything.”\n\n"
        "Fishery inspectors have doubted the catch figures, and suspect the fleet of landing "
        "“far more cod than it reports.”"
    )
    assert speakers(text) == {"new class of party officials who own everything.": "Soviet dissident Milovan Djilas",
                              "far more cod than it reports.": "Fishery inspectors"}


def test_he_never_points_back_to_a_building_a_party_or_a_preposition() -> None:
    text = (
        "Press secretary Josh Elm spoke at length on Monday, and White House officials said Republicans "
        "and Democrats would meet.\n\n"
        "Among Democrats, White House aides were hopeful. “It is also good for the party,” he said."
    )
    assert speakers(text) == {"It is also good for the party,": "Josh Elm"}


def test_a_relative_clause_points_back_past_a_description() -> None:
    text = (
        "Lee has a frosty relationship with Dan Roe, now the council leader, who in 2010 said the "
        "party's main goal was to make Lee “a one-term mayor.”\n\n"
        "In a panel discussion, Ruth Alder, the head of the tenants' union, forcefully told a young man who "
        "suggested that people may not vote that “staying home is not a strategy.”"
    )
    assert speakers(text) == {"a one-term mayor.": "Dan Roe", "staying home is not a strategy.": "Ruth Alder"}


def test_a_clause_is_never_a_speaker_name() -> None:
    text = ("In August, several fishing groups granted Mr. Clarke an extension on an order to treat polluted "
            "runoff, saying his “start-up capital was less than expected.”\n\n"
            "Conversely, FactDesk rated the plan “entirely sound and well costed for the years ahead.”")
    assert speakers(text) == {"start-up capital was less than expected.": "several fishing groups",
                              "entirely sound and well costed for the years ahead.": "FactDesk"}


def test_a_name_before_a_participle_after_of_or_with_is_the_speaker() -> None:
    text = (
        "The spot concludes with footage of Dan Roe saying during the debate last week, “That makes me smart,” "
        "while the music swells.\n\n"
        "Crowds kicked a protester at the rally, with Ruth Alder reportedly yelling: “Get him out of here!”"
    )
    assert speakers(text) == {"That makes me smart,": "Dan Roe", "Get him out of here!": "Ruth Alder"}


def test_an_aside_between_dashes_and_a_quoted_title_opener_do_not_hide_the_subject() -> None:
    text = (
        "Small groups of fishermen continued to walk the quays around the harbour - where the Lyle Rovers "
        "played the Dover Wanderers - while chanting, “Hands off our boats.”\n\n"
        "On “Morning Desk,” Sen. Ana Ruiz (Ore.), who lost the primary to Lee, named the fishing quotas as her "
        "reason to run. “The younger crews are sick and tired of waiting.”"
    )
    assert speakers(text) == {"Hands off our boats.": "Small groups of fishermen",
                              "The younger crews are sick and tired of waiting.": "Sen. Ana Ruiz (Ore.)"}


def test_as_x_put_it_and_per_x_after_a_quotation_name_its_source() -> None:
    text = (
        "The main test for the permit is a “lawful source of income,” as a county memo put it.\n\n"
        "Proxies are barred when voting “to fill a vacancy on the board,” per the club’s bylaws."
    )
    assert speakers(text) == {"lawful source of income,": "a county memo",
                              "to fill a vacancy on the board,": "the club’s bylaws"}


def test_a_colon_closes_the_clause_after_an_opening_phrase() -> None:
    text = ("With council members increasingly worried about turnout among young voters, Mayor Ana Ruiz is "
            "rolling out a new and more personal message: “This one is about me.”")
    assert speakers(text) == {"This one is about me.": "Mayor Ana Ruiz"}


def test_a_description_and_a_name_in_apposition_after_a_quotation() -> None:
    text = (
        "“We are not going anywhere,” the mayor’s campaign manager, Dan Roe, said in an interview.\n\n"
        "The letter goes on to say: “Nobody on the council read the report.”\n\n"
        "Fishermen say the quota was “set by people who never saw a boat.”"
    )
    assert speakers(text) == {"We are not going anywhere,": "Dan Roe",
                              "Nobody on the council read the report.": "The letter",
                              "set by people who never saw a boat.": "Fishermen"}


def test_trailing_states_and_an_irregular_past_before_a_participle() -> None:
    text = (
        "“She will stand up to the fishing lobby,” a voice-over in the ad states.\n\n"
        "The harbour master began by talking about the muddy channel, saying that crossing it is now "
        "“harder than rowing to Dover.”\n\n"
        "Roe didn’t seem impressed with the plan, telling reporters, “It is the same plan as last year.”"
    )
    assert speakers(text) == {"She will stand up to the fishing lobby,": "a voice-over in the ad",
                              "harder than rowing to Dover.": "The harbour master",
                              "It is the same plan as last year.": "Roe"}


def test_the_given_name_after_a_title_gives_the_gender() -> None:
    text = (
        "Virginia Gov. Terry Lund on Friday announced that he had signed an order.\n\n"
        "During his announcement, Lund noted that he had already helped 18,000 people.\n\n"
        "“We will send a message to the world,” he said."
    )
    assert speakers(text)["We will send a message to the world,"] == "Lund"


def test_a_name_before_an_auxiliary_is_who_he_points_back_to() -> None:
    text = (
        "“But that was the first time in a long time,” host Ana Ruiz said.\n\n"
        "Kessler did not see the point.\n\n"
        "“I talk to the press everywhere I go,” he said."
    )
    assert speakers(text)["I talk to the press everywhere I go,"] == "Kessler"


def test_an_opening_preposition_or_whatever_phrase_is_not_the_speaker() -> None:
    text = (
        "Outside the town hall in Lyle, about 200 fishermen gathered in three groups, holding signs and "
        "chanting “Save our harbour, save our town.”\n\n"
        "Whatever route he chooses, Lee “has made himself the face of the harbour fight,” Dan Roe said."
    )
    assert speakers(text) == {"Save our harbour, save our town.": "200 fishermen",
                              "has made himself the face of the harbour fight,": "Dan Roe"}


def test_a_name_before_an_auxiliary_opens_its_sentence_but_a_plural_noun_does_not() -> None:
    text = (
        "In recent weeks, Roe has gone after Lee as a “harbour leech who will bleed the town.”\n\n"
        "Boats are “the only thing this town has left,” harbour master Ana Ruiz said.\n\n"
        "Lee was not one for “asking the crew what they thought,” said one former deckhand who asked not "
        "to be named. “When he decided, he had decided.”"
    )
    assert speakers(text) == {"harbour leech who will bleed the town.": "Roe",
                              "the only thing this town has left,": "harbour master Ana Ruiz",
                              "asking the crew what they thought,": "one former deckhand",
                              "When he decided, he had decided.": "one former deckhand"}


def test_a_clause_with_a_verb_and_its_object_is_never_a_speaker() -> None:
    text = ("During Tuesday's debate, Roe made an unprompted call for an end to fuel subsidies, calling them "
            "“corporate welfare for the ferry company.”")
    assert speakers(text) == {"corporate welfare for the ferry company.": "Roe"}


def test_a_word_describing_a_name_is_not_who_she_points_back_to() -> None:
    text = (
        "Conservative economist Ana Ruiz, who studies fishing quotas at the Lyle Institute, said the plan "
        "did not add up.\n\n"
        "“I don’t see who is left out,” she said.\n\n"
        "Harbour spokesman Dan Roe wouldn’t say when the vote would come.\n\n"
        "“We will get there,” he said."
    )
    assert speakers(text) == {"I don’t see who is left out,": "Ana Ruiz", "We will get there,": "Dan Roe"}


def test_he_said_without_a_quotation_carries_its_antecedent_forward() -> None:
    text = (
        "Dan Roe noted that at one of his first council meetings he backed the ferry plan.\n\n"
        "Though that vote was calm, he said, replacing Lee would be much harder. That is why, he argued, "
        "the council should be ready.\n\n"
        "“This is a different time, with a lot more people who like to be heard,” he said."
    )
    assert speakers(text) == {"This is a different time, with a lot more people who like to be heard,": "Dan Roe"}


def test_he_without_a_subject_to_point_to_takes_the_nearest_fitting_name() -> None:
    text = ("Last month, when I asked Dan Roe whether he would ever back the ferry plan, he looked straight "
            "into the camera, frowned and said, “Not while I run this harbour.”")
    assert speakers(text) == {"Not while I run this harbour.": "Dan Roe"}


def test_more_trailing_verbs_and_as_x_puts_it() -> None:
    text = (
        "“Would it be negotiable?” Ana Ruiz pressed. “Maybe let some boats stay?”\n\n"
        "“You seem to have picked a new standard out of thin air,” the two write.\n\n"
        "As the Gazette’s Dan Roe puts it, the council is trying to make the fishermen “pay for a harbour "
        "they cannot use.”"
    )
    assert speakers(text) == {"Would it be negotiable?": "Ana Ruiz", "Maybe let some boats stay?": "Ana Ruiz",
                              "You seem to have picked a new standard out of thin air,": "the two",
                              "pay for a harbour they cannot use.": "the Gazette’s Dan Roe"}


def test_the_subject_of_a_with_phrase_is_an_antecedent() -> None:
    text = (
        "The levy has become a major issue, with Mayor Ana Ruiz — who has called for a harbour tax — "
        "lambasting the council’s plan.\n\n"
        "“The plan would be the same mistake all over again,” she said in the debate."
    )
    assert speakers(text) == {"The plan would be the same mistake all over again,": "Mayor Ana Ruiz"}


def test_according_to_her_points_back_like_she() -> None:
    text = "Ruth Alder was in Lyle on Monday. According to her, the ferry is “running late every single day.”"
    assert speakers(text) == {"running late every single day.": "Ruth Alder"}


def test_a_title_after_several_capitalised_words_leaves_the_name_as_antecedent() -> None:
    text = ("The vote is on Tuesday.\n\nFormer Ohio governor Dan Roe, one of the mayor's oldest allies, was blunt."
            "\n\n“Not a chance,” he said of a recount.")
    assert speakers(text)["Not a chance,"] == "Dan Roe"


def test_a_bare_plural_after_a_quotation_and_a_share_of_a_group_are_speakers() -> None:
    text = ("“The harm caused by the scheme is vast,” federal prosecutors wrote in a filing.\n\n"
            "Only 40 percent of registered voters agreed that the levy was “fair to families,” a poll found.")
    found = speakers(text)
    assert found["The harm caused by the scheme is vast,"] == "federal prosecutors"
    assert found["fair to families,"] == "Only 40 percent of registered voters"


def test_a_verb_before_a_relative_clause_is_not_part_of_the_speaker() -> None:
    text = "They turned to the Lake County Sheriff’s Office which reported “312 break-ins” in the year."
    assert speakers(text)["312 break-ins"] == "Lake County Sheriff’s Office"


def test_the_writer_is_never_named_as_a_speaker() -> None:
    text = "Dan Roe runs the shop.\n\n“Rather the rain than this heat,” I’d say to anyone who asks."
    assert speakers(text)["Rather the rain than this heat,"] in (None, "Dan Roe")
    assert "I’d" not in speakers(text).values()


def test_a_name_before_a_noun_for_people_is_not_who_he_points_back_to() -> None:
    text = ("Dan Roe spoke first.\n\nFormer Lee aides, who worked on the 2012 race, have said nothing.\n\n"
            "“It is a long road,” he said.")
    assert speakers(text)["It is a long road,"] == "Dan Roe"


def test_any_past_verb_after_a_quotation_opening_its_sentence_attributes_it() -> None:
    text = ("“Let me help you with that one,” the party’s nominee riffed on the senator’s answer.\n\n"
            "“Sun Valley,” a film about the drought directed by Ann Lee, opens this week.")
    found = speakers(text)
    assert found["Let me help you with that one,"] == "the party’s nominee"
    assert found.get("Sun Valley,") is None


def test_the_subject_of_a_that_clause_does_not_lend_itself_to_a_later_participle() -> None:
    text = ("Lee pushed back Thursday, saying that the plan had the right parts - and arguing that she and Roe "
            "shared “almost all the same goals on schools.”")
    assert speakers(text)["almost all the same goals on schools."] == "Lee"


def test_referred_to_as_reports_words() -> None:
    text = "Speaking Monday, Roe referred to Lee as “a bright, steady hand” but called her plan “a gamble.”"
    assert speakers(text)["a bright, steady hand"] == "Roe"


def test_a_quotation_closing_its_sentence_keeps_the_speaker_named_before_it() -> None:
    text = ("State Auditor Ann M. Lee (D) asserted that “trust in the county board is broken.” "
            "Board chair Dan Roe said Wednesday he agreed.")
    assert speakers(text)["trust in the county board is broken."] == "State Auditor Ann M. Lee (D)"


def test_a_name_with_a_relative_clause_in_commas_is_the_speaker() -> None:
    text = "It was three years ago that Dana Whitfield, who is weighing a run, said it was “out of reach” for her."
    assert speakers(text)["out of reach"] == "Dana Whitfield"


def test_a_dateline_or_a_common_word_opening_the_sentence_is_not_its_speaker() -> None:
    text = ("DOVER, May 2 (Wire) — The harbour board published a report Monday, offering “a frank account of what went wrong” "
            "with the pier.\n\n"
            "Boos rained down when the mayor arrived, and the crowd took up the chant “Fix the pier!” again.\n\n"
            "Corporate lobbyists describe such work as “a different cup of tea” than usual.")
    found = speakers(text)
    assert found.get("a frank account of what went wrong") != "DOVER"
    assert found.get("Fix the pier!") != "Boos"
    assert found.get("a different cup of tea") != "Corporate"


def test_a_quotation_closing_a_sentence_separates_it_from_the_next_subject() -> None:
    text = ("“It is not new here,” said Rep. Ann Lee at the time, adding that “we have elected them for years.” "
            "Analyst Dan Roe agreed that the shift was slow. In the south, he said, the “old habits are gone.”")
    assert speakers(text)["old habits are gone."] in ("Dan Roe", "Analyst Dan Roe")


def test_names_inside_an_opening_phrase_are_not_the_sentence_subject() -> None:
    text = ("Speaking for Roe at the fair where Ann Lee and Tom Hart appeared Sunday, Dan West landed a dig at "
            "the council.\n\n“We took their money and it changed nothing?” he said.")
    assert speakers(text)["We took their money and it changed nothing?"] == "Dan West"


def test_a_signature_line_under_a_quotation_names_its_speaker() -> None:
    text = ("Claims from the debate, checked.\n\n"
            "“Almost all new income is going to the top 1 percent.”\n\n- Ann Lee.\n\n"
            "“The pier will be fixed by spring, and the ferry will run again.”\n\n"
            "—Mayor Dan Roe, writing after the storm.\n\nThe figure is outdated.")
    found = speakers(text)
    assert found["Almost all new income is going to the top 1 percent."] == "Ann Lee"
    assert found["The pier will be fixed by spring, and the ferry will run again."] == "Mayor Dan Roe"


def test_a_thing_called_by_a_name_is_a_title_and_lends_no_speaker() -> None:
    text = ("Later, Roe shared a syllabus for a 2002 psychology class called “Perception” on his page, writing "
            "“Here is the class you say never existed. Still waiting on the apology.”\n\n"
            "She joined a group called “Moms for Safe Streets” last year. Lee called it “a disgrace.”\n\n"
            "On the form, a doctor had typed “no known allergies.”")
    found = speakers(text)
    assert "Perception" not in found and "Moms for Safe Streets" not in found
    assert found["Here is the class you say never existed. Still waiting on the apology."] == "Roe"
    assert found["a disgrace."] == "Lee"
    assert found["no known allergies."] == "a doctor"


def test_a_speech_noun_after_a_verb_is_its_object_not_a_cue() -> None:
    text = "When Dan Roe began taking calls for his “Keep It Local” radio hour, listeners were wary."
    found = speakers(text)
    assert all(s is None or "taking" not in s for s in found.values())


def test_a_missing_space_after_a_period_does_not_glue_the_speaker_to_the_next_sentence() -> None:
    text = "“The county has full control of the pier,” Roe said.Roe added that he learned this in May."
    assert speakers(text)["The county has full control of the pier,"] == "Roe"


def test_a_group_after_with_and_a_participle_after_an_opening_phrase() -> None:
    text = ("The flood was on everyone's mind, with many marchers and neighbours chanting “We are Dover” all day.\n\n"
            "Appearing before supporters Monday at party headquarters, Ann Lee, 70, said it was early but added, "
            "“I think you all know the results.”")
    found = speakers(text)
    assert found["We are Dover"] == "many marchers and neighbours"
    assert found["I think you all know the results."] == "Ann Lee"


def test_plural_present_verbs_and_a_next_sentence_that_reports_its_own_words() -> None:
    text = ("The two councillors, however, argue that “there is a precedent for a recall.”\n\n"
            "“Toil or leave,” Roe writes. “That is life on the coast, thanks to the board.” "
            "Board defenders today argue that this was the best anyone could do.")
    found = speakers(text)
    assert found["there is a precedent for a recall."] == "The two councillors"
    assert found["That is life on the coast, thanks to the board."] == "Roe"


def test_the_one_who_asks_in_a_passive_is_the_speaker() -> None:
    text = "Lee was asked by radio host Dan Roe whether the plan would risk “adding another costly program.”"
    assert speakers(text)["adding another costly program."] == "radio host Dan Roe"


def test_a_description_opening_the_sentence_speaks_without_a_speech_verb() -> None:
    text = (
        "The county board met on Tuesday night.\n\n"
        "The board’s lawyer later filed a memo asking for “a short delay, not a new hearing.”\n\n"
        "The judge then turned to the defendant. “Do you understand the charge?”"
    )
    assert speakers(text) == {"a short delay, not a new hearing.": "The board’s lawyer",
                              "Do you understand the charge?": "The judge"}


def test_quotations_the_writer_says_do_not_borrow_a_neighbours_speaker() -> None:
    text = (
        "“Sit down, please,” Judge Mara Quill said.\n\n"
        "“Thank you,” I said. “I have a short statement.”"
    )
    assert speakers(text) == {"Sit down, please,": "Judge Mara Quill", "Thank you,": None,
                              "I have a short statement.": None}


def test_who_clauses_known_as_and_open_appositives_keep_the_speaker_whole() -> None:
    relayed = ("One senior aide who described the meeting said Mayor Dana Pell calmed the room, telling the "
               "council, “We will fix the roads before we build anything new.”")
    assert speakers(relayed) == {"We will fix the roads before we build anything new.": "One senior aide"}
    known = "“Nobody told us to wait,” said the shift supervisor known as Ray, speaking for the first time."
    assert speakers(known) == {"Nobody told us to wait,": "the shift supervisor known as Ray"}
    open_appositive = "Marta Kovac, president and founder of the Tenants Union stated, “Rents doubled in a year.”"
    assert speakers(open_appositive) == {"Rents doubled in a year.": "Marta Kovac"}
    aside = ("Although Lee Ortiz questioned the timing - “why now, of all weeks?” - voters who came to the "
             "hall said they were not worried.")
    assert speakers(aside) == {"why now, of all weeks?": None}  # not the voters, nor "the hall"


def test_a_clause_before_a_colon_is_no_headline_label() -> None:
    text = "Ortiz’s memo makes a simple case: “Every bridge we delay costs us twice.”"
    assert speakers(text) != {"Every bridge we delay costs us twice.": "Ortiz’s memo makes a simple case"}
    assert speakers("Ortiz: “Every bridge we delay costs us twice.”") == {
        "Every bridge we delay costs us twice.": "Ortiz"}


def test_a_pronoun_opening_a_sentence_carries_its_antecedent_past_later_names() -> None:
    text = (
        "Marisol Ortega, a Camden native, owes $60,000 in student loans. At 31, she still shares a room "
        "lined with Star Trek and Top Gun posters.\n\n"
        "“Nobody plans to live like this,” she said."
    )
    assert speakers(text) == {"Nobody plans to live like this,": "Marisol Ortega"}


def test_a_name_before_an_aside_between_dashes_is_the_subject_a_pronoun_points_to() -> None:
    text = (
        "Reporters asked the panel about the stadium vote.\n\n"
        "Mayor Tom Brandt – a lifelong Rovers fan – gave a one-word answer. “Yes,” he answered.\n\n"
        "Reached on Tuesday, Ortiz — who chairs the finance committee — told the Ledger he would not appeal. "
        "He said he hopes “somebody else takes up the fight.”"
    )
    assert speakers(text) == {"Yes,": "Mayor Tom Brandt", "somebody else takes up the fight.": "Ortiz"}


def test_a_parenthesis_after_a_name_and_an_adjective_opening_a_sentence() -> None:
    text = (
        "Ada Brun (a Liberal) led the 1988 walkout. At a rally that spring, she declared:\n\n"
        "“We will not be moved.”\n\n"
        "Tomas Vidal listed his boat for sale at $9,000. Similar boats normally sell for $4,000.\n\n"
        "“It carried my father through two storms,” he wrote."
    )
    assert speakers(text) == {"We will not be moved.": "Ada Brun", "It carried my father through two storms,": "Tomas Vidal"}


def test_the_subject_after_long_or_stacked_opening_phrases_speaks() -> None:
    text = ("Moreover, as part of the long exchange with the committee about the budget, Reyes held up an audit "
            "in which “less than one percent of the grants” were checked.")
    assert speakers(text) == {"less than one percent of the grants": "Reyes"}


def test_an_inverted_says_between_commas_and_a_titled_name_before_a_participle() -> None:
    inverted = ("The odd thing about the budget, says Nora Hale, a historian at the county archive, is that it "
                "was “the most generous in forty years.”")
    assert speakers(inverted) == {"the most generous in forty years.": "Nora Hale"}
    titled = ("The vote split the council, with Republican Senator Dana Reyes telling reporters she saw the plan "
              "as “a blank cheque.”")
    assert speakers(titled) == {"a blank cheque.": "Republican Senator Dana Reyes"}


def test_an_ed_word_after_a_possessive_is_an_adjective_not_the_verb() -> None:
    text = ("Ortiz offered a blunt reply to the mayor's preferred plan, writing to him, "
            "“you are not fixing the bridge, you are painting it.”")
    assert speakers(text) == {"you are not fixing the bridge, you are painting it.": "Ortiz"}


def test_talking_about_is_speech() -> None:
    text = ("It was a version of the mayor’s stump speech. Reprising one of her lines, the former senator talked "
            "about keeping “the promise we made to the valley.”")
    assert speakers(text) == {"the promise we made to the valley.": "the former senator"}
    later = ("Lee insisted on Wednesday that he is still in the race. But he laid off 200 staffers and began "
             "talking about what will happen “if we do not win.”")
    assert speakers(later) == {"if we do not win.": "Lee"}


def test_an_adverb_between_a_name_and_its_verb_keeps_the_name_a_subject() -> None:
    text = (
        "Judge Ana Ruiz ruled on the levee case in May.\n\n"
        "Mayor Ines Castro also visited the levee on Monday. "
        "“We have the numbers to finish it by spring,” she said."
    )
    assert speakers(text)["We have the numbers to finish it by spring,"] == "Mayor Ines Castro"


def test_a_quotation_ending_its_line_takes_no_attribution_from_the_next_line() -> None:
    text = ("“The plan works,” said Ana Ruiz, a planner at the county. “Build it and they will come.”\n"
            "Tom Vidal, in the wake of a new poll, told reporters on Sunday that the plan was too costly.")
    assert speakers(text) == {"The plan works,": "Ana Ruiz", "Build it and they will come.": "Ana Ruiz"}


def test_a_capitalised_run_across_a_sentence_end_lends_no_gender_to_a_surname() -> None:
    text = (
        "Republican Paul Brandt won easily in Virginia. Brandt thanked the volunteers. A super PAC called "
        "Our Principles is ramping up its operations.\n\n"
        "Turnout was way up. Brandt brags that's good news. “GROWING PARTY,” he declared in a tweet."
    )
    assert speakers(text) == {"GROWING PARTY,": "Brandt"}


def test_an_owner_after_a_preposition_is_a_last_resort_for_he() -> None:
    text = ("One of the central claims of Governor Paul Brandt’s speech on Wednesday does not hold up.\n\n"
            "He told his audience, to loud applause:\n\n"
            "“Nobody has ever been more ready for this job.”")
    assert speakers(text) == {"Nobody has ever been more ready for this job.": "Governor Paul Brandt"}


def test_an_inverted_verb_after_a_quotation_needs_a_speaker_not_its_object() -> None:
    text = ("Mayor Lee said the levee plan was a gamble. Lee further described the plan as “reckless and vague,” "
            "denounced its budget and said it should be withdrawn.")
    assert speakers(text) == {"reckless and vague,": "Lee"}
    named = "“We will win this,” said his campaign manager Jeff Weaver."
    assert speakers(named) == {"We will win this,": "his campaign manager Jeff Weaver"}


def test_a_clause_inside_a_subject_is_not_the_one_who_talks() -> None:
    text = ("The lawyer who ran three marathons before his right knee gave out is already talking about "
            "“a fierce urgency” to get things done.")
    assert speakers(text) == {"a fierce urgency": "The lawyer"}


def test_the_one_made_to_act_speaks_the_act() -> None:
    text = ("The mayor kept praising the contractor. All this has led the local historian Ada Berg to fear "
            "a “Levee-Gate Affair.”")
    assert speakers(text) == {"Levee-Gate Affair.": "the local historian Ada Berg"}
    text = ("Pia Moreno, the mayor, skipped the debate twice. This prompted the weekly paper to run a cover "
            "saying “Show Up, Pia!”")
    assert speakers(text) == {"Show Up, Pia!": "the weekly paper"}
    text = "A warm-up band called Levee got the crowd to dance and cheer for “Mayor Ana Ruiz.”"
    assert speakers(text) == {"Mayor Ana Ruiz.": "the crowd"}


def test_a_document_opening_a_clause_before_a_colon_says_the_quotation() -> None:
    text = ("The budget office sent its numbers on Monday. A footnote in the report makes that clear: “These "
            "figures do not include the new bridge.”")
    assert speakers(text) == {"These figures do not include the new bridge.": "A footnote in the report"}
    letter = "Ada Berg’s letter makes a simple case: “The levee must be finished before the rains.”"
    assert speakers(letter) == {"The levee must be finished before the rains.": "Ada Berg’s letter"}


def test_the_person_a_sentence_opens_on_is_the_next_she() -> None:
    text = ("“The levee is ready,” the governor said on Monday, before clarifying that he was not sure.\n\n"
            "To county engineer Brigid Okafor, Lee’s seeming calm reflected fatigue.\n\n"
            "“We have not even tested the pumps,” she said.")
    assert speakers(text)["We have not even tested the pumps,"] == "Brigid Okafor"
    text = ("“We will take the state,” Senator Dan Roe said. As for Mayor Paul Brandt, he said he was not "
            "worried. “I have the votes,” he said.")
    assert speakers(text)["I have the votes,"] == "Mayor Paul Brandt"


def test_a_he_opening_a_sentence_with_any_verb_is_the_speaker_of_its_quotation() -> None:
    text = ("Mark Dorsey, the team owner, said he would back the mayor. He went on to call the council "
            "“the worst bunch in the state.”")
    assert speakers(text) == {"the worst bunch in the state.": "Mark Dorsey"}


def test_a_he_or_she_of_a_later_clause_speaks_the_quotation_in_that_clause() -> None:
    text = ("Governor Paul Brandt described Senator Ana Ruiz as a “disgrace” after she attacked the police "
            "and blamed the shootings on “implicit bias” in the force.")
    assert speakers(text) == {"disgrace": "Governor Paul Brandt", "implicit bias": "Senator Ana Ruiz"}


def test_an_opening_phrase_closed_inside_a_quotation_still_leads_to_the_he_or_she() -> None:
    text = ("In her book, Ana Ruiz described the night. After saying her ankle was “so swollen I could not "
            "walk,” she was “rushed off to the county hospital” for tests.")
    assert speakers(text)["rushed off to the county hospital"] == "Ana Ruiz"


def test_the_last_of_a_list_of_quotations_keeps_the_list_speaker() -> None:
    text = ("“You cold?” she asked, but Tom was drifting off, and as Mayor Lee went on about “the levee,” and "
            "“the pumps” and “our own brave crews,” Ana said yes, over and over again.")
    found = speakers(text)
    assert found["the levee,"] == found["the pumps"] == found["our own brave crews,"] == "Mayor Lee"


def test_a_label_given_in_the_passive_is_said_by_nobody() -> None:
    text = ("“The levee will hold,” Mayor Ana Ruiz said on Monday.\n\n"
            "When the county checked the mayor’s claim, it was labeled “Mostly True.”")
    assert speakers(text) == {"The levee will hold,": "Mayor Ana Ruiz", "Mostly True.": None}


def test_an_owner_in_the_pronouns_own_sentence_beats_an_older_subject() -> None:
    text = ("Governor Paul Brandt has not endorsed Dan Roe, and Senator Tom Vidal withdrew his support.\n\n"
            "Ann Lee has tangled with Roe once. For that she drew Roe’s ire - he called her “weak” and said "
            "she had “no support” in the state.")
    assert speakers(text) == {"weak": "Roe", "no support": "Roe"}


def test_a_clause_before_a_name_is_not_part_of_the_speaker() -> None:
    text = ("The mayor followed up with a sharp attack on Dan Roe, who has said he wants to be a “neutral” "
            "broker in the dispute.")
    assert speakers(text) == {"neutral": "Dan Roe"}


def test_a_he_after_a_subordinator_carries_its_antecedent_forward() -> None:
    text = ("Paul Brandt’s voice was hoarser than when he was seeking the job in 1992, and Tom, a friend from "
            "school, stood beside him.\n\n"
            "“When we met, we fell in love,” he told them.")
    assert speakers(text) == {"When we met, we fell in love,": "Paul Brandt"}


def test_a_participle_after_a_he_clause_is_his() -> None:
    text = ("Paul Brandt’s odd advice earned him the attention of the council, where he appeared in 2014 for his "
            "role in the levee deal and for saying that the pumps were a “miracle for every street.”")
    assert speakers(text) == {"miracle for every street.": "Paul Brandt"}


def test_a_sentence_opening_word_is_no_speaker_of_a_quotation_standing_alone() -> None:
    text = ("Council members argued for hours on Monday.\n\n"
            "More was said about the levee later that night.\n\n"
            "“We will not pay for it.”")
    assert speakers(text) == {"We will not pay for it.": None}


def test_the_clause_a_colon_closes_names_the_speaker_before_earlier_clauses() -> None:
    text = ("When Mayor Lee suggested that the county would sue the city, Senator Ana Ruiz fired back "
            "forcefully: “If they sue us, they will lose.”")
    assert speakers(text) == {"If they sue us, they will lose.": "Senator Ana Ruiz"}
    text = ("The scheduling was so odd that a spokesman for Mayor Lee could only quip: “I guess the levee "
            "was booked.”")
    assert speakers(text) == {"I guess the levee was booked.": "a spokesman for Mayor Lee"}


def test_most_or_many_alone_can_say_a_quotation() -> None:
    text = "Nine in ten voters worried about the levee; most said they were “very worried.”"
    assert speakers(text) == {"very worried.": "most"}
    crowd = "The crowd waited for an hour. Some chanted “Build it now!”"
    assert speakers(crowd) == {"Build it now!": "Some"}
    relative = ("Mayor Lee said that the plan, which some have argued was rushed, was an “insult” to the "
                "volunteers.")
    assert speakers(relative) == {"insult": "Mayor Lee"}


def test_a_name_then_also_and_a_verb_opens_the_sentence_of_a_fragment() -> None:
    text = ("“We are going to win,” Mayor Lee said.\n\n"
            "Ruiz also made the point that the plan would make the levee “completely a monument to waste” "
            "for years.")
    assert speakers(text)["completely a monument to waste"] == "Ruiz"


def test_a_who_after_a_dash_points_back_to_the_name_before_it() -> None:
    text = ("“We will rebuild,” Governor Ana Ruiz said on Friday.\n\n"
            "Mayor Paul Brandt - who previously said he would “flood the [expletive] out of” the old dam - "
            "said on Saturday that the county should close it.")
    assert (speakers(text)["flood the [expletive] out of"] or "").endswith("Paul Brandt")


def test_a_description_opening_the_sentence_speaks_past_an_aside() -> None:
    text = "The ad, titled “Builder?”, concludes that Mayor Lee is too “reckless” to run the county."
    assert speakers(text)["reckless"] == "The ad"


def test_a_possessive_before_a_speech_noun_names_the_speaker() -> None:
    text = ("Mayor Paul Brandt's way served him well. His standing improved after the flood and his call for "
            "“a total and complete rebuild” of the levee.")
    assert speakers(text) == {"a total and complete rebuild": "Mayor Paul Brandt"}
    own = "As the debate went on, Brandt stood by his comment on Monday that “the levee will hold,” and left."
    assert speakers(own) == {"the levee will hold,": "Brandt"}
    subject = ("Ana Ruiz issued a statement saying his comment “has no place in this town” and that voters "
               "will remember.")
    assert speakers(subject) == {"has no place in this town": "Ana Ruiz"}


def test_a_name_inside_a_description_is_not_cut_off_from_its_noun() -> None:
    text = "The Brandt ad hits Lee for taking “more money from developers than from voters.”"
    assert speakers(text) == {"more money from developers than from voters.": "The Brandt ad"}
    text = "The Ruiz campaign projects that “a tax of a fraction of a percent” would pay for the levee."
    assert speakers(text) == {"a tax of a fraction of a percent": "The Ruiz campaign"}


def test_a_second_absolute_phrase_has_its_own_speaker() -> None:
    text = ("Both men issued a statement – Lee saying he was “very encouraged” and Ruiz calling it a "
            "“great meeting.”")
    assert speakers(text) == {"very encouraged": "Lee", "great meeting.": "Ruiz"}


def test_the_subject_of_a_clause_after_a_subordinator_speaks_past_a_place() -> None:
    text = ("Mayor Lee is assuring voters he is tough enough after a woman in Dover, Delaware, told him she "
            "worries he is “too nice” to fend off his rivals.")
    assert speakers(text) == {"too nice": "a woman in Dover"}


def test_a_later_verb_with_its_own_clause_does_not_take_a_reported_quotation() -> None:
    text = ("But even as Mayor Lee claimed on Tuesday that “the levee cost far less,” one of the county "
            "auditors said the two budgets were quite different.")
    assert speakers(text) == {"the levee cost far less,": "Mayor Lee"}


def test_a_name_then_a_speech_verb_is_no_coordination() -> None:
    text = "Lee responds to Ruiz with, “Why now? Was that on the way to Dover?” Ruiz then writes back, “You look tired.”"
    assert speakers(text) == {"Why now? Was that on the way to Dover?": "Lee", "You look tired.": "Ruiz"}


def test_a_name_opening_a_new_clause_after_a_quotation_does_not_inherit_its_speaker() -> None:
    text = ("And, in a clip that County Judge Ana Ruiz called “distasteful,” Brandt expressed a desire to "
            "“flood the whole valley.”")
    assert speakers(text) == {"distasteful,": "County Judge Ana Ruiz", "flood the whole valley.": "Brandt"}


def test_from_the_report_before_a_colon_names_the_report() -> None:
    text = ("A new County Research study compares levee designs. What the report does mean - not all levees "
            "are equal. From the report: “In general, older designs held better.”")
    assert speakers(text) == {"In general, older designs held better.": "the report"}


@pytest.mark.parametrize(
    "text",
    [
        "Quick access to the assistant has always been there by pressing the button or by saying “Hey Ada.”",
        "Simple questions get answered by saying “Hey Ada” first.",
        "Quick access to the controls is one tap away, and you can also trigger it by saying “Hey Ada” at any time.",
        "Quick access to everything.\n\nYou can also ask by saying “Hey Ada, what is the weather?”",
    ],
)
def test_a_thing_or_the_reader_opening_the_sentence_is_no_speaker(text: str) -> None:
    # a capitalised sentence opener describing a thing ("Quick access …"), or "You", says nothing
    assert set(speakers(text).values()) == {None}


def test_the_one_made_to_speak_says_the_quotation() -> None:
    text = "The new dashboard lets drivers say “Navigate home” without touching the screen."
    assert speakers(text) == {"Navigate home": "drivers"}


def test_a_role_noun_between_names_keeps_the_earlier_name_out_of_pronouns() -> None:
    text = ("Former Dover speechwriter Jon Reyes published a column on Monday.\n\n"
            "“Too forced?” He tweeted when the mayor ended the debate.")
    assert speakers(text) == {"Too forced?": "Jon Reyes"}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Few experts expect the levee to hold. Said Ellis: “I don’t get the sense it will last.”", "Ellis"),
        ("Now Ana Ruiz, the county’s longest-serving judge, is promising “a full review” of the case.", "Ana Ruiz"),
        ("Even Dover, the county’s only ally, said it was “resolutely opposed” to the plan.", "Dover"),
        ("Ann Lee at the time said she had asked her “people” to look into it.", "Ann Lee"),
        ("Lee in his announcement speech called the plan “a disaster.”", "Lee"),
        ("The Dover senator’s answer was that “the plan will fail long before the levee does.”", "The Dover senator"),
    ],
)
def test_a_speaker_is_named_without_the_word_its_sentence_opens_on(text: str, speaker: str) -> None:
    assert list(speakers(text).values()) == [speaker]


def test_a_line_of_a_list_is_its_own_sentence() -> None:
    text = ("Dover Buds\n\nAutomatically on, automatically connected\nEasy setup for all your devices\n"
            "Quick access to the assistant by saying “Hey Ada”\nDouble-tap to play or skip forward\n")
    assert speakers(text) == {"Hey Ada": None}


def test_prose_wrapped_inside_a_name_keeps_the_name() -> None:
    assert speakers("“We will win,” said Senator\nAna Ruiz of Dover.") == {"We will win,": "Senator Ana Ruiz of Dover"}


def test_an_adjective_and_its_noun_opening_a_list_line_are_no_speaker() -> None:
    # "Quick" is also a name part elsewhere ("Quick Start Guide"), which must not make it a speaker
    text = ("Automatically on, automatically connected\nEasy setup for all your devices\n"
            "Quick access to the assistant by saying “Hey Ada”\n"
            "Double-tap to play or skip forward\n\nIn the box: cable, Quick Start Guide, warranty card.")
    assert speakers(text) == {"Hey Ada": None}


def test_an_adjective_conceded_before_the_subject_is_no_antecedent() -> None:
    # the issue's "the late neurologist" class: the person talked about is not the one who speaks
    text = ("“I felt strange,” Mary Dane said.\n\nFun as that might sound — the late neurologist wrote about "
            "similar symptoms in his book “Musicophilia” — Dane wasn’t thrilled about the change. The next two "
            "months were tough. “I couldn’t focus,” she said.")
    assert speakers(text) == {"I felt strange,": "Mary Dane", "I couldn’t focus,": "Dane"}


def test_a_noun_and_its_past_verb_are_no_speaker() -> None:
    # the issue's "— a sample came in" class
    text = ("“I had faith that we could figure it out,” Harper said.\n\nAt the last minute, a sample came in "
            "called “Dover (“No Place Like Home”). “It grabbed me by the heart,” he said.")
    assert "a sample came in" not in speakers(text).values()
    assert speakers(text)["It grabbed me by the heart,"] == "Harper"


def test_a_sentence_opening_once_is_no_speaker() -> None:
    # even when the text also capitalises it inside a title ("Once Upon A Time")
    text = ("Critics liked Once Upon A Time, the show.\n\nOnce the guards exhaust their patience, even the crowd "
            "gets restless and begins yelling “Mercy!”")
    assert speakers(text) == {"Mercy!": None}


def test_a_short_title_after_a_work_noun_is_no_quotation() -> None:
    text = "The late neurologist wrote about similar symptoms in his book “Musicophilia” and in the film “Awakenings.”"
    assert quotes_of(text) == {}


def test_an_adverb_after_an_ap_style_closing_quotation_is_no_antecedent() -> None:
    text = ("The County Board issued a statement warning that “voters are entitled to transparency.’’ "
            "Critically, however, it pointed out that it doesn’t have “a role in regulating content.’’")
    assert set(speakers(text).values()) == {"The County Board"}


def test_a_weekend_opening_the_sentence_is_no_part_of_the_speaker() -> None:
    text = "Last weekend the Dover Times claimed that the city “is starting to look a bit like New York”."
    assert speakers(text) == {"is starting to look a bit like New York": "the Dover Times"}


def test_the_next_sentence_acting_does_not_report_a_closed_quotation() -> None:
    text = ("“If Dover follows through on these tariffs, so will we,” Mayor Ana Ruiz warned. “The ball is in "
            "their court.” Lee on April 5 threatened to slap tariffs on Dover’s goods.")
    assert speakers(text) == {"If Dover follows through on these tariffs, so will we,": "Mayor Ana Ruiz",
                              "The ball is in their court.": "Mayor Ana Ruiz"}


def test_a_closed_quotation_still_takes_a_verb_said_to_someone() -> None:
    text = "“How do you control these banks?” Lee said to a crowd of about 500."
    assert speakers(text) == {"How do you control these banks?": "Lee"}


def test_a_capitalised_subordinator_after_a_name_opens_a_clause() -> None:
    text = ("Ana Ruiz spoke on Friday.\n\nDover after Cambridge Analytica When asked how many advertisers had "
            "paused, Ruiz would only say that “a few” had done so. She told reporters the firm was in "
            "“reassuring conversations” with them.")
    assert speakers(text) == {"a few": "Ruiz", "reassuring conversations": "Ruiz"}


def test_a_name_its_verb_and_a_possessive_are_a_clause_not_a_speaker() -> None:
    text = ("Ana Ruiz made her first public comment on Thursday since being poisoned in Dover last month along with "
            "her father Sergei, saying the “entire episode is somewhat disorienting.”")
    assert speakers(text) == {"entire episode is somewhat disorienting.": "Ana Ruiz"}


@pytest.mark.parametrize("name", ["Ann Lee", "de Nysschen"])
def test_an_adverb_after_an_inverted_speaker_is_not_part_of_the_name(name: str) -> None:
    text = f"“Just quit the speculation,” said {name} bluntly. “It’s not.”"
    assert speakers(text) == {"Just quit the speculation,": name, "It’s not.": name}


def test_a_title_describing_a_person_stays_in_the_speaker_and_is_no_quotation() -> None:
    text = ("The actor shared a clip.\n\n“Hearing the heartbeat was something we never take for granted,” the "
            "“Dover Nights” actor said. The “Meet the Press” host said it was “a gift.”")
    assert speakers(text) == {
        "Hearing the heartbeat was something we never take for granted,": "the “Dover Nights” actor",
        "a gift.": "The “Meet the Press” host",
    }


def test_they_points_back_to_a_company_named_by_its_suffix() -> None:
    text = ("The company that runs the show, Dover Lane Productions, denies that anything has been sorted.\n\n"
            "“Any final agreement needs to be made between the parties,” they said.")
    assert speakers(text) == {"Any final agreement needs to be made between the parties,": "Dover Lane Productions"}


def test_a_surname_shared_by_a_man_and_a_woman_fits_either_pronoun() -> None:
    text = ("Liz Dane, the daughter of former governor Dick Dane, won the primary.\n\nIncumbent Rep. Cynthia Ruiz "
            "was not seeking a fifth term.\n\n“Now it’s time to look forward,” Dane said.\n\n“Our freedom is under "
            "assault,” she added.")
    assert speakers(text)["Our freedom is under assault,"] == "Dane"


def test_a_gender_word_closing_a_name_is_a_surname() -> None:
    text = ("Fans paid tribute before the match between Novak Dovic and Andy Murray. A photo was shown.\n\n"
            "Tennis great Billie Jean King remembered him as fun. She saw him there again in 1999.\n\n"
            "“He always whispered in my ear,” she said.")
    assert speakers(text) == {"He always whispered in my ear,": "Billie Jean King"}


def test_a_who_clause_holding_the_quotation_is_its_names() -> None:
    text = ("Ruiz said she was impressed. Ruiz contrasted that with Lee who is looking to bring “people together "
            "to accomplish the goal.”")
    assert speakers(text) == {"people together to accomplish the goal.": "Lee"}


def test_the_author_of_a_text_is_a_later_pronouns_antecedent() -> None:
    text = ("Mayor Ann Lee spoke first. The news will come with a strong bias, according to a post from Maria "
            "Ruiz.\n\n“We’ll be covering the campaign’s disastrous impact,” she wrote.")
    assert speakers(text) == {"We’ll be covering the campaign’s disastrous impact,": "Maria Ruiz"}


def test_a_he_or_she_after_a_short_opening_phrase_says_the_quotation() -> None:
    text = ("Hillary Lee struggled to piece together the resources, so the conservative group Dover Crossroads "
            "ended up showing it to focus groups.\n\nParty Chairman Tom Reyes called her remarks a “new low.”\n\n"
            "Foreign policy was a sticking point. Thirteen years earlier, she had voted for the war from “the "
            "perspective of a senator from New York.”")
    assert speakers(text)["the perspective of a senator from New York."] == "Hillary Lee"


def test_a_name_inside_an_opening_like_phrase_gives_way_to_the_subject() -> None:
    text = ("Tara Lee sued over the course. Like Lee, the former student, Roffman doesn't want to fight again.\n\n"
            "“I'm 76, and I don't feel like going through that again,” he said.")
    assert speakers(text) == {"I'm 76, and I don't feel like going through that again,": "Roffman"}


def test_a_quoted_nickname_stays_inside_the_name_a_pronoun_points_to() -> None:
    text = ("In Dover the parade began with a moment of silence, the Dover Sun-Times reported.\n\nJuan “Chico” "
            "Ruiz of Oakland carried one of the photos. “I pretty much cried the whole parade,” he said.")
    assert speakers(text)["I pretty much cried the whole parade,"] == "Juan “Chico” Ruiz"


def test_a_pronoun_points_to_the_name_in_apposition_not_the_title_before_it() -> None:
    text = ("The Dover Group's CEO, Maria Ruiz, said the two firms had coordinated.\n\n"
            "“If counsel had said so, we would have gladly registered,” she said.")
    assert speakers(text) == {"If counsel had said so, we would have gladly registered,": "Maria Ruiz"}


def test_the_agent_of_a_passive_is_a_later_pronouns_antecedent() -> None:
    text = ("Some emails between Lee and President Roe have been located.\n\nLee's position was supported Friday by "
            "Sen. Maria Ruiz of Dover, the ranking Democrat on the committee, who said none of the emails "
            "originated with Lee.\n\n“It has never made sense to me,” she said in a statement.")
    assert speakers(text) == {"It has never made sense to me,": "Sen. Maria Ruiz"}


def test_of_state_inside_a_title_keeps_the_holder_a_mention() -> None:
    text = ("“I apologize to nobody for that,” the senator said during the debate.\n\nBut the other candidate on the "
            "stage, former Secretary of State Maria Ruiz, drew a contrast, saying the concerns were real.\n\n"
            "“I do take what the experts said seriously,” she said.")
    assert speakers(text)["I do take what the experts said seriously,"] == "Maria Ruiz"


def test_described_right_after_a_quotation_takes_an_object_not_a_speaker() -> None:
    text = ("Roffman, who estimates that his legal costs were “in the seven figures,” described the emotional impact "
            "as “horrendous. It really affects your mental health,” he said.")
    assert speakers(text) == {"in the seven figures,": "Roffman",
                              "horrendous. It really affects your mental health,": "Roffman"}


def test_this_before_a_noun_is_a_determiner_not_a_time() -> None:
    text = ("Members of the family soured on him, the Post reported.\n\n“The kids do not like him, and they are "
            "certainly happy with the new manager,” this source told the Post.")
    assert speakers(text) == {"The kids do not like him, and they are certainly happy with the new manager,": "this source"}


def test_whoever_issued_a_statement_says_what_follows_its_comma() -> None:
    text = "Immediately after the flood, Mayor Lee issued a statement, “Last night, our city was hit by the worst storm.”"
    assert speakers(text) == {"Last night, our city was hit by the worst storm.": "Mayor Lee"}


def test_a_quotation_closing_its_sentence_starts_the_next_one() -> None:
    text = ("Early in his campaign, Lee attacked Ruiz, calling him, among other things, “a failed candidate.” Ruiz "
            "fired back in March, attacking Lee for “the greed, the showing off, the absurd theatrics” of his campaign.")
    assert speakers(text) == {"a failed candidate.": "Lee", "the greed, the showing off, the absurd theatrics": "Ruiz"}


def test_a_sentence_opening_participle_goes_on_with_the_quotation_before() -> None:
    text = ("Later in the show, Maher stated of the scandal that the report “wasn’t good.” Adding, “Now, like with all "
            "such scandals, what they actually do is never that bad.”")
    assert speakers(text) == {"wasn’t good.": "Maher",
                              "Now, like with all such scandals, what they actually do is never that bad.": "Maher"}


def test_the_named_subject_of_a_while_clause_says_its_quotation() -> None:
    text = ("Gov. Ann Lee on Monday signed an order to block the plan, while Tom Ruiz, the former Dover mayor, "
            "proposed we “wake up and smell the coffee” and said the speaker should resign.")
    assert speakers(text) == {"wake up and smell the coffee": "Tom Ruiz"}


@pytest.mark.parametrize(
    "text",
    [
        "Even after videos surfaced, the campaign denied it, with Lee taking to Twitter to call Ruiz “totally delusional” for it.",
        "Lee went on television to call the report “a total fabrication.”",
    ],
)
def test_who_goes_on_to_call_something_says_what_it_is_called(text: str) -> None:
    assert list(speakers(text).values()) == ["Lee"]


def test_it_points_back_to_a_document_opening_its_sentence() -> None:
    text = ("The email, released by Dover Watch, was sent at 7:19 p.m. by an aide in Libya.\n\n"
            "“I just tried you on the phone but you were all in with the team,” it reads.")
    assert speakers(text) == {"I just tried you on the phone but you were all in with the team,": "The email"}


def test_a_nationality_and_a_plural_name_a_group_no_he_or_she() -> None:
    text = ("Bernie Sanders spoke at the rally on Monday. Asian Americans turned out in numbers.\n\n"
            "“We will win this state,” he said.")
    assert speakers(text) == {"We will win this state,": "Bernie Sanders"}


def test_a_place_named_like_a_person_is_no_he() -> None:
    text = ("Murphy lamented the fundraising his job entails: “There’s just a ton of it,” he said.\n\nIn that sense, "
            "Sandy Hook wasn’t just a national tragedy, but a personal summons. “My son just graduated from first "
            "grade,” he added.")
    assert speakers(text) == {"There’s just a ton of it,": "Murphy", "My son just graduated from first grade,": "Murphy"}


def test_i_have_is_nobodys_he() -> None:
    text = ("Bernie Sanders spoke first.\n\nI've heard it all before, a supporter wrote.\n\n"
            "“We are going to win,” he said.")
    assert speakers(text) == {"We are going to win,": "Bernie Sanders"}


def test_a_writer_who_has_written_the_words_speaks() -> None:
    text = ("“The levy is paid at the quay by a local agent,” Ana Ruiz, a fellow at the Harbour Institute, has "
            "written. “The shipper pays nothing.”")
    assert speakers(text) == {"The levy is paid at the quay by a local agent,": "Ana Ruiz", "The shipper pays nothing.": "Ana Ruiz"}


def test_a_name_a_verb_and_its_infinitive_still_make_a_sentence_subject() -> None:
    text = ("Finally, AMLO seeks to capitalize on the anti-wall sentiment in Dover, dismissing the idea of a border "
            "barrier: “We are not going to worry about the threats of building a wall.”")
    assert speakers(text) == {"We are not going to worry about the threats of building a wall.": "AMLO"}


def test_a_surname_that_is_also_a_given_name_keeps_an_open_gender() -> None:
    text = ("The threat was made against Rep. Ilhan Omar, the office announced.\n\nSonya Lee, the man’s attorney, said her "
            "client did not intend harm.\n\nOmar asked for compassion in a letter, saying she did not want a severe "
            "sentence. She added, “We must teach the defendant love.”")
    assert speakers(text) == {"We must teach the defendant love.": "Omar"}


def test_a_weekday_and_a_state_before_the_speakers_name_are_opening_phrases() -> None:
    text = ("Tuesday at Dover College in Berea, OH, after winning the primary, Gov. Ann Lee (R-OH), said, “I’m "
            "getting ready to rent a covered wagon.”")
    assert speakers(text) == {"I’m getting ready to rent a covered wagon.": "Gov. Ann Lee (R-OH)"}


def test_lines_of_quotations_after_a_subordinate_clause_are_its_subjects() -> None:
    text = ("What “go after them” actually means is left to voters, since Lee spoke only in evasive bromides during "
            "the interview.\n\n“We have to do something and it’s the only way you stop it.”\n“We have to be a lot "
            "tougher.”\n“We’re not fighting it strongly enough.”")
    assert set(speakers(text).values()) == {"Lee"}


def test_a_fragment_in_a_paragraph_about_someone_else_is_not_the_last_speakers() -> None:
    text = ("“We will keep the depot open,” said Mayor Ann Lee.\n\nBoos rained down when the budget came up, and the "
            "crowd took up the chant “Close it now!” that ran through the hall.")
    assert speakers(text) == {"We will keep the depot open,": "Mayor Ann Lee", "Close it now!": None}


def test_a_fragment_in_a_paragraph_that_goes_on_about_the_speaker_keeps_the_speaker() -> None:
    text = ("“We will keep the depot open,” said Mayor Ann Lee.\n\nWhen Lee used the words “it stays open for good,” she "
            "was echoing her rival.\n\nThen, later that month on the radio: “I never promised that.”")
    assert speakers(text) == {"We will keep the depot open,": "Mayor Ann Lee", "it stays open for good,": "Mayor Ann Lee",
                              "I never promised that.": "Mayor Ann Lee"}


def test_she_is_never_a_body_written_with_initials() -> None:
    text = ("The FBI concluded this month that Ann Lee had been “extremely careless” with the harbour files.\n\n"
            "Lee on Tuesday became the first woman to win the county vote.\n\n"
            "Voters had made “the right call for the harbour,” she said in a video message.")
    assert speakers(text)["the right call for the harbour,"] == "Lee"


def test_a_chief_of_staff_is_named_by_the_name_after_the_title() -> None:
    text = ("The party began spending much earlier. That, Harbour Board Chief of Staff Ann Lee explained, is by design.\n\n"
            "“We head into the vote with a head start on the ground,” she said in a recent interview.")
    assert speakers(text) == {"We head into the vote with a head start on the ground,": "Ann Lee"}


def test_a_diplomatic_cable_says_what_it_quotes() -> None:
    text = ("“We are not safe here,” Ambassador Dan Roe said in June.\n\n"
            "The cable indicated that 13 guards would be the minimum needed for “harbour security and an incident "
            "response capability.”")
    assert speakers(text)["harbour security and an incident response capability."] == "The cable"


def test_of_inside_a_bodys_name_stays_in_the_speaker() -> None:
    text = ("Unions backed her early, with the American Federation of Harbour Pilots calling her “the champion "
            "working families need” at the rally.")
    assert speakers(text) == {"the champion working families need": "American Federation of Harbour Pilots"}


def test_a_digest_headline_run_into_the_speaker_is_left_out() -> None:
    text = ("HARBOUR PILOTS REFUSE TO SAIL IN THE STORM The pilots cited “broken radar, leaking hulls and no "
            "lifeboats” in a letter. [Reuters]")
    assert speakers(text) == {"broken radar, leaking hulls and no lifeboats": "The pilots"}


def test_she_with_a_present_tense_verb_carries_her_antecedent() -> None:
    text = ("“I am calling from the campaign. How are you today?” Miller, a retired nurse, said into the phone.\n\n"
            "She pauses.\n\n“Well, thank you so much for your time.”")
    assert speakers(text)["Well, thank you so much for your time."] == "Miller"


def test_points_out_reports_the_quotation_before_it() -> None:
    text = ("Ann Lee spoke first.\n\nDan Roe disagreed at length.\n\n“Voters consistently reject the old guard. "
            "Bush got half a million fewer votes,” he points out.")
    assert speakers(text) == {"Voters consistently reject the old guard. Bush got half a million fewer votes,": "Dan Roe"}


def test_a_person_a_sentence_presents_is_the_next_he() -> None:
    text = ("Former aide Dan Roe published a column in the Gazette.\n\nThen there’s Axelrod.\n\n"
            "“Kind of bewildering that they lay out the plan a week early,” he wrote last October.")
    assert speakers(text) == {"Kind of bewildering that they lay out the plan a week early,": "Axelrod"}


def test_a_he_in_the_paragraph_does_not_carry_on_a_womans_words() -> None:
    text = ("“We go high when they go low,” said First Lady Ann Lee.\n\nThe speech recalls the very words of Abraham "
            "Lincoln in 1865. He concluded so eloquently and timelessly, “With malice toward none, let us strive on to "
            "finish the work.”")
    assert speakers(text)["With malice toward none, let us strive on to finish the work."] != "First Lady Ann Lee"


def test_a_she_after_and_carries_her_antecedent_past_a_name_in_her_clause() -> None:
    text = ("Maria Lopez, a nurse from Fresno, says she will not vote for Clinton. The primary was the first race she "
            "worked on, and she doesn’t think Clinton can fix health care.\n\n“It is a false choice,” she said.")
    assert speakers(text) == {"It is a false choice,": "Maria Lopez"}


def test_the_owner_opening_a_sentence_about_his_complaint_is_the_next_he() -> None:
    text = ("Kowalski says he was let go for taking leave.\n\n“We stand by the decision,” Roe said.\n\n"
            "Kowalski’s complaint demands back pay. He also seeks “an apology in writing from the city.”")
    assert speakers(text)["an apology in writing from the city."] == "Kowalski"


def test_the_interview_a_name_spoke_in_is_not_part_of_the_speaker() -> None:
    text = ("The mayor has doubts about the harbour plan. In a radio interview Dana Whitfield said, “The harbour cannot "
            "take another season of dredging.”")
    assert speakers(text) == {"The harbour cannot take another season of dredging.": "Dana Whitfield"}


def test_the_owner_of_a_motto_says_it() -> None:
    text = ("The new coach arrived in March. Dana Whitfield’s motto for her players (printed on every locker) was, "
            "“Nobody remembers the score, only the effort.”")
    assert speakers(text) == {"Nobody remembers the score, only the effort.": "Dana Whitfield"}
    text = "Marcus Webb opened the bakery in 1998. His slogan is “Bread before breakfast.” Sales doubled that year."
    assert speakers(text) == {"Bread before breakfast.": "Marcus Webb"}


def test_a_saying_reported_by_someone_else_stays_theirs() -> None:
    text = "In a statement, the council said that Whitfield’s answer was “unacceptable and late.”"
    assert speakers(text) == {"unacceptable and late.": "the council"}


def test_the_owner_opening_a_sentence_is_its_subject_even_before_a_past_verb() -> None:
    text = ("Last week Mayor Dan Roe announced that he would back the harbour plan.\n\nKowalski’s column also attacked "
            "Roe by accusing him of chasing votes. He calls the plan “a gift to the developers.”")
    assert speakers(text) == {"a gift to the developers.": "Kowalski"}


def test_the_owner_of_a_passive_sentence_gives_way_to_its_agent() -> None:
    text = ("Mayor Dan Lee spoke first.\n\nLee’s plan was backed on Friday by Sen. Ann Roe, who said it would help the "
            "harbour.\n\n“It is the right plan at the right time,” she said.")
    assert speakers(text) == {"It is the right plan at the right time,": "Sen. Ann Roe"}


def test_the_owner_of_a_view_stated_in_an_aside_says_it() -> None:
    text = ("Ann Lee has run the clinic for years. Her view, stated at every board meeting, was that “no patient "
            "should wait a week.”")
    assert speakers(text) == {"no patient should wait a week.": "Ann Lee"}


def test_the_person_an_author_quotes_is_the_speaker() -> None:
    text = ("The book is a history of the port. Lee quotes former harbour master Ann Roe:\n“The harbour is the city’s "
            "lungs, and we sold them.”")
    assert speakers(text) == {"The harbour is the city’s lungs, and we sold them.": "former harbour master Ann Roe"}


def test_a_testimonial_line_after_a_signature_is_its_own_signers() -> None:
    # Readers' comments in one paragraph, each line signed after it; the second line holds two quotations,
    # signed only after the last one.
    text = ("We asked readers what the ferry means to them.\n\n"
            "“The ferry saved my business. I open at six and the first boat brings my customers.” ― Tomas Reyes\n"
            "“Without it I would move. My mother said it best, ‘the boat is the street.” And I still call it "
            "“our street.” ― Lena Fox")
    found = speakers(text)
    assert found["The ferry saved my business. I open at six and the first boat brings my customers."] == "Tomas Reyes"
    assert found["our street."] == "Lena Fox"
    assert found["Without it I would move. My mother said it best, ‘the boat is the street."] == "Lena Fox"


def test_a_name_opening_its_sentence_before_a_party_tag_is_its_subject_for_a_later_he() -> None:
    text = ("“The bridge will be finished next year,” Senate leader Tom Bakker, R-Ohio, said Tuesday.\n\n"
            "House Speaker Dan Welles, D-Iowa, despite doubts about the cost, agreed that the vote would pass and "
            "that Bakker was right about the schedule.\n\n"
            "“I do think the money is there,” he said.")
    assert speakers(text)["I do think the money is there,"] == "House Speaker Dan Welles"


def test_a_quotation_quoting_another_in_double_marks_is_one_quotation() -> None:
    # A reader's comment quoting the candidate with the same marks: the whole comment is the quotation.
    text = ("“As a ferry worker, I’d rather live with what he calls “chaos” than with his plan for the port.” "
            "― Tomas Reyes")
    found = speakers(text)
    assert found == {"As a ferry worker, I’d rather live with what he calls “chaos” than with his plan for the port.":
                     "Tomas Reyes"}


def test_a_stray_opening_mark_still_restarts_the_quotation() -> None:
    text = "The sign read “closed. Later the mayor said “We will reopen the ferry on Monday,” and left."
    assert speakers(text) == {"We will reopen the ferry on Monday,": "the mayor"}


def test_a_quoted_nickname_is_part_of_the_name_not_a_quotation() -> None:
    text = ("“The ferry is the street of this town,” state Rep. Marcia “Cia” Roe said on Monday.\n\n"
            "Harbour master Juan \"Chico\" Reyes said: \"We will reopen on Monday.\"")
    assert speakers(text) == {"The ferry is the street of this town,": "state Rep. Marcia “Cia” Roe",
                              "We will reopen on Monday.": 'Harbour master Juan "Chico" Reyes'}


def test_a_description_with_a_name_in_apposition_opening_the_sentence_before_a_quotation_is_its_speaker() -> None:
    text = ("The harbour company grew fast in the 1990s. Her former business partner at the yard, Tomas Reyes, called "
            "her a genius at impossible deals. \"She saw ships where the rest of us saw rust.\"")
    assert speakers(text) == {"She saw ships where the rest of us saw rust.":
                              "Her former business partner at the yard, Tomas Reyes"}
