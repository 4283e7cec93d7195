// SPDX-License-Identifier: GPL-3.0-or-later
// Pillow 9.4's 8-bit resize, reduce and alpha premultiplication, reproduced bit for bit (the
// arithmetic of Resample.c / Reduce.c / Convert.c; no code taken from Pillow).
#include "core/models/clip/pil_resample.h"

#include "core/common/error.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace unclip::models::pil {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Pillow's fixed-point weights

double bilinear_filter(double x) {
    if (x < 0.0) x = -x;
    return x < 1.0 ? 1.0 - x : 0.0;
}
double bicubic_filter(double x) {  // Keys cubic, a = -0.5, written as Pillow evaluates it
    constexpr double a = -0.5;
    if (x < 0.0) x = -x;
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}
double sinc_filter(double x) {
    if (x == 0.0) return 1.0;
    x = x * M_PI;
    return std::sin(x) / x;
}
double lanczos_filter(double x) {
    if (-3.0 <= x && x < 3.0) return sinc_filter(x) * sinc_filter(x / 3);
    return 0.0;
}

struct FilterDef {
    double (*fn)(double);
    double support;
};
FilterDef filter_def(Filter f) {
    switch (f) {
        case Filter::Bilinear: return {bilinear_filter, 1.0};
        case Filter::Bicubic: return {bicubic_filter, 2.0};
        case Filter::Lanczos: return {lanczos_filter, 3.0};
    }
    return {bicubic_filter, 2.0};
}

// Per output pixel: first input index, tap count and the 22-bit weights (precompute_coeffs +
// normalize_coeffs_8bpc).
struct Coeffs {
    int64_t ksize = 0;
    std::vector<int64_t> first, count;
    std::vector<int32_t> k;  // out_size x ksize
};

Coeffs precompute(int64_t in_size, float in0, float in1, int64_t out_size, Filter filter) {
    const FilterDef f = filter_def(filter);
    const double scale = static_cast<double>(in1 - in0) / static_cast<double>(out_size);  // float difference
    const double filterscale = scale < 1.0 ? 1.0 : scale;
    const double support = f.support * filterscale;
    Coeffs c;
    c.ksize = static_cast<int64_t>(std::ceil(support)) * 2 + 1;
    c.first.resize(out_size);
    c.count.resize(out_size);
    c.k.assign(static_cast<size_t>(out_size * c.ksize), 0);
    std::vector<double> w(static_cast<size_t>(c.ksize));
    for (int64_t xx = 0; xx < out_size; ++xx) {
        const double center = static_cast<double>(in0) + (static_cast<double>(xx) + 0.5) * scale;
        const double ss = 1.0 / filterscale;
        int64_t xmin = static_cast<int64_t>(center - support + 0.5);  // truncation, as C's (int)
        if (xmin < 0) xmin = 0;
        int64_t xmax = static_cast<int64_t>(center + support + 0.5);
        if (xmax > in_size) xmax = in_size;
        xmax = std::clamp<int64_t>(xmax - xmin, 0, c.ksize);
        double ww = 0.0;
        for (int64_t x = 0; x < xmax; ++x) {
            w[x] = f.fn((static_cast<double>(x + xmin) - center + 0.5) * ss);
            ww += w[x];
        }
        int32_t* k = c.k.data() + xx * c.ksize;
        for (int64_t x = 0; x < xmax; ++x) {
            const double v = (ww != 0.0 ? w[x] / ww : w[x]) * static_cast<double>(1 << kPrecisionBits);
            k[x] = v < 0 ? static_cast<int32_t>(-0.5 + v) : static_cast<int32_t>(0.5 + v);
        }
        c.first[xx] = xmin;
        c.count[xx] = xmax;
    }
    return c;
}

inline uint8_t clip8(int64_t acc) {
    const int64_t v = acc >> kPrecisionBits;  // arithmetic shift: floor, as Pillow's lookup index
    return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

void check_image(const torch::Tensor& image, const char* what) {
    if (image.dim() != 3 || image.scalar_type() != torch::kUInt8)
        throw RequestError(std::string(what) + ": expected a [height, width, channels] uint8 image");
    if (image.size(0) < 1 || image.size(1) < 1 || image.size(2) < 1)
        throw RequestError(std::string(what) + ": the image is empty");
}

// Pillow's division_UINT32(divider, 8): the float reciprocal used by Reduce.c.
uint32_t reduce_multiplier(int64_t divider) {
    const auto max_dividend = static_cast<uint32_t>((int64_t{1} << 8) * divider);
    const float max_int = 4294967296.0f;
    return static_cast<uint32_t>(max_int / static_cast<float>(max_dividend));
}

}  // namespace

