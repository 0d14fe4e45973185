"""The learned decision layer over the rules' candidate events.

For each candidate: is it a specific happening to record, and if not, why (the ``happening``
head). Among the happenings of an article: which tell the same one (the ``same`` head,
clustered by average linkage; then a sentence left alone that only goes on about a happening
told before it joins that one, ``retellings.py``), so each happening is one mention that
keeps every place it is told. For each happening: who did it and to whom (the ``actor`` and
``recipient`` heads choose among the entity spans of its sentences; the actor dictionary
codes the chosen span), how many were killed (the ``toll`` head chooses among the killed
counts, or none), where (the ``place`` head chooses among the places of its sentence and
paragraph, the rules' choice and the article's main province). Type, mode, date and voice
are the rules' reading of the happening's clearest mention.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from spacy.tokens import Token

from sitrep.analyze.core.learned import TreeModel
from sitrep.analyze.core.models import ModelStore
from sitrep.analyze.events.auxiliary import NO_AUXILIARY, AuxiliaryHeads
from sitrep.analyze.events.candidates import EventCandidate
from sitrep.analyze.events.features import ArticleView, candidate_rows, pair_row
from sitrep.analyze.events.options import (
    PlaceOption,
    entity_code,
    entity_options,
    place_options,
    place_row,
    quantity_options,
    role_row,
    toll_row,
)
from sitrep.analyze.events.retellings import attach_retellings
from sitrep.analyze.events.tolls import mark_sums, toll_types, with_toll
from sitrep.model import (
    EntityMention,
    EventMention,
    EventRole,
    Modality,
    PlaceRef,
    Quantity,
)

# Reasons worth keeping a non-happening for (hidden by default, one click away): what the
# text says did not or may not happen, or is no single happening. "other" (no happening at
# all: "the war", "forces") is dropped.
KEPT_REASONS = frozenset(
    {"hypothetical", "negated", "future", "question", "generic", "aggregate", "furniture"}
)
HEADS = ("happening", "why_not", "same", "actor", "recipient", "toll", "place")
# The rules' modality, as the reason a candidate is no happening.
MODALITY_REASONS = {
    Modality.HYPOTHETICAL: "hypothetical",
    Modality.NEGATED: "negated",
    Modality.FUTURE: "future",
    Modality.QUESTION: "question",
}


@dataclass(frozen=True)
class Thresholds:
    """Probabilities above which a head's answer is taken. Calibrated on the training folds
    only (``sitrep train`` writes them into the model card); these are the defaults."""

    event: float = 0.5
    same: float = 0.5
    role: float = 0.5
    toll: float = 0.5
    second: float = 0.7  # a second actor or recipient of another code
    # One happening has one type: the same-happening probability of mentions of two types
    # (an accusation and the attack it is about) is weighted by this before clustering.
    cross_type: float = 1.0
    # A lone candidate joins the telling of a surer candidate of another type when their
    # same-happening probability reaches this (``_attach_parts``); above 1: never.
    part: float = 1.01


@dataclass(frozen=True)
class EventHeads:
    happening: TreeModel  # "yes": a specific happening to record
    why_not: TreeModel  # for the others: generic, aggregate, furniture, negated …
    same: TreeModel
    actor: TreeModel
    recipient: TreeModel
    toll: TreeModel
    place: TreeModel
    thresholds: Thresholds = Thresholds()
    auxiliary: AuxiliaryHeads = NO_AUXILIARY

    @classmethod
    def load(cls, store: ModelStore) -> EventHeads:
        heads = {name: store.get("events", name) for name in HEADS}
        meta = heads["happening"].meta.get("thresholds") or {}
        return cls(**heads, thresholds=Thresholds(**meta), auxiliary=AuxiliaryHeads.load(store))


def _yes(model: TreeModel, rows: list[dict[str, float]]) -> np.ndarray:
    if not rows:
        return np.zeros(0)
    return model.predict_proba(rows)[:, model.classes.index("yes")]


@dataclass
class Scores:
    """What the heads say of one article's candidates, computed once and reused however the
    thresholds are set (training tries many settings on the same articles)."""

    view: ArticleView
    candidates: Sequence[EventCandidate]
    heads: EventHeads
    rows: list[dict[str, float]] = field(default_factory=list)
    happening: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _pairs: dict[tuple[int, int], float] = field(default_factory=dict)
    _roles: dict[tuple[int, ...], tuple[list[EntityMention], np.ndarray, np.ndarray]] = field(
        default_factory=dict
    )
    _tolls: dict[tuple[int, ...], tuple[list[Quantity], np.ndarray]] = field(default_factory=dict)
    _places: dict[tuple[int, ...], PlaceOption | None] = field(default_factory=dict)
    _reasons: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rows = candidate_rows(self.view, self.candidates, self.heads.auxiliary)
        self.happening = _yes(self.heads.happening, self.rows)

    def members(self, indices: Sequence[int]) -> list[EventCandidate]:
        return [self.candidates[i] for i in indices]

    def score_pairs(self, indices: Sequence[int]) -> None:
        """Score every pair of the given candidates (in increasing order) not scored yet, in
        one call of the pair head."""
        missing = [
            (a, b)
            for x, a in enumerate(indices)
            for b in indices[x + 1 :]
            if (a, b) not in self._pairs
        ]
        if missing:
            rows = [pair_row(self.view, self.candidates[a], self.candidates[b]) for a, b in missing]
            for key, value in zip(missing, _yes(self.heads.same, rows), strict=True):
                self._pairs[key] = float(value)

    def pair(self, a: int, b: int) -> float:
        """The same-happening probability of a scored pair (unweighted)."""
        return self._pairs[(min(a, b), max(a, b))]

    def pairs(self, indices: Sequence[int], cross_type: float) -> np.ndarray:
        """The same-happening probability of every pair of the given candidates, weighted
        by ``cross_type`` for mentions of two types."""
        n = len(indices)
        self.score_pairs(indices)
        matrix = np.zeros((n, n))
        for x in range(n):
            for y in range(x + 1, n):
                # One happening has one type: mentions of two types (an accusation and the
                # attack it is about) are one happening only when the pair head is sure.
                same_type = (
                    self.candidates[indices[x]].mention.type
                    == self.candidates[indices[y]].mention.type
                )
                value = self._pairs[(indices[x], indices[y])]
                matrix[x, y] = matrix[y, x] = value if same_type else value * cross_type
        return matrix

    def roles(
        self, key: tuple[int, ...], province: PlaceRef | None
    ) -> tuple[list[EntityMention], np.ndarray, np.ndarray]:
        """A happening's entity options with their actor and recipient probabilities."""
        self.prefetch([key], province)
        return self._roles[key]

    def tolls(
        self, key: tuple[int, ...], province: PlaceRef | None
    ) -> tuple[list[Quantity], np.ndarray]:
        """A happening's counts with their toll probabilities."""
        self.prefetch([key], province)
        return self._tolls[key]

    def place(self, key: tuple[int, ...], province: PlaceRef | None) -> PlaceOption | None:
        """Where the happening took place: its likeliest place option."""
        self.prefetch([key], province)
        return self._places[key]

    def prefetch(self, keys: Sequence[tuple[int, ...]], province: PlaceRef | None) -> None:
        """Score the role, toll and place options of every happening in ``keys`` with one
        call per head (a call costs about as much for one row as for a hundred)."""
        keys = [k for k in dict.fromkeys(keys) if k not in self._roles]
        if not keys:
            return
        members = {k: self.members(k) for k in keys}
        entities = {k: entity_options(self.view, members[k]) for k in keys}
        numbers = {k: quantity_options(self.view, members[k]) for k in keys}
        places = {k: place_options(self.view, members[k], province) for k in keys}
        role_rows = [role_row(self.view, members[k], o) for k in keys for o in entities[k]]
        self.heads.auxiliary.add_role_answers(role_rows)
        toll_rows = [toll_row(self.view, members[k], q) for k in keys for q in numbers[k]]
        place_rows = [place_row(self.view, members[k], o) for k in keys for o in places[k]]
        actor_p = _yes(self.heads.actor, role_rows)
        recipient_p = _yes(self.heads.recipient, role_rows)
        toll_p = _yes(self.heads.toll, toll_rows)
        place_p = _yes(self.heads.place, place_rows)
        r = t = p = 0
        for k in keys:
            n = len(entities[k])
            self._roles[k] = (entities[k], actor_p[r : r + n], recipient_p[r : r + n])
            r += n
            n = len(numbers[k])
            self._tolls[k] = (numbers[k], toll_p[t : t + n])
            t += n
            n = len(places[k])
            self._places[k] = places[k][int(np.argmax(place_p[p : p + n]))] if n else None
            p += n

    def prefetch_reasons(self, indices: Sequence[int]) -> None:
        """The why_not head's answers for the given candidates, in one call."""
        missing = [i for i in indices if i not in self._reasons]
        if missing:
            found = self.heads.why_not.predict_proba([self.rows[i] for i in missing])
            for i, probabilities in zip(missing, found, strict=True):
                self._reasons[i] = self.heads.why_not.classes[int(np.argmax(probabilities))]

    def reason(self, index: int) -> str:
        """Why a candidate is no happening (the why_not head's likeliest reason)."""
        self.prefetch_reasons([index])
        return self._reasons[index]


