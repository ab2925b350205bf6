"""Synthetic papers at scale (1k to 100k) for store, import and TUI benchmarks.

The drafts look like real daily papers where it matters for speed: title and
abstract lengths, author counts (with non-ASCII names), a share of GitHub
links (some written into the abstract), arXiv-style ids and two years of
dates. Nothing here is read from disk or the network.

Speed matters more than prose: abstracts are stitched from a pool of
pre-generated sentences, so 100k drafts take a couple of seconds. The same
``(n, seed)`` always gives the same drafts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import itertools
import random
import re
import string
from functools import lru_cache

from store.drafts import PaperDraft
from store.ids import normalise_title

SOURCE = "papertray bench"
"""The ``source`` of every synthetic draft."""

START_DAY = dt.date(2024, 1, 1)
SPAN_DAYS = 730
"""Dates run from ``START_DAY`` over about two years, in index order."""
MAX_DRAFTS = 2_000_000
"""Keeps every month under 100,000 papers, the most a ``YYMM.NNNNN`` id can number."""

PAGE_HEADER = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
    "Mar 14",
)
"""The header lines of a copied Daily Papers page, as ``make_page_copy`` writes them."""

# --------------------------------------------------------------------------- vocabulary

_ADJ = (
    "scalable", "robust", "efficient", "adaptive", "hierarchical", "contrastive", "multimodal", "sparse",
    "differentiable", "probabilistic", "self-supervised", "retrieval-augmented", "instruction-tuned",
    "multilingual", "lightweight", "generalisable", "compositional", "data-efficient", "uncertainty-aware",
    "long-context", "streaming", "equivariant", "causal", "federated", "interpretable", "parameter-efficient",
    "low-rank", "autoregressive", "zero-shot", "few-shot", "continual", "modular", "latent", "structured",
    "physics-informed", "memory-efficient", "open-vocabulary", "decentralised", "verifiable", "calibrated",
)
_NOUN = (
    "attention", "representation learning", "preference optimisation", "tokenization", "distillation",
    "quantisation", "retrieval", "planning", "reasoning", "alignment", "pre-training", "fine-tuning",
    "decoding", "segmentation", "reconstruction", "generation", "calibration", "compression", "routing",
    "memory", "search", "exploration", "denoising", "tracking", "forecasting", "summarisation", "translation",
    "grounding", "localisation", "verification", "reward modelling", "curriculum learning", "data selection",
    "model merging", "speculative decoding", "tool use", "self-correction", "uncertainty estimation",
)
_MODELS = (
    "language models", "diffusion models", "vision transformers", "graph neural networks", "reward models",
    "speech recognisers", "world models", "state space models", "mixture-of-experts models", "autoencoders",
    "policies", "agents", "retrievers", "image generators", "video models", "multimodal assistants",
    "neural operators", "recommendation systems", "code models", "embedding models", "flow models",
    "vision-language models", "tabular models", "neural radiance fields",
)
_TASKS = (
    "question answering", "image classification", "speech recognition", "machine translation",
    "code generation", "text-to-image synthesis", "robot manipulation", "molecule design",
    "protein structure prediction", "weather forecasting", "semantic segmentation", "object detection",
    "dialogue systems", "mathematical reasoning", "theorem proving", "document retrieval",
    "video understanding", "3D reconstruction", "autonomous driving", "anomaly detection",
    "time-series forecasting", "recommendation", "program synthesis", "information extraction",
    "visual navigation", "speech synthesis", "materials discovery", "medical imaging", "web browsing",
    "long-form writing", "chart understanding", "legged locomotion",
)
_METRICS = (
    "accuracy", "perplexity", "word error rate", "sample quality", "throughput", "latency",
    "calibration error", "recall", "success rate", "sample efficiency", "robustness", "memory usage",
    "training stability", "win rate", "F1 score", "exact match", "human preference",
)
_KINDS = ("benchmarks", "datasets", "tasks", "domains", "languages", "environments", "evaluation suites")
_RESOURCES = (
    "compute", "memory", "labelled data", "human annotation", "training time", "parameters", "GPU hours",
    "supervision", "inference cost", "bandwidth",
)
_CONDITIONS = (
    "inputs are long", "labels are noisy", "the distribution shifts", "data are scarce",
    "the vocabulary is open", "the environment is partially observed", "latency budgets are tight",
    "the model is deployed on device", "annotations are expensive", "tasks require many steps",
    "several modalities must be combined", "feedback is delayed",
)
_FINDINGS = (
    "gains are largest for rare categories", "most errors come from a small set of inputs",
    "the benefit grows with model size", "simple baselines remain surprisingly competitive",
    "performance saturates beyond a moderate budget", "the learned representations transfer across domains",
    "stability matters more than capacity", "improvements persist under distribution shift",
    "the choice of initialisation explains much of the variance", "errors compound over long horizons",
    "careful data filtering matters more than architecture", "existing metrics underestimate the gap",
)
_ASPECTS = (
    "the role of data quality", "the effect of scale", "the training dynamics", "the failure modes",
    "the sensitivity to hyperparameters", "the learned representations", "the inference cost",
    "the robustness to adversarial inputs", "the contribution of each component", "the limits of the approach",
)
_BASELINES = (
    "strong baselines", "the previous state of the art", "prior work", "comparable open models",
    "standard fine-tuning", "hand-tuned heuristics", "much larger models", "existing methods",
)
_SCALES = ("billions of parameters", "millions of documents", "thousands of tasks", "hour-long videos",
           "graphs with millions of nodes", "hundreds of languages", "trillion-token corpora")

_SENTENCES = (
    "{models} have shown remarkable progress on {task}, but {noun} remains a bottleneck when {condition}.",
    "Existing approaches to {noun} rely on {resource} and tend to fail when {condition}.",
    "In this work, we propose {Name}, a {adj} framework for {noun} that requires far less {resource}.",
    "We introduce {Name}, which combines {adj} {noun} with {adj2} {noun2} to improve {metric} on {task}.",
    "Unlike prior work, our approach treats {noun} as a {adj} problem and learns it end to end from {kind}.",
    "Our key insight is that {noun} and {noun2} can share a single {adj} representation.",
    "We evaluate {Name} on {num} {kind} covering {task} and {task2}.",
    "Experiments show that {Name} improves {metric} by {pct} percent over {baseline} "
    "while using {num} times less {resource}.",
    "We further analyse {aspect} and find that {finding}.",
    "Ablation studies confirm that each component contributes, and that {noun} matters most when {condition}.",
    "Surprisingly, {finding}, which suggests that current {models} underuse {noun}.",
    "The method scales to {scale} and runs in real time on a single accelerator.",
    "We also release a benchmark of {num} {kind} to support future research on {adj} {noun}.",
    "Compared with {baseline}, our {models} are more robust when {condition}, at a small cost in {metric}.",
    "Finally, we discuss {aspect} and outline directions for {adj} {noun} in {task}.",
    "Theoretical analysis shows that {adj} {noun} converges under mild assumptions on {resource}.",
    "Human evaluation on {task} confirms the gains, with annotators preferring our outputs in {pct} percent of cases.",
    "These results indicate that {adj} {noun} is a promising direction for {task2}.",
)

_TITLES = (
    "{Name}: {Adj} {Noun} for {Task}",
    "{Name}: Scaling {Noun} to {Scale}",
    "{Name}: {Adj} {Models} via {Noun}",
    "{Adj} {Noun} for {Adj2} {Task}",
    "Towards {Adj} {Task} with {Models}",
    "On the {Aspect} of {Noun} in {Adj} {Models}",
    "When Do {Models} Benefit from {Adj} {Noun}?",
    "Rethinking {Noun} for {Adj} {Models}",
    "Learning {Adj} {Noun} from {Kind} for {Task}",
    "{Adj} {Models} Are Strong {Adj2} Learners for {Task}",
    "Beyond {Noun}: {Adj} {Noun2} for {Task}",
    "{Noun} Meets {Noun2}: {Adj} {Models} for {Task}",
)
_TITLE_SUFFIXES = (
    " at Scale", " in the Wild", " Without {Resource}", " via {Adj3} {Noun3}", " Under Distribution Shift",
    " with {Models2}", " and {Task3}", " for {Adj3} {Task3}", ": A Benchmark Study", ": Theory and Practice",
)
_SMALL_WORDS = frozenset({"a", "an", "and", "for", "from", "in", "of", "on", "the", "to", "via", "with", "under"})

_SYLLABLES = (
    "ra", "vo", "len", "ki", "to", "mi", "ze", "phy", "lu", "ma", "or", "ion", "ne", "xa", "ti", "dal",
    "qu", "sol", "ar", "ve", "ga", "ly", "no", "ka", "sy", "tron", "el", "pa", "rix", "um", "de", "fo",
)
_NAME_TAILS = ("", "", "", "Net", "Bench", "LM", "-7B", "Former", "Diff", "RL", "GPT", "Flow", "++", "-X")

_FIRST = (
    "Anna", "Ben", "Carlos", "Daniel", "Emily", "Fatima", "Grace", "Hiroshi", "Ivan", "Julia", "Kwame",
    "Laura", "Mateo", "Nadia", "Oskar", "Priya", "Rahul", "Sofia", "Thomas", "Yuki", "Wei", "Mei", "Arjun",
    "Leila", "Samuel", "Clara", "Ethan", "Marta", "Ravi", "Helena", "Lucas", "Amara", "Dmitri", "Camille",
    "Zoë", "Jürgen", "Søren", "Ólafur", "Łukasz", "José", "François", "Björn", "Ayşe", "Chloé", "Tomáš",
    "Eszter", "Aoife", "Andrés", "Mehmet", "Inés",
)
_LAST = (
    "Smith", "Chen", "Garcia", "Kim", "Patel", "Nguyen", "Müller", "Rossi", "Tanaka", "Okafor", "Novak",
    "Silva", "Ivanova", "Schmidt", "Park", "Nowak", "Shankar", "Sousa", "Becker", "Costa", "Lindqvist",
    "Mensah", "Oliveira", "Popescu", "Halvorsen", "Volkov", "Laurent", "Nair", "Haddad", "Berg", "Liu",
    "Ångström", "Weiß", "Żółć", "Nørgaard", "Muñoz", "Þórsson", "Dvořák", "Yılmaz", "Lefèvre", "Kővári",
    "Núñez", "Gonçalves", "Sigurðsson", "Ní Bhriain", "García", "Fernández", "Martín", "Wang", "Zhang",
)
_CJK_NAMES = ("李明", "王芳", "张伟", "刘洋", "陈静", "김지훈", "이서연", "田中優子", "佐藤健", "Nguyễn Văn An")
_ORGS = (
    "open-lab", "ml-collective", "deepthought-ai", "nlp-group", "vision-lab", "rl-research", "speechworks",
    "graphml", "aurora-ai", "tinyml", "mila-like", "kite-lab", "northstar-ml", "blue-owl", "lambda-lab",
)
_KEYWORDS = tuple(sorted({*_NOUN, *_TASKS, *_MODELS}))
_CLASSES = ("cs.CL", "cs.CV", "cs.LG", "cs.AI", "stat.ML", "eess.AS", "cs.RO", "cs.IR", "cs.CR", "eess.IV")
_CLASS_WEIGHTS = tuple(itertools.accumulate((30, 25, 25, 10, 3, 2, 2, 1, 1, 1)))
_AUTHOR_WEIGHTS = tuple(itertools.accumulate((3, 8, 14, 16, 15, 12, 10, 9, 7, 6)))

_SENTENCE_POOL = 4000
_MAX_SENTENCE_WORDS = 30


def _title_case(phrase: str) -> str:
    words = phrase.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in _SMALL_WORDS:
            out.append(word)
        else:
            parts = word.split("-")
            out.append("-".join(p if j and p in _SMALL_WORDS else p[:1].upper() + p[1:] for j, p in enumerate(parts)))
    return " ".join(out)


def _unique_name(index: int) -> str:
    """A made-up method name spelled from ``index`` in base 32 over syllables.

    The trailing ``x`` sets it apart from ``_random_name`` output, so a title
    that keeps colliding gets out of the way of random titles.
    """
    parts = []
    value = index
    while True:
        value, digit = divmod(value, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
        if value == 0:
            break
    parts.append("x")  # keeps short names from colliding with random ones
    return "".join(parts).capitalize()


def _random_name(rng: random.Random) -> str:
    random_ = rng.random
    syllables = 2 + (random_() < 0.5)
    core = "".join(_SYLLABLES[int(random_() * len(_SYLLABLES))] for _ in range(syllables)).capitalize()
    return core + _NAME_TAILS[int(random_() * len(_NAME_TAILS))]


_SLOT_VALUES: dict[str, tuple[str, ...]] = {
    "adj": _ADJ, "adj2": _ADJ, "adj3": _ADJ, "noun": _NOUN, "noun2": _NOUN, "noun3": _NOUN,
    "models": _MODELS, "models2": _MODELS, "task": _TASKS, "task2": _TASKS, "task3": _TASKS,
    "metric": _METRICS, "kind": _KINDS, "resource": _RESOURCES, "condition": _CONDITIONS, "finding": _FINDINGS,
    "aspect": _ASPECTS, "baseline": _BASELINES, "scale": _SCALES,
    "num": tuple(str(k) for k in range(2, 41)), "pct": tuple(str(k) for k in range(3, 46)),
}
_SLOT_VALUES.update(
    {
        key.capitalize(): tuple(_title_case(value.removeprefix("the ")) for value in values)
        for key, values in _SLOT_VALUES.items()
    }
)
_TEMPLATE_SLOTS: dict[str, tuple[str, ...]] = {}


def _fill(template: str, rng: random.Random, name: str) -> str:
    """Fill ``template``; capitalised slots take title-cased values.

    Only the slots the template names are drawn, and the title-cased
    vocabulary is precomputed: this runs once or more per synthetic paper.
    """
    slots = _TEMPLATE_SLOTS.get(template)
    if slots is None:
        slots = tuple(dict.fromkeys(f for _, f, _, _ in string.Formatter().parse(template) if f))
        _TEMPLATE_SLOTS[template] = slots
    random_ = rng.random
    values = {"Name": name}
    for slot in slots:
        if slot != "Name":
            options = _SLOT_VALUES[slot]
            values[slot] = options[int(random_() * len(options))]
    text = template.format_map(values)
    return text[0].upper() + text[1:]


@lru_cache(maxsize=8)
def _sentence_pool(seed: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Pre-generated abstract sentences and their word counts, for one seed."""
    rng = random.Random(f"sentences:{seed}")
    sentences: list[str] = []
    while len(sentences) < _SENTENCE_POOL:
        text = _fill(rng.choice(_SENTENCES), rng, _random_name(rng))
        if len(text.split()) <= _MAX_SENTENCE_WORDS:
            sentences.append(text)
    return tuple(sentences), tuple(len(s.split()) for s in sentences)


