"""Structured data (JSON-LD, schema.org) for search engines: what each page carries (the check that
it parses and says what the visible page says is checks/structured.py).

Every page: a `MedicalWebPage` (name, language, last review, reviewer, publisher) about a
`MedicalTherapy` with its contraindications, which are the items of the critical contraindication
facts (`contraindications` or `contraindications.*` in content/facts.yaml) in the page's language.
A page that shows a question-and-answer list fact (word fields `question` and `answer`) also carries
a `FAQPage` with those questions and answers.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from patientsite.load.clinic import ReviewerWords
from patientsite.model.site import Page, Site

CONTEXT = "https://schema.org"


def contraindication_facts(site: Site) -> tuple[str, ...]:
    return tuple(f.id for f in site.facts.facts.values()
                 if f.critical and f.is_list and (f.id == "contraindications" or f.id.startswith("contraindications.")))


def faq_facts(site: Site, page: Page) -> tuple[str, ...]:
    return tuple(f for f in page.facts_used
                 if {"question", "answer"} <= set(site.facts.facts[f].word_fields))


def json_ld_facts(site: Site, page: Page) -> tuple[str, ...]:
    """The list facts whose words the page's JSON-LD needs (as plain text)."""
    return contraindication_facts(site) + faq_facts(site, page)


def json_ld(site: Site, page: Page, therapy: str, reviewer: ReviewerWords, lists: dict) -> Markup:
    """The page's JSON-LD, safe inside <script type="application/ld+json">.

    `lists` maps each of `json_ld_facts` to its items' word fields as plain text."""
    config = site.config
    url = config.base_url + page.url
    clinic = config.clinic_in(page.language)
    web_page = {
        "@type": "MedicalWebPage", "@id": url, "url": url, "name": page.title,
        "description": page.description, "inLanguage": page.language,
        "lastReviewed": page.reviewed.isoformat(),
        "reviewedBy": {"@type": "Person", "name": reviewer.name, "honorificPrefix": reviewer.title,
                       "jobTitle": reviewer.role},
        "publisher": {"@id": config.base_url + "#clinic"},
        "about": {"@id": url + "#therapy"},
    }
    graph = [web_page, {
        "@type": "MedicalClinic", "@id": config.base_url + "#clinic", "name": clinic.name,
        "address": clinic.address, "telephone": clinic.phone, "email": clinic.email, "url": config.base_url,
    }, {
        "@type": "MedicalTherapy", "@id": url + "#therapy", "name": therapy,
        "contraindication": [{"@type": "MedicalContraindication", "name": item["label"]}
                             for fact_id in contraindication_facts(site) for item in lists[fact_id]],
    }]
    questions = [item for fact_id in faq_facts(site, page) for item in lists[fact_id]]
    if questions:
        graph.append({
            "@type": "FAQPage", "@id": url + "#faq", "url": url, "inLanguage": page.language,
            "isPartOf": {"@id": url},
            "mainEntity": [{"@type": "Question", "name": q["question"],
                            "acceptedAnswer": {"@type": "Answer", "text": q["answer"]}} for q in questions],
        })
    text = json.dumps({"@context": CONTEXT, "@graph": graph}, ensure_ascii=False, sort_keys=True, indent=1)
    # No "<", ">" or "&" inside a script element: "</script>" or "<!--" in a title cannot end it early.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