def _clusters(scores: Scores, chosen: list[int], t: Thresholds) -> list[list[int]]:
    """Average-linkage clusters of the happenings (candidate indices): the two clusters
    whose pairs are most likely one happening merge while that likelihood is above
    ``t.same``."""
    if len(chosen) < 2:
        return [list(chosen)] if chosen else []
    probability = scores.pairs(chosen, t.cross_type)
    clusters = [[i] for i in range(len(chosen))]
    # The sum of the pair probabilities between every two clusters, kept up to date as they
    # merge, so the average link is one division (not a mean over each pair of clusters).
    sums = probability.copy()
    sizes = np.ones(len(chosen))
    while len(clusters) > 1:
        links = sums / np.outer(sizes, sizes)
        links[np.tril_indices(len(clusters))] = -1.0
        a, b = divmod(int(np.argmax(links)), len(clusters))  # the first best pair, a < b
        if links[a, b] < t.same:
            break
        clusters[a] = sorted(clusters[a] + clusters[b])
        del clusters[b]
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sums = np.delete(np.delete(sums, b, axis=0), b, axis=1)
        sizes[a] += sizes[b]
        sizes = np.delete(sizes, b)
    return [[chosen[i] for i in cluster] for cluster in clusters]


def _attach_parts(
    scores: Scores, clusters: list[list[int]], t: Thresholds
) -> tuple[list[list[int]], set[int]]:
    """Lone candidates that are part of another type's telling ("a statement released after
    the strike", "an attack at a checkpoint"), attached to it. The clustering weighs a pair
    of two types down (an accusation and the attack it is about are often two happenings);
    a lone candidate whose likeliest partner of another type is surer to be a happening,
    and which the pair head (trained on such parts) joins to it,
    is told by that partner's happening (at the ``part`` threshold, tuned like the others).
    Such a part never gives the happening its type.
    Returns the clusters and the attached candidates."""
    if len(clusters) < 2 or t.part > 1.0:
        return clusters, set()
    chosen = sorted(i for cluster in clusters for i in cluster)
    scores.score_pairs(chosen)  # scored already when the clusters come from _clusters
    home = {i: n for n, cluster in enumerate(clusters) for i in cluster}
    lone = sorted(
        (cluster[0] for cluster in clusters if len(cluster) == 1),
        key=lambda i: (scores.happening[i], i),
    )
    parts: set[int] = set()
    for i in lone:
        kind = scores.candidates[i].mention.type
        partners = [
            (scores.pair(i, j), j)
            for j in chosen
            if j != i
            and scores.candidates[j].mention.type != kind
            and scores.happening[j] > scores.happening[i]
            and j not in parts
        ]
        if not partners:
            continue
        p, j = max(partners)
        if p >= t.part:
            clusters[home[j]].append(i)
            clusters[home[i]] = []
            home[i] = home[j]
            parts.add(i)
    return [sorted(c) for c in clusters if c], parts


