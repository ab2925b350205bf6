"""Deterministic synthetic ML papers for search tests and benchmarks.

The point is realistic *statistics*, not realistic prose: a Zipf-like word
distribution over a few thousand words (real ML vocabulary plus coined method
names such as "Quantorix" or "FlowMamba-2"), titles of 6–14 words, abstracts
of 150–250 words, 1–8 authors with non-ASCII names, hyphenated compounds,
GitHub links for about a third of the papers, and dates over four years.
Posting-list lengths, vocabulary size and result-set sizes then behave like
a real store's, which is what the index's speed depends on.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from store.search import SearchDoc

_FUNCTION = (
    "the of and a to in for we is that on with this by our as are an from be which can it at these "
    "both than while each such its into more also not but or between over under across without only "
    "their when how two three several most all other"
).split()

_NOUNS = (
    "model models learning network networks data training method methods approach performance "
    "results task tasks framework representation representations language image images video text "
    "generation inference attention transformer transformers diffusion policy policies reward agent "
    "agents benchmark benchmarks dataset datasets accuracy loss objective gradient gradients "
    "optimization optimizer parameters layer layers architecture encoder decoder embedding embeddings "
    "token tokens sequence sequences context memory retrieval reasoning alignment preference "
    "preferences feedback evaluation experiments baseline baselines efficiency scaling distillation "
    "quantization pruning sparsity graph graphs node nodes edge edges kernel kernels feature features "
    "classification segmentation detection tracking estimation prediction forecasting regression "
    "uncertainty robustness generalization adaptation transfer supervision annotation labels noise "
    "distribution distributions sampling sampler samples prior posterior likelihood inference "
    "estimator variance bias fairness privacy safety security attack attacks defense watermark "
    "hallucination hallucinations instruction instructions prompt prompts chain thought planning "
    "search tree trees world simulation environment environments robot robots manipulation "
    "navigation control controller trajectory trajectories motion pose depth scene scenes point "
    "cloud clouds mesh geometry rendering radiance field fields speech audio music molecule "
    "molecules protein proteins drug chemistry physics weather climate medical clinical patient "
    "patients health code program programs compiler theorem proof proofs mathematics equation "
    "equations solver operator operators spectrum frequency signal signals compression codec "
    "bandwidth latency throughput hardware accelerator memory cache hierarchy mixture experts "
    "router routing head heads window windows resolution pixel pixels patch patches frame frames "
    "caption captions question questions answer answers dialogue conversation user users "
    "recommendation ranking query queries document documents corpus corpora knowledge entity "
    "entities relation relations ontology table tables chart charts layout font style content"
).split()

_VERBS = (
    "propose introduce present show demonstrate achieve outperform improve reduce enable study "
    "analyze investigate evaluate develop design leverage exploit learn train fine-tune adapt "
    "generate predict estimate optimize scale compress distill align retrieve reason plan infer "
    "detect segment track render reconstruct synthesize transfer generalize combine unify extend "
    "formulate derive prove establish characterize quantify measure benchmark release"
).split()

_ADJECTIVES = (
    "large small efficient scalable robust simple novel new effective accurate fast lightweight "
    "sparse dense multimodal multi-modal visual textual temporal spatial spatio-temporal causal "
    "hierarchical recurrent convolutional generative discriminative contrastive self-supervised "
    "semi-supervised unsupervised supervised few-shot zero-shot in-context long-context "
    "open-vocabulary open-source state-of-the-art end-to-end real-time low-rank high-resolution "
    "fine-grained coarse-grained adversarial probabilistic bayesian variational stochastic "
    "deterministic linear nonlinear continuous discrete latent implicit explicit neural symbolic "
    "neuro-symbolic differentiable interpretable explainable reliable trustworthy safe private "
    "federated distributed parallel adaptive dynamic static universal general specialized "
    "domain-specific cross-lingual multilingual low-resource"
).split()

_TASKS = (
    "text-to-image generation|video generation|machine translation|question answering|"
    "code generation|mathematical reasoning|image classification|object detection|"
    "semantic segmentation|depth estimation|speech recognition|time series forecasting|"
    "protein structure prediction|molecule generation|reinforcement learning|"
    "language modeling|visual question answering|image editing|3D reconstruction|"
    "novel view synthesis|robot manipulation|autonomous driving|document understanding|"
    "retrieval-augmented generation|instruction following|preference optimization|"
    "graph neural networks|anomaly detection|recommendation|summarization|dialogue systems|"
    "theorem proving|weather forecasting|medical image analysis|audio generation|"
    "continual learning|federated learning|neural architecture search|knowledge distillation|"
    "model compression|long-context modeling|tool use|web agents|embodied agents"
).split("|")

_REAL_METHODS = (
    "LoRA QLoRA DPO PPO GRPO RLHF BERT GPT-4 Llama-3 Mamba ViT CLIP DINOv2 SAM NeRF Gaussian "
    "Splatting ResNet U-Net Transformer-XL FlashAttention MoE T5 Whisper Stable-Diffusion "
    "ControlNet AlphaFold GraphSAGE GAT VAE GAN DDPM DDIM Flow-Matching KAN RWKV Qwen Mistral"
).split()

_SYLLABLES = (
    "quan tor ix neu ro flux spar se mam ba lo ra vi sion gen er a tive dif fu sor kai zen "
    "hy per graph mor pho syn apse vec tra lum ina tron ic ode on zeph yr orb it al pax "
    "nex us cor tex hel io meta lith astra nova prism quill rune sable tidal umbra vortex "
    "warp xeno yield zenith"
).split()

_SUFFIXES = ("", "", "", "-2", "-XL", "-R1", "Net", "Former", "GPT", "-Lite", "v2", "++")

_FIRST = (
    "Wei Jing Yuki Hiroshi Min-jun Seo-yeon Arjun Priya Ananya Rahul Mohammed Fatima Ahmed "
    "Omar Olga Dmitri Sergei Natalia Łukasz Agnieszka Piotr Zoë Chloé Éric Hélène François "
    "José María Jesús Sofía Ángel João Conceição Jürgen Günther Jörg Björn Søren Øyvind Åsa "
    "Mikael Ingrid Emma Liam Olivia Noah James Sarah David Laura Michael Anna Thomas Julia "
    "Tomáš Jiří Dušan Ivana Çağrı Şebnem Gülşen Nguyễn Thảo Minh Kwame Ama Chidi Ngozi Siobhán "
    "Pádraig Ólafur Þóra Renée Zsófia Ádám"
).split()

_LAST = (
    "Wang Zhang Li Liu Chen Yang Huang Zhao Wu Zhou Kim Lee Park Choi Tanaka Suzuki Sato Kumar "
    "Sharma Patel Singh Gupta Ivanov Petrova Kowalski Nowak Wiśniewski Müller Schröder Schäfer "
    "Weiß Groß Dupont Lefèvre Girard Fournier García Martínez Sánchez Pérez Ibáñez Muñoz "
    "Gonçalves Araújo Magalhães Johansson Lindqvist Søndergaard Øvergaard Smith Johnson Brown "
    "Miller Davis Wilson Taylor Anderson Thomas Jackson Novák Dvořák Procházka Yılmaz Çelik "
    "Öztürk Nguyen Trần Phạm Mensah Okafor Adeyemi O'Brien Ó Súilleabháin Guðmundsson Ferenczy "
    "Nagy Horváth"
).split()

_KEYWORDS = (
    "LLM|diffusion|RL|vision|NLP|robotics|agents|efficiency|safety|multimodal|3D|audio|"
    "theory|benchmark|graphs|science|medicine|code|reasoning|alignment"
).split("|")

_TITLE_PATTERNS = (
    "{M}: {A} {N} for {T}",
    "{A} {N} {N} via {M}",
    "Towards {A} {T} with {A} {N}",
    "{M}: {V} {A} {N} at Scale",
    "On the {N} of {A} {N} in {T}",
    "{V} {N} is All You Need for {T}",
    "{M}: A {A} Benchmark for {T}",
    "Rethinking {N} for {A} {T}",
    "{A} {N} Meets {M}: {A} {T}",
    "When {N} Helps: {A} {N} and {N} in {T}",
)

_SENTENCES = (
    "we {V} {M}, a {A} {N} for {T}.",
    "{T} remains challenging because {N} and {N} are {A}.",
    "existing {N} rely on {A} {N}, which limits {N}.",
    "our key idea is to {V} {A} {N} with {A} {N}.",
    "experiments on {K} benchmarks show that {M} improves {N} by {P} points over {A} baselines.",
    "we further {V} the {N} of {N} and {V} {A} {N}.",
    "compared with {R}, our {N} reduces {N} by {P}%.",
    "this {A} {N} enables {T} without {A} {N}.",
)


def _vocabulary() -> tuple[list[str], list[float], list[str]]:
    """The shared word list (Zipf weights) and the coined method names; seed-independent."""
    rng = random.Random(20240314)
    coined: dict[str, None] = {}
    while len(coined) < 2500:
        n = rng.choice((2, 2, 3, 3, 4))
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(n))
        coined[stem.capitalize() + rng.choice(_SUFFIXES)] = None
    extra: dict[str, None] = {}
    while len(extra) < 1200:  # plain lower-case technical jargon, e.g. "voxelization"
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        extra[stem + rng.choice(("ation", "ity", "ing", "ism", "er", "al", "ness", "ics"))] = None
    real = list(dict.fromkeys(_NOUNS + _VERBS + _ADJECTIVES))
    jargon = list(dict.fromkeys(list(extra) + [c.lower() for c in coined]))
    rng.shuffle(real)
    rng.shuffle(jargon)
    words = list(dict.fromkeys(_FUNCTION + real + jargon))  # Zipf ranks: function words, real words, jargon
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    return words, list(itertools.accumulate(weights)), list(coined)


_WORDS, _CUM, _COINED = _vocabulary()


def _fill(rng: random.Random, pattern: str, method: str) -> str:
    out = []
    for part in pattern.split("{"):
        if "}" not in part:
            out.append(part)
            continue
        slot, rest = part.split("}", 1)
        out.append(_slot(rng, slot, method) + rest)
    return "".join(out)


def _slot(rng: random.Random, slot: str, method: str) -> str:
    if slot == "M":
        return method
    if slot == "A":
        return rng.choice(_ADJECTIVES)
    if slot == "N":
        return rng.choice(_NOUNS) if rng.random() < 0.8 else rng.choices(_WORDS, cum_weights=_CUM)[0]
    if slot == "V":
        return rng.choice(_VERBS)
    if slot == "T":
        return rng.choice(_TASKS)
    if slot == "K":
        return str(rng.randint(2, 12))
    if slot == "P":
        return f"{rng.uniform(0.5, 40):.1f}"
    return rng.choice(_REAL_METHODS)


def make_docs(n: int, seed: int = 0) -> list[SearchDoc]:
    """``n`` synthetic papers, identical for identical ``(n, seed)``.

    Args:
        n: How many papers.
        seed: Varies titles, abstracts, authors and dates; the vocabulary stays the same.

    Returns:
        Papers with unique arXiv-like ids, dates between 2022-01-01 and 2025-12-31.
    """
    rng = random.Random(seed)
    start = dt.date(2022, 1, 1).toordinal()
    per_month: dict[str, int] = {}
    docs: list[SearchDoc] = []
    for _ in range(n):
        day = dt.date.fromordinal(start + rng.randrange(1461))
        month = f"{day.year % 100:02d}{day.month:02d}"
        per_month[month] = per_month.get(month, 0) + 1
        method = rng.choice(_COINED) if rng.random() < 0.85 else rng.choice(_REAL_METHODS)
        title = _fill(rng, rng.choice(_TITLE_PATTERNS), method)
        title = " ".join(w[:1].upper() + w[1:] if len(w) > 3 else w for w in title.split())
        target = rng.randint(150, 250)
        sentences: list[str] = []
        count = 0
        while count < target:
            if rng.random() < 0.45:
                sentence = _fill(rng, rng.choice(_SENTENCES), method)
            else:
                words = rng.choices(_WORDS, cum_weights=_CUM, k=rng.randint(10, 24))
                sentence = " ".join(words) + "."
            sentences.append(sentence[0].upper() + sentence[1:])
            count += sentence.count(" ") + 1
        has_code = rng.random() < 0.35
        if has_code:
            owner = rng.choice(_LAST).lower().replace(" ", "")
            sentences.append(f"Code is available at https://github.com/{owner}/{method.lower()}.")
        authors = ", ".join(
            f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.choice((1, 2, 3, 3, 4, 4, 5, 6, 8)))
        )
        keywords = ", ".join(rng.sample(_KEYWORDS, rng.randint(0, 3)))
        docs.append(
            SearchDoc(
                id=f"{month}.{per_month[month]:05d}",
                title=title,
                authors=authors,
                abstract=" ".join(sentences),
                date=day.isoformat(),
                has_code=has_code,
                keywords=keywords,
            )
        )
    return docs
