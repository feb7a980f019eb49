"""Fee-narrative analysis behind the narrative rules: block billing, vague descriptions, clerical work."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

import attrs

BLOCK_BILLING = "block-billing"
VAGUE = "vague"
ADMINISTRATIVE = "administrative"

# A narrative must name at least this many specific words (words outside the generic vocabulary).
DEFAULT_MIN_WORDS = 1

# ebilling-rules.md §3.7, vague / non-descriptive, with common variants of the same entries.
DEFAULT_VAGUE_PHRASES: tuple[str, ...] = (
    "file review",
    "legal research",
    "deposition preparation",
    "prepare",
    "review",
    "work on file",
    "research",
    "scan",
    "miscellaneous",
    "misc.",
    "review documents",
    "emails",
    "attention to matter",
    "attention to interrogatories",
    "worked on contract",
    "research procedural issues",
    "conference",
    "research and analysis",
    "reviewed case law",
    "worked on motion",
    "phone call",
    "general",
    "work on matter",
    "attention to file",
    "review file",
    "trial preparation",
    "hearing preparation",
    "strategy session",
    "follow up",
    "various matters",
    "various issues",
    "various tasks",
    "next steps",
)

# ebilling-rules.md §3.7, administrative / clerical, and §3.4 E13 (billing-process time). Each
# phrase counts only where it names the work itself (see `administrative`), so "file" in "Draft
# motion for leave to file under seal" does not.
DEFAULT_ADMINISTRATIVE_PHRASES: tuple[str, ...] = (
    "mail",
    "distribute",
    "open file",
    "close file",
    "new matter file",
    "file organization",
    "file maintenance",
    "file",
    "e-file",
    "filing",
    "organize",
    "index",
    "label",
    "alphabetize",
    "conflict check",
    "conflicts check",
    "calendar",
    "docket",
    "docket review",
    "review docket",
    "scheduling",
    "reschedule",
    "schedule deposition",
    "schedule meeting",
    "schedule call",
    "schedule hearing",
    "availability",
    "mutually agreeable",
    "hearing date",
    "deposition date",
    "mediation date",
    "proofread",
    "clerk",
    "clerk's office",
    "chambers",
    "copy",
    "photocopy",
    "courtesy copy",
    "scan",
    "fax",
    "print",
    "post",
    "redact",
    "upload",
    "load into",
    "load files",
    "data entry",
    "case management system",
    "document management system",
    "review platform",
    "tracking spreadsheet",
    "chronology",
    "timeline of events",
    "court reporter",
    "court reporting",
    "interpreter",
    "translator",
    "videographer",
    "conference room",
    "logistics",
    "retrieve",
    "authorizations",
    "bates stamp",
    "bates label",
    "binder",
    "notebook",
    "folder",
    "assemble",
    "collate",
    "pick up",
    "delivery",
    "courier",
    "messenger",
    "vendor invoice",
    "invoice",
    "pre-bill",
    "prebill",
    "bill",
    "billing",
    "budget",
    "write-down",
    "transmittal",
    "cover letter",
    "enclosure letter",
    "word processing",
    "typing",
    "secretarial",
    "it support",
    "set up",
    "permissions",
    "staffing",
    "internal status report",
    "signature pages",
    "counterparts",
    "book travel",
    "travel arrangements",
    "hotel",
    "flight",
    "office tasks",
    "admin",
    "clerical",
)


@attrs.frozen
class NarrativeFinding:
    """What a narrative check found: its label, the words that triggered it, and why, in one sentence."""

    label: str
    words: tuple[str, ...]
    reason: str


# --- shared: clauses, heads, phrase lists ---------------------------------------------------------

# Abbreviations whose full stop does not end a sentence ("Tel. conf.", "Dr. Lin", "no. 2", "v. Jones").
_ABBREVIATIONS = (
    "tel", "conf", "corr", "misc", "atty", "attys", "assoc", "mtg", "no", "nos", "dr", "mr", "mrs", "ms", "hon",
    "ret", "jr", "sr", "st", "v", "vs", "inc", "co", "corp", "ltd", "llc", "dept", "div", "ex", "exs", "pp",
    "approx", "art", "sec", "para", "fig", "vol", "e.g", "i.e", "etc", "u.s", "cf", "esq",
)
_NOT_SENTENCE_END = "".join(rf"(?<!\b{re.escape(a)})" for a in _ABBREVIATIONS)
# Where one clause of a narrative ends and the next begins. A comma needs a space after it, so
# "$185,000" stays whole; "re:" introduces a topic, not a list.
_SEPARATOR = re.compile(
    r"\s*;\s*|,\s+(?:(?:and|then|&)\s+)*|\s+(?:and|&|then)\s+(?:then\s+)?"
    rf"|(?=:\s)(?<!\bre):\s+|(?=\.\s)(?<!\b[^\W\d]){_NOT_SENTENCE_END}\.\s+",
    re.IGNORECASE,
)

# A time entry for one task: "(1.2)", "(0.5 h)", "2.0 hrs", "- 1.3" before a break; not "(7.0 hrs total)".
_TIME = re.compile(
    r"\(\s*\d{0,2}\.\d{1,2}\s*(?:h|hrs?|hours?)?\s*\)"
    r"|(?<![\w.])\d{1,2}(?:\.\d{1,2})?\s*(?:h|hrs?|hours?)\b(?!\.?\s*total)"
    r"|[-–]\s*\d{1,2}\.\d{1,2}(?=\s*(?:$|[;,)]))",
    re.IGNORECASE,
)
# A time written before the task: "0.4 emails w/ …; 1.6 revise …".
_LEADING_TIME = re.compile(r"\d{1,2}\.\d{1,2}\s+(?=[^\W\d])")

def _word_pattern(word: str) -> str:
    """A regex for one word of a phrase and its regular inflections (file, files, filed, filing)."""
    escaped = re.escape(word)
    if not word.isalpha() or len(word) < 3:
        return escaped
    if word.endswith("e"):
        return f"{escaped[:-1]}(?:e|es|ed|ing)"
    if word.endswith("y") and word[-2] not in "aeiou":
        return f"{escaped[:-1]}(?:y|ies|ied|ying)"
    last = re.escape(word[-1])
    return f"{escaped}(?:s|es|ed|ing|{last}ed|{last}ing)?"


def _phrase_pattern(phrase: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", phrase.strip().lower()) if w]
    return r"[\s\-/]+".join(_word_pattern(w) for w in words)


def _trie(patterns: Sequence[str], depth: int = 3) -> str:
    """An alternation of `patterns` that branches on their leading letters, so a regex over a long
    word list tries a handful of branches at each word instead of every phrase; longest first."""
    if depth == 0:
        return "|".join(sorted(patterns, key=len, reverse=True))
    groups: dict[str, list[str]] = {}
    others = []
    for pattern in patterns:
        if len(pattern) > 1 and pattern[0].isalpha() and pattern[1] not in "?*+{":
            groups.setdefault(pattern[0].lower(), []).append(pattern[1:])
        else:
            others.append(pattern)
    branches = [
        f"{letter}(?:{_trie(rest, depth - 1)})" if len(rest) > 1 else letter + rest[0]
        for letter, rest in sorted(groups.items())
    ]
    return "|".join(branches + sorted(others, key=len, reverse=True))


@functools.lru_cache(maxsize=64)
def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive regex for a word list (cached per list); None for an empty list."""
    patterns = {_phrase_pattern(p) for p in phrases if p.strip()}
    if not patterns:
        return None
    return re.compile(r"(?<![\w-])(?:" + _trie(sorted(patterns)) + r")(?![\w-])", re.IGNORECASE)


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(_phrase_pattern(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=8)
def _clauses(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, separator before it) for each clause; the separator is '', ';', ',', ':', '.' or 'and'.

    Cached for the last few texts, as the three checks usually run on the same narrative in turn.
    """
    clauses = []
    start, joiner = 0, ""
    for separator in _SEPARATOR.finditer(text):
        if separator.start() > start:
            clauses.append((start, separator.start(), joiner))
        found = separator.group()
        joiner = next((mark for mark in ";:,." if mark in found), "and")
        start = separator.end()
    if start < len(text):
        clauses.append((start, len(text), joiner))
    return tuple(clauses)


def _head(text: str, start: int, end: int, skip: re.Pattern[str]) -> int:
    """Where the clause's first meaningful word starts, past times, brackets and words like 'also'."""
    match = skip.match(text, start, end)
    return match.end() if match else start


_SKIP_COMMON = (
    r"\d{1,2}\.\d{1,2}\s*(?:hrs?|hours?)?\s*[-–:]?\s+"
    r"|[(\[\"'“‘]\s*"
    r"|(?:also|then|and|further|electronically|(?:a\s+)?series\s+of|the)\s+"
)
_SKIP_TASK = re.compile(
    rf"(?:{_SKIP_COMMON}|(?:continued|continue|began|begin|multiple|various|several|numerous|additional"
    r"|brief|briefly|initial|subsequent|follow-up|another)\s+)*",
    re.IGNORECASE,
)
_SKIP_CLERICAL = re.compile(rf"(?:{_SKIP_COMMON}|including\s+)*", re.IGNORECASE)


# --- block billing --------------------------------------------------------------------------------

# Activities that make a task of their own, by kind. Sub-steps of a task (verify, identify, mark,
# determine, update, propose, assess, consider, serve, send) are deliberately absent.
_TASK_KINDS: dict[str, tuple[str, ...]] = {
    "prep": ("prepare for",),
    "travel": ("travel to", "travel"),
    "call": (
        "tel. conf.", "tel. call", "tel conf", "telephone conference", "telephone call", "conference call",
        "phone call", "t/c", "tc", "call", "telephone", "phone", "teleconference", "videoconference",
        "conference", "conf.", "confer", "meet", "meeting", "discuss", "discussion", "speak", "talk",
    ),
    "email": ("email", "e-mail", "correspond", "correspondence", "corr.", "communicate", "communication"),
    "draft": (
        "draft", "prepare", "revise", "edit", "redline", "mark up", "markup", "finalize", "write", "rewrite",
        "compose", "outline", "summarize",
    ),
    "review": ("review", "analyze", "analyse", "study", "read", "examine", "evaluate", "digest", "cite-check"),
    "research": ("research",),
    "attend": ("attend", "participate", "appear", "defend", "argue"),
    "investigate": ("interview", "photograph", "investigate", "inspect", "visit", "tour"),
    "negotiate": ("negotiate",),
    "advise": ("advise", "report to", "report"),
    "respond": ("respond",),
    "clerical": (
        "file", "calendar", "docket", "bates stamp", "bates-stamp", "upload", "copy", "scan", "print", "fax",
        "organize", "index", "assemble", "collate", "arrange", "book", "schedule", "redact", "proofread",
        "retrieve", "pick up",
    ),
}
_TASK = re.compile(
    "|".join(
        rf"(?P<{kind}>(?:{_alternatives(words)})(?![\w-]))"
        for kind, words in _TASK_KINDS.items()
    ),
    re.IGNORECASE,
)
# Words that, after "re …" in the same clause, are more likely a topic than a task of their own.
_TOPIC_NOUNS = frozenset({"communication", "communications", "correspondence", "conference", "meeting",
                          "meetings", "discussion", "discussions", "conferences", "report", "research"})
# Activity words that are only nouns: "correspondence and research" are two tasks, not a verb chain.
_NOUN_FORMS = frozenset({"correspondence", "corr.", "communication", "communications", "conference", "conferences",
                         "meeting", "meetings", "discussion", "discussions", "emails", "e-mails", "calls"})
_TOPIC_MARKER = re.compile(r"(?<![\w-])(?:re|re:|regarding|concerning|about)(?![\w-])", re.IGNORECASE)
# A bare verb before "and" ("Draft and revise motion"): the two verbs make one task.
_BARE_VERB_TAIL = re.compile(r"\s*(?:for|to|up|on|with)?\s*$", re.IGNORECASE)
_SEPARATE_STEPS = frozenset({("prep", "attend"), ("travel", "attend"), ("research", "draft")})
# "Review X and draft response": reading a paper and answering it is one task.
_RESPONSE_OBJECT = re.compile(r"\W+(?:[\w'’-]+\W+){0,2}?(?:response|responses|reply|objection|objections|comments)\b",
                              re.IGNORECASE)


class _Task(NamedTuple):
    kind: str
    word_start: int
    word_end: int
    clause_start: int
    clause_end: int
    joiner: str


def _tasks(text: str) -> list[_Task]:
    """The distinct task units of a narrative, in order, before grouping e-mails and checking times."""
    tasks: list[_Task] = []
    if _SEPARATOR.search(text) is None:
        return tasks
    after_colon = after_topic = False
    for start, end, joiner in _clauses(text):
        if joiner == ";":
            after_topic = False
        if joiner == ":" and tasks:
            after_colon = True
        if after_colon:
            continue
        head = _head(text, start, end, _SKIP_TASK)
        match = _TASK.match(text, head, end)
        if match is not None and not (after_topic and match.group().lower() in _TOPIC_NOUNS):
            tasks.append(_Task(match.lastgroup or "", match.start(), match.end(), start, end, joiner))
        if _TOPIC_MARKER.search(text, start, end):
            after_topic = True
    return tasks


def _chained(text: str, task: _Task, following: _Task) -> bool:
    """Whether `task` is a bare verb that shares its object with the next one ("Draft and revise motion",
    "Review, revise and finalize SPA"); preparing or travelling for an event, and researching before
    writing, stay separate tasks."""
    if following.joiner not in ("and", ",") or following.clause_start != _next_start(text, task):
        return False
    if text[task.word_start:task.word_end].lower() in _NOUN_FORMS:
        return False
    if _BARE_VERB_TAIL.match(text, task.word_end, task.clause_end) is None:
        return False
    return (task.kind, following.kind) not in _SEPARATE_STEPS


def _merge(text: str, tasks: list[_Task]) -> list[_Task]:
    """Join what is one task: chained verbs, reading-and-answering, and e-mails grouped together."""
    merged: list[_Task] = []
    absorbed = False
    for index, task in enumerate(tasks):
        if absorbed:
            absorbed = index + 1 < len(tasks) and _chained(text, task, tasks[index + 1])
            continue
        absorbed = index + 1 < len(tasks) and _chained(text, task, tasks[index + 1])
        if merged and task.joiner == "and" and merged[-1].kind == "review" and (
            task.kind == "respond"
            or (task.kind == "draft" and _RESPONSE_OBJECT.match(text, task.word_end, task.clause_end))
        ):
            continue
        if task.kind == "email" and any(earlier.kind == "email" for earlier in merged):
            continue
        merged.append(task)
    return merged


def _next_start(text: str, task: _Task) -> int:
    """Where the clause after this task's clause starts (past the separator)."""
    separator = _SEPARATOR.match(text, task.clause_end)
    return separator.end() if separator else task.clause_end


def _timed(text: str, tasks: list[_Task]) -> list[bool]:
    """For each task, whether a time is written inside its part of the narrative."""
    timed = []
    for index, task in enumerate(tasks):
        end = tasks[index + 1].clause_start if index + 1 < len(tasks) else len(text)
        timed.append(
            _TIME.search(text, task.clause_start, end) is not None
            or _LEADING_TIME.match(text, task.clause_start, end) is not None
        )
    return timed


def block_billing(text: str) -> NarrativeFinding | None:
    """Several distinct tasks in one entry without the time of each (ebilling-rules.md §3.4 E04).

    Verbs on one work product ("draft and revise motion") are one task, sub-steps after a colon
    belong to the task before it, e-mails are grouped as ABA YLD allows, and a time written for
    every task ("(1.2)", "- 1.3", "2.0 hrs", a leading "0.4") makes the entry acceptable.
    """
    tasks = _merge(text, _tasks(text))
    if len(tasks) < 2:
        return None
    timed = _timed(text, tasks)
    if all(timed):
        return None
    words = tuple(text[task.word_start:task.word_end] for task in tasks)
    listed = ", ".join(f"'{word}'" for word in words)
    reason = f"Bills {len(tasks)} separate tasks ({listed}) in one entry without a time for each."
    return NarrativeFinding(BLOCK_BILLING, words, reason)


# --- vague ----------------------------------------------------------------------------------------

# Words that say nothing about what was done, to what, or about what.
_FILLER = frozenset("""
a an the of to for in on at by with w w/o from into onto re regarding concerning about and or as per via
this that these those it its our their his her all any some same such other each both further continued
continue continuing ongoing additional various misc miscellaneous general generally multiple several numerous
many more much etc related relating relate relates connection above referenced above-referenced aforementioned
necessary needed need required require appropriate well will be been being is are was were do done doing
have has had so then than also including include between upcoming recent recently current currently
outstanding open pending remaining new possible potential certain specific week weeks today day days month
time going forward toward towards move moving most best consistent ensure make take get put
raise arise overall regular routine standard usual applicable relevant what which who whom how
""".split())
# Activities and objects that need something specific with them to mean anything.
_GENERIC = frozenset("""
review draft prepare preparation prep work attention attend attendance call phone telephone tel conf t/c tc
conference teleconference confer meet meeting session email e-mail correspondence corr correspond
communication communicate letter memo memorandum note research analysis analyze analyse consider
consideration evaluate evaluation assess assessment study examine read discuss discussion talk speak follow
up follow-up update revise revision edit finalize respond response handle address monitor check look
strategy strategize plan planning think office task admin organization scheduling filing process coordinate
coordination manage exchange status file matter case client oc counsel opposing co-counsel party team
attorney partner associate staff transaction deal closing litigation discovery trial hearing deposition
motion brief agreement contract document doc material issue item thing point question development event
next step law legal procedural pleading paper interrogatory production produce receive information info
instruction supervising supervise request aspect concern option approach progress determine action course
objective result effort activity activities atty attys mtg ltr msg message voicemail vm telecon
""".split())
_FILLER_PHRASE = re.compile(r"(?<![\w-])(?:in\s+order\s+to|as\s+needed|as\s+necessary|as\s+required|"
                            r"to\s+date|case\s+law|next\s+steps?)(?![\w-])", re.IGNORECASE)
_UNINFORMATIVE = re.compile(f"{_FILLER_PHRASE.pattern}|{_TIME.pattern}", re.IGNORECASE)
# Who the work was with is not what it was about ("Emails with OC", "Call with J. Smith").
_PARTICIPANT_START = frozenset({"with", "w", "w/"})
_PARTICIPANT_END = frozenset({"re", "regarding", "concerning", "about", "on", "for", "of", "in", "under",
                              "at", "per", "and", "that", "whether", "to"})
_PUNCTUATION_IN_WORDS = re.compile(r"\w+(?:[-/'’.]\w+)*|§|[;:,()]")


@functools.lru_cache(maxsize=65536)
def _base_form(word: str) -> str:
    """The word as listed in the vocabularies: lower case, no possessive, no regular inflection."""
    word = word.lower().rstrip(".")
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word in _GENERIC or word in _FILLER:
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
                                ("es", ""), ("s", ""), ("d", "")):
        if word.endswith(suffix):
            candidate = word[: len(word) - len(suffix)] + replacement
            if candidate in _GENERIC or candidate in _FILLER:
                return candidate
    return word


