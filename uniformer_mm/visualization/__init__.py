"""See inside the model: attention maps and rollout (:mod:`.attention`),
Grad-CAM (:mod:`.cam`, needs ``grad-cam``), the data pipeline step by step
(:mod:`.pipeline`), and the model / input loading the tools share
(:mod:`.inputs`). Not imported by ``import uniformer_mm``."""
