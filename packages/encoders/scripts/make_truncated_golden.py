#!/usr/bin/python3
"""PyTorch outputs of tiny-bert for sample texts truncated to a token limit.

A bidirectional encoder's states for the first n tokens depend on every token of the row, and
truncation replaces token n-1 by [SEP], so the truncated outputs cannot be derived from the
full-length ones in expected.json; this runs the PyTorch reference model on the truncated ids.

For each text of expected.json with more than --max-length tokens: the ids cut to
[CLS] + the first max_length-2 word pieces + [SEP] (checked against expected.json's ids), and, for
that row alone (no padding), last_hidden_state, the [CLS] vector, the mean over the tokens and the
L2-normalised mean.

  /usr/bin/python3 make_truncated_golden.py [--model DIR] [--tools DIR] [--max-length N] [--out FILE]

--tools is the folder of torch_finetune_reference.py (the PyTorch BERT used for expected.json).
"""
import argparse, json, os, sys

import torch


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(here, "..", "fixtures", "tiny-bert"))
    ap.add_argument("--tools", default=os.environ.get("RTK_SHARED_TOOLS"), required="RTK_SHARED_TOOLS" not in os.environ,
                    help="folder of torch_finetune_reference.py (default $RTK_SHARED_TOOLS)")
    ap.add_argument("--max-length", type=int, default=8)
    ap.add_argument("--out", default=os.path.join(here, "..", "fixtures", "tiny-bert-truncated.json"))
    a = ap.parse_args()
    sys.path.insert(0, a.tools)
    from torch_finetune_reference import load_model, tokenize  # noqa: E402

    model, _config, vocab = load_model(a.model)
    model.eval()
    samples = json.load(open(os.path.join(a.model, "expected.json")))["samples"]
    cases = []
    with torch.no_grad():
        for s in samples:
            full = s["input_ids"]
            if len(full) <= a.max_length:
                continue
            cut = full[: a.max_length - 1] + [vocab["[SEP]"]]
            ids, mask = tokenize([s["text"]], vocab, a.max_length)
            assert ids[0].tolist() == cut, (ids[0].tolist(), cut)
            h = model(ids, mask, torch.zeros_like(ids))[0]
            mean = h.mean(0)
            cases.append({"text": s["text"], "input_ids": cut, "last_hidden_state": h.tolist(),
                          "cls": h[0].tolist(), "mean": mean.tolist(),
                          "mean_normalized": torch.nn.functional.normalize(mean, dim=0).tolist()})
    json.dump({"generator": "packages/encoders/scripts/make_truncated_golden.py",
               "torch": torch.__version__, "max_length": a.max_length, "cases": cases},
              open(a.out, "w"), indent=1)
    print(f"wrote {a.out}: {len(cases)} cases")


if __name__ == "__main__":
    main()