torch::Tensor resample(const torch::Tensor& image, int64_t out_w, int64_t out_h, Filter filter,
                       const std::array<float, 4>& box) {
    check_image(image, "image resize");
    if (out_w < 1 || out_h < 1) throw RequestError("image resize: the target size must be positive");
    const int64_t h = image.size(0), w = image.size(1), ch = image.size(2);
    if (box[0] < 0 || box[1] < 0 || box[2] > static_cast<float>(w) || box[3] > static_cast<float>(h) ||
        box[2] - box[0] < 0 || box[3] - box[1] < 0)
        throw RequestError("image resize: the source box lies outside the image");
    torch::Tensor src_t = image.to(torch::kCPU).contiguous();
    const uint8_t* src = src_t.data_ptr<uint8_t>();

    const bool need_h = out_w != w || box[0] != 0 || box[2] != static_cast<float>(out_w);
    const bool need_v = out_h != h || box[1] != 0 || box[3] != static_cast<float>(out_h);
    const Coeffs ch_ = precompute(w, box[0], box[2], out_w, filter);
    Coeffs cv = precompute(h, box[1], box[3], out_h, filter);

    // Horizontal pass over the rows the vertical pass reads.
    std::vector<uint8_t> tmp;
    const uint8_t* cur = src;
    int64_t cur_w = w, cur_h = h;
    if (need_h) {
        const int64_t y_first = cv.first[0];
        const int64_t y_last = cv.first[out_h - 1] + cv.count[out_h - 1];
        for (auto& f : cv.first) f -= y_first;
        cur_h = y_last - y_first;
        cur_w = out_w;
        tmp.resize(static_cast<size_t>(cur_h * out_w * ch));
        at::parallel_for(0, cur_h, 16, [&](int64_t y0, int64_t y1) {
            for (int64_t y = y0; y < y1; ++y) {
                const uint8_t* row = src + (y + y_first) * w * ch;
                for (int64_t x = 0; x < out_w; ++x) {
                    const int32_t* k = ch_.k.data() + x * ch_.ksize;
                    const uint8_t* p = row + ch_.first[x] * ch;
                    for (int64_t c = 0; c < ch; ++c) {
                        int64_t acc = int64_t{1} << (kPrecisionBits - 1);
                        for (int64_t j = 0; j < ch_.count[x]; ++j) acc += static_cast<int64_t>(p[j * ch + c]) * k[j];
                        tmp[(y * out_w + x) * ch + c] = clip8(acc);
                    }
                }
            }
        });
        cur = tmp.data();
    }

    torch::Tensor out;
    if (need_v) {
        out = torch::empty({out_h, cur_w, ch}, torch::kUInt8);
        uint8_t* dst = out.data_ptr<uint8_t>();
        const int64_t stride = cur_w * ch;
        at::parallel_for(0, out_h, 16, [&](int64_t y0, int64_t y1) {
            for (int64_t y = y0; y < y1; ++y) {
                const int32_t* k = cv.k.data() + y * cv.ksize;
                const uint8_t* col = cur + cv.first[y] * stride;
                for (int64_t i = 0; i < stride; ++i) {
                    int64_t acc = int64_t{1} << (kPrecisionBits - 1);
                    for (int64_t j = 0; j < cv.count[y]; ++j) acc += static_cast<int64_t>(col[j * stride + i]) * k[j];
                    dst[y * stride + i] = clip8(acc);
                }
            }
        });
    } else if (need_h) {
        out = torch::empty({cur_h, cur_w, ch}, torch::kUInt8);
        std::copy(tmp.begin(), tmp.end(), out.data_ptr<uint8_t>());
    } else {
        out = src_t.clone();
    }
    return out;
}

torch::Tensor resample(const torch::Tensor& image, int64_t out_w, int64_t out_h, Filter filter) {
    check_image(image, "image resize");
    return resample(image, out_w, out_h, filter,
                    {0.0f, 0.0f, static_cast<float>(image.size(1)), static_cast<float>(image.size(0))});
}

