// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/pipeline_options.h"

#include "core/common/error.h"
#include "core/common/install_paths.h"
#include "core/common/torch_setup.h"
#include "core/io/model_folder.h"
#include "core/io/model_identity.h"
#include "core/io/parameters_text.h"
#include "core/io/png_io.h"
#include "core/io/safetensors.h"
#ifdef UNCLIP_CLI_IMAGING
#include "core/imaging/image_tensor.h"
#endif

#include <torch/torch.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>

#ifndef UNCLIP_VERSION
#define UNCLIP_VERSION "0.0.0"
#endif

namespace fs = std::filesystem;

namespace unclip::cli {
namespace {

std::string num(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

float guidance_option(const Args& args, const std::string& name, float fallback) {
    const double v = args.get_double(name, fallback);
    if (!(v >= 0.0 && v < 1000.0)) throw RequestError("option " + name + " must be between 0 and 1000 (got " + args.get(name) + ")");
    return static_cast<float>(v);
}

bool ends_with_nocase(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    for (size_t i = 0; i < suffix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
    return true;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

// The pattern with {mode}, {seed} and {i} filled in; "-{i}" is added before ".png" when the
// pattern has no {i} and there is more than one image.
std::string expand_pattern(std::string pattern, const std::string& mode, uint64_t seed, int index, int count) {
    if (count > 1 && pattern.find("{i}") == std::string::npos) {
        const size_t dot = pattern.size() >= 4 ? pattern.size() - 4 : pattern.size();
        pattern.insert(dot, "-{i}");
    }
    replace_all(pattern, "{mode}", mode);
    replace_all(pattern, "{seed}", std::to_string(seed));
    replace_all(pattern, "{i}", std::to_string(index));
    return pattern;
}

void check_writable_folder(const std::string& file, const std::string& option) {
    fs::path parent = fs::path(file).parent_path();
    if (parent.empty()) parent = ".";
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
        throw RequestError("cannot write " + option + " '" + file + "': folder '" + parent.string() + "' does not exist");
    if (::access(parent.c_str(), W_OK) != 0)
        throw RequestError("cannot write " + option + " '" + file + "': folder '" + parent.string() + "' is not writable");
    if (fs::is_directory(file, ec)) throw RequestError(option + " '" + file + "' is a folder, not a file name");
}

std::string software() { return std::string("unclip-studio ") + UNCLIP_VERSION + " (unclip CLI)"; }

// ---- progress and cancellation ----

pipeline::CancelToken g_cancel;

extern "C" void on_sigint(int) {
    g_cancel.cancel();
    static const char msg[] = "\nunclip: cancelling (press Ctrl+C again to quit at once)...\n";
    ssize_t ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
}

class ProgressBar {
public:
    ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()), last_(start_) {}
    ~ProgressBar() { finish(); }

    void update(const pipeline::Progress& p) {
        if (!enabled_) return;
        const auto now = std::chrono::steady_clock::now();
        if (p.stage != stage_) {
            finish();
            stage_ = p.stage;
            start_ = last_;  // the stage began when the previous one reported last
        }
        last_ = now;
        constexpr int kWidth = 30;
        const int total = std::max(1, p.total);
        const int filled = std::clamp(p.step * kWidth / total, 0, kWidth);
        const double secs = std::chrono::duration<double>(now - start_).count();
        std::fprintf(stderr, "\r%-10s [%s%s] %d/%d  %.1f s", pipeline::stage_name(*stage_), std::string(filled, '#').c_str(),
                     std::string(kWidth - filled, '.').c_str(), p.step, p.total, secs);
        std::fflush(stderr);
        open_ = true;
    }
    void finish() {
        if (enabled_ && open_) {
            std::fputc('\n', stderr);
            std::fflush(stderr);
        }
        open_ = false;
        stage_.reset();
    }

private:
    bool enabled_;
    bool open_ = false;
    std::optional<pipeline::Stage> stage_;  // the stage the bar shows; none before the first
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace

int int_option(const Args& args, const std::string& name, int fallback, int lo, int hi) {
    return static_cast<int>(args.get_integer(name, fallback, lo, hi));
}

double number_option(const Args& args, const std::string& name, double fallback, double lo, double hi) {
    const double v = args.get_double(name, fallback);
    if (!(v >= lo && v <= hi))
        throw RequestError("option " + name + " must be between " + num(lo) + " and " + num(hi) + " (got " +
                           args.get(name) + ")");
    return v;
}

void reject_positional(const Args& args) {
    if (!args.positional().empty())
        throw RequestError("unexpected argument '" + args.positional()[0] + "' (options take the form --name VALUE; see --help)");
}

void positional_prompt(const Args& args, CommonOptions& options) {
    if (args.positional().empty()) return;
    if (!options.prompts.empty())
        throw RequestError("give the prompt either with --prompt or as the words after the options, not both (got '" +
                           args.positional()[0] + "')");
    std::string prompt;
    for (const auto& w : args.positional()) prompt += (prompt.empty() ? "" : " ") + w;
    options.prompts.push_back(prompt);
}

std::set<std::string> merge(std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
}

std::set<std::string> common_option_names(unsigned g) {
    std::set<std::string> s;
    if (g & kModelOptions)
        s.insert({"--model", "--image-encoder", "--decoder", "--inpaint-decoder", "--offload", "--device", "--dtype",
                  "--threads"});
    if (g & kPromptOption) s.insert("--prompt");
    if (g & kNegativeOption) s.insert("--negative-prompt");
    if (g & kPriorOptions) s.insert({"--prior-steps", "--prior-guidance"});
    if (g & kDecoderOptions)
        s.insert({"--seed", "--decoder-steps", "--super-res-steps", "--decoder-guidance", "--width", "--height"});
    if (g & kCountOption) s.insert("--images-per-prompt");
    if (g & kOutputOptions) s.insert({"-o", "--save-tensors"});
    return s;
}

std::string common_options_help(unsigned g) {
    const pipeline::Sampling d;
    std::ostringstream o;
    if (g & kModelOptions)
        o << "  -m, --model DIR         diffusers unCLIP folder (default: $UNCLIP_MODEL_DIR, else the embedded\n"
             "                          emoji model installed with unclip-studio)\n"
             "  --image-encoder DIR     second folder for the components the first lacks (Karlo ships the\n"
             "                          image encoder separately: karlo-v1-alpha-image-variations)\n"
             "  --decoder DIR           Kandinsky 2.2: the kandinsky-2-2-decoder folder (--model is then the\n"
             "                          kandinsky-2-2-prior folder; each folder's role is read from its\n"
             "                          model_index.json)\n"
             "  --inpaint-decoder DIR   Kandinsky 2.2: the kandinsky-2-2-decoder-inpaint folder\n"
             "  --offload on|off        Kandinsky 2.2: keep the models on the CPU and move each to the device\n"
             "                          only while its stage runs (default off; less GPU memory, slower)\n"
             "  --device cpu|cuda       where to run (default cpu)\n"
             "  --dtype float32|float16|bfloat16   model precision (default float32; float16 needs\n"
             "                          --device cuda with LibTorch builds that lack CPU half kernels)\n"
             "  --threads N             CPU threads (default: every core)\n";
    if (g & kPromptOption) o << "  -p, --prompt TEXT       the text (repeatable: one batch entry per prompt)\n";
    if (g & kNegativeOption)
        o << "  -n, --negative-prompt TEXT   replaces the empty prompt as the unconditional branch of\n"
             "                          guidance\n";
    if (g & kDecoderOptions)
        o << "  -s, --seed N            random seed, 0 .. 2^64-1 (default, or -1: a random one, printed and\n"
             "                          stored in the recipe)\n";
    if (g & kPriorOptions)
        o << "  --prior-steps N         prior denoising steps (default " << d.prior_steps << ")\n"
          << "  --prior-guidance X      prior classifier-free guidance scale (default " << num(d.prior_guidance) << ")\n";
    if (g & kDecoderOptions)
        o << "  --decoder-steps N       decoder denoising steps (default " << d.decoder_steps << ")\n"
          << "  --decoder-guidance X    decoder classifier-free guidance scale (default " << num(d.decoder_guidance)
          << ")\n"
          << "  --super-res-steps N     super-resolution steps (default " << d.super_res_steps << ")\n"
          << "  --width N, --height N   Kandinsky 2.2: picture size in pixels, rounded up to a multiple of 64\n"
          << "                          as the reference rounds (default the model's 512); Karlo draws at its\n"
          << "                          fixed size\n"
          << "                          (Kandinsky 2.2 defaults: prior 25 steps x4, decoder 100 steps x4)\n";
    if (g & kCountOption) o << "  --images-per-prompt N   images per prompt / per input (default 1, at most 64)\n";
    if (g & kOutputOptions)
        o << "  -o PATTERN              output PNG name (default unclip-{mode}-{seed}-{i}.png); {mode},\n"
             "                          {seed} and {i} (0-based image index) are filled in, and -{i} is\n"
             "                          added before .png when several images are written and the pattern\n"
             "                          has no {i}\n"
             "  --save-tensors FILE.safetensors   also write the raw float output: key \"images\" [N, 3, H, W]\n"
             "                          in [0, 1] (+ \"decoder_output\" in [-1, 1] and \"image_embeddings\" when\n"
             "                          the pipeline returns them), the recipe in the metadata (\"unclip-recipe\")\n";
    return o.str();
}

CommonOptions parse_common_options(const Args& args, unsigned g) {
    CommonOptions o;
    if (g & kModelOptions) {
        o.pipeline.model_dir = args.get("--model");
        o.pipeline.image_encoder_dir = args.get("--image-encoder");
        o.pipeline.decoder_dir = args.get("--decoder");
        o.pipeline.inpaint_dir = args.get("--inpaint-decoder");
        for (const char* name : {"--model", "--image-encoder", "--decoder", "--inpaint-decoder"})
            if (args.has(name) && args.get(name).empty()) throw RequestError(std::string("option ") + name + " needs a folder");
        const std::string offload = args.get("--offload", "off");
        if (offload != "on" && offload != "off") throw RequestError("option --offload takes on or off (got " + offload + ")");
        o.pipeline.sequential_offload = offload == "on";
        // The family's reference defaults apply before the options (Kandinsky 2.2's decoder differs).
        // A folder that cannot be read is reported when the model loads (or, with --server, that a
        // model option does not belong there): here it only keeps Karlo's defaults.
        const std::vector<std::string> folders = o.pipeline.folders();
        if (!folders.empty()) {
            try {
                o.family = pipeline::classify_folder(io::ModelFolder(folders.front())).family;
            } catch (const ModelError&) {
            }
        }
        o.sampling = pipeline::default_sampling(o.family);
        o.pipeline.device = parse_device(args.get("--device", "cpu"));
        o.pipeline.dtype = parse_dtype(args.get("--dtype", "float32"));
        o.threads = int_option(args, "--threads", 0, 0, 1024);
        if (o.threads > 0) configure_threads(o.threads);
    }
    if (g & kPromptOption) o.prompts = args.all("--prompt");
    if (g & kNegativeOption) o.negative_prompt = args.get("--negative-prompt");
    if (g & kDecoderOptions) {
        // -1 (stable-diffusion.cpp's and A1111's "random") or no --seed: a random seed, printed and
        // stored in the recipe like a given one.
        if (args.has("--seed") && args.get("--seed") != "-1") {
            o.sampling.seed = args.get_u64("--seed", 0);
        } else {
            std::random_device rd;
            o.sampling.seed = rd();
        }
        o.sampling.decoder_steps = int_option(args, "--decoder-steps", o.sampling.decoder_steps, 1, 1000);
        o.sampling.super_res_steps = int_option(args, "--super-res-steps", o.sampling.super_res_steps, 1, 1000);
        o.sampling.decoder_guidance = guidance_option(args, "--decoder-guidance", o.sampling.decoder_guidance);
        o.sampling.width = int_option(args, "--width", 0, 1, 4096);
        o.sampling.height = int_option(args, "--height", 0, 1, 4096);
        if ((args.has("--width") || args.has("--height")) && o.family == pipeline::ModelFamily::Karlo)
            throw RequestError("options --width and --height are for Kandinsky 2.2: Karlo draws at its fixed size");
    }
    if (g & kPriorOptions) {
        o.sampling.prior_steps = int_option(args, "--prior-steps", o.sampling.prior_steps, 1, 1000);
        o.sampling.prior_guidance = guidance_option(args, "--prior-guidance", o.sampling.prior_guidance);
    }
    if (g & kCountOption) o.images_per_prompt = int_option(args, "--images-per-prompt", 1, 1, 64);
    if (g & kOutputOptions) {
        o.output = args.get("-o");
        o.save_tensors = args.get("--save-tensors");
        if (args.has("-o") && o.output.empty()) throw RequestError("option -o needs a file name");
        if (args.has("--save-tensors") && o.save_tensors.empty()) throw RequestError("option --save-tensors needs a file name");
    }
    return o;
}

std::vector<std::string> base_components() {
    return {"tokenizer", "text_encoder", "text_proj", "decoder", "decoder_scheduler", "super_res_first",
            "super_res_scheduler"};
}
std::vector<std::string> prior_components() { return {"prior", "prior_scheduler"}; }
std::vector<std::string> image_encoder_components() { return {"image_encoder", "feature_extractor"}; }

std::unique_ptr<pipeline::UnclipPipeline> load_pipeline(const CommonOptions& options, const std::string& command,
                                                        const std::vector<std::string>& needed) {
    pipeline::PipelineOptions po = options.pipeline;
    if (po.folders().empty()) po.model_dir = default_model_dir();
    if (po.folders().empty())
        throw RequestError("no model folder: give --model DIR (a diffusers unCLIP folder such as karlo-v1-alpha); "
                           "the embedded model was not found next to the program (share/unclip-studio/models)");
    // Kandinsky 2.2's folders are checked by the pipeline itself (kandinsky_load.cpp, and the
    // requirements of each request); the component lists below are Karlo's.
    if (options.family != pipeline::ModelFamily::Karlo) return pipeline::UnclipPipeline::load(po);
    std::vector<io::ModelFolder> folders;
    folders.emplace_back(po.model_dir);
    if (!po.image_encoder_dir.empty()) folders.emplace_back(po.image_encoder_dir);
    std::vector<std::string> missing;
    for (const auto& name : needed) {
        bool found = false;
        for (const auto& f : folders) found = found || f.has(name);
        if (!found && std::find(missing.begin(), missing.end(), name) == missing.end()) missing.push_back(name);
    }
    if (!missing.empty()) {
        std::string list, where = "'" + po.model_dir + "'";
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        if (!po.image_encoder_dir.empty()) where += " and '" + po.image_encoder_dir + "'";
        std::string hint;
        auto lacks = [&](const char* c) { return std::find(missing.begin(), missing.end(), c) != missing.end(); };
        if (lacks("image_encoder") || lacks("feature_extractor"))
            hint += "; add a folder with the image encoder (e.g. karlo-v1-alpha-image-variations) with --image-encoder DIR";
        if (lacks("prior") || lacks("prior_scheduler"))
            hint += "; the prior comes with the text-to-image folder (e.g. karlo-v1-alpha as --model)";
        throw ModelError(command + " needs components that " + where + " lack" + (folders.size() > 1 ? "" : "s") +
                         ": " + list + hint);
    }
    return pipeline::UnclipPipeline::load(po);
}

namespace {

void check_input_file(const std::string& path, const std::string& what) {
    if (path.empty()) throw RequestError(what + " needs a file name");
    std::error_code ec;
    if (!fs::exists(path, ec)) throw RequestError(what + " '" + path + "' does not exist");
    if (fs::is_directory(path, ec)) throw RequestError(what + " '" + path + "' is a folder, not an image");
}

// A file that is not a PNG, as RGBA: through the imaging layer where this build has it.
torch::Tensor read_other_format(const std::string& path, const std::string& what) {
#ifdef UNCLIP_CLI_IMAGING
    try {
        return imaging::load_image_rgba(path);
    } catch (const Error& e) {
        throw RequestError(what + ": " + e.what());
    }
#else
    throw RequestError(what + " '" + path + "' is not a PNG image (this unclip was built without the imaging layer, " +
                       "UNCLIP_WITH_UI=OFF, and reads PNG files only: convert it to PNG)");
#endif
}

}  // namespace

std::string input_formats() {
#ifdef UNCLIP_CLI_IMAGING
    return "PNG, JPEG, WebP or BMP";
#else
    return "PNG";
#endif
}

torch::Tensor read_input_image(const std::string& path, const std::string& what) {
    check_input_file(path, what);
    if (!io::is_png_file(path)) return read_other_format(path, what).slice(2, 0, 3).contiguous();
    try {
        return io::read_png(path);
    } catch (const Error& e) {
        throw RequestError(what + ": " + e.what());
    }
}

torch::Tensor read_input_rgba(const std::string& path, const std::string& what) {
    check_input_file(path, what);
    if (!io::is_png_file(path)) return read_other_format(path, what);
    try {
        return io::read_png_rgba(path);
    } catch (const Error& e) {
        throw RequestError(what + ": " + e.what());
    }
}

torch::Tensor transparency_mask(const torch::Tensor& rgba) {
    return (rgba.select(2, 3) < 128).to(torch::kFloat32).contiguous();
}

bool has_transparency(const torch::Tensor& rgba) { return (rgba.select(2, 3) < 255).any().item<bool>(); }

torch::Tensor read_mask_image(const std::string& path, bool* from_alpha) {
    const torch::Tensor rgba = read_input_rgba(path, "--mask");
    const bool alpha = has_transparency(rgba);
    if (from_alpha) *from_alpha = alpha;
    if (alpha) return transparency_mask(rgba);
    return (rgba.slice(2, 0, 3).to(torch::kFloat32).mean(-1) >= 127.5f).to(torch::kFloat32).contiguous();
}

pipeline::Result run_with_progress(const std::function<pipeline::Result(const pipeline::RunControl&)>& fn) {
    g_cancel.reset();
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;  // a second Ctrl+C ends the process at once
    ::sigaction(SIGINT, &sa, nullptr);
    ProgressBar bar;
    pipeline::RunControl control;
    control.cancel = &g_cancel;
    control.on_progress = [&bar](const pipeline::Progress& p) { bar.update(p); };
    pipeline::Result result = fn(control);
    bar.finish();
    // Ctrl+C after the last model call: still nothing written.
    if (g_cancel.cancelled()) throw Cancelled();
    return result;
}

void check_output_targets(const CommonOptions& options, const OutputSpec& spec) {
    const std::string pattern = options.output.empty() ? spec.default_pattern : options.output;
    if (!ends_with_nocase(pattern, ".png")) throw RequestError("-o must name a .png file (got '" + pattern + "')");
    check_writable_folder(expand_pattern(pattern, spec.mode, options.sampling.seed, spec.first_index, 1), "-o");
    if (!options.save_tensors.empty()) {
        if (!ends_with_nocase(options.save_tensors, ".safetensors"))
            throw RequestError("--save-tensors must name a .safetensors file (got '" + options.save_tensors + "')");
        check_writable_folder(options.save_tensors, "--save-tensors");
    }
}

std::vector<std::string> write_outputs(const pipeline::Result& result, const CommonOptions& options,
                                       const OutputSpec& spec) {
    if (!result.images.defined() || result.images.dim() != 4) throw Error("the pipeline returned no images");
    const int n = static_cast<int>(result.images.size(0));
    nlohmann::json recipe = result.recipe;
    recipe["device"] = options.pipeline.device.str();
    recipe["dtype"] = dtype_name(options.pipeline.dtype);
    // Folders by name only: a recipe must not carry the user's paths.
    if (!options.pipeline.image_encoder_dir.empty())
        recipe["image_encoder"] = io::model_identity(options.pipeline.image_encoder_dir).name;
    if (spec.extra_recipe.is_object()) recipe.update(spec.extra_recipe);
    const std::string mode = recipe.value("mode", spec.mode);
    const std::string pattern = options.output.empty() ? spec.default_pattern : options.output;
    std::vector<std::string> paths;
    std::cout << "seed " << options.sampling.seed << "\n";
    for (int i = 0; i < n; ++i) {
        const int index = spec.first_index + i;
        std::string path = expand_pattern(pattern, mode, options.sampling.seed, index, n);
        if (std::find(paths.begin(), paths.end(), path) != paths.end())
            throw RequestError("-o pattern '" + pattern + "' gives the same name to two images: add {i}");
        nlohmann::json r = recipe;
        r["index"] = index;
        std::map<std::string, std::string> text = {
            {"unclip-recipe", r.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace)},
            {"Software", software()},
            {"Description", spec.describe ? spec.describe(i) : "unclip " + spec.command}};
        const torch::Tensor picture = spec.picture ? spec.picture(i) : result.images[i];
        const bool hwc = picture.scalar_type() == torch::kUInt8;
        text[io::kParametersKey] = io::parameters_text(r, static_cast<int>(picture.size(hwc ? 1 : 2)),
                                                             static_cast<int>(picture.size(hwc ? 0 : 1)));
        io::write_png(path, picture, text);
        std::cout << "wrote " << path << " (" << picture.size(hwc ? 1 : 2) << "x" << picture.size(hwc ? 0 : 1) << ")\n";
        paths.push_back(path);
    }
    if (!options.save_tensors.empty()) {
        io::StateDict tensors = {{"images", result.images.to(torch::kCPU, torch::kFloat32).contiguous()}};
        if (result.decoder_output.defined())
            tensors["decoder_output"] = result.decoder_output.to(torch::kCPU, torch::kFloat32).contiguous();
        if (result.image_embeddings.defined())
            tensors["image_embeddings"] = result.image_embeddings.to(torch::kCPU, torch::kFloat32).contiguous();
        io::save_safetensors(options.save_tensors, tensors,
                             {{"unclip-recipe", recipe.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace)},
                              {"software", software()}});
        std::cout << "wrote " << options.save_tensors << " (images " << n << "x3x" << result.images.size(2) << "x"
                  << result.images.size(3) << ")\n";
    }
    std::cout.flush();
    return paths;
}

std::vector<int> parse_int_list(const std::string& text, const std::string& option, int lo, int hi) {
    std::vector<int> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        long long v = 0;
        const IntegerText kind = parse_integer(item, &v);
        if (kind == IntegerText::NotInteger)
            throw RequestError("option " + option + " expects comma-separated integers, got '" + text + "'");
        if (kind == IntegerText::Overflow || v < lo || v > hi)
            throw RequestError("option " + option + " values must be between " + std::to_string(lo) + " and " +
                               std::to_string(hi) + " (got " + item + ")");
        out.push_back(static_cast<int>(v));
    }
    if (!text.empty() && text.back() == ',')
        throw RequestError("option " + option + " expects comma-separated integers, got '" + text + "'");
    return out;
}

std::string format_number(double v) { return num(v); }

std::string describe_sampling(const pipeline::Sampling& s, bool with_prior, pipeline::ModelFamily family) {
    std::ostringstream o;
    o << "seed " << s.seed;
    if (with_prior) o << "; prior " << s.prior_steps << " steps, guidance " << num(s.prior_guidance);
    o << "; decoder " << s.decoder_steps << " steps, guidance " << num(s.decoder_guidance);
    if (family == pipeline::ModelFamily::Karlo) o << "; super-res " << s.super_res_steps << " steps";
    else o << "; " << pipeline::family_title(family);
    return o.str();
}

}  // namespace unclip::cli
