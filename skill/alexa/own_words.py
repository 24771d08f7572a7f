"""Words Alexa passed without matching them: look in them for an emergency first.

Alexa sends a custom slot's words even when they match none of its values
(``ER_SUCCESS_NO_MATCH``), so a long or unusual statement ("my husband's gasping
for air", "a truck slammed into my car") reaches the skill as words. Reading them
is worth it first for rule 2, an emergency said in a person's own words
is heard at once. The locale lists, for each sign that is an emergency whenever it
is said (``spot``), and for emergencies the protocol has no question for
(``understanding.own_words.emergency``), groups of words that together name it:
"chest" with "pressure", "fell" with "stairs". A group starting with ``!`` must
not be there ("heart attack" but not "years ago").

A denial is never read as an emergency: nothing is spotted when, outside what
matched, a word that denies ("no", "not", "don't"...) comes before its end ("I
don't have chest pain"; but "I can't breathe", whose "can't" is part of the
sign, is spotted, and so is "he's slurring and he hasn't been drinking"), or a
word that says all is well comes anywhere ("my breathing is fine").

The words come from SignIntent's slots and from NoSignIntent's alike. NoSignIntent's
``denied`` is a sample on its own ("{denied}", no carrier), so its words are the whole
statement: a statement a generalising NLU heard as a denial ("both my legs have gone
weak") is read with the same rules as SignIntent's, and a real denial ("my legs
aren't weak") is stopped by them. Words in NoSignIntent's ``sign`` came out of a
denial's carrier ("I don't have {sign}"), which held a denial Alexa did not pass: never
an emergency unless they are a clause of their own whose sign carries its own
negation ("i can't breathe").

Words that name no emergency go on to ``which_sign``, which may read a sign that is
not an emergency, or a denial, from them; never an emergency.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from skill.triage import Protocol, default_protocol, known_locale
from skill.triage.protocol import Question

from .own_words_model import GENERAL, LinearSpotter, Settled, linear_spotter, settled_reader


@dataclass(frozen=True)
class Spotted:
    """An emergency found in a person's words: ``concept`` is a question id, or None for one the protocol has no
    question for (a stroke, a seizure, a call for an ambulance)."""

    concept: str | None


@dataclass(frozen=True)
class _Way:
    """One way of naming an emergency: every ``needs`` pattern is there, no ``unless`` pattern is."""

    concept: str | None
    needs: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]

    def spans(self, text: str) -> list[tuple[int, int]] | None:
        """Where each ``needs`` group first matches in the words, or None when one is not there."""
        spans = []
        for pattern in self.needs:
            match = pattern.search(text)
            if match is None:
                return None
            spans.append(match.span())
        return spans


def words_for_spotting(text: str) -> str:
    """Lower case, one kind of apostrophe, no punctuation: how the patterns expect words."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(re.sub(r"[^\w']+", " ", text).split())


_WORD_TAIL = re.compile("[a-z']*")


def _word_end(text: str, at: int) -> int:
    """Where the word ``at`` is inside ends: a span may end mid-word ("droop" of "drooping")."""
    match = _WORD_TAIL.match(text, at)
    return match.end() if match else at


def _spaces(match: re.Match[str]) -> str:
    """The matched words as spaces: what follows keeps its place."""
    return " " * len(match.group())


def _blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The words with these spans blanked out (same length, so later spans still point at the same words): what
    named the sign is never read as its denial."""
    chars = list(text)
    for start, stop in spans:
        chars[start:stop] = " " * (stop - start)
    return "".join(chars)


def _outside(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]], start: int, stop: int) -> bool:
    """The pattern found between ``start`` and ``stop`` in the words as said, outside these spans: for a denial word
    that needs the sign's own words after it to be one ("cero confusión": "cero" denies before a symptom, not
    alone), which the blanked words cannot show."""
    return any(not any(found_start < end and begin < found_stop for begin, end in spans)
               for found_start, found_stop in (match.span() for match in pattern.finditer(text, start, stop)))


def _ways(concept: str | None, alternatives: Iterable[Sequence[str]], unless_any: Sequence[str] = ()) -> list[_Way]:
    """One way per alternative; ``unless_any`` (a question's ``spot_unless``) are ``!`` groups every way of naming
    that sign has ("tearing" pain that has been the same for weeks is not a sudden tearing, however it is said)."""
    shared = tuple(re.compile(g) for g in unless_any)
    ways = []
    for groups in alternatives:
        needs = tuple(re.compile(rf"\b(?:{g})") for g in groups if not g.startswith("!"))
        unless = tuple(re.compile(g[1:]) for g in groups if g.startswith("!")) + shared
        if not needs:
            raise ValueError(f"a way of naming {concept or 'an emergency'} needs at least one group of words")
        ways.append(_Way(concept, needs, unless))
    return ways


class Spotter:
    """The locale's ways of naming an emergency, in the protocol's order, then the emergencies it has no question
    for."""

    def __init__(self, understanding: Mapping[str, Any], questions: Mapping[str, Mapping[str, Any]],
                 protocol: Protocol, learned: LinearSpotter | None = None, settled: Settled | None = None):
        own = understanding.get("own_words", {})
        self.denial = re.compile(own["denial"]) if own.get("denial") else None
        # all is well, or long past, for any sign ("my breathing is fine", "years ago"): the sign reader
        # (``which_sign``) reads it too
        self.denial_anywhere = re.compile(own["denial_anywhere"]) if own.get("denial_anywhere") else None
        # a past of weeks ("i fainted two weeks ago"): past for an emergency sign alone, recent for a risk the triage
        # asks about ("i had a hip operation three weeks ago": still a yes), so the sign reader does not read it
        self.recent_past = re.compile(own["recent_past"]) if own.get("recent_past") else None
        # an everyday cause that explains a sign away, for the signs it can explain and no other (``causes``): a food,
        # a drink or a paint for a colour ("my spit's red because i had beetroot"), a long walk for heavy legs, a hot
        # shower for blotchy skin; never for chest pain ("because i ate cake", "because i hiked": the AHA warns that
        # a heart attack is often taken for indigestion, and chest pain on exertion is angina's)
        causes = own.get("causes", ())
        self.causes = tuple((re.compile(cause["pattern"]), frozenset(cause["signs"])) for cause in causes)
        # "it went away and came back", "se me quitó y volvió": said in or after a sign's clause, the sign is here
        # now, whatever said it had gone (chest discomfort that goes away and comes back: AHA's heart attack signs)
        self.returned = re.compile(own["returned"]) if own.get("returned") else None
        # "years ago", "de joven", "en la novela": said before a clause, that clause is long past or not real
        self.long_ago = re.compile(own["long_ago"]) if own.get("long_ago") else None
        self.clause = re.compile(own["clause"]) if own.get("clause") else None  # words that are a clause of their own
        self.negated = re.compile(own["negated"]) if own.get("negated") else None  # a sign's own negation
        # "i can barely get any air in": a lack said without a negation word, the sign's own all the same
        self.deficit = re.compile(own["deficit"]) if own.get("deficit") else None
        self.contrast = re.compile(own["contrast"]) if own.get("contrast") else None  # "but": a clause of its own
        # "no chest pain | i came off my motorbike": a subject that starts a clause of its own after other words,
        # unless the word before it takes a clause ("i don't think | i'm ...", "i haven't noticed | he's ...")
        self.subject = re.compile(own["subject"]) if own.get("subject") else None
        # "i was fine this morning, now ...": a turn in time; all is well said before it is about before
        self.turn = re.compile(own["turn"]) if own.get("turn") else None
        self.takes_clause = re.compile(own["takes_clause"]) if own.get("takes_clause") else None
        # "me", "him": after a denial ("not me | it's my wife who ..."), a person denied, not the one told
        self.person = re.compile(own["person"]) if own.get("person") else None
        # "no puedo respirar para nada": words said last that make a sign's own negation stronger, never a denial
        self.intensifier = re.compile(own["intensifier"]) if own.get("intensifier") else None
        lack = own.get("lack", {})  # "no feeling in my legs": a lost ability, its denial part of the sign
        self.lack = tuple((re.compile(pattern), plain) for pattern, plain in lack.get("rewrite", []))
        after = lack.get("after_denial", {})
        self.lack_starts = re.compile(after["starts"]) if after.get("starts") else None
        self.lack_as = after.get("as", "")
        # a denial's carrier may be one of these words alone: "no {sign}", "ni {sign}" (the first is the plain "no")
        self.carrier_words: tuple[str, ...] = tuple(own.get("carrier_words", ()))
        self.carrier_no = self.carrier_words[0] if self.carrier_words else ""
        # "without knowing", "nothing helps": words that deny as part of a sign, not the sign; never a denial
        self.not_denials = re.compile(own["not_denials"]) if own.get("not_denials") else None
        # "my face is drooping | but otherwise i'm fine": a sign said as here now ("is ...ing", "i can't") is not
        # taken back by a plain "i'm fine" after it, which says how the person takes it; a past sign is ("i passed
        # out but i'm fine now"), and an everyday cause still explains either ("i'm sweating but it's the gym")
        self.said_now = re.compile(own["said_now"]) if own.get("said_now") else None
        self.fine_after = re.compile(own["fine_after"]) if own.get("fine_after") else None
        # "no pues tengo una opresión": after a "no", a filler says the "no" only answered the question
        self.fillers = re.compile(own["answer_fillers"]) if own.get("answer_fillers") else None
        # "no i mean yes ...", "no no tengo nada bueno sí ...": words that take back what was said before them
        self.retraction = re.compile(own["retraction"]) if own.get("retraction") else None
        # "it ...", "i'm ...", "there's ...": a pronoun's clause cannot follow a carrier that holds a noun phrase ("I
        # don't have {sign}"), so in a denial's carrier it was said after the answer's "no", and is read as said
        self.answer_clause = re.compile(own["answer_clause"]) if own.get("answer_clause") else None
        # "oh", "ay", "oh my god": at the start, before an answer's "no", it says nothing
        self.interjection = re.compile(own["interjection"]) if own.get("interjection") else None
        # "to be honest", "la verdad": words about the telling, not the sign; the sign reader leaves them out
        self.discourse = re.compile(own["discourse"]) if own.get("discourse") else None
        # "my bones are strong", "con la pastilla se me calma": all is well in other words; read by the sign reader
        # and the learned half only
        self.reassurance = re.compile(own["reassurance"]) if own.get("reassurance") else None
        # "blood in my wee", "sangre en la orina": a sign the learned half must not take for one it knows
        self.learned_unless = re.compile(own["learned_unless"]) if own.get("learned_unless") else None
        # an accident is an event that the word groups name; the learned half's guesses at one were false alarms
        # (a long flight, a drive, a slip last week), so what it names here is not taken
        self.learned_skips = frozenset(own.get("learned_skips", ()))
        # "me legs", "me backside": the same words as "my legs" in British, Irish and Australian speech
        self.spoken_forms = tuple((re.compile(pattern), written) for pattern, written in own.get("spoken_forms", []))
        self.learned = learned
        self.settled = settled  # "here now?": learned from phrasings written for it (``settled_build``)
        self.spottable = {q.id for q in protocol.questions if emergency_when_said(protocol, q)}
        self.ways: list[_Way] = []
        for question in protocol.questions:
            spot = questions[question.id].get("spot", [])
            if spot and not emergency_when_said(protocol, question):
                raise ValueError(f"{question.id}: only a sign that is an emergency whenever it is said may be spotted "
                                 "in unmatched words")
            self.ways += _ways(question.id, spot, questions[question.id].get("spot_unless", []))
        self.ways += _ways(None, own.get("emergency", []))

    def emergency(self, words: str | None, after_denial: bool = False) -> Spotted | None:
        """The first emergency these words name, unless something before it may deny it.

        ``after_denial``: the words came in a denial's carrier (NoSignIntent's ``sign``: "I don't have {sign}"),
        which held a denial Alexa did not pass. A pronoun's clause (``answer_clause``: "it only started an hour
        ago ...", "she's struggling for breath") fits no carrier, which holds a noun phrase, so the carrier's "no"
        was the answer's and the clause is read as said. Otherwise they name an emergency only when they are a clause of
        their own (``clause``: "i ...", "my mom's ...", "mi hermano ...") and the words that name the sign carry its
        negation (``negated`` or ``denial``: "i can't breathe", "my mom's not making any sense", "mis piernas no me
        responden"), with no other denial anywhere ("she's not muddled", "mis piernas dormidas ni la entrepierna"
        are denied). Words that are not a clause ("numbness in my legs", "a rash that doesn't fade", "está azul")
        were what the carrier denied. Reading them after a "no" would not be safe either: a carrier such as
        "I've got normal {sign}" would turn "feeling down there" into "no feeling down there". The learned half is
        not asked: it cannot say which words name the sign."""
        if not words or self.denial is None:  # a locale without a denial pattern spots nothing
            return None
        said = self.words(words)
        kept = self.without_retracted(said)
        if kept is not None:  # "no wait yes my chest is tight": the denial before it, the carrier's too, taken back
            said, after_denial = kept, False
        text, lost = self.plain(said, after_denial)
        answered = self._after_filler(self._without_leading_noes(text)) if after_denial and not lost else None
        if answered is not None:  # "no {sign}" + "(no) pues tengo ...": the carrier's "no" only answered
            after_denial, text = False, answered
        if not after_denial or lost:
            text = self.without_answer(text)
            return self._by_word_groups(text) or self._learned(text)
        for word in self.carrier_words:  # "no {sign}" + "me sale la orina": a way that holds the word names the sign
            with_word = self._by_word_groups(f"{word} {text}")
            if with_word is not None:
                return with_word
        rest = self._without_leading_noes(text)  # "no no i can't feel my legs": the carrier took the first "no"
        if rest != text and self._is_clause(rest):
            return self._by_word_groups(rest)  # "no no {sign}" + "i'm struggling to breathe": the words' "no" answered
        # "no {sign}" + "no puedo jalar aire": the carrier's "no" answered, this one is the sign's own ("no es como
        # desgarro" is not: its words carry no negation)
        spotted = self._by_word_groups(rest, own_negation=True) if self._keeps_its_no(rest) else None
        if spotted is not None:
            return spotted
        spotted = self._by_word_groups(rest) if self.answer_clause and self.answer_clause.match(rest) else None
        if spotted is not None:  # "no {sign}" + "it only started an hour ago, total agony, like something split"
            return spotted
        later = self._later_clause(rest)  # "chest pain" + "i came off my motorbike": the carrier denied what came first
        if later and self.long_ago and self.long_ago.search(rest[:len(rest) - len(later)]):
            later = None  # "years ago" + "i fainted": a time said before a clause is that clause's
        spotted = self._by_word_groups(later) if later else None
        if spotted is not None:
            return spotted
        if not self._is_clause(rest):
            return None  # "numbness in my legs", "a rash that doesn't fade": what a denial's carrier may have denied
        return self._by_word_groups(text, own_negation=True)

    def doubts(self, words: str, spotted: Spotted, after_denial: bool = False) -> bool:
        """Words the spotter found an emergency in that the "here now?" table (``settled_build``) is sure say
        the sign is not here now, in words no rule knows ("long gone", "on the telly not me", "sharp as anything
        tonight"). They are not told the instruction, nor taken as a denial: the question is asked again, yes or
        no (``heard``). Each sign's threshold doubts no emergency statement of any development set. Words from a
        denial's carrier are not doubted: the rules that found an emergency in them already read its "no"; nor is
        a sign that came back ("se me quitó pero ya volvió"): it is here now, whatever said it had gone."""
        if self.settled is None or after_denial:
            return False
        if self.returned is not None and self.returned.search(self.words(words)):
            return False
        threshold = self.settled.thresholds.get(spotted.concept or GENERAL, 1.0)
        return self.settled.absent(self.around_sign(words)) >= threshold

    def around_sign(self, words: str) -> str:
        """What the "here now?" table reads: the words as the spotter reads them, without what opens them and only
        answers or hesitates ("no uh", "pues", "oh"), without words about the telling ("to be honest"), and
        without the words that name the sign (of the first way all of whose groups are there), so that it learns
        how a sign is said to be here or gone, not which sign it is; all of them when no way is there (the learned
        half's)."""
        text, opened = self.plain(self.words(words))[0], None
        while text != opened:
            opened = text
            for pattern in (self.interjection, self.fillers):
                text = pattern.sub("", text, count=1).strip() if pattern is not None else text
            text = self._without_leading_noes(text)
        text = self.without_discourse(text)
        for way in self.ways:
            spans = way.spans(text)
            if spans is not None:
                return " ".join(_blanked(text, spans).split())  # nothing but the sign: never doubted
        return text

    def words(self, words: str) -> str:
        """The words as the patterns expect them (``words_for_spotting``), said the way the patterns are written
        ("me legs" as "my legs": ``spoken_forms``)."""
        text = words_for_spotting(words)
        for pattern, written in self.spoken_forms:
            text = pattern.sub(written, text)
        return text

    def without_discourse(self, text: str) -> str:
        """The words without those about the telling ("to be honest", "la verdad"): they say nothing of a sign."""
        return " ".join(self.discourse.sub(" ", text).split()) if self.discourse is not None else text

    def plain(self, text: str, after_denial: bool = False) -> tuple[str, bool]:
        """A lost ability said with a denial ("no feeling in my legs", "i've got no control of my bladder", "sin
        fuerza en las piernas") in the sign's plain word ("numb in my legs"), so that its denial is not read as
        one; and whether there was one. Words a denial's carrier held that start with the ability ("I don't have
        {sign}" + "any feeling in my legs") are read after the carrier's denial (``lack.after_denial``), and so
        are words after which the carrier's bare "no" would not deny (``carrier_words``' first: "no {sign}" + "puedo
        respirar", "siento las piernas", "sé dónde estoy": the locale's denial pattern lets "no" through before
        them, as the sign's own negation)."""
        if after_denial and self.carrier_no and self.denial and not self.denial.match(f"{self.carrier_no} {text}"):
            return f"{self.carrier_no} {text}", True  # "no" + "puedo respirar": the carrier's "no" was the sign's
        read = f"{self.lack_as} {text}" if after_denial and self.lack_starts and self.lack_starts.match(text) else text
        plain = read
        for pattern, word in self.lack:
            plain = pattern.sub(word, plain)
        return (plain, True) if plain != read else (text, False)

    def without_retracted(self, text: str) -> str | None:
        """The words after the last that take back what came before ("no i mean yes", "bueno sí"), or None when
        nothing was taken back."""
        taken_back = list(self.retraction.finditer(text)) if self.retraction else []
        return text[taken_back[-1].end():].strip() if taken_back else None

    def without_answer(self, text: str) -> str:
        """"no, i'm struggling to breathe": a "no" before a clause of its own answers the question, it denies
        nothing in the clause; before what is not a clause ("no rash that stays when you press it") it does, and
        stays. So does the answer's "no" before one the sign keeps ("no no puedo respirar": the locale's denial
        pattern lets that one through), and an interjection before them says nothing ("ay no no puedo
        respirar", "oh no i can't breathe")."""
        if self.interjection is not None:
            text = self.interjection.sub("", text, count=1).strip() or text
        rest = self._without_leading_noes(text)
        answered = self._after_filler(rest) if rest != text else None
        if answered is not None:  # "no pues ahora me arde el pecho"
            return answered
        if rest != text and (self._is_clause(rest) or self._keeps_its_no(rest)):
            return rest
        return text

    def _keeps_its_no(self, text: str) -> bool:
        """Words that open with a "no" the locale's denial pattern lets through as the sign's own ("no puedo
        respirar", "no siento las piernas")."""
        words = text.split()
        return bool(words and self.denial and self.denial.fullmatch(words[0]) and not self.denial.match(text))

    def _after_filler(self, text: str) -> str | None:
        """The words after the filler they open with ("pues", "well"), which says a "no" before them only answered
        the question; None when no filler opens them."""
        if self.fillers is None or not self.fillers.match(text):
            return None
        return self.fillers.sub("", text, count=1).strip()

    def _without_leading_noes(self, text: str) -> str:
        """The words after the plain denials they open with ("no", "nope"): a clause may follow them."""
        words = text.split()
        while words and self.denial is not None and self.denial.fullmatch(words[0]) and self.denial.match(
                " ".join(words)):  # "no no puedo respirar": the second "no" is the sign's own, it stays
            words = words[1:]
        return " ".join(words)

    def _by_word_groups(self, text: str, own_negation: bool = False) -> Spotted | None:
        """The first way whose groups are all there, none of its ``!`` groups, and no denial outside it before its
        end; with ``own_negation``, only a way whose matched words carry a negation (``negated`` or ``denial``),
        with no denial anywhere outside them ("mis piernas dormidas ni la entrepierna" is denied).

        Without ``own_negation``, a way's groups must all be in one clause between the words that contrast
        (``contrast``: "but", "pero"), and a denial counts in that clause: "me sangró la encía pero al toser no
        sale sangre" names no coughed blood, "rasgué mi blusa pero el dolor no es desgarrador" no tearing pain.
        The ``!`` groups are still looked for in all the words, and what says all is well in the sign's clause and
        after it ("i passed out but i'm fine now"), not before it ("her breathing's okay but she's talking
        gibberish")."""
        if own_negation or self.contrast is None:
            return self._in_clause(text, text, text, own_negation)
        start = 0
        # a contrast that opens the words separates nothing: "es como si me partieran en dos" is one clause
        for cut in [*(cut for cut in self.contrast.finditer(text) if cut.start() > 0), None]:
            stop = cut.start() if cut is not None else len(text)
            # all is well, said before this clause ("her breathing's okay but she's talking gibberish"), is about
            # what came before; said in it or after it ("i passed out but i'm fine now"), it is about the sign
            spotted = self._in_clause(text[start:stop], text[start:], text, own_negation)
            if spotted is not None:
                return spotted
            start = len(text) - len(text[cut.end():].lstrip()) if cut is not None else stop
        return None

    def _later_clause(self, text: str) -> str | None:
        """The words from the first clause of their own after others ("chest pain | i came off my motorbike", "dolor
        de pecho pero | me falta el aire"), or None."""
        starts = self._clause_starts(text) + ([cut.end() for cut in self.contrast.finditer(text)] if self.contrast
                                              else [])
        return text[min(starts):].strip() if starts else None

    def _is_clause(self, text: str) -> bool:
        """Words that open with a subject (``clause``: "i ...", "my mom's ...", "the rash won't ..."), not a noun
        phrase a denial's carrier may have held ("numbness in my legs", "the rash that doesn't fade")."""
        return bool(self.clause and self.clause.search(text))

    def _clause_starts(self, text: str) -> list[int]:
        """Where a clause of its own starts after other words: "no chest pain | i came off my motorbike", "her
        breathing's okay | she's talking gibberish". A denial or an all is well before it is about what came
        before; not after a word that takes a clause ("i don't think i'm ...", "i haven't noticed he's ...") nor
        after a plain denial alone ("no" + "my legs are weak": a denial's carrier's word, read back)."""
        if self.subject is None:
            return []
        return [match.start() for match in self.subject.finditer(text)
                if self._opens_a_clause_after(text[:match.start()].split())]

    def _opens_a_clause_after(self, before: list[str]) -> bool:
        """Whether a subject after these words starts a clause of its own: not at the start, not after a plain
        denial alone, and not after a word that takes a clause ("told me | it's ..."), unless that word is a person
        a denial just named ("not me | it's my wife who ...")."""
        if not before or (len(before) == 1 and self.denial is not None and self.denial.fullmatch(before[0])):
            return False
        if self.takes_clause is None or not self.takes_clause.fullmatch(before[-1]):
            return True
        return bool(len(before) > 1 and self.denial is not None and self.denial.fullmatch(before[-2])
                    and self.person is not None and self.person.fullmatch(before[-1]))

    def _in_clause(self, text: str, onwards: str, whole: str, own_negation: bool) -> Spotted | None:
        """A way named in ``text`` (one clause); ``onwards`` is that clause and what follows it, ``whole`` all the
        words (where the ``!`` groups are looked for)."""
        starts = [] if own_negation else self._clause_starts(text)  # the clause's, whichever way is named in it
        turns = [match.end() for match in self.turn.finditer(text)] if self.turn else []
        for way in self.ways:
            spans = way.spans(text)
            if spans is None or any(pattern.search(whole) for pattern in way.unless):
                continue
            negated = self._carries_negation(text, spans)
            if own_negation and not negated:
                continue
            first = min(start for start, _ in spans)
            scope = max([0, *(at for at in starts if at <= first)])
            said, after = text, onwards
            if self.intensifier and negated:  # "no siento las piernas para nada"
                said, after = self._without_intensifier(text, spans), self._without_intensifier(onwards, spans)
            turned = max([0, *(at for at in turns if at <= first)])
            # a sign's own negation never says all is well ("cuando me limpio | no siento nada")
            own = [span for span in spans if self._carries_negation(text, [span])]
            # "it went away but now it's back": what came back is here now, whatever said it had gone
            came_back = bool(self.returned and self.returned.search(after))
            if self.said_now and self.fine_after and self.said_now.search(
                    text, scope, _word_end(text, max(end for _, end in spans))):
                # "my legs are numb but i'm okay": here now all the same (blanked, so the spans still hold)
                said = self.fine_after.sub(_spaces, said)
                after = self.fine_after.sub(_spaces, after)
            settled = len(said) if came_back else turned  # from where all is well counts: nowhere, if it came back
            if not self._denied(said, spans, anywhere=own_negation, scope=scope, settled=settled,
                                concept=way.concept) and not (
                    not came_back and self._all_is_well(_blanked(after, own)[turned:], way.concept)):
                return Spotted(way.concept)
        return None

    def _all_is_well(self, text: str, concept: str | None = None) -> bool:
        """Words that say all is well or past for ``concept`` (``_well_or_past``), outside the words that deny as
        part of a sign ("i never used to")."""
        return self._well_or_past(self.not_denials.sub(" ", text) if self.not_denials else text, concept)

    def _well_or_past(self, text: str, concept: str | None) -> bool:
        """Words that say all is well or long past ("my breathing is fine", "years ago", "used to"), or weeks past,
        or an everyday cause that can explain this sign ("because i had beetroot" for a colour)."""
        causes = (cause for cause, signs in self.causes if concept in signs)
        patterns = (self.denial_anywhere, self.recent_past, *causes)
        return any(pattern is not None and pattern.search(text) for pattern in patterns)

    def any_cause(self, text: str) -> bool:
        """An everyday cause of any sign in these words: the sign reader and the learned half, which do not know
        which sign the words name, read them all."""
        return any(pattern.search(text) for pattern, _ in self.causes)

    def _carries_negation(self, text: str, spans: list[tuple[int, int]]) -> bool:
        """The words that name the sign carry its negation ("i can't breathe", "no siento las piernas", "i can barely
        breathe")."""
        return any(pattern is not None and pattern.search(text[a:b])
                   for pattern in (self.negated, self.denial, self.deficit) for a, b in spans)

    def _without_intensifier(self, text: str, spans: list[tuple[int, int]]) -> str:
        """The words without the intensifier they end with, when it lies after what named the sign."""
        match = self.intensifier.search(text) if self.intensifier else None
        if match is None or match.start() < max(stop for _, stop in spans):
            return text
        return text[:match.start()]

    def _learned(self, text: str) -> Spotted | None:
        """The learned half (``own_words_model``), for words no group names: only when nothing in them denies
        or says all is well, anywhere (nor in other words: "my legs are strong")."""
        kept_out = (self.denial, self.denial_anywhere, self.recent_past, self.reassurance, self.learned_unless)
        if self.learned is None or self.any_cause(text) or any(pattern is not None and pattern.search(text)
                                                               for pattern in kept_out):
            return None
        label = self.learned.emergency(text)
        if label is None or label in self.learned_skips or not (label == GENERAL or label in self.spottable):
            return None
        return Spotted(None if label == GENERAL else label)

    def _denied(self, text: str, spans: list[tuple[int, int]], anywhere: bool = False, scope: int = 0,
                settled: int = 0, concept: str | None = None) -> bool:
        """Outside what matched: from ``scope`` (where the sign's own clause starts), a word that denies before its
        end ("I don't have chest pain", but not "...and he hasn't been drinking", nor "no chest pain, i came off my
        motorbike"); from ``settled`` (after a turn in time, "i was fine, now ..."), one that says all is well or long
        past ("my breathing is fine", "years ago i fainted": a time said before a clause is that clause's)."""
        kept = [match.span() for match in self.not_denials.finditer(text)] if self.not_denials else []
        rest = _blanked(text, spans + kept)
        end = len(rest) if anywhere else max(stop for _, stop in spans)
        denial = self.denial
        return bool((denial and (denial.search(rest[scope:end]) or _outside(denial, text, spans + kept, scope, end)))
                    or self._well_or_past(rest[settled:], concept))


def emergency_when_said(protocol: Protocol, question: Question) -> bool:
    """Said at any moment, this sign alone makes the outcome the top one (an emergency)."""
    said_alone = question.alone if question.gates else question.yes
    return said_alone == protocol.top


@lru_cache(maxsize=16)
def spotter_for(locale: str) -> Spotter:
    text = known_locale(locale)
    if text is None:
        raise KeyError(locale)
    language = locale.split("-")[0]
    return Spotter(text.understanding, text.questions, default_protocol(), linear_spotter(language),
                   settled_reader(language))