def _role(entity: EntityMention, country: str | None = None) -> EventRole:
    code, sector = entity_code(entity, country)
    name = entity.actor.name if entity.actor else None
    return EventRole(entity.text, entity.start, entity.end, code, sector, name)


def _roles(
    scores: Scores,
    indices: tuple[int, ...],
    t: Thresholds,
    province: PlaceRef | None,
    country: str | None,
) -> tuple[tuple[EventRole, ...], tuple[EventRole, ...]]:
    """The entity spans chosen as actor and recipient: for each role, the likeliest span above
    the threshold, and further spans of other codes only when they are likelier still than
    ``second`` (a battle's two sides, a joint strike). A recipient the actor dictionary does
    not know (victims, a building, a village) is of the country where the happening took
    place; an actor it does not know stays uncoded (who did it is unsaid, not local)."""
    options, actor_p, recipient_p = scores.roles(indices, province)
    if not options:
        return (), ()
    actors = _pick(options, actor_p, recipient_p, t.role, t.second, None)
    actors = _named(
        scores.view.text, actors + _coordinated(scores.view, actors, options, None), options
    )
    taken = {(r.start, r.end) for r in actors}
    free = [n for n, o in enumerate(options) if (o.start, o.end) not in taken]
    recipients = _pick(
        [options[n] for n in free], recipient_p[free], actor_p[free], t.role, t.second, country
    )
    recipients += _coordinated(scores.view, recipients, [options[n] for n in free], country)
    return actors, _named(scores.view.text, recipients, options)