def _specific_and_generic(
    text: str, spans: list[tuple[int, int]], enough: int
) -> tuple[int, list[tuple[int, str]]]:
    """How many specific words the narrative has outside `spans` (counting stops at `enough`), and where
    its generic words are."""
    specific = 0
    generic: list[tuple[int, str]] = []
    in_participant = False
    span_index = 0
    for match in _PUNCTUATION_IN_WORDS.finditer(text):
        token = match.group()
        while span_index < len(spans) and spans[span_index][1] <= match.start():
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= match.start():
            in_participant = False
            continue
        if token in ";:,":
            in_participant = False
            continue
        if token in "()":
            continue
        base = _base_form(token)
        if base in _PARTICIPANT_START or token.lower() == "w/":
            in_participant = True
            continue
        if base in _PARTICIPANT_END:
            in_participant = False
        if base in _FILLER:
            continue
        if base in _GENERIC:
            generic.append((match.start(), token))
        elif not in_participant:
            specific += 1
            if specific >= enough:
                break
    return specific, generic


def vague(
    text: str,
    *,
    min_words: int = DEFAULT_MIN_WORDS,
    generic_phrases: Sequence[str] = DEFAULT_VAGUE_PHRASES,
) -> NarrativeFinding | None:
    """A narrative that does not say what was done, to what, or about what (ebilling-rules.md §3.4 E05).

    Words of `generic_phrases` and of the built-in generic vocabulary (activities such as
    "review" or "call", objects such as "documents", "matter" or "client", and filler) say
    nothing by themselves; the people the work was with ("Emails with OC") are not its subject.
    The narrative is vague when fewer than `min_words` other words are left. Length alone does
    not count: "Draft reply ISO MSJ" is specific. An empty narrative is left to the rule that
    requires a description.
    """
    if not text or text.isspace():
        return None
    phrase_regex = _phrase_regex(tuple(generic_phrases))
    phrases = list(phrase_regex.finditer(text)) if phrase_regex is not None else []
    spans = [m.span() for m in _UNINFORMATIVE.finditer(text)]
    spans.extend(m.span() for m in phrases)
    spans.sort()
    specific, generic = _specific_and_generic(text, spans, min_words)
    if specific >= min_words:
        return None
    found = sorted([(m.start(), m.group()) for m in phrases] + generic)
    words = tuple(dict.fromkeys(word for _, word in found)) or (text.strip(),)
    listed = ", ".join(f"'{word}'" for word in words)
    return NarrativeFinding(
        VAGUE, words, f"Says only {listed}, not what was worked on or why; name the document, issue or purpose."
    )


