"""Editing a scenario file's text from the scripts that fit the model (standard library only)."""


def set_params(lines, values, comment):
    """`lines` of a scenario with `values` (name -> number) at the end of its [params] table,
    under `comment`, replacing any lines that set those names (and an earlier comment that reads
    the same up to its " up to")."""
    names = set(values)
    head = comment.split(" up to")[0]
    out = [l for l in lines
           if not ("=" in l and l.split("=")[0].strip() in names) and not l.startswith(head)]
    at = out.index("[params]") + 1
    while at < len(out) and out[at].strip() and not out[at].startswith("["):
        at += 1
    block = [comment] + [f"{k} = {v:.4g}" for k, v in values.items()]
    return out[:at] + block + out[at:]
