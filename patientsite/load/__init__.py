"""The load stage: site.yaml, facts, words, pages, catalogues and the translation units, each read
and checked once, into frozen values."""
