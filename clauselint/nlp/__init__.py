"""The French NLP layer: spaCy pipeline, sentences, lexical keys, polarity, similarity."""
