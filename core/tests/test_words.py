"""Labels placed mid-sentence keep their acronyms: never "the ccg"."""

from core.templatetags.words import mid_sentence


def test_a_label_mid_sentence_keeps_its_acronyms_and_names():
    assert mid_sentence("Common purpose") == "common purpose"
    assert mid_sentence("NHS England's work with the CCG") == "NHS England's work with the CCG"
    assert mid_sentence("Your area team's work with the CCG") == "your area team's work with the CCG"
    assert mid_sentence("CCGs") == "CCGs"