@lru_cache(maxsize=8)
def _author_pool(seed: int) -> tuple[str, ...]:
    """Full names, about 7% of them non-ASCII (accents, CJK, Vietnamese)."""
    rng = random.Random(f"authors:{seed}")
    names = sorted({f"{first} {last}" for first in _FIRST for last in _LAST})
    ascii_names = [name for name in names if name.isascii()]
    other = [name for name in names if not name.isascii()]
    pool = ascii_names + rng.sample(other, len(ascii_names) // 16) + list(_CJK_NAMES) * 4
    rng.shuffle(pool)
    return tuple(pool)


def _make_title(rng: random.Random, index: int, seen: set[str]) -> str:
    """A title of 6-16 words whose normalised form is not in ``seen``.

    After a few collisions the title is prefixed with a name derived from
    ``index``, so the loop ends after a handful of tries.
    """
    random_ = rng.random
    attempt = 0
    while True:
        attempt += 1
        template = _TITLES[int(random_() * len(_TITLES))]
        if attempt > 4 and "{Name}" not in template:
            template = "{Name}: " + template
        if "?" not in template:
            for _ in range(int(random_() * 2.5)):  # 0, 1 or 2 suffixes
                suffix = _TITLE_SUFFIXES[int(random_() * len(_TITLE_SUFFIXES))]
                lead = suffix.split(None, 1)[0]
                if (":" not in template) if lead == ":" else (f" {lead} " not in template):
                    template += suffix
        name = _unique_name(index) if attempt > 4 else _random_name(rng)
        title = _fill(template, rng, name)
        if not 6 <= len(title.split()) <= 16:
            continue
        key = normalise_title(title)
        if key not in seen:
            seen.add(key)
            return title


_NON_SLUG_RE = re.compile(r"[^A-Za-z0-9_-]+")


def _slug(title: str, rng: random.Random) -> str:
    """A repository or host name: the title's method name, or a made-up one."""
    head = title.split(":", 1)[0] if ":" in title else _random_name(rng)
    return _NON_SLUG_RE.sub("-", head).strip("-").lower() or "paper"


def make_drafts(n: int, seed: int = 0) -> list[PaperDraft]:
    """Deterministic synthetic papers for benchmarks.

    Args:
        n: How many drafts to make (tested up to 100k; at most
            ``MAX_DRAFTS`` so that ids fit the arXiv ``YYMM.NNNNN`` form).
        seed: Varies the text; the same ``(n, seed)`` gives equal drafts.

    Returns:
        ``n`` drafts in date order, with unique arXiv-style ids (that depend
        only on ``n`` and the index, so every seed gives the same ids) and
        unique titles (after ``normalise_title``).
    """
    if not 0 <= n <= MAX_DRAFTS:
        raise ValueError(f"n must be between 0 and {MAX_DRAFTS}, got {n}")
    # Every object built here is acyclic; collecting while 100k drafts pile up
    # only adds about a third to the run time.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _make_drafts(n, seed)
    finally:
        if gc_was_enabled:
            gc.enable()


def _make_drafts(n: int, seed: int) -> list[PaperDraft]:
    rng = random.Random(seed)
    sentences, lengths = _sentence_pool(seed)
    authors_pool = _author_pool(seed)
    days = [(START_DAY + dt.timedelta(days=d)) for d in range(SPAN_DAYS)]
    iso_days = [d.isoformat() for d in days]
    month_counts: dict[str, int] = {}
    seen_titles: set[str] = set()
    random_, randint, expovariate, sample = rng.random, rng.randint, rng.expovariate, rng.sample
    n_sentences, n_authors = len(sentences), len(authors_pool)
    author_total, class_total = _AUTHOR_WEIGHTS[-1], _CLASS_WEIGHTS[-1]
    drafts: list[PaperDraft] = []
    append = drafts.append
    for i in range(n):
        day_index = i * SPAN_DAYS // n
        # Ids depend on the index alone (not the seed): published 0-3 days
        # before the list day, and the id numbers papers within that month.
        published_index = max(0, day_index - i % 4)
        published_day = days[published_index]
        yymm = f"{published_day.year % 100:02d}{published_day.month:02d}"
        serial = month_counts.get(yymm, 0) + 1
        month_counts[yymm] = serial
        title = _make_title(rng, i, seen_titles)
        slug = _slug(title, rng)

        github: tuple[str, ...] = ()
        if random_() < 0.3:
            repo = f"https://github.com/{_ORGS[int(random_() * len(_ORGS))]}/{slug}"
            github = (repo, f"{repo}-data") if random_() < 0.1 else (repo,)
        code_note = bool(github) and random_() < 0.5

        # Sentences have at most 30 words, so 150 <= words < 250.
        target = 150 + int(random_() * 71) - (2 if code_note else 0)
        parts: list[str] = []
        words = 0
        while words < target:
            k = int(random_() * n_sentences)
            parts.append(sentences[k])
            words += lengths[k]
        if code_note:
            parts.append(f"Code: {github[0]}")

        count = bisect.bisect(_AUTHOR_WEIGHTS, random_() * author_total) + 1
        authors = tuple(dict.fromkeys(authors_pool[int(random_() * n_authors)] for _ in range(count)))
        keywords: tuple[str, ...] = ()
        if random_() < 0.5:
            keywords = tuple(sample(_KEYWORDS, 3 + int(random_() * 4)))

        append(
            PaperDraft(
                title=title,
                abstract=" ".join(parts),
                authors=authors,
                date=iso_days[day_index],
                published=iso_days[published_index],
                arxiv_id=f"{yymm}.{serial:05d}",
                github=github,
                links=(f"https://{slug}.github.io/",) if random_() < 0.1 else (),
                upvotes=min(int(expovariate(0.04)), 600) if random_() < 0.85 else None,
                comments=int(random_() * 13) if random_() < 0.4 else None,
                github_stars=randint(0, 5000) if github and random_() < 0.5 else None,
                keywords=keywords,
                withdrawn=random_() < 0.002,
                primary_class=_CLASSES[bisect.bisect(_CLASS_WEIGHTS, random_() * class_total)],
                source=SOURCE,
            )
        )
    return drafts


def make_page_copy(n: int, seed: int = 0) -> str:
    """A copied Daily Papers page with ``n`` papers, for import-speed benchmarks.

    Same layout as a page copied from the browser: the header lines, then
    title, blank line, abstract, blank line for each paper.

    Args:
        n: How many papers the page lists.
        seed: As for :func:`make_drafts`; the titles and abstracts are the
            same as ``make_drafts(n, seed)`` gives.

    Returns:
        The page text, ending with a newline.
    """
    lines = list(PAGE_HEADER)
    for draft in make_drafts(n, seed):
        lines.append(draft.title)
        lines.append(draft.abstract)
    return "\n\n".join(lines) + "\n"
