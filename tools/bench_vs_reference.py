#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Side by side on this CPU: diffusers' UnCLIPPipeline (the reference environment,
../shared/refenv/README.md) and unclip-studio on the same model folder, prompt, seed and steps, per
stage, warm and cold, at each thread count. Run after `. /tmp/refenv/env.sh`:

    /usr/bin/python3 tools/bench_vs_reference.py --unclip build/bin/unclip \\
        [--model resources/models/unclip-emoji] [--threads 1,2] [--rounds 7] [--cold 3]

Warm: the reference runs in this process and ours in one `unclip bench pipeline --interleave --json
--whole` process; the two alternate call by call (who goes first alternates too), so a busy machine
slows both alike, and the table gives the medians of the rounds after one untimed round each. Per
stage: wall seconds, and the process's CPU seconds (user + system; at one thread the less noisy
figure on a shared machine). Stage boundaries in the reference come from hooks on its own calls
(prepare_latents, text_proj, F.interpolate, the super-res scheduler's step), ours from the pipeline's
stage functions; "whole call" is the public call on both sides (UnCLIPPipeline.__call__ with
output_type "np", UnclipPipeline::text_to_image).
Threads: torch.set_num_threads(N) in the reference and `--threads N` in ours; both also run OpenBLAS
(where torch's matrix products go on Debian) on the calling thread, as `unclip` does: torch 1.13
leaves it at one pool thread per core, which spin against torch's OpenMP workers
(--ref-blas-default keeps that for the reference).
Cold: fresh processes, alternating: the reference's python start + imports + from_pretrained + first
call, against `unclip generate` (process start to PNG written).
Last, one picture from each side is compared (max abs difference of the [0, 1] floats).

Prints a Markdown table (the README's) and writes everything to --out/result.json.
"""
import argparse
import functools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

STAGES = ["text encoder", "prior", "decoder", "upscale", "super-res"]


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unclip", required=True, help="the unclip binary")
    ap.add_argument("--model", default="resources/models/unclip-emoji")
    ap.add_argument("--prompt", default="a red apple")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--steps", default="25,25,7", help="prior,decoder,super-res")
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--rounds", type=int, default=7, help="timed warm rounds per thread count")
    ap.add_argument("--cold", type=int, default=3, help="cold process pairs per thread count (0: none)")
    ap.add_argument("--refenv", default=os.environ.get("UNCLIP_REFENV", ""),
                    help="the refenv folder (for unclip_fixed_variance.py; only needed for a decoder "
                         "without learned variance); default $UNCLIP_REFENV, else ../shared/refenv")
    ap.add_argument("--ref-blas-default", action="store_true",
                    help="leave the reference's OpenBLAS at its own thread count (one per core, whatever "
                         "torch.set_num_threads says) instead of one thread, which `unclip` uses")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "bench_vs_reference"))
    ap.add_argument("--ref-cold", action="store_true", help=argparse.SUPPRESS)  # internal: one cold reference run
    return ap.parse_args()


def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), r.ru_utime + r.ru_stime, r.ru_minflt + r.ru_majflt


def set_threads(a, threads):
    """torch.set_num_threads, and (unless --ref-blas-default) OpenBLAS on the calling thread, as `unclip`
    does: torch 1.13 leaves OpenBLAS at one pool thread per core, spinning against torch's OpenMP workers."""
    import torch
    torch.set_num_threads(threads)
    if a.ref_blas_default:
        return
    import ctypes
    try:
        ctypes.CDLL("libopenblas.so.0").openblas_set_num_threads(1)
    except (OSError, AttributeError):
        pass


def load_reference(a, threads):
    import torch
    set_threads(a, threads)
    from diffusers import UnCLIPPipeline
    pipe = UnCLIPPipeline.from_pretrained(a.model, torch_dtype=torch.float32).to("cpu")
    pipe.set_progress_bar_config(disable=True)
    if pipe.decoder.config.out_channels == pipe.decoder.config.in_channels:
        refenv = a.refenv or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "refenv")
        sys.path.insert(0, refenv)
        from unclip_fixed_variance import apply_fixed_variance_adapter
        apply_fixed_variance_adapter(pipe)
    return pipe


class ReferenceStages:
    """Marks the stage boundaries of one UnCLIPPipeline call through hooks on its own calls."""

    def __init__(self, pipe):
        import torch.nn.functional as F
        self.marks = []
        orig_prepare = pipe.prepare_latents

        def prepare(*args, **kw):
            self.marks.append(("latents", usage()))
            return orig_prepare(*args, **kw)

        pipe.prepare_latents = prepare
        pipe.text_proj.register_forward_pre_hook(lambda m, i: self.marks.append(("text_proj", usage())))
        orig_interp = F.interpolate

        # wraps: the pipeline reads F.interpolate's signature to decide whether to ask for antialias
        @functools.wraps(orig_interp)
        def interp(*args, **kw):
            if kw.get("mode") != "bicubic":  # only the pipeline's upscale, not a model's own resampling
                return orig_interp(*args, **kw)
            self.marks.append(("upscale0", usage()))
            out = orig_interp(*args, **kw)
            self.marks.append(("upscale1", usage()))
            return out

        F.interpolate = interp
        sched = pipe.super_res_scheduler
        orig_step = sched.step

        def step(*args, **kw):
            out = orig_step(*args, **kw)
            self.marks.append(("sr_step", usage()))
            return out

        sched.step = step

    def run(self, pipe, a, steps):
        import torch
        self.marks = []
        g = torch.Generator().manual_seed(a.seed)
        start = usage()
        with torch.no_grad():
            img = pipe(a.prompt, generator=g, output_type="np", prior_num_inference_steps=steps[0],
                       decoder_num_inference_steps=steps[1], super_res_num_inference_steps=steps[2]).images[0]
        end = usage()
        lat = [u for k, u in self.marks if k == "latents"]
        tp = [u for k, u in self.marks if k == "text_proj"][0]
        up0 = [u for k, u in self.marks if k == "upscale0"][0]
        up1 = [u for k, u in self.marks if k == "upscale1"][0]
        sr_end = [u for k, u in self.marks if k == "sr_step"][-1]

        def span(u0, u1):
            return {"s": u1[0] - u0[0], "cpu_s": u1[1] - u0[1], "faults": u1[2] - u0[2]}

        up = span(up0, up1)
        sr = span(lat[2], sr_end)
        for k in sr:
            sr[k] -= up[k]
        stages = {"text encoder": span(start, lat[0]), "prior": span(lat[0], tp), "decoder": span(tp, lat[2]),
                  "upscale": up, "super-res": sr}
        return {"stages": stages, "stages_total_s": sum(v["s"] for v in stages.values()),
                "whole_s": end[0] - start[0], "whole_cpu_s": end[1] - start[1]}, img


def ref_cold_main(a):
    """One cold reference process: imports, load, first call (printed as JSON)."""
    t0 = time.perf_counter()
    import torch  # noqa: F401
    import diffusers  # noqa: F401
    t_import = time.perf_counter() - t0
    threads = int(a.threads)
    t1 = time.perf_counter()
    pipe = load_reference(a, threads)
    t_load = time.perf_counter() - t1
    stages = ReferenceStages(pipe)
    run, _ = stages.run(pipe, a, [int(x) for x in a.steps.split(",")])
    print(json.dumps({"import_s": t_import, "load_s": t_load, "first": run}))


def median_run(runs, key_path):
    vals = []
    for r in runs:
        v = r
        for k in key_path:
            v = v[k]
        vals.append(v)
    return statistics.median(vals)


def warm_rounds(a, threads, steps, pipe, stages):
    cmd = [a.unclip, "bench", "pipeline", "--model", a.model, "--threads", str(threads), "--steps", a.steps,
           "--prompt", a.prompt, "--seed", str(a.seed), "--runs", str(a.rounds + 1), "--whole", "--json",
           "--interleave"]
    ours_p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    header = json.loads(ours_p.stdout.readline())
    ref_runs, our_runs = [], []

    def ours():
        ours_p.stdin.write("go\n")
        ours_p.stdin.flush()
        return json.loads(ours_p.stdout.readline())

    for i in range(a.rounds + 1):
        if i % 2 == 0:
            r, _ = stages.run(pipe, a, steps)
            o = ours()
        else:
            o = ours()
            r, _ = stages.run(pipe, a, steps)
        if i == 0:
            continue  # one untimed round: both sides warm
        ref_runs.append(r)
        our_runs.append(o)
        print(f"  threads {threads} round {i}: reference {r['whole_s']:.2f} s, ours {o['whole_s']:.2f} s (whole call)",
              file=sys.stderr, flush=True)
    ours_p.stdin.close()
    ours_p.wait()
    return header, ref_runs, our_runs


def cold_pairs(a, threads, out_dir):
    ref_cmd = [sys.executable, os.path.abspath(__file__), "--ref-cold", "--unclip", a.unclip, "--model", a.model,
               "--prompt", a.prompt, "--seed", str(a.seed), "--steps", a.steps, "--threads", str(threads),
               "--refenv", a.refenv] + (["--ref-blas-default"] if a.ref_blas_default else [])
    ps, ds, ss = a.steps.split(",")
    our_cmd = [a.unclip, "generate", "--model", a.model, "--prompt", a.prompt, "--seed", str(a.seed), "--threads",
               str(threads), "--prior-steps", ps, "--decoder-steps", ds, "--super-res-steps", ss, "-o",
               os.path.join(out_dir, "cold.png")]
    ref, ours, ref_first = [], [], []
    for i in range(a.cold):
        for side in (("ref", "ours") if i % 2 == 0 else ("ours", "ref")):
            t0 = time.perf_counter()
            if side == "ref":
                res = subprocess.run(ref_cmd, check=True, capture_output=True, text=True)
                ref.append(time.perf_counter() - t0)
                ref_first.append(json.loads(res.stdout.strip().splitlines()[-1]))
            else:
                subprocess.run(our_cmd, check=True, capture_output=True)
                ours.append(time.perf_counter() - t0)
    return ref, ours, ref_first


def pixel_check(a, threads, steps, pipe, stages, out_dir):
    import numpy as np
    from safetensors.torch import load_file
    _, ref_img = stages.run(pipe, a, steps)
    st = os.path.join(out_dir, "ours.safetensors")
    subprocess.run([a.unclip, "generate", "--model", a.model, "--prompt", a.prompt, "--seed", str(a.seed),
                    "--threads", str(threads), "--prior-steps", str(steps[0]), "--decoder-steps", str(steps[1]),
                    "--super-res-steps", str(steps[2]), "-o", os.path.join(out_dir, "ours.png"),
                    "--save-tensors", st], check=True, capture_output=True)
    ours = load_file(st)["images"][0].permute(1, 2, 0).float().numpy()
    d = np.abs(ref_img.astype(np.float32) - ours)
    return float(d.max()), float(d.mean())


def table(results):
    lines = ["| threads | stage | reference s | ours s | speed-up | reference CPU s | ours CPU s |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for res in results:
        t = res["threads"]
        for st in STAGES + ["whole call"]:
            if st == "whole call":
                rs, os_ = res["ref_whole_s"], res["ours_whole_s"]
                rc, oc = res["ref_whole_cpu_s"], res.get("ours_whole_cpu_s")
            else:
                rs, os_ = res["ref_stage_s"][st], res["ours_stage_s"][st]
                rc, oc = res["ref_stage_cpu_s"][st], res["ours_stage_cpu_s"][st]
            fmt = (lambda v: f"{v:.3f}") if max(rs, os_) < 0.1 else (lambda v: f"{v:.2f}")
            lines.append(f"| {t} | {st} | {fmt(rs)} | {fmt(os_)} | {rs / os_:.2f}x | "
                         f"{fmt(rc)} | {'' if oc is None else fmt(oc)} |")
        if res.get("cold_ref_s"):
            rs, os_ = statistics.median(res["cold_ref_s"]), statistics.median(res["cold_ours_s"])
            lines.append(f"| {t} | cold: process start to picture | {rs:.2f} | {os_:.2f} | {rs / os_:.2f}x | | |")
    return "\n".join(lines)


def main():
    a = parse_args()
    if a.ref_cold:
        return ref_cold_main(a)
    os.makedirs(a.out, exist_ok=True)
    steps = [int(x) for x in a.steps.split(",")]
    results = []
    pipe = None
    for threads in [int(x) for x in a.threads.split(",")]:
        print(f"threads {threads}: warm rounds", file=sys.stderr, flush=True)
        if pipe is None:
            pipe = load_reference(a, threads)
            stages = ReferenceStages(pipe)
        set_threads(a, threads)
        header, ref_runs, our_runs = warm_rounds(a, threads, steps, pipe, stages)
        res = {"threads": threads, "steps": steps, "rounds": a.rounds, "ours_header": header,
               "ref_runs": ref_runs, "our_runs": our_runs,
               "ref_stage_s": {s: median_run(ref_runs, ["stages", s, "s"]) for s in STAGES},
               "ours_stage_s": {s: median_run(our_runs, ["stages", s, "s"]) for s in STAGES},
               "ref_stage_cpu_s": {s: median_run(ref_runs, ["stages", s, "cpu_s"]) for s in STAGES},
               "ours_stage_cpu_s": {s: median_run(our_runs, ["stages", s, "cpu_s"]) for s in STAGES},
               "ref_stage_faults": {s: median_run(ref_runs, ["stages", s, "faults"]) for s in STAGES},
               "ours_stage_faults": {s: median_run(our_runs, ["stages", s, "faults"]) for s in STAGES},
               "ref_whole_s": median_run(ref_runs, ["whole_s"]),
               "ref_whole_cpu_s": median_run(ref_runs, ["whole_cpu_s"]),
               "ours_whole_s": median_run(our_runs, ["whole_s"]),
               "ours_whole_cpu_s": median_run(our_runs, ["whole_cpu_s"])}
        if a.cold > 0:
            print(f"threads {threads}: cold processes", file=sys.stderr, flush=True)
            res["cold_ref_s"], res["cold_ours_s"], res["cold_ref_first"] = cold_pairs(a, threads, a.out)
        res["max_abs_diff"], res["mean_abs_diff"] = pixel_check(a, threads, steps, pipe, stages, a.out)
        results.append(res)
        json.dump(results, open(os.path.join(a.out, "result.json"), "w"), indent=1)
    print(f"\n{a.model}, \"{a.prompt}\", seed {a.seed}, steps {a.steps}; medians of {a.rounds} alternating warm "
          f"rounds{f', {a.cold} cold process pairs' if a.cold else ''}; speed-up = reference / ours; "
          f"reference's OpenBLAS at {'its default thread count' if a.ref_blas_default else 'one thread, as ours'}")
    print(table(results))
    for res in results:
        print(f"threads {res['threads']}: max |reference - ours| = {res['max_abs_diff']:.2e} "
              f"(mean {res['mean_abs_diff']:.2e})")
    print(f"(everything in {os.path.join(a.out, 'result.json')})")


if __name__ == "__main__":
    main()
