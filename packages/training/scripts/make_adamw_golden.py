#!/usr/bin/python3
"""Golden values for @rtk/training's AdamW and global-norm clipping, from PyTorch.

Writes fixtures/adamw-golden.json (run from packages/training:
`/usr/bin/python3 scripts/make_adamw_golden.py fixtures/adamw-golden.json`).

Parameters are named as in a Hugging Face BERT checkpoint. Two param groups, as HF's Trainer
builds them: weight decay on everything except biases and LayerNorm weights. Each step:
  1. gradients (seeded random, fixed per step, some scaled up so clipping bites),
  2. torch.nn.utils.clip_grad_norm_(params, max_norm) -> total norm, clipped gradients,
  3. lr for this step from a linear warmup/decay (HF get_linear_schedule_with_warmup rule:
     step t = number of optimizer steps already taken, lr = base*t/W for t < W, else
     base*max(0, (T - t)/(T - W))),
  4. torch.optim.AdamW(betas=(0.9, 0.999), eps=1e-8).step().
Recorded: initial params, per step the raw gradients, the total norm, the clipped gradients,
the lr and the params after the step.
"""
import json
import sys

import torch

torch.manual_seed(2024)

SHAPES = {
    "encoder.layer.0.attention.self.query.weight": [4, 3],
    "encoder.layer.0.attention.self.query.bias": [4],
    "encoder.layer.0.attention.output.LayerNorm.weight": [3],
    "encoder.layer.0.attention.output.LayerNorm.bias": [3],
    "embeddings.word_embeddings.weight": [5, 3],
}
BASE_LR, WEIGHT_DECAY, MAX_NORM = 1e-2, 0.1, 1.0
WARMUP, TOTAL, STEPS = 2, 6, 5


def no_decay(name):
    return name.endswith("bias") or "LayerNorm" in name


def lr_at(t):
    return BASE_LR * t / WARMUP if t < WARMUP else BASE_LR * max(0.0, (TOTAL - t) / (TOTAL - WARMUP))


params = {n: torch.nn.Parameter(torch.randn(*s)) for n, s in SHAPES.items()}
initial = {n: p.detach().tolist() for n, p in params.items()}
opt = torch.optim.AdamW(
    [
        {"params": [p for n, p in params.items() if not no_decay(n)], "weight_decay": WEIGHT_DECAY},
        {"params": [p for n, p in params.items() if no_decay(n)], "weight_decay": 0.0},
    ],
    lr=BASE_LR, betas=(0.9, 0.999), eps=1e-8,
)
steps = []
for t in range(STEPS):
    raw = {n: torch.randn(*s) * (3.0 if t % 2 == 0 else 0.05) for n, s in SHAPES.items()}
    for n, p in params.items():
        p.grad = raw[n].clone()
    norm = torch.nn.utils.clip_grad_norm_(list(params.values()), MAX_NORM)
    lr = lr_at(t)
    for g in opt.param_groups:
        g["lr"] = lr
    clipped = {n: p.grad.tolist() for n, p in params.items()}
    opt.step()
    steps.append({
        "grads": {n: g.tolist() for n, g in raw.items()},
        "norm": float(norm),
        "clipped": clipped,
        "lr": lr,
        "params": {n: p.detach().tolist() for n, p in params.items()},
    })

out = sys.argv[1] if len(sys.argv) > 1 else "adamw-golden.json"
with open(out, "w") as f:
    json.dump({
        "torch": torch.__version__, "definitions": __doc__,
        "base_lr": BASE_LR, "weight_decay": WEIGHT_DECAY, "max_norm": MAX_NORM,
        "warmup_steps": WARMUP, "total_steps": TOTAL, "betas": [0.9, 0.999], "eps": 1e-8,
        "no_decay": [n for n in SHAPES if no_decay(n)],
        "shapes": SHAPES, "initial": initial, "steps": steps,
    }, f, indent=1)
print(f"wrote {out}: {len(steps)} steps")
