"""See inside the model: attention maps and rollout (:mod:`.attention`),
Grad-CAM (:mod:`.cam`, needs ``grad-cam``), the data pipeline step by step
(:mod:`.pipeline`), and what the tools share: model / input loading
(:mod:`.inputs`) and captions (:mod:`.drawing`). Not imported by
``import uniformer_mm``."""
