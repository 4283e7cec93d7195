// SPDX-License-Identifier: GPL-3.0-or-later
// Kandinsky 2.2 decoder UNet and image/mask preparation parity (see the header).
#include "core/verify/verify_kandinsky_modules.h"

#include "core/common/error.h"
#include "core/io/png_io.h"
#include "core/models/registry/model_registry.h"
#include "core/pipeline/kandinsky/image_prep.h"
#include "core/verify/verify_support.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

namespace unclip::models {
namespace {

namespace fs = std::filesystem;
namespace kp = pipeline::kandinsky;

// N of every "callN.out".
std::set<int> recorded_calls(const verify::GoldenCase& c) {
    static const std::regex re(R"(^call(\d+)\.out$)");
    std::set<int> out;
    for (const auto& [key, t] : c.tensors) {
        std::smatch m;
        if (std::regex_match(key, m, re)) out.insert(std::stoi(m[1].str()));
    }
    return out;
}

// The case json as written (its "images" keep their order).
nlohmann::ordered_json ordered_meta(const verify::GoldenCase& c) {
    std::ifstream f(fs::path(c.golden_dir) / "cases" / (c.name + ".json"));
    return nlohmann::ordered_json::parse(f);
}

// cases/<name>.png as PIL opens it: RGBA -> [H, W, 4], L -> [H, W, 1], anything else RGB [H, W, 3].
torch::Tensor read_case_png(const verify::GoldenCase& c, const std::string& name, const std::string& mode) {
    const std::string path = (fs::path(c.golden_dir) / "cases" / (name + ".png")).string();
    if (mode == "RGBA") return io::read_png_rgba(path);
    torch::Tensor rgb = io::read_png(path);
    return mode == "L" ? rgb.narrow(2, 0, 1).contiguous() : rgb;
}

}  // namespace

std::vector<verify::ParityResult> check_kandinsky_unet_calls(UNet2DConditionModel& model, const verify::GoldenCase& c,
                                                             const verify::VerifyOptions& opts) {
    torch::NoGradGuard no_grad;
    const verify::CaseTolerance tol = verify::case_tolerance(c, opts, 1e-4, 1e-4);
    std::vector<verify::ParityResult> rows;
    const std::set<int> calls = recorded_calls(c);
    if (calls.empty()) add_failed_row(rows, c.name, "the case records no calls", tol.atol);
    for (int i : calls) {
        const std::string p = "call" + std::to_string(i);
        const std::string check = c.name + "/" + p;
        try {
            const torch::Tensor sample = c.at(p + ".sample").to(opts.device, opts.dtype);
            const torch::Tensor t = c.at(p + ".timestep").to(opts.device);
            const torch::Tensor ie = c.at(p + ".image_embeds").to(opts.device, opts.dtype);
            auto cpu = [](const torch::Tensor& x) { return x.to(torch::kCPU, torch::kFloat32); };
            verify::add_result(rows, check + "/out", cpu(model->forward(sample, t, {}, {}, {}, ie)), c.at(p + ".out"),
                               tol.atol, tol.rtol);
            if (c.has(p + ".time_emb"))
                verify::add_result(rows, check + "/time_emb", cpu(model->time_embed(t, sample.size(0))),
                                   c.at(p + ".time_emb"), tol.atol, tol.rtol);
            if (c.has(p + ".aug_emb")) {
                if (!model->add_embedding) throw Error("the UNet has no add_embedding (addition_embed_type \"image\")");
                verify::add_result(rows, check + "/aug_emb", cpu(model->add_embedding(ie)), c.at(p + ".aug_emb"),
                                   tol.atol, tol.rtol);
            }
            if (c.has(p + ".context")) {
                if (!model->encoder_hid_proj) throw Error("the UNet has no encoder_hid_proj (\"image_proj\")");
                verify::add_result(rows, check + "/context", cpu(model->encoder_hid_proj(ie)), c.at(p + ".context"),
                                   tol.atol, tol.rtol);
            }
        } catch (const std::exception& e) {
            add_failed_row(rows, check, e.what(), tol.atol);
        }
    }
    return rows;
}

std::vector<verify::ParityResult> verify_kandinsky_unet(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    for (const char* name : {"unet", "unet_inpaint"}) {
        try {
            const verify::GoldenCase c = verify::load_case(opts.golden_dir, name);
            auto [folder, component] = golden_component(c);
            UNet2DConditionModel model = load_model_as<UNet2DConditionModel>(folder, component, load_options(opts));
            auto r = check_kandinsky_unet_calls(model, c, opts);
            rows.insert(rows.end(), r.begin(), r.end());
        } catch (const std::exception& e) {
            add_failed_row(rows, name, e.what(), opts.atol(1e-4));
        }
    }
    return rows;
}

std::vector<verify::ParityResult> verify_image_prep(const verify::VerifyOptions& opts) {
    std::vector<verify::ParityResult> rows;
    try {
        const verify::GoldenCase c = verify::load_case(opts.golden_dir, "image_prep");
        const nlohmann::ordered_json meta = ordered_meta(c);

        // Image resizes: "<image>.<W>x<H>" -> tensor "<image>.<W>x<H>.u8".
        static const std::regex size_re(R"(^(.+)\.(\d+)x(\d+)$)");
        for (const auto& [key, info] : meta.at("images").items()) {
            const std::string check = "image_prep/" + key;
            try {
                std::smatch m;
                if (!std::regex_match(key, m, size_re)) throw Error("image key '" + key + "' is not <image>.<W>x<H>");
                const torch::Tensor image = read_case_png(c, m[1].str(), info.at("mode").get<std::string>());
                const torch::Tensor got = kp::resize_reducing_gap(image, std::stoll(m[2].str()), std::stoll(m[3].str()));
                verify::add_result(rows, check + "/u8", got, c.at(key + ".u8"), 0.0);
            } catch (const std::exception& e) {
                add_failed_row(rows, check, e.what());
            }
        }

        // prepare_image (float) on the images the movq case encodes ("cases/<png> through prepare_image(img, w=W, h=H)").
        if (fs::exists(fs::path(c.golden_dir) / "cases" / "movq.json")) {
            const verify::GoldenCase movq = verify::load_case(opts.golden_dir, "movq");
            static const std::regex enc_re(R"(^(encode\d+)\.image$)");
            static const std::regex how_re(R"(cases/([A-Za-z0-9_]+)\.png through prepare_image\(img, w=(\d+), h=(\d+)\))");
            for (const auto& [key, info] : movq.meta.at("tensors").items()) {
                std::smatch m, how;
                const std::string meaning = info.value("meaning", "");
                if (!std::regex_match(key, m, enc_re) || !std::regex_search(meaning, how, how_re)) continue;
                const std::string check = "image_prep/prepare_image[movq " + m[1].str() + "]";
                try {
                    const std::string png = how[1].str();
                    const std::string mode =
                        meta.at("images").contains(png + "." + how[2].str() + "x" + how[3].str())
                            ? meta["images"][png + "." + how[2].str() + "x" + how[3].str()].at("mode").get<std::string>()
                            : "RGB";
                    const torch::Tensor got =
                        kp::prepare_image(read_case_png(c, png, mode), std::stoll(how[2].str()), std::stoll(how[3].str()));
                    verify::add_result(rows, check, got, movq.at(key), 0.0);
                } catch (const std::exception& e) {
                    add_failed_row(rows, check, e.what());
                }
            }
        }

        // Masks: every "<mask>.keep_full".
        const auto size_hw = meta.at("inpaint_size_hw").get<std::vector<int64_t>>();
        std::set<std::string> masks;
        for (const auto& [key, t] : c.tensors) {
            const std::string suffix = ".keep_full";
            if (key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
                masks.insert(key.substr(0, key.size() - suffix.size()));
        }
        for (const auto& mask : masks) {
            const std::string check = "image_prep/" + mask;
            try {
                torch::Tensor input;
                if (c.has(mask + ".input")) {
                    input = c.at(mask + ".input");  // numpy float mask, taken as is
                } else {
                    // A PIL mask: cases/<mask>.png, LANCZOS-resized to the inpaint size, / 255.
                    const torch::Tensor png = read_case_png(c, mask, "L").squeeze(2);
                    input = kp::resize_mask_lanczos(png, size_hw.at(1), size_hw.at(0));
                    if (c.has(mask + ".resized_u8"))
                        verify::add_result(rows, check + "/resized_u8",
                                           (input * 255.0f).round().to(torch::kUInt8), c.at(mask + ".resized_u8"), 0.0);
                }
                const torch::Tensor keep = kp::keep_mask(input);
                const torch::Tensor& want_full = c.at(mask + ".keep_full");
                verify::add_result(rows, check + "/keep_full", keep.view(want_full.sizes()), want_full, 0.0);
                const torch::Tensor& want_nearest = c.at(mask + ".keep_latent_nearest");
                const torch::Tensor nearest = kp::keep_mask_latent_nearest(keep, want_nearest.size(-2), want_nearest.size(-1));
                verify::add_result(rows, check + "/keep_latent_nearest", nearest, want_nearest, 0.0);
                verify::add_result(rows, check + "/keep_latent", kp::erode_keep_mask(nearest),
                                   c.at(mask + ".keep_latent"), 0.0);
            } catch (const std::exception& e) {
                add_failed_row(rows, check, e.what());
            }
        }
    } catch (const std::exception& e) {
        add_failed_row(rows, "image_prep", e.what());
    }
    return rows;
}

}  // namespace unclip::models