def _named(
    text: str, chosen: tuple[EventRole, ...], options: list[EntityMention]
) -> tuple[EventRole, ...]:
    """A description followed by the name it describes ("the Lebanese Shia movement
    Hezbollah", "rebel group Jaysh al-Islam") is that named actor: a chosen span the
    dictionary codes only by its words (a nationality, a sector noun) takes the code of a
    named actor printed right after it."""
    out: list[EventRole] = []
    for role in chosen:
        name = next(
            (
                o
                for o in options
                if o.actor is not None
                and o.actor.actor_id
                and 0 <= o.start - role.end <= 2
                and not text[role.end : o.start].strip(" ,")
            ),
            None,
        )
        described = not any(
            o.actor is not None and o.actor.actor_id and (o.start, o.end) == (role.start, role.end)
            for o in options
        )
        if name is not None and described and name.actor is not None:
            role = replace(
                role, code=name.actor.code, sector=name.actor.sector, name=name.actor.name
            )
        out.append(role)
    return tuple(dict.fromkeys(out))


def _conjuncts(token: Token) -> set[int]:
    """The words coordinated with a word ("Russian and regime jets", "the army, Hezbollah
    and allied militias"): up and down ``conj`` arcs."""
    top = token
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    found = {top.i}
    stack = [top]
    while stack:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.i not in found:
                found.add(child.i)
                stack.append(child)
    return found


def _coordinated(
    view: ArticleView,
    chosen: tuple[EventRole, ...],
    options: list[EntityMention],
    country: str | None,
) -> tuple[EventRole, ...]:
    """Entity spans coordinated with a chosen one share its role: "strikes by the Assad
    regime and Russian air forces" were carried out by both. The heads score each span on
    its own, and the second of a pair often scores below the threshold."""
    if not chosen:
        return ()
    taken = {(r.start, r.end) for r in chosen}
    joined: set[int] = set()
    for role in chosen:
        span = view.doc.char_span(role.start, role.end, alignment_mode="expand")
        joined |= _conjuncts(
            span.root if span is not None and len(span) else view.token_at(role.start)
        )
    added: list[EventRole] = []
    for option in options:
        if (option.start, option.end) in taken:
            continue
        span = view.doc.char_span(option.start, option.end, alignment_mode="expand")
        if span is not None and len(span) and span.root.i in joined:
            added.append(_role(option, country))
            taken.add((option.start, option.end))
    return tuple(added)


def _pick(
    options: list[EntityMention],
    own: np.ndarray,
    other: np.ndarray,
    threshold: float,
    second: float,
    country: str | None,
) -> tuple[EventRole, ...]:
    order = [n for n in np.argsort(-own) if own[n] >= threshold and own[n] >= other[n]]
    chosen: list[EventRole] = []
    for rank, n in enumerate(order):
        role = _role(options[int(n)], country)
        other_code = role.code and role.code not in {r.code for r in chosen}
        if rank == 0 or (own[n] >= second and other_code):
            chosen.append(role)
    return tuple(chosen)


def _voice(mention: EventMention) -> Modality:
    """A happening the rules read as not happening keeps the voice of a statement."""
    if mention.modality.counts_as_event:
        return mention.modality
    return Modality.REPORTED if mention.why.startswith("reported") else Modality.ASSERTED