torch::Tensor reduce(const torch::Tensor& image, int64_t fx, int64_t fy) {
    check_image(image, "image reduce");
    if (fx < 1 || fy < 1) throw RequestError("image reduce: the factors must be positive");
    const int64_t h = image.size(0), w = image.size(1), ch = image.size(2);
    const int64_t oh = (h + fy - 1) / fy, ow = (w + fx - 1) / fx;
    torch::Tensor src_t = image.to(torch::kCPU).contiguous();
    const uint8_t* src = src_t.data_ptr<uint8_t>();
    torch::Tensor out = torch::empty({oh, ow, ch}, torch::kUInt8);
    uint8_t* dst = out.data_ptr<uint8_t>();
    at::parallel_for(0, oh, 16, [&](int64_t y0, int64_t y1) {
        for (int64_t y = y0; y < y1; ++y) {
            const int64_t ya = y * fy, yb = std::min(ya + fy, h);
            for (int64_t x = 0; x < ow; ++x) {
                const int64_t xa = x * fx, xb = std::min(xa + fx, w);
                // Full blocks and the partial last row / column alike: (sum + n / 2) * (2^32 / 256n) >> 24.
                const int64_t n = (yb - ya) * (xb - xa);
                const uint32_t mult = reduce_multiplier(n), amend = static_cast<uint32_t>(n / 2);
                for (int64_t c = 0; c < ch; ++c) {
                    uint32_t ss = amend;
                    for (int64_t yy = ya; yy < yb; ++yy)
                        for (int64_t xx = xa; xx < xb; ++xx) ss += src[(yy * w + xx) * ch + c];
                    dst[(y * ow + x) * ch + c] = static_cast<uint8_t>((ss * mult) >> 24);
                }
            }
        }
    });
    return out;
}

torch::Tensor premultiply_alpha(const torch::Tensor& rgba) {
    check_image(rgba, "alpha premultiplication");
    if (rgba.size(2) != 4) throw RequestError("alpha premultiplication: expected an RGBA image");
    torch::Tensor out = rgba.to(torch::kCPU).contiguous().clone();
    uint8_t* p = out.data_ptr<uint8_t>();
    for (int64_t i = 0, n = out.numel(); i < n; i += 4) {
        const uint32_t a = p[i + 3];
        for (int c = 0; c < 3; ++c) {
            const uint32_t t = p[i + c] * a + 128;  // MULDIV255
            p[i + c] = static_cast<uint8_t>(((t >> 8) + t) >> 8);
        }
    }
    return out;
}

torch::Tensor unpremultiply_alpha(const torch::Tensor& rgba) {
    check_image(rgba, "alpha premultiplication");
    if (rgba.size(2) != 4) throw RequestError("alpha premultiplication: expected an RGBA image");
    torch::Tensor out = rgba.to(torch::kCPU).contiguous().clone();
    uint8_t* p = out.data_ptr<uint8_t>();
    for (int64_t i = 0, n = out.numel(); i < n; i += 4) {
        const uint32_t a = p[i + 3];
        if (a == 255 || a == 0) continue;
        for (int c = 0; c < 3; ++c) p[i + c] = static_cast<uint8_t>(std::min<uint32_t>(255u * p[i + c] / a, 255u));
    }
    return out;
}

torch::Tensor resize(const torch::Tensor& image, int64_t out_w, int64_t out_h, Filter filter, double reducing_gap) {
    check_image(image, "image resize");
    const int64_t h = image.size(0), w = image.size(1), ch = image.size(2);
    if (ch != 1 && ch != 3 && ch != 4)
        throw RequestError("image resize: expected 1 (L), 3 (RGB) or 4 (RGBA) channels, got " + std::to_string(ch));
    if (out_w < 1 || out_h < 1) throw RequestError("image resize: the target size must be positive");
    if (reducing_gap > 0 && reducing_gap < 1.0) throw RequestError("image resize: reducing_gap must be 1.0 or greater");
    if (out_w == w && out_h == h) return image.to(torch::kCPU).contiguous().clone();
    if (ch == 4)  // Pillow 9.4 resizes RGBA as RGBa and does not pass reducing_gap on
        return unpremultiply_alpha(resample(premultiply_alpha(image), out_w, out_h, filter));

    torch::Tensor src = image;
    std::array<float, 4> box{0.0f, 0.0f, static_cast<float>(w), static_cast<float>(h)};
    if (reducing_gap > 0) {
        auto factor = [&](int64_t in, int64_t out) {
            const auto f = static_cast<int64_t>(static_cast<double>(in) / static_cast<double>(out) / reducing_gap);
            return f > 0 ? f : int64_t{1};
        };
        const int64_t fx = factor(w, out_w), fy = factor(h, out_h);
        if (fx > 1 || fy > 1) {
            // The "safe box" of a whole-image resize is the whole image.
            src = reduce(image, fx, fy);
            box = {0.0f, 0.0f, static_cast<float>(static_cast<double>(w) / static_cast<double>(fx)),
                   static_cast<float>(static_cast<double>(h) / static_cast<double>(fy))};
        }
    }
    return resample(src, out_w, out_h, filter, box);
}

}  // namespace unclip::models::pil
