"""Synthetic Daily Papers page copies, for speed tests and round trips.

Made up from word lists so a test can ask for 10,000 papers without shipping
a large fixture; the shape (header, date line, title/abstract pairs, about one
in five abstracts with a GitHub link) follows real page copies.
"""

from __future__ import annotations

import random

_WORDS = (
    "attention diffusion sparse retrieval agents calibration transformer tokens gradient curriculum benchmark "
    "reasoning vision language policy reward memory routing distillation pruning quantised robust federated "
    "contrastive graph temporal causal latent scaling efficient adaptive hierarchical multimodal"
).split()

_SENTENCES = (
    "We study how {a} interacts with {b} when models grow beyond a billion parameters.",
    "Our method replaces {a} with a cheaper form of {b} and keeps accuracy within one point.",
    "Experiments on six benchmarks show consistent gains over strong {a} baselines.",
    "We also find that {b} explains most of the remaining error on long inputs.",
    "The analysis suggests simple changes to {a} that practitioners can adopt today.",
)


def make_page(count: int, *, compact: bool = False, date_line: str | None = "Mar 14", seed: int = 7) -> str:
    """A page copy with ``count`` papers, titles numbered so each is unique.

    Args:
        count: Number of papers.
        compact: Use the compact layout (no blank lines, first title glued to "Subscribe").
        date_line: The header's date line, or None for none.
        seed: Seed for the word choice, so runs are repeatable.

    Returns:
        The page text, ending with a newline.
    """
    rng = random.Random(seed)
    header = [
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "by AK and the research community",
    ]
    if date_line:
        header.append(date_line)
    lines: list[str] = []
    for number in range(count):
        a, b, c = rng.sample(_WORDS, 3)
        title = f"{a.title()} {b.title()}: Paper {number} on {c.title()} Models"
        abstract = " ".join(s.format(a=rng.choice(_WORDS), b=rng.choice(_WORDS)) for s in _SENTENCES * 3)
        if number % 5 == 0:
            abstract += f" Code: https://github.com/lab{number}/{a}-{b}."
        lines += [title, abstract]
    if compact:
        header = [line for line in header if line != "Subscribe"]
        lines[0] = "Subscribe" + lines[0]
        return "\n".join(header + lines) + "\n"
    return "\n\n".join(header + lines) + "\n"