# --- administrative -------------------------------------------------------------------------------

# Verbs whose object is the work itself ("Prepare hearing binders", "Run conflict check").
_HANDLING_VERB = re.compile(
    r"(?:" + _alternatives((
        "prepare", "create", "draft", "make", "assemble", "compile", "update", "maintain", "organize", "arrange",
        "coordinate", "confirm", "book", "order", "obtain", "process", "handle", "manage", "open", "close", "send",
        "circulate", "collect", "enter", "run", "finalize", "set up", "including",
    )) + r")(?![\w-])(?:\s+(?:for|up)(?![\w-]))?",
    re.IGNORECASE,
)
# The object of a handling verb ends where the subject of the work starts.
_OBJECT_END = re.compile(
    r"(?<![\w-])(?:re|re:|regarding|concerning|about|whether|to|for|on|under|in|from|by|per|against)(?![\w-])",
    re.IGNORECASE,
)
# Communications whose topic may be clerical ("Call clerk re hearing date", "Conference with billing").
_COMMUNICATION = re.compile(
    r"(?:" + _alternatives((
        "call", "telephone", "phone", "tel.", "t/c", "conference", "conf.", "confer", "meet", "meeting",
        "discuss", "discussion", "email", "e-mail", "correspond", "correspondence", "corr.", "communicate",
        "communication", "speak", "talk", "respond", "report", "advise", "contact", "letter", "inquire",
    )) + r")(?![\w-])",
    re.IGNORECASE,
)
# Legal subjects that contain a clerical word.
_LEGAL_SUBJECT = re.compile(
    r"(?<![\w-])(?:scheduling\s+orders?|calendar\s+years?|filing\s+(?:deadlines?|requirements?|fees?|dates?)"
    r"|docket(?:ing)?\s+(?:entries|entry|errors?|numbers?)|clerical\s+errors?|law\s+clerks?"
    r"|billing\s+(?:practices|codes|fraud)|copying\s+costs?)(?![\w-])",
    re.IGNORECASE,
)
# A clerical word used as a modifier of substantive work ("File review" is a review).
_SUBSTANTIVE_NOUN = re.compile(r"\s+(?:review|memo|notes|analysis)(?![\w-])", re.IGNORECASE)


