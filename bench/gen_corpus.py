#!/usr/bin/env python3
"""Generates a deterministic corpus of Learn-style vendor notices for bench/run.

    python3 bench/gen_corpus.py --notices N --seed S --out DIR [--catalog content/_products.yaml]

DIR becomes a bulletin site root: DIR/bulletin.yaml, DIR/content/_products.yaml (the repo's
catalog plus invented products), DIR/content/includes/*.md and N notices (3-7 KB each) under
DIR/content/advisories/<bucket>/ and DIR/content/archive/<bucket>/ (older revisions).

Every stage of a build has work to do:
  - load: frontmatter with Learn's keys, folders of a few hundred files;
  - identity/reconcile: about one notice in ten is an older revision of another one, in
    archive/, with the same file name and the same title up to case/hyphens/spacing; it
    disagrees on the deadline (and sometimes gives "version X" placeholders), so the
    reconciled advisory records conflicts;
  - markdown: `[!INCLUDE]` (relative and `~/`), `>[!IMPORTANT]`/`[!NOTE]` alerts,
    `[!div class="nextstepaction"]`, tables, nested lists, three links to other notices with
    `#anchors` (same folder and other folders), links to vendor pages outside the corpus;
  - extract: a minimum-version list (plain items, nested product-family items, per-cloud
    items), a "Service | Impact" table, deadline sentences "by **September 23, 2024**",
    stops-working / since / retirement sentences, sometimes an extended deadline;
  - policy/render: a catalog that grows with N (one product per ~20 notices), the repo's
    Entra products named by one notice in twenty, so product pages and feeds are not trivial.

The output depends only on the arguments (Python's `random.Random(seed)`), never on the clock.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys

VENDORS = [
    "Contoso", "Fabrikam", "Northwind", "Tailspin", "Litware", "Adatum", "Woodgrove",
    "Proseware", "Wingtip", "Trey",
]
NOUNS = ["Gateway", "Sync", "Vault", "Relay", "Connector", "Bridge", "Directory"]
# Product families: a parent name and members named "<family> <member>", written as nested
# bullets under the family (like "Microsoft Entra Connect Health" > "AD DS agent").
FAMILY_MEMBERS = ["Collector agent", "Relay agent", "Probe agent"]
# The repo's catalog products, with their nested form, so the real names are used too.
ENTRA_FAMILY = ("Microsoft Entra Connect Health", ["Connect Sync agent", "AD DS agent", "AD FS agent"])
ENTRA_SYNC = "Microsoft Entra Connect Sync"

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]

WORDS = (
    "server servers service agent agents upgrade upgrades build release customers tenant "
    "configuration wizard certificate credentials sign-in token endpoint cluster node "
    "replication schedule update security hardening protocol setting policy portal "
    "administrator report alert alerts health connector directory synchronization cloud "
    "installation component library runtime framework module feature features deployment "
    "environment workload audit log logs telemetry key keys rotation encryption network proxy "
    "firewall rule rules account accounts password database instance"
).split()
VERBS = (
    "keeps checks sends requires validates moves replaces reads writes signs rotates reports "
    "restarts uses contacts refreshes stores loads blocks allows accepts rejects"
).split()
ADJ = (
    "older newer supported unsupported hardened legacy current previous internal external "
    "scheduled automatic manual secure default optional"
).split()

PROSE_OPENERS = [
    "The {p} {v} the {a} {n} when the {n2} {v2} a {a2} {n3}.",
    "Each {a} {n} {v} its {n2} before the {n3} {v2} the {a2} {n4}.",
    "If the {n} {v} a {a} {n2}, the {p} {v2} the {n3} and {v3} the {a2} {n4}.",
    "Administrators who manage the {p} should review the {a} {n} and the {n2} it {v}.",
    "In most environments the {a} {n} {v} the {n2} without any change to the {a2} {n3}.",
    "The {n} that the {p} {v} is {a}, so the {n2} {v2} every {a2} {n3}.",
    "Support cases about the {a} {n} often turn out to be a {a2} {n2} that {v} the {n3}.",
]


def date_words(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def ms_date(d: dt.date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def version(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 3000)}.0"


class Catalog:
    """The invented products, with the names notices use for them.

    The catalog grows with the corpus (about one product per 20 notices, one product family
    per 500), as a vendor's does, so each product is cited by a few dozen advisories whatever
    N is; the repo's own products (the Entra ones) stay the few "hot" products every
    twentieth notice names.
    """

    def __init__(self, notices: int) -> None:
        self.products: list[tuple[str, str, list[str]]] = []  # (id, name, aliases)
        self.simple: list[str] = []
        count = max(70, notices // 20)
        for k in range(count):
            vendor = VENDORS[k % len(VENDORS)]
            noun = NOUNS[(k // len(VENDORS)) % len(NOUNS)]
            number = k // (len(VENDORS) * len(NOUNS)) + 2
            name = f"{vendor} {noun} {number}"
            aliases = [f"{vendor} {noun} Server {number}"] if k % 3 == 0 else []
            self.products.append((slug(name), name, aliases))
            self.simple.append(name)
        self.families: list[tuple[str, list[str]]] = []
        for k in range(max(6, notices // 500)):
            family = f"{VENDORS[k % len(VENDORS)]} Monitor {k // len(VENDORS) + 1}"
            for member in FAMILY_MEMBERS:
                name = f"{family} {member}"
                self.products.append((slug(name), name, []))
            self.families.append((family, FAMILY_MEMBERS))

    def yaml(self) -> str:
        lines = ["  # Invented by bench/gen_corpus.py."]
        for pid, name, aliases in self.products:
            lines.append(f"  - id: {pid}")
            lines.append(f"    name: {name}")
            if aliases:
                lines.append("    aliases:")
                lines.extend(f"      - {a}" for a in aliases)
        return "\n".join(lines) + "\n"


def slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ch.isalnum() else "-")
    return "-".join(filter(None, "".join(out).split("-")))


def sentence(rng: random.Random, product: str) -> str:
    template = rng.choice(PROSE_OPENERS)
    return template.format(
        p=product,
        v=rng.choice(VERBS), v2=rng.choice(VERBS), v3=rng.choice(VERBS),
        a=rng.choice(ADJ), a2=rng.choice(ADJ),
        n=rng.choice(WORDS), n2=rng.choice(WORDS), n3=rng.choice(WORDS), n4=rng.choice(WORDS),
    )


def paragraph(rng: random.Random, product: str, sentences: int) -> str:
    return " ".join(sentence(rng, product) for _ in range(sentences))


INCLUDES = 24


def include_text(i: int, rng: random.Random) -> str:
    product = f"{VENDORS[i % len(VENDORS)]} {NOUNS[i % len(NOUNS)]}"
    body = paragraph(rng, product, 3)
    if i % 2 == 0:
        return (
            "---\ntitle: include file\ndescription: include file\nms.topic: include\n---\n\n"
            f"> [!TIP]\n> {body}\n"
        )
    return body + "\n"


class Advisory:
    """One advisory: its newest notice and, sometimes, an older revision."""

    def __init__(self, index: int, rng: random.Random, catalog: Catalog, buckets: int) -> None:
        self.index = index
        self.rng = rng
        self.bucket = f"a{index % buckets:03d}"
        kind = rng.choice(["hardening", "retirement", "certificate", "protocol", "agent"])
        self.subject = rng.choice(catalog.simple)
        self.kind = kind
        words = {
            "hardening": "Security hardening to the auto-upgrade process for",
            "retirement": "Retirement of older builds of",
            "certificate": "Certificate rotation for",
            "protocol": "TLS 1.2 enforcement for",
            "agent": "Minimum agent versions for",
        }[kind]
        self.title = f"{words} {self.subject} (advisory {index:06d})"
        self.name = f"{slug(words)[:32].rstrip('-')}-{index:06d}"
        self.path = f"advisories/{self.bucket}/{self.name}.md"
        self.archive_path = f"archive/{self.bucket}/{self.name}.md"
        # What the notice covers.
        self.others = rng.sample([p for p in catalog.simple if p != self.subject], 2)
        self.family = rng.choice(catalog.families) if rng.random() < 0.6 else None
        self.entra = rng.random() < 0.05
        self.per_cloud = rng.random() < 0.35
        self.extended = rng.random() < 0.08
        self.published = dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 1200))
        self.deadline = self.published + dt.timedelta(days=rng.randint(60, 330))
        self.old_deadline = self.deadline - dt.timedelta(days=rng.randint(7, 28))
        self.versions = {p: version(rng) for p in [self.subject, *self.others]}
        self.cloud_versions = (version(rng), version(rng))
        self.family_versions = [version(rng) for _ in range(3)]
        self.includes = rng.sample(range(INCLUDES), 2)
        self.revision = None  # set by the corpus: (older deadline, placeholders?, basis)

    @staticmethod
    def relative(source: str, target: str, fragment: str) -> str:
        """A link from the notice at `source` to `target`, both relative to content/."""
        return f"{os.path.relpath(target, os.path.dirname(source))}#{fragment}"

    def render(self, links: list[tuple[str, str, str]], older: bool) -> str:
        """The newest notice (older=False) or its older revision (older=True)."""
        rng = random.Random(f"notice:{self.index}")  # both revisions tell the same story
        deadline = self.old_deadline if older else self.deadline
        # Only "dated" revisions differ in ms.date; the others need a revision number or
        # the content (placeholders) to be ordered.
        published = self.published
        if older and self.revision == "dated":
            published -= dt.timedelta(days=45)
        placeholders = older and self.revision == "placeholders"
        title = self.title
        if older:
            # Same title after normalisation: case, hyphens and a trailing blank differ.
            title = title.replace("auto-upgrade", "autoupgrade").replace("Retirement", "retirement") + " "
        d = date_words(deadline)
        subject = self.subject
        out: list[str] = []
        out.append("---")
        out.append(f"title: '{title}'")
        out.append(f"description: What {subject} customers must do by {MONTHS[deadline.month - 1]} {deadline.year}.")
        out.append("author: bench-generator")
        out.append("manager: bench-manager")
        out.append("ms.service: entra-id")
        out.append("ms.topic: how-to")
        out.append(f"ms.date: {ms_date(published)}")
        out.append("ms.subservice: hybrid-connect")
        out.append("ms.author: bench-generator")
        if self.revision == "numbered":
            out.append(f"revision: {1 if older else 2}")
        out.append("---")
        out.append("")
        out.append(f"# {self.title.split(' (advisory')[0]}")
        out.append("")
        since = self.published - dt.timedelta(days=rng.randint(40, 200))
        out.append(
            f"Since {MONTHS[since.month - 1]} {since.year}, the vendor has been upgrading {subject} "
            f"servers to a hardened build. {paragraph(rng, subject, 2)} If you opted out of "
            f"automatic upgrades, you **must** upgrade to the [minimum versions](#minimum-versions) "
            f"by **{d}**."
        )
        out.append("")
        out.append(">[!IMPORTANT]")
        out.append(
            f">**Every customer must upgrade** {subject} to the [minimum versions](#minimum-versions) by **{d}**."
        )
        out.append(">")
        out.append(f">{paragraph(rng, subject, 2)}")
        out.append("")
        if self.extended and not older:
            out.append(
                f"The deadline has been extended by two weeks from the earlier communicated date of "
                f"{date_words(self.old_deadline)}."
            )
            out.append("")
        out.append("## Expected impacts")
        out.append("")
        out.append(f"If a server is below the minimum versions, these are the effects. {paragraph(rng, subject, 1)}")
        out.append("")
        out.append("|Service|Impact|")
        out.append("|-----|-----|")
        out.append(f"|{subject}| Automatic upgrade stops working. {sentence(rng, subject)}|")
        for other in self.others:
            out.append(f"|{other}|Some alerts stop: </br> - {rng.choice(WORDS)} checks fail </br> - {rng.choice(WORDS)} reports are late|")
        if self.family:
            out.append(f"|{self.family[0]} {self.family[1][0]}|All alerts|")
        out.append("")
        out.append(f"- After {date_words(deadline)}, configuring the {rng.choice(WORDS)} through the wizard stops working.")
        out.append(f"- {paragraph(rng, subject, 1)}")
        out.append("")
        out.append(f"## Consider {self.others[0]}")
        out.append("")
        inc = self.includes[0]
        if rng.random() < 0.5:
            out.append(f"[!INCLUDE [shared guidance](../../includes/guidance-{inc:02d}.md)]")
        else:
            out.append(f"[!INCLUDE [shared guidance](~/includes/guidance-{inc:02d}.md)]")
        out.append("")
        out.append(paragraph(rng, self.others[0], rng.randint(3, 6)))
        out.append("")
        out.append("## Minimum versions")
        out.append("")
        out.append(f"Upgrade to the following builds by **{d}** to avoid any service impact:")
        out.append("")
        for product in [subject, *self.others]:
            v = "X" if placeholders and product != subject else self.versions[product]
            link = "reference-version-history.md" + ("" if v == "X" else f"#{v.replace('.', '')}")
            if rng.random() < 0.5:
                out.append(f"- {product}: [version {v}]({link}) or higher")
            else:
                out.append(f"- {product}: version {v} or higher")
        if self.family:
            family, members = self.family
            out.append(f"- {family}")
            for member, v in zip(members, self.family_versions):
                out.append(f"     - {member}: version: [{v}](https://example.com/{slug(member)}) or higher")
        if self.entra:
            name, members = ENTRA_FAMILY
            out.append(f"- {ENTRA_SYNC}: version 2.4.{18 if not older else 2}.0 or higher")
            out.append(f"- {name}")
            for member in members:
                out.append(f"     - {member}: 4.5.2487.0 or higher")
        out.append("")
        if self.per_cloud:
            out.append("### Versions per cloud")
            out.append("")
            out.append(f"To avoid the impacts, be on one of these versions of {subject} by {d}:")
            out.append("")
            commercial, other = self.cloud_versions
            out.append(f"- Customers in commercial clouds: [{commercial}](reference-version-history.md#{commercial.replace('.', '')}) or any newer version")
            out.append(f"- Customers in noncommercial clouds: {other} or any newer version")
            out.append("")
        out.append('> [!div class="nextstepaction"]')
        out.append(f"> [Install the latest {subject}](https://www.example.com/download/{slug(subject)})")
        out.append("")
        out.append(">[!NOTE]")
        out.append(f">If you miss the deadline, upgrading to the latest {subject} restores the {rng.choice(WORDS)}. {sentence(rng, subject)}")
        out.append("")
        out.append("## Background")
        out.append("")
        for _ in range(rng.randint(1, 5)):
            out.append(paragraph(rng, rng.choice([subject, *self.others]), rng.randint(3, 5)))
            out.append("")
        out.append(f"[!INCLUDE [more](../../includes/guidance-{self.includes[1]:02d}.md)]")
        out.append("")
        out.append("## Next steps")
        out.append("")
        for text, target, fragment in links:
            source = self.archive_path if older else self.path
            out.append(f"- [{text}]({self.relative(source, target, fragment)})")
        out.append("- [Version history](reference-version-history.md)")
        out.append("")
        return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, required=True, help="how many notice files (revisions included)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--out", required=True, help="the site root to create (replaced)")
    parser.add_argument("--catalog", help="a _products.yaml whose products are kept (the repo's)")
    parser.add_argument("--revision-share", type=float, default=0.1,
                        help="share of notices that are an older revision of another (default 0.1)")
    args = parser.parse_args()
    if args.notices < 1:
        parser.error("--notices must be at least 1")

    rng = random.Random(args.seed)
    catalog = Catalog(args.notices)
    # Advisories until the notices (newest + older revisions) add up to N.
    advisories: list[Advisory] = []
    total = 0
    buckets = max(1, (args.notices + 399) // 400)
    while total < args.notices:
        a = Advisory(len(advisories), rng, catalog, buckets)
        total += 1
        if total < args.notices and rng.random() < args.revision_share / (1 - args.revision_share):
            # How the revisions are ordered: by ms.date, by a revision number, or only by the
            # content (the older one gives placeholders where the newer gives versions).
            a.revision = rng.choice(["dated", "dated", "numbered", "placeholders"])
            total += 1
        advisories.append(a)

    out = args.out
    if os.path.exists(out):
        shutil.rmtree(out)
    content = os.path.join(out, "content")
    os.makedirs(os.path.join(content, "includes"))

    base = ""
    if args.catalog:
        with open(args.catalog, encoding="utf-8") as f:
            base = f.read().rstrip("\n") + "\n"
    if "products:" not in base:
        base = "products:\n"
    with open(os.path.join(content, "_products.yaml"), "w", encoding="utf-8") as f:
        f.write(base + catalog.yaml())
    with open(os.path.join(out, "bulletin.yaml"), "w", encoding="utf-8") as f:
        f.write(
            "# Written by bench/gen_corpus.py.\n"
            f"title: Benchmark advisories ({args.notices} notices, seed {args.seed})\n"
            "description: A synthetic corpus of Learn-style notices.\n"
            "base_url: /\n"
            "external_base_url: https://learn.example.com/docs/\n"
            "vendor_site_url: https://learn.example.com\n"
        )
    inc_rng = random.Random(f"includes:{args.seed}")
    for i in range(INCLUDES):
        with open(os.path.join(content, "includes", f"guidance-{i:02d}.md"), "w", encoding="utf-8") as f:
            f.write(include_text(i, inc_rng))

    link_texts = ["Related advisory", "See also", "Earlier hardening update"]
    fragments = ["minimum-versions", "expected-impacts", ""]
    for a in advisories:
        links = []
        for k in range(3):
            # One neighbour in the same folder, two anywhere in the corpus.
            if k == 0 and len(advisories) > 1:
                j = a.index + len(VENDORS) if a.index + len(VENDORS) < len(advisories) else a.index - 1
                j = max(0, j)
            else:
                j = rng.randrange(len(advisories))
            target = advisories[j]
            links.append((link_texts[k], target.path, rng.choice(fragments)))
        links = [(t, p, f) if f else (t, p, "minimum-versions") for t, p, f in links]
        for older in ([False, True] if a.revision else [False]):
            path = a.archive_path if older else a.path
            text = a.render(links, older)
            full = os.path.join(content, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
    revisions = sum(1 for a in advisories if a.revision)
    print(f"{args.notices} notices ({len(advisories)} advisories, {revisions} with two revisions), "
          f"{len(catalog.products)} invented products, {INCLUDES} includes -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
