"""The core of analysis: the document, the stage registry and pipeline, spaCy, resources."""
