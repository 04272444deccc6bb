"""Fake NER backend and language detector registered on import, so worker processes (a process
pool, Dask workers) can register them too: engines import the modules named in ``worker_imports``.
The backend tags capitalised words as ORG and sleeps ``model`` (sleep-SECONDS) seconds per text (a slow model)."""
import time

from pipeline import plugins

ENGLISH = {"the", "of", "and", "was", "by", "its", "in", "a", "to", "is"}
INDONESIAN = {"di", "oleh", "dan", "yang", "selama", "ini", "itu", "dari", "ke", "untuk", "pada", "dengan"}
OVERRIDES = ["detect.detector=fake-words", "ner.models.en.backend=fake-slow", "ner.models.en.model=sleep-0",
             "ner.models.id.backend=fake-slow", "ner.models.id.model=sleep-0"]


class SlowBackend:
    version = "0"

    def __init__(self, seconds: float):
        self.name = "fake-slow"
        self.seconds = seconds

    def annotate(self, texts):
        results = []
        for text in texts:
            time.sleep(self.seconds)
            spans, cursor = [], 0
            for word in text.split():
                start = text.index(word, cursor)
                cursor = start + len(word)
                clean = word.strip(".,;:()'\"")
                if clean[:1].isupper() and clean.lower() not in ENGLISH | INDONESIAN:
                    begin = text.index(clean, start)
                    spans.append((begin, begin + len(clean), "ORG"))
            results.append((spans, len(text.split())))
        return results


def word_detector(settings, processed=None):
    def detect(text):
        words = text.lower().replace(".", " ").split()
        english = sum(w in ENGLISH for w in words) >= sum(w in INDONESIAN for w in words)
        return [("en", 0.99), ("id", 0.01)] if english else [("id", 0.99), ("en", 0.01)]
    return detect


if "fake-slow" not in plugins.ner_backends.names():
    plugins.ner_backends.register("fake-slow", lambda model, config: SlowBackend(float(model.model[0].removeprefix("sleep-"))))
    plugins.detectors.register("fake-words", word_detector)
