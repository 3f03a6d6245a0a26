"""Each language's advertising rules for medical information: `content/<lang>/claims.yaml`.

    forbidden:                    # promotional wording: an error in text, alt text and metadata
      painless:                   # an id
        why: Nessun trattamento con aghi si può promettere "indolore".
        phrases: [indolor*, senza dolore]
    required:                     # wording every page of the language must show
      contraindications-warning:
        why: ...
        phrases: [имеются противопоказания]

A phrase matches whole words, ignoring case; `*` at the end of a word matches any ending
(`indolor*`: indolore, indolori). The translators of a language own its file, since the words
differ per language and so do the rules (the Russian law on advertising requires its warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from patientsite.errors import Problems
from patientsite.load.config import Config
from patientsite.load.textfile import read_source
from patientsite.load.yamlload import Node, check_keys, check_types, parse_yaml

CLAIMS_FILE = "claims.yaml"


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str               # "forbidden" or "required"
    why: str
    phrases: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]
    path: str
    line: int


def phrase_pattern(phrase: str) -> re.Pattern:
    """Whole words, any case, any whitespace between words; a final * on a word: any ending."""
    parts = []
    for word in phrase.split():
        stem = word.rstrip("*")
        parts.append(re.escape(stem) + (r"\w*" if word.endswith("*") else ""))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def load_claims(config: Config) -> tuple[dict[str, tuple[Rule, ...]], Problems]:
    """Every language's rules; a missing or malformed file is an error in the returned problems."""
    problems = Problems("reading the claims lists")
    rules: dict[str, tuple[Rule, ...]] = {}
    for language in config.languages:
        rel = f"content/{language.code}/{CLAIMS_FILE}"
        path = config.root / rel
        if not path.is_file():
            problems.error(rel, None, f"the {language.code} list of forbidden claims is missing",
                           f"Copy content/{config.source_language.code}/{CLAIMS_FILE} here and translate its "
                           "phrases.")
            continue
        text = read_source(config.root, rel, problems)
        if text is None:
            continue
        data, found = parse_yaml(text, rel)
        problems.errors.extend(found)
        if found:
            continue
        if not isinstance(data, Node):
            problems.error(rel, 1, "claims.yaml must be a mapping with forbidden: and required:", "")
            continue
        check_keys(data, {"forbidden", "required"}, rel, CLAIMS_FILE, problems, required=("forbidden",))
        found_rules = []
        for kind in ("forbidden", "required"):
            section = data.get(kind) or Node()
            if not isinstance(section, Node):
                problems.error(rel, data.line_of(kind), f"{kind}: must map ids to rules", "")
                continue
            for rule_id, raw in section.items():
                line = section.line_of(rule_id)
                if not isinstance(raw, Node):
                    problems.error(rel, line, f'the rule "{rule_id}" needs why: and phrases:', "")
                    continue
                check_keys(raw, {"why", "phrases"}, rel, f'the rule "{rule_id}"', problems,
                           required=("why", "phrases"))
                check_types(raw, {"why": str}, rel, f'the rule "{rule_id}"', problems)
                phrases = raw.get("phrases") or []
                if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
                    problems.error(rel, raw.line_of("phrases"), f'the phrases of "{rule_id}" must be a list of text',
                                   "Write phrases: [word, other words].")
                    continue
                found_rules.append(Rule(str(rule_id), kind, str(raw.get("why", "")), tuple(phrases),
                                        tuple(phrase_pattern(p) for p in phrases), rel, line))
        rules[language.code] = tuple(found_rules)
    return rules, problems


def find_claims(text: str, rules: tuple[Rule, ...]) -> list[tuple[Rule, str]]:
    """(rule, the words found) for every forbidden phrase in the text."""
    found = []
    for rule in rules:
        if rule.kind != "forbidden":
            continue
        for pattern in rule.patterns:
            for match in pattern.finditer(text):
                found.append((rule, match.group(0)))
    return found


def missing_required(text: str, rules: tuple[Rule, ...]) -> list[tuple[Rule, str]]:
    """(rule, phrase) for every required phrase the text does not carry."""
    return [(rule, phrase) for rule in rules if rule.kind == "required"
            for phrase, pattern in zip(rule.phrases, rule.patterns, strict=True) if not pattern.search(text)]
