// SPDX-License-Identifier: GPL-3.0-or-later
// Kandinsky 2.2 decoder pipelines' image and mask preparation (PIL arithmetic, bit-exact).
#include "core/pipeline/kandinsky/image_prep.h"

#include "core/common/error.h"
#include "core/models/clip/pil_resample.h"

#include <torch/torch.h>

#include <vector>

namespace unclip::pipeline::kandinsky {
namespace {

namespace pil = models::pil;

void check_size(int64_t width, int64_t height, const char* what) {
    if (width < 1 || height < 1)
        throw RequestError(std::string(what) + ": the target size must be positive, got " + std::to_string(width) +
                           " x " + std::to_string(height));
}

// uint8 -> float32 through a 256-entry table computed in float32 (numpy's arithmetic, exactly).
torch::Tensor map_u8(const torch::Tensor& u8, float (*fn)(int)) {
    std::vector<float> lut(256);
    for (int v = 0; v < 256; ++v) lut[v] = fn(v);
    return torch::tensor(lut).index({u8.to(torch::kLong)});
}

}  // namespace

torch::Tensor resize_reducing_gap(const torch::Tensor& image, int64_t width, int64_t height) {
    check_size(width, height, "prepare_image");
    if (image.dim() != 3 || image.scalar_type() != torch::kUInt8)
        throw RequestError("prepare_image: expected a [height, width, channels] uint8 image");
    const int64_t c = image.size(2);
    if (c != 1 && c != 3 && c != 4)
        throw RequestError("prepare_image: expected 1, 3 or 4 channels (L, RGB, RGBA), got " + std::to_string(c));
    torch::Tensor resized = pil::resize(image, width, height, pil::Filter::Bicubic, /*reducing_gap=*/1.0);
    // convert("RGB"): grey replicated, alpha dropped (after the resize).
    resized = c == 1 ? resized.expand({-1, -1, 3}) : resized.narrow(2, 0, 3);
    return resized.contiguous();
}

torch::Tensor prepare_image(const torch::Tensor& image, int64_t width, int64_t height) {
    const torch::Tensor rgb = resize_reducing_gap(image, width, height);
    const torch::Tensor x = map_u8(rgb, [](int v) { return static_cast<float>(v) / 127.5f - 1.0f; });
    return x.permute({2, 0, 1}).unsqueeze(0).contiguous();  // [1, 3, height, width]
}

torch::Tensor keep_mask(const torch::Tensor& mask) {
    if (mask.dim() != 2 || !mask.is_floating_point())
        throw RequestError("inpaint mask: expected a float [height, width] mask (1 = repaint)");
    torch::Tensor m = mask.to(torch::kCPU, torch::kFloat32).clone();
    // mask[mask < 0.5] = 0; mask[mask >= 0.5] = 1 (NaN stays NaN, as in numpy); then 1 - mask.
    m.masked_fill_(m < 0.5, 0.0f);
    m.masked_fill_(m >= 0.5, 1.0f);
    return 1.0f - m;
}

torch::Tensor keep_mask_latent_nearest(const torch::Tensor& keep_full, int64_t latent_h, int64_t latent_w) {
    if (keep_full.dim() != 2) throw RequestError("inpaint mask: expected a [height, width] keep mask");
    check_size(latent_w, latent_h, "inpaint mask");
    namespace F = torch::nn::functional;
    return F::interpolate(keep_full.to(torch::kFloat32).unsqueeze(0).unsqueeze(0),
                          F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{latent_h, latent_w})
                              .mode(torch::kNearest));
}

torch::Tensor erode_keep_mask(const torch::Tensor& keep_latent) {
    if (keep_latent.dim() != 4) throw RequestError("inpaint mask: expected a [B, 1, h, w] keep mask");
    torch::Tensor old = keep_latent.to(torch::kCPU, torch::kFloat32).contiguous();
    torch::Tensor out = old.clone();
    const int64_t b = old.size(0), ch = old.size(1), h = old.size(2), w = old.size(3);
    const auto o = old.accessor<float, 4>();
    auto r = out.accessor<float, 4>();
    // Offsets zeroed around every position whose (channel 0) value is not 1.
    const int64_t di[6] = {-1, 0, -1, 1, 0, 1}, dj[6] = {0, -1, -1, 0, 1, 1};
    for (int64_t n = 0; n < b; ++n)
        for (int64_t i = 0; i < h; ++i)
            for (int64_t j = 0; j < w; ++j) {
                if (o[n][0][i][j] == 1.0f) continue;
                for (int k = 0; k < 6; ++k) {
                    const int64_t y = i + di[k], x = j + dj[k];
                    if (y < 0 || y >= h || x < 0 || x >= w) continue;
                    for (int64_t c = 0; c < ch; ++c) r[n][c][y][x] = 0.0f;
                }
            }
    return out;
}

torch::Tensor resize_mask_lanczos(const torch::Tensor& mask, int64_t width, int64_t height) {
    if (mask.dim() != 2 || mask.scalar_type() != torch::kUInt8)
        throw RequestError("inpaint mask: expected a uint8 [height, width] mask image");
    check_size(width, height, "inpaint mask");
    const torch::Tensor resized = pil::resize(mask.unsqueeze(2), width, height, pil::Filter::Lanczos).squeeze(2);
    return map_u8(resized, [](int v) { return static_cast<float>(v) / 255.0f; });
}

}  // namespace unclip::pipeline::kandinsky
