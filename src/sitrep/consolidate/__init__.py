"""Corpus-wide consolidation over the ledger (DESIGN §1): near-duplicate articles and
reused passages, event clusters, claim clusters and disagreements.

Every step is blocked (MinHash bands, shingle postings, date × place × type blocks) so that
its cost grows near-linearly with the corpus.
"""
