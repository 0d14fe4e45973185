"""The reference data in ../shared/data: readers, located gold spans, and the folds that
keep what is trained or tuned apart from what is measured."""