def _sentence_part_end(clauses: tuple[tuple[int, int, str], ...], index: int) -> int:
    """Where the part of the narrative that clause `index` starts ends: at the next ';', ',', ':' or '.',
    so "Emails with OC and mediator to find a date" is read whole."""
    end = clauses[index][1]
    for _, later_end, joiner in clauses[index + 1:]:
        if joiner != "and":
            break
        end = later_end
    return end


def _clerical_matches(text: str, regex: re.Pattern[str]) -> list[re.Match[str]]:
    """The clerical phrases that name the work of a clause, not its subject."""
    found: list[re.Match[str]] = []
    clauses = _clauses(text)
    for index, (start, end, _) in enumerate(clauses):
        head = _head(text, start, end, _SKIP_CLERICAL)
        match = regex.match(text, head, end)
        if match is not None and not _SUBSTANTIVE_NOUN.match(text, match.end(), end):
            found.append(match)
            continue
        handling = _HANDLING_VERB.match(text, head, end)
        if handling is not None:
            limit = _OBJECT_END.search(text, handling.end(), end)
            found.extend(regex.finditer(text, handling.end(), limit.start() if limit else end))
            continue
        if _COMMUNICATION.match(text, head, end):
            found.extend(regex.finditer(text, head, _sentence_part_end(clauses, index)))
    if found:
        legal = [m.span() for m in _LEGAL_SUBJECT.finditer(text)]
        found = [m for m in found if not any(s <= m.start() < e for s, e in legal)]
    return found


def administrative(
    text: str,
    *,
    phrases: Sequence[str] = DEFAULT_ADMINISTRATIVE_PHRASES,
) -> NarrativeFinding | None:
    """Clerical or administrative work, non-billable overhead (ebilling-rules.md §3.4 E06, E13).

    A phrase counts where it names the work: at the start of a clause ("Bates stamp …", "File
    organization"), as the object of a handling verb ("Prepare hearing binders", "Run conflict
    check"), or as the topic of a routine communication ("Call clerk re hearing date"). It does
    not count as the subject of legal work ("Analyze HSR filing requirement", "Draft motion to
    compel re incomplete Bates-numbered production").
    """
    regex = _phrase_regex(tuple(phrases))
    if regex is None or regex.search(text) is None:
        return None
    found = _clerical_matches(text, regex)
    if not found:
        return None
    words = tuple(dict.fromkeys(match.group() for match in found))
    listed = ", ".join(f"'{word}'" for word in words)
    return NarrativeFinding(
        ADMINISTRATIVE, words, f"Bills clerical or administrative work ({listed}), which clients treat as overhead."
    )