def _happening(
    scores: Scores, order: list[int], thresholds: Thresholds, province: PlaceRef | None
) -> EventMention:
    members = scores.members(order)
    key = tuple(sorted(order))
    m = members[0].mention
    found, toll_p = scores.tolls(key, province)
    best = int(np.argmax(toll_p)) if found else -1
    toll = found[best] if found and toll_p[best] >= thresholds.toll else None
    # The count the rules tie to the lead mention's own verb ("killing at least 21") is
    # kept; the toll head chooses only for a happening whose lead has none (measured on the
    # held-out folds: the head's choice alone was right less often, docs/quality.md).
    own = (m.killed_low, m.killed_high)
    tied = [q for q in found if (q.low, q.high) == own] if own != (None, None) else []
    if tied:
        toll = min(tied, key=lambda q: abs(q.start - m.trigger_start))
    # A count told exactly in one telling and open-ended in another is open-ended: a headline
    # or a short re-telling drops the hedge ("kills 60" beside "at least 60 were killed").
    if toll is not None and toll.high == toll.low:
        hedged = [q for q in found if q.low == toll.low and q.high is None]
        if hedged:
            toll = min(hedged, key=lambda q: abs(q.start - m.trigger_start))
    if m.type not in toll_types():
        toll = None
    place = scores.place(key, province)
    where = place.place if place else province
    actors, recipients = _roles(scores, key, thresholds, province, where.country if where else None)
    told = sorted({(c.mention.trigger_start, c.mention.trigger_end) for c in members[1:]})
    told += [span for c in members for span in c.mention.also]
    decided = replace(
        m,
        mode=m.mode or next((c.mention.mode for c in members if c.mention.mode), None),
        modality=_voice(m),
        actors=actors,
        recipients=recipients,
        place=place.place if place else None,
        place_text=place.text if place else None,
        confidence=round(float(scores.happening[order[0]]), 3),
        also=tuple(dict.fromkeys(s for s in told if s != (m.trigger_start, m.trigger_end))),
        not_event=None,
    )
    return with_toll(scores.view, decided, toll)


def _lead_first(scores: Scores, cluster: list[int], parts: Collection[int] = ()) -> list[int]:
    """A happening's mentions, its clearest first: the type most of its mentions tell
    (weighted by how likely each is a happening) decides, then the likeliest mention of that
    type outside the headline leads. A stray word merged into a telling ("left", "released")
    so never gives the happening its type, and an attached part (``_attach_parts``) or
    retelling (``retellings.py``) has no vote."""
    votes: dict[str, float] = {}
    for i in cluster:
        kind = scores.candidates[i].mention.type
        weight = 0.0 if i in parts else float(scores.happening[i])
        votes[kind] = votes.get(kind, 0.0) + weight
    winner = max(votes, key=lambda k: (votes[k], k))
    return sorted(
        cluster,
        key=lambda i: (
            i in parts,
            scores.candidates[i].mention.type != winner,
            scores.candidates[i].mention.headline,
            -scores.happening[i],
            scores.candidates[i].mention.trigger_start,
        ),
    )


def decide_events(
    view: ArticleView,
    candidates: Sequence[EventCandidate],
    heads: EventHeads,
    province: PlaceRef | None,
    scores: Scores | None = None,
) -> list[EventMention]:
    """The article's event mentions: one per happening, and the candidates that are no
    happening for a reason worth showing (with ``not_event`` saying why). ``scores`` may
    carry the heads' answers from an earlier call on the same article and heads."""
    if not candidates:
        return []
    scores = scores or Scores(view, candidates, heads)
    t = heads.thresholds
    happening = scores.happening
    # What the rules read as not happening (a condition, a negation, a plan, a question:
    # modality cues of the parse; a word in a sense that names no act, from
    # lexicons/trigger_senses.yaml) stays so; the heads decide among the rest. Word senses
    # are knowledge of English a head cannot learn from a few hundred labelled mentions.
    chosen = [
        i
        for i, p in enumerate(happening)
        if p >= t.event
        and candidates[i].mention.modality.counts_as_event
        and "sense" not in candidates[i].flags
    ]
    out: list[EventMention] = []
    clusters, retold = attach_retellings(view, candidates, _clusters(scores, chosen, t))
    clusters, parts = _attach_parts(scores, clusters, t)
    orders = [_lead_first(scores, cluster, parts | retold) for cluster in clusters]
    scores.prefetch([tuple(sorted(order)) for order in orders], province)
    out += mark_sums(view, [_happening(scores, order, t, province) for order in orders])
    taken = set(chosen)
    scores.prefetch_reasons(
        [
            i
            for i in range(len(candidates))
            if i not in taken and candidates[i].mention.modality not in MODALITY_REASONS
        ]
    )
    for i in range(len(candidates)):
        if i in taken:
            continue
        modality = candidates[i].mention.modality
        reason = MODALITY_REASONS.get(modality) or scores.reason(i)
        if reason in KEPT_REASONS:
            out.append(
                replace(
                    candidates[i].mention,
                    not_event=reason,
                    confidence=round(float(happening[i]), 3),
                )
            )
    return sorted(out, key=lambda e: (e.trigger_start, e.not_event or ""))
