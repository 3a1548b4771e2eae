"""What a resident typed, parsed into terms, and the FTS5 expressions that find them.

Any input is accepted: FTS5 syntax (`"`, `*`, `NEAR`, `AND`, `-`, `(`) is never passed through, because
every expression is built from tokens (letters, digits, Han characters only) inside double quotes.

- Space-separated words are separate terms; a run of four or more Han characters typed together
  (`秸秆禁烧`) is split into terms too (`秸秆`, `禁烧`), so "both parts, closer together ranked higher"
  holds either way. There is no word dictionary among the dependencies (jieba is large and splits
  differently from what people type), so the split takes bundled alias words where they occur and
  otherwise two-character chunks (most Chinese words have two characters); the split only serves the
  looser tiers, since the whole run is first searched as one phrase.
- Question words (怎么办, 需要什么材料, 去哪领) are taken out first (`content.search.question`); a
  question about how, what to bring or where sets `guides_first`.
- Tiers, tightest first: the whole query as one phrase, then all terms within `NEAR_DISTANCE` tokens,
  then all terms anywhere. A term matches any of its alias spellings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from content.search import aliases as alias_mod
from content.search import docnum, pinyin, question
from content.search.tokens import bigrams, han_tokens, is_han, runs

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MAX_RUN_CHARS = 32
NEAR_DISTANCE = 12


@dataclass
class Term:
    text: str  # the term as typed (normalised): 社保
    alternatives: list[list[str]]  # runs of each spelling, the typed one first: [["社保"], ["社会保险"]]


@dataclass
class Query:
    text: str
    terms: list[Term] = field(default_factory=list)
    phrase_runs: list[str] = field(default_factory=list)  # the whole query as one phrase
    doc_number: docnum.DocNumber | None = None
    letters: str = ""  # the query as pinyin letters, if it is made of letters only
    guides_first: bool = False  # a how / what-to-bring / where question
    # The words the pinyin was read as (`content.search.engine.read_pinyin`): 秸秆 for jiegan.
    meant: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.terms and self.doc_number is None and not self.letters

    def tiers(self) -> list[tuple[int, str]]:
        """(tier, FTS5 expression) pairs, tightest first: 3 phrase, 2 near, 1 all terms."""
        if not self.terms:
            return []
        if len(self.terms) == 1:
            return [(3, term_expression(self.terms[0]))]
        out = [(3, phrase(self.phrase_runs))]
        near = " ".join(phrase(t.alternatives[0]) for t in self.terms)
        out.append((2, f"NEAR({near}, {NEAR_DISTANCE})"))
        out.append((1, " AND ".join(term_expression(t) for t in self.terms)))
        return out

    def highlights(self) -> list[str]:
        """Literal strings to mark in titles and snippets (normalised), longest first."""
        found = {run for t in self.terms for alt in t.alternatives for run in alt}
        if self.phrase_runs and all(map(is_han, self.phrase_runs)):
            found.add("".join(self.phrase_runs))
        if self.doc_number is not None:
            found.discard(str(self.doc_number.year))
            found.discard(str(self.doc_number.number))
        if any(len(s) > 1 for s in found):
            found = {s for s in found if len(s) > 1}  # a lone 号 or 7 beside real words is noise
        return sorted((s for s in found if s), key=lambda s: (-len(s), s))


def phrase(run_list: list[str]) -> str:
    """An FTS5 phrase matching these runs in a row, as `tokens()` indexed them.

    A Han run followed by another run ends there in the document too, so it contributes its bigrams and
    its last character; the last run contributes bigrams only, since the document's run may go on. A
    phrase ending in a single Han character becomes a prefix query, because in the document that
    character is usually the first half of a bigram."""
    toks: list[str] = []
    last = len(run_list) - 1
    for i, run in enumerate(run_list):
        if is_han(run):
            toks.extend(han_tokens(run) if i < last else bigrams(run))
        else:
            toks.append(run)
    body = '"' + " ".join(toks) + '"'
    if run_list and is_han(run_list[-1]) and len(run_list[-1]) == 1:
        body += "*"
    return body


def term_expression(term: Term) -> str:
    spellings = [phrase(alt) for alt in term.alternatives]
    return spellings[0] if len(spellings) == 1 else "(" + " OR ".join(spellings) + ")"


def _split_run(run: str, words: set[str]) -> list[str]:
    """Split a long Han run into word-sized terms: known words where they occur, else pairs."""
    parts: list[str] = []
    i = 0
    longest = max((len(w) for w in words), default=0)
    while i < len(run):
        for size in range(min(longest, len(run) - i), 2, -1):
            if run[i : i + size] in words:
                parts.append(run[i : i + size])
                i += size
                break
        else:
            parts.append(run[i : i + 2])
            i += 2
    if len(parts) > 1 and len(parts[-1]) == 1:
        last = parts.pop()
        parts[-1] += last
    return parts


def parse(text: str, alias_table: tuple[tuple[str, str], ...] = ()) -> Query:
    """Parse a query; never raises."""
    text = (text or "")[: MAX_QUERY_CHARS * 4]
    query = Query(text=text)
    query.doc_number = docnum.find_in_query(text[:MAX_QUERY_CHARS])
    query.letters = pinyin.query_letters(text[:MAX_QUERY_CHARS])
    words = {a for pair in alias_table for a in pair}
    budget = MAX_QUERY_CHARS
    asked = question.read(text)
    query.guides_first = asked.guide
    for segment in asked.text.split():
        segment_runs = [r[:MAX_RUN_CHARS] for r in runs(segment)]
        if not segment_runs or budget <= 0:
            continue
        budget -= sum(map(len, segment_runs))
        if query.phrase_runs and is_han(query.phrase_runs[-1]) and is_han(segment_runs[0]):
            query.phrase_runs[-1] += segment_runs[0]  # 秸秆 禁烧 is also searched as 秸秆禁烧
            query.phrase_runs.extend(segment_runs[1:])
        else:
            query.phrase_runs.extend(segment_runs)
        if len(segment_runs) == 1 and is_han(segment_runs[0]):
            run = segment_runs[0]
            pieces = [run] if len(run) < 4 or run in words else _split_run(run, words)
            for piece in pieces:
                spellings = [piece, *alias_mod.alternatives(piece, alias_table)]
                query.terms.append(Term(piece, [[s] for s in spellings]))
        else:
            query.terms.append(Term("".join(segment_runs), [segment_runs]))
    query.terms = query.terms[:MAX_TERMS]
    if len(query.phrase_runs) > MAX_TERMS * 4:
        query.phrase_runs = query.phrase_runs[: MAX_TERMS * 4]
    return query
