"""``python -m pipeline.training``: train the Indonesian NER model (see pipeline/training/train.py)."""
import sys

from pipeline.training.train import main

sys.exit(main())
