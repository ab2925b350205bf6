"""Realistic odd titles: the shapes real ML paper titles take that naive checks trip on.

Written for papertray's tests (none copied from a real page); each imitates a
shape seen on arXiv or Hugging Face Daily Papers: a quoted phrase before a
colon, brackets, digits, ``<``, ``$`` and TeX, emoji, endings in ``:``,
``?``, ``!``, ``)`` or ``…``, one word.
"""

from __future__ import annotations

ODD_TITLES: tuple[str, ...] = (
    '"Attention Sink": A Study of Where Transformers Park Their Attention',
    "\u201cWhy Not Both?\u201d: Mixing Retrieval and Generation in Small Models",
    "'Less is More': Pruning Visual Tokens for Faster Decoding",
    '"It\'s Not a Bug, It\'s a Feature": Label Noise as Regularisation',
    "[CLS] Tokens Are All You Need for Sentence Embeddings",
    "(Almost) Free Lunch: Zero-Cost Proxies for Architecture Search",
    "{GPT}-style Pretraining of {BERT} Encoders",
    "3D Gaussian Splatting in the Wild",
    "1-bit LLMs: All Large Language Models are in 1.58 Bits",
    "<think> Tags Considered Harmful: Hidden Reasoning in Chat Models",
    "$k$NN-LM Revisited: Retrieval at Scale",
    r"$\mathcal{O}(\sqrt{n})$-Regret Bandits with Delayed Feedback",
    r"Learning Rate Warmup in $O(\log T)$ Steps for \textsc{Adam}",
    "\U0001f999 Llama-Adapter: Efficient Fine-tuning of Language Models",
    "\U0001f525 Hot or Not? Calibrating Reward Models",
    "Are Emergent Abilities a Mirage?",
    "Scaling Laws for Everything!",
    "Towards Robust Web Agents:",
    "Diffusion Models (Are Secretly Energy-Based)",
    "Looking Beyond the Obvious\u2026",
    "Mamba",
    "GPT-4o",
    "Large Language Models~(LLMs) as Judges of Code",
    r"Reaching 50\% Accuracy with \emph{Tiny} Models",
    "#InsTag: Instruction Tagging for Supervised Fine-tuning",
    "> 100 Languages: Massively Multilingual Speech Recognition",
    "|V| Matters: Vocabulary Size Scaling for Language Models",
    "Q*: Improving Multi-step Reasoning with Deliberative Planning",
    "\u03b1-Flow: Learning with Alpha Divergences",
    "\u03c00: A Vision-Language-Action Flow Model for Robot Control",
    "MM1.5: Methods, Analysis & Insights from Multimodal Fine-tuning",
    "Sigmoid Loss for Language Image Pre-Training.",
    "Visual Instruction Tuning [Extended Version]",
    "Don't Stop Pretraining: Adapt Language Models to Domains and Tasks",
    "LLMs Can't Plan, But Can Help Planning",
    "2-Simplicial Attention",
    "Sound results}, author={Mallory}, year={1999",
    "x_{t+1} = f(x_t): Implicit Layers, Explicitly",
)
