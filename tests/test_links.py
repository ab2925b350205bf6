"""GitHub links pulled out of abstracts: what survives copying from a page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.links import clean_github_url, extract_github_links, is_web_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://github.com/owner/repo", "https://github.com/owner/repo"),
        ("http://github.com/owner/repo", "https://github.com/owner/repo"),
        ("github.com/owner/repo", "https://github.com/owner/repo"),
        ("www.github.com/owner/repo", "https://github.com/owner/repo"),
        ("HTTPS://GitHub.com/Owner/Repo", "https://github.com/Owner/Repo"),
        ("https://github.com/owner/repo.", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo,", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo;", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo:", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo)", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo).", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/.", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git/", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git.", "https://github.com/owner/repo"),
        (
            "https://github.com/X-PLUG/mPLUG-DocOwl/tree/main/DocOwl1.5",
            "https://github.com/X-PLUG/mPLUG-DocOwl/tree/main/DocOwl1.5",
        ),
        (
            "https://github.com/X-PLUG/mPLUG-DocOwl/tree/main/DocOwl1.5.",
            "https://github.com/X-PLUG/mPLUG-DocOwl/tree/main/DocOwl1.5",
        ),
        (
            "https://github.com/owner/repo/blob/main/notes_(v2).md",
            "https://github.com/owner/repo/blob/main/notes_(v2).md",
        ),
        ("https://github.com/owner/repo#readme", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo?tab=readme-ov-file", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/blob/main/x.py?raw=1#L10", "https://github.com/owner/repo/blob/main/x.py"),
        ("https://github.com/owner/repo.git?x=1", "https://github.com/owner/repo"),
        ("https://github.com/a/b/../../../evil", None),
        ("https://github.com/a/b/tree/../../evil", None),
        ("https://github.com/a/b/./x", None),
        ("https://github.com/a/b/%2e%2E/evil", None),
        ("https://github.com/a/b//x", None),
        ("https://github.com/a/..", None),
        ("https://github.com/a/.", None),
        ("https://github.com.evil.example/a/b", None),
        ("https://github.com/a/b\x1b]52;c;x\x07", None),
        ("https://github.com/owner/repo\u201d.", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo\u2026", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo\u3002", "https://github.com/owner/repo"),
        ("https://github.com/owner", None),
        ("https://github.com/", None),
        ("https://github.com/-owner/repo", None),
    ],
)
def test_clean_github_url(raw: str, expected: str | None) -> None:
    assert clean_github_url(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code: https://github.com/a-lab/tool.", ("https://github.com/a-lab/tool",)),
        ("(see https://github.com/a-lab/tool) and more", ("https://github.com/a-lab/tool",)),
        ("code (https://github.com/a-lab/tool).", ("https://github.com/a-lab/tool",)),
        ("[code](https://github.com/a-lab/tool)", ("https://github.com/a-lab/tool",)),
        ("at \\url{https://github.com/a-lab/tool}.", ("https://github.com/a-lab/tool",)),
        ("at \\href{https://github.com/a-lab/tool}{here}", ("https://github.com/a-lab/tool",)),
        (
            "https://github.com/a-lab/tool{https://github.com/a-lab/tool}.",
            ("https://github.com/a-lab/tool",),
        ),
        (
            "{\\footnotesize{https://github.com/a-lab/tool}}.",
            ("https://github.com/a-lab/tool",),
        ),
        (
            "http://github.com/a-lab/tool and https://github.com/A-Lab/Tool/ again",
            ("https://github.com/a-lab/tool",),
        ),
        (
            "first https://github.com/a/one, then https://github.com/b/two; done",
            ("https://github.com/a/one", "https://github.com/b/two"),
        ),
        (
            "at https://github.com/a/one/tree/main/sub and https://github.com/a/one.",
            ("https://github.com/a/one/tree/main/sub", "https://github.com/a/one"),
        ),
        ("project page https://a-lab.github.io/tool/ only", ()),
        ("our code is on GitHub.", ()),
        ("see github.com.", ()),
        ("mirror at notgithub.com/a-lab/tool only", ()),
        ("gluedhttps://github.com/a-lab/tool", ("https://github.com/a-lab/tool",)),
        ("", ()),
    ],
)
def test_extract_github_links(text: str, expected: tuple[str, ...]) -> None:
    assert extract_github_links(text) == expected


def test_links_from_one_abstract_keep_their_order() -> None:
    text = " ".join(f"https://github.com/lab/repo{n}." for n in (3, 1, 2, 1))
    assert extract_github_links(text) == tuple(f"https://github.com/lab/repo{n}" for n in (3, 1, 2))


_SEGMENT = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,15}", fullmatch=True)


@given(
    owner=_SEGMENT,
    repo=_SEGMENT,
    scheme=st.sampled_from(["https://", "http://", "", "www.", "https://www."]),
    tail=st.sampled_from(["", ".", ",", ";", ")", ").", "/", ".git", "}"]),
    before=st.sampled_from(["", "(", " ", "\\url{", "Code: "]),
)
def test_any_spelling_of_a_repo_link_cleans_to_one_url(
    owner: str, repo: str, scheme: str, tail: str, before: str
) -> None:
    text = f"{before}{scheme}github.com/{owner}/{repo}{tail} and more"
    links = extract_github_links(text)
    assert links == (f"https://github.com/{owner}/{repo}",)
    assert is_web_url(links[0])
    assert clean_github_url(links[0]) == links[0]


def test_a_stored_dot_dot_link_is_never_handed_out(tmp_path) -> None:
    """A store written before normalisation (or by hand) still yields only clean repo links."""
    from store.corpus import paper_from_doc

    paper = paper_from_doc(
        {"id": "x", "title": "T", "github": ["https://github.com/a/b/../../../evil", "https://github.com/a/b?x=1#y", 7]}
    )
    assert paper.github == ("https://github.com/a/b",)
