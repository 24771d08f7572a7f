"""How much the skill says, measured on a walk of the real skill (``voice_walk``), each number beside its limit.

The limits are issue 13's, for a person listening rather than reading: the
first-time welcome with the first question at most 30 words, a returning
person's at most 20; each question one breath (at most 15 words, 3 items); the
emergency instruction the first words of its reply; an outcome at most 45 words
spoken (the rest on the card); offers in their own turn; "not sure" on an
emergency sign explained in one short sentence; help at most 40 words; the safety
net once per ending. A number with no limit in the issue (a reprompt, the whole
no-red-flag run, stop) is shown for information.

"Offers in their own turn", as Alexa allows it: a skill cannot start a turn on
its own, so an offer (remember, a reminder) can only be the last words of the
outcome's turn. The rule measured, for each kind of offer: the outcome's own
words before it at most 45 (the outcome rows), then the offer as one closing
question of at most 15 words (the only question in the turn), nothing said after
it; its answer is the person's next turn, handled by the offer's own handler, and
what that reply says is part of the same ending, so the safety net, said in the
outcome, is not said again (the safety-net rows count every turn of an ending).

Counting rules (``words``): SSML tags are removed and the rest counted as a
listener hears words: a run of letters or digits, with an apostrophe or hyphen
inside it, is one word ("don't", "light-headed", "24-hour"); so a number read
digit by digit (``<say-as interpret-as="digits">911</say-as>``) is one word, and
"1800 022 222" is three. Punctuation is not a word. It is the protocol loader's
own count (``skill.triage.protocol.word_count``), so a question the loader
accepts at 15 words measures 15 here. Items are counted by the loader's rule too
(``item_count``: "A, B or C" is three). "Short" for the not-sure sentence means one
breath, as a question: one sentence, at most 15 words.

Parts of a reply are found from the replies themselves, never from the locale
files: the question re-said at the end of a help reply is its last sentence, a
question (every question is one sentence; help says it in its simpler words, so
it is not what the reprompt, which has it in full, ends with); an emergency
question re-asked in simpler words is the longest run of whole sentences the
reply shares with the end of its reprompt; the offer asked at the end of an
outcome starts after the outcome's safety net and ends with the first question
after it (where the outcome said no safety net, the offer is that question
alone), and whatever follows that question is "after it"; the not-sure
explanation is the sentences the reply to "not sure" has and the reply to "yes"
at the same question does not. Only the safety net and the emergency number are
taken from the locale, to recognise them in what was said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skill.local.voice_walk import Ending, Said, Walk, spoken
from skill.triage import default_protocol
from skill.triage.protocol import MAX_QUESTION_ITEMS, MAX_QUESTION_WORDS, item_count, word_count

WELCOME_WORDS, RETURNING_WORDS, OUTCOME_WORDS, HELP_WORDS = 30, 20, 45, 40
OFFER_WORDS = MAX_QUESTION_WORDS  # an offer is one question: one breath


def emergency() -> str:
    """The disposition whose reply must start with the instruction to call (read when measuring, not on import)."""
    return default_protocol().top


def words(text: str) -> int:
    """Words as a listener hears them (see the module's counting rules)."""
    return word_count(text)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


def shared_end(speech: str, reprompt: str) -> str:
    """The whole sentences ``speech`` ends with that ``reprompt`` also ends with (the question both re-say)."""
    said, again = sentences(speech), sentences(reprompt)
    count = 0
    while count < min(len(said), len(again)) and said[-1 - count] == again[-1 - count]:
        count += 1
    return " ".join(said[len(said) - count:])


def without_end(speech: str, end: str) -> str:
    return speech[: len(speech) - len(end)].strip() if end and speech.endswith(end) else speech


def last_question(speech: str) -> str:
    """The reply's last sentence when it is a question (the question a help reply re-says), else ""."""
    said = sentences(speech)
    return said[-1] if said and said[-1].endswith("?") else ""


def questions_in(speech: str) -> int:
    """How many questions a reply asks (sentences ending with a question mark)."""
    return sum(1 for sentence in sentences(speech) if sentence.endswith("?"))


@dataclass(frozen=True)
class Measure:
    """One number the report shows: what it measures, the value, its limit (None: for information), and where."""

    key: str
    name: str
    value: int
    most: int | None = None
    least: int | None = None
    detail: str = ""

    @property
    def limited(self) -> bool:
        return self.most is not None or self.least is not None

    @property
    def passed(self) -> bool:
        return (self.most is None or self.value <= self.most) and (self.least is None or self.value >= self.least)

    @property
    def limit(self) -> str:
        if self.most is not None and self.most == self.least:
            return f"= {self.most}"
        if self.most is not None and self.least is not None:
            return f"{self.least} to {self.most}"
        if self.most is not None:
            return f"≤ {self.most}"
        return f"≥ {self.least}" if self.least is not None else "—"


@dataclass(frozen=True)
class Question:
    """One question's numbers: as asked, its help reply (and the help alone), re-asked in simpler words."""

    id: str
    words: int
    items: int
    help_reply: int
    help_alone: int
    simpler_words: int | None
    simpler_items: int | None


def questions(walk: Walk) -> list[Question]:
    """Each question the walk heard, in the order first asked; the largest of its replies (all are the same)."""
    from skill.alexa.turn import machine

    rows = []
    order = [q.id for q in machine().protocol.questions]
    for qid, asked in sorted(walk.questions.items(), key=lambda item: order.index(item[0])):
        longest = max(asked, key=lambda said: words(said.speech)).speech
        helps = walk.help.get(qid, [])
        help_reply = max((words(h.speech) for h in helps), default=0)
        help_alone = max((words(without_end(h.speech, last_question(h.speech))) for h in helps), default=0)
        # re-asked after a miss: an emergency question in simpler words (elsewhere the same words again)
        misheard = walk.misheard.get(qid, []) if machine().is_emergency_question(qid) else []
        simpler = [shared_end(s.speech, s.reprompt) for s in misheard]
        rows.append(Question(qid, words(longest), item_count(longest), help_reply, help_alone,
                             max(map(words, simpler), default=None), max(map(item_count, simpler), default=None)))
    return rows


def largest(rows: list[Question], attribute: str) -> tuple[int, str]:
    """The largest value of ``attribute`` and the question(s) that have it."""
    values = [(getattr(row, attribute), row.id) for row in rows if getattr(row, attribute) is not None]
    top = max(value for value, _ in values)
    return top, ", ".join(qid for value, qid in values if value == top)


def few(names: str, shown: int = 3) -> str:
    """A list of question ids, the first ``shown`` and how many more."""
    listed = names.split(", ")
    return names if len(listed) <= shown else f"{', '.join(listed[:shown])} and {len(listed) - shown} more"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def given_up(ending: Ending) -> bool:
    """The outcome came after two misunderstandings in a row ("From what you told me: ...")."""
    return any(step.endswith("not understood twice") for step in ending.how)


def offer_parts(speech: str, safety_net: str) -> tuple[str, str, str]:
    """An outcome turn that asks an offer, in three: the outcome's own words, the offer, and what is said after it.

    The offer starts after the outcome's safety net and ends with the first question after it; where the outcome
    said no safety net, the offer is its first question alone. No question at all: no offer ("", "")."""
    own, net, rest = speech.partition(safety_net)
    said = sentences(rest if net else speech)
    asked = next((i for i, sentence in enumerate(said) if sentence.endswith("?")), None)
    if asked is None:
        return speech, "", ""
    start = 0 if net else asked
    own = " ".join([own + net, *said[:start]] if net else said[:start])
    return own.strip(), " ".join(said[start:asked + 1]), " ".join(said[asked + 1:])


def outcome_speech(said: Said, safety_net: str) -> tuple[str, str, str]:
    """An outcome turn's own words, the offer asked at its end in the same turn, and anything said after that
    offer ("" for none; a turn with no offer waiting is the outcome's words alone)."""
    if said.offer is None:
        return said.speech, "", ""
    return offer_parts(said.speech, safety_net)


def words_before_call(speech: str, instruction: str) -> int | None:
    """How many words come before the instruction to call ("Call 911 now", "Llame al 911 ahora"; None: it is not
    there)."""
    found = re.search(re.escape(instruction), speech, re.IGNORECASE)
    return None if found is None else words(speech[: found.start()])


def measure(walk: Walk, instruction: str, safety_net: str) -> list[Measure]:
    """Every measure for one locale's walk; ``instruction`` ("Call 911 now") and ``safety_net`` (spoken) recognise
    those words."""
    welcome, returning = walk.welcome.speech, walk.returning.speech
    same = "same words as the first time" if returning == welcome else "not the first time's words"
    if walk.returning_offer is not None:
        same += (f"; memory's check-in comes after the emergency questions, in its own turn "
                 f"({words(walk.returning_offer.speech)} words)")
    else:
        same += "; but memory offered this person nothing: not a returning person after all"
    rows = questions(walk)
    found: list[Measure] = [
        Measure("welcome_first", "Welcome + first question, first time", words(welcome), most=WELCOME_WORDS),
        Measure("welcome_returning", "Welcome + first question, returning person", words(returning),
                most=RETURNING_WORDS, detail=same),
        Measure("welcome_reprompt", "Reprompt after the welcome", words(walk.welcome.reprompt)),
    ]
    for key, name, attribute, most in (
            ("question_words", "Question, longest (words)", "words", MAX_QUESTION_WORDS),
            ("question_items", "Question, most items", "items", MAX_QUESTION_ITEMS),
            ("simpler_words", "Emergency question re-asked in simpler words (words)", "simpler_words",
             MAX_QUESTION_WORDS),
            ("simpler_items", "Emergency question re-asked in simpler words (items)", "simpler_items",
             MAX_QUESTION_ITEMS),
            ("help_reply", "Help reply, longest (help + question)", "help_reply", HELP_WORDS),
            ("help_alone", "Help alone, longest (without the question)", "help_alone", None)):
        value, where = largest(rows, attribute)
        found.append(Measure(key, name, value, most=most, detail=few(where)))
    found += unsure_measures(walk)
    found += outcome_measures(walk.endings, safety_net)
    found += offer_measures(walk.endings, safety_net)
    found += ending_measures(walk.endings, instruction, safety_net)
    run = walk.no_red_flags
    found += [
        Measure("no_red_flags_questions", "Every answer no: questions asked",
                sum(1 for said in run if said.question is not None and said.offer is None and not said.ends)),
        Measure("no_red_flags_words", "Every answer no: words the skill says, welcome to outcome",
                sum(words(said.speech) for said in run)),
    ]
    stops = walk.stops.items()
    found.append(Measure("stop_words", "Stop or cancel at the first question (words)",
                         max(words(said.speech) for _, said in stops),
                         detail=", ".join(f"{name.removeprefix('AMAZON.')} {words(s.speech)}" for name, s in stops)))
    return found


def unsure_measures(walk: Walk) -> list[Measure]:
    """'Not sure' on an emergency sign: the sentences it adds to the reply 'yes' gets (one, short)."""
    emergencies = [u for u in walk.unsure if u.unsure.disposition == u.yes.disposition == emergency()]
    added = [[s for s in sentences(u.unsure.speech) if s not in sentences(u.yes.speech)] for u in emergencies]
    if not added:
        return [Measure("unsure_sentences", "'Not sure' on an emergency sign: sentences saying why", 0, least=1,
                        detail="no question where not sure decides an emergency")]
    wordiest = max(added, key=lambda extra: words(" ".join(extra)))
    counts = [len(extra) for extra in added]
    worst = min(counts) if min(counts) != 1 else max(counts)  # the count furthest from one sentence
    asked = len({u.question for u in emergencies})
    where = f"{min(counts)} to {max(counts)}, at {asked} questions, {len(added)} replies"
    return [
        Measure("unsure_sentences", "'Not sure' on an emergency sign: sentences saying why", worst, most=1, least=1,
                detail=where),
        Measure("unsure_words", "'Not sure' on an emergency sign: words saying why", words(" ".join(wordiest)),
                most=MAX_QUESTION_WORDS, detail=" ".join(wordiest)),
    ]


def outcome_measures(endings: list[Ending], safety_net: str) -> list[Measure]:
    """Each disposition's words (the offer asked at the end of the turn left out: it is measured as its own rule),
    the longest over every way of reaching it; then the outcome said after two misunderstandings."""
    def own_words(e: Ending) -> int:
        return words(outcome_speech(e.turns[0], safety_net)[0])

    answered = [e for e in endings if e.disposition is not None and not given_up(e)]
    found = []
    for disposition in dict.fromkeys(e.disposition for e in answered if e.disposition is not None):
        ways = [e for e in answered if e.disposition == disposition]
        longest = max(ways, key=lambda e: (own_words(e), -len(e.how)))
        found.append(Measure(f"outcome_{disposition}", f"Outcome: {disposition} (words, longest way)",
                             own_words(longest), most=OUTCOME_WORDS,
                             detail=f"{longest.way()}; {plural(len({e.answers for e in ways}), 'way')}"))
    stopped = [e for e in endings if e.disposition is not None and given_up(e)]
    if stopped:
        longest = max(stopped, key=lambda e: (own_words(e), -len(e.how)))
        found.append(Measure("outcome_misunderstood", "Outcome after two misunderstandings (words, longest)",
                             own_words(longest), most=OUTCOME_WORDS, detail=f"{longest.disposition}: {longest.way()}"))
    return found


def offer_measures(endings: list[Ending], safety_net: str) -> list[Measure]:
    """Each kind of offer asked at the end of an outcome's turn (see the module's rule), the worst way it was met:
    the offer's words, the questions the whole turn asks, and the words said after the offer."""
    by_kind: dict[str, list[Said]] = {}
    for e in endings:
        if e.disposition is not None and e.turns[0].offer is not None:
            by_kind.setdefault(e.turns[0].offer, []).append(e.turns[0])
    found = []
    for kind, turns in by_kind.items():
        parts = [(said, *outcome_speech(said, safety_net)) for said in turns]
        after = {said.disposition for said, *_ in parts}
        where = f"after {', '.join(sorted(d for d in after if d is not None))}"
        said, _, offer, _ = max(parts, key=lambda p: words(p[2]))
        found.append(Measure(f"offer_words_{kind}", f"Offer after an outcome, {kind}: words", words(offer),
                             most=OFFER_WORDS, detail=f"{where}: {offer or 'no question found'}"))
        asks = [questions_in(said.speech) for said, *_ in parts]
        worst = max(asks) if max(asks) != 1 else min(asks)  # the count furthest from one question
        found.append(Measure(f"offer_questions_{kind}", f"Offer after an outcome, {kind}: questions in the turn",
                             worst, most=1, least=1, detail=where))
        said, _, _, rest = max(parts, key=lambda p: words(p[3]))
        found.append(Measure(f"offer_after_{kind}", f"Offer after an outcome, {kind}: words after it", words(rest),
                             most=0, least=0, detail=f"{where}" + (f": {rest}" if rest else "")))
    return found


def ending_measures(endings: list[Ending], instruction: str, safety_net: str) -> list[Measure]:
    """The emergency instruction first; the safety net once per ending (an emergency's instruction is its own)."""
    emergencies = [e.turns[0].speech for e in endings if e.disposition == emergency()]
    before = [words_before_call(speech, instruction) for speech in emergencies]
    missing = sum(1 for b in before if b is None)
    # a reply without the instruction counts all its words: the instruction never comes
    first = max((words(speech) if b is None else b for speech, b in zip(emergencies, before, strict=True)), default=0)
    counts = [(sum(said.speech.count(safety_net) for said in e.turns), e) for e in endings]
    others = [(count, e) for count, e in counts if e.disposition != emergency()]
    most, worst = max(counts, key=lambda pair: pair[0])
    fewest, bare = min(others, key=lambda pair: pair[0])
    return [
        Measure("words_before_call", "Words before the call instruction in an emergency reply (most)", first,
                most=0, least=0, detail=f"'{instruction}', {len(emergencies)} emergency replies"
                + (f", {missing} without it" if missing else "")),
        Measure("safety_net_most", "Safety net said in one ending (most; an emergency's is the instruction)",
                most, most=1,
                detail=f"{worst.way(full=True)} ({sum(1 for c, _ in counts if c > 1)} of {len(counts)} endings)"
                if most > 1 else f"{len(counts)} endings, offers' answers included"),
        Measure("safety_net_fewest", "Safety net said in one ending (fewest; emergencies aside)", fewest, least=1,
                detail=bare.way(full=True) if fewest < 1 else f"{len(others)} endings"),
    ]


def spoken_safety_net(locale: str) -> tuple[str, str]:
    """The locale's instruction to call ("Call 911 now") and safety net, as the skill speaks them (to recognise
    them in replies)."""
    from skill.alexa.turn import speech_for

    speech = speech_for(locale)
    return speech.text.call_now(), spoken(speech.phrase("safety_net"))
