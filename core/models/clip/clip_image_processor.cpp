// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/clip/clip_image_processor.h"

#include "core/common/error.h"
#include "core/io/config_reader.h"
#include "core/models/clip/pil_resample.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace unclip::models {
namespace {

// ---- resampler -----------------------------------------------------------------------------

double cubic_filter(double x) {  // Keys cubic, a = -0.5
    constexpr double a = -0.5;
    x = std::abs(x);
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a;
    return 0.0;
}
double triangle_filter(double x) {
    x = std::abs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

// Per output pixel: the first input index, the number of taps and their int16 fixed-point weights.
struct Taps {
    std::vector<int64_t> first, count;
    std::vector<int32_t> weights;  // out_size x max_taps
    int64_t max_taps = 0;
    int precision = 0;  // weights are scaled by 2^precision
};

Taps compute_taps(int64_t in_size, int64_t out_size, ResampleFilter filter) {
    const double interp_size = filter == ResampleFilter::Bicubic ? 4.0 : 2.0;
    auto fn = filter == ResampleFilter::Bicubic ? cubic_filter : triangle_filter;
    const double scale = static_cast<double>(in_size) / static_cast<double>(out_size);
    const double support = scale >= 1.0 ? interp_size * 0.5 * scale : interp_size * 0.5;
    const double invscale = scale >= 1.0 ? 1.0 / scale : 1.0;
    Taps t;
    t.max_taps = static_cast<int64_t>(std::ceil(support)) * 2 + 1;
    t.first.resize(out_size);
    t.count.resize(out_size);
    std::vector<double> w(static_cast<size_t>(out_size * t.max_taps), 0.0);
    double wt_max = 0.0;
    for (int64_t i = 0; i < out_size; ++i) {
        const double center = scale * (static_cast<double>(i) + 0.5);
        const int64_t xmin = std::max<int64_t>(static_cast<int64_t>(center - support + 0.5), 0);
        int64_t xsize = std::min<int64_t>(static_cast<int64_t>(center + support + 0.5), in_size) - xmin;
        xsize = std::clamp<int64_t>(xsize, 0, t.max_taps);
        double* wi = w.data() + i * t.max_taps;
        double total = 0.0;
        for (int64_t j = 0; j < xsize; ++j) {
            wi[j] = fn((static_cast<double>(j + xmin) - center + 0.5) * invscale);
            total += wi[j];
        }
        if (total != 0.0)
            for (int64_t j = 0; j < xsize; ++j) {
                wi[j] /= total;
                wt_max = std::max(wt_max, wi[j]);
            }
        t.first[i] = xmin;
        t.count[i] = xsize;
    }
    // The largest precision (<= 22) for which the largest weight still fits comfortably in int16.
    int precision = 0;
    for (; precision < 22; ++precision)
        if (static_cast<int>(0.5 + wt_max * static_cast<double>(1 << (precision + 1))) >= (1 << 15)) break;
    t.precision = precision;
    t.weights.resize(w.size());
    for (size_t k = 0; k < w.size(); ++k) {
        const double v = w[k] * static_cast<double>(1 << precision);
        t.weights[k] = static_cast<int16_t>(v < 0 ? static_cast<int>(-0.5 + v) : static_cast<int>(0.5 + v));
    }
    return t;
}

inline uint8_t fixed_to_u8(int64_t acc, int precision) {
    if (acc < 0) return 0;
    const int64_t v = acc >> precision;
    return static_cast<uint8_t>(v > 255 ? 255 : v);
}

// Resamples along one axis of a [H, W, C] buffer: axis 1 (width) or axis 0 (height). Integer arithmetic,
// so splitting rows over threads cannot change the result.
std::vector<uint8_t> resample_axis(const uint8_t* src, int64_t h, int64_t w, int64_t c, int axis, int64_t out,
                                   ResampleFilter filter) {
    const Taps t = compute_taps(axis == 1 ? w : h, out, filter);
    const int64_t round = t.precision > 0 ? (int64_t{1} << (t.precision - 1)) : 0;
    const int64_t oh = axis == 0 ? out : h, ow = axis == 1 ? out : w;
    std::vector<uint8_t> dst(static_cast<size_t>(oh * ow * c));
    if (axis == 1) {
        at::parallel_for(0, h, 16, [&](int64_t y0, int64_t y1) {
            for (int64_t y = y0; y < y1; ++y)
                for (int64_t x = 0; x < ow; ++x) {
                    const int32_t* k = t.weights.data() + x * t.max_taps;
                    const uint8_t* row = src + (y * w + t.first[x]) * c;
                    for (int64_t ch = 0; ch < c; ++ch) {
                        int64_t acc = round;
                        for (int64_t j = 0; j < t.count[x]; ++j) acc += static_cast<int64_t>(row[j * c + ch]) * k[j];
                        dst[(y * ow + x) * c + ch] = fixed_to_u8(acc, t.precision);
                    }
                }
        });
    } else {
        const int64_t stride = w * c;
        at::parallel_for(0, oh, 16, [&](int64_t y0, int64_t y1) {
            for (int64_t y = y0; y < y1; ++y) {
                const int32_t* k = t.weights.data() + y * t.max_taps;
                const uint8_t* col = src + t.first[y] * stride;
                for (int64_t i = 0; i < stride; ++i) {
                    int64_t acc = round;
                    for (int64_t j = 0; j < t.count[y]; ++j) acc += static_cast<int64_t>(col[j * stride + i]) * k[j];
                    dst[y * stride + i] = fixed_to_u8(acc, t.precision);
                }
            }
        });
    }
    return dst;
}

torch::Tensor resize_antialias_uint8(const torch::Tensor& image, int64_t out_h, int64_t out_w, ResampleFilter f) {
    if (image.dim() != 3 || image.scalar_type() != torch::kUInt8)
        throw RequestError("image resize: expected a [height, width, channels] uint8 image");
    const int64_t h = image.size(0), w = image.size(1), c = image.size(2);
    if (h < 1 || w < 1 || c < 1) throw RequestError("image resize: the image is empty");
    if (out_h < 1 || out_w < 1) throw RequestError("image resize: the target size must be positive");
    torch::Tensor src = image.to(torch::kCPU).contiguous();
    std::vector<uint8_t> buf(src.data_ptr<uint8_t>(), src.data_ptr<uint8_t>() + src.numel());
    int64_t cur_w = w;
    if (out_w != w) {
        buf = resample_axis(buf.data(), h, w, c, 1, out_w, f);
        cur_w = out_w;
    }
    if (out_h != h) buf = resample_axis(buf.data(), h, cur_w, c, 0, out_h, f);
    torch::Tensor out = torch::empty({out_h, out_w, c}, torch::kUInt8);
    std::copy(buf.begin(), buf.end(), out.data_ptr<uint8_t>());
    return out;
}

// ---- config ----------------------------------------------------------------------------------

// An int, or an object with the given keys (ModelError naming `key` otherwise).
void read_size(const ConfigReader& r, const std::string& key, bool crop, CLIPImageProcessorConfig& c) {
    if (!r.has(key)) return;
    const nlohmann::json& v = r.json()[key];
    auto positive = [&](const nlohmann::json& x, const std::string& what) -> int64_t {
        // Capped so that the resize arithmetic (size * image side) cannot overflow.
        if (!x.is_number_integer() || x.get<int64_t>() <= 0 || x.get<int64_t>() > 65536)
            r.unsupported(key, what + " must be a positive integer (at most 65536)");
        return x.get<int64_t>();
    };
    if (v.is_number()) {
        const int64_t s = positive(v, "the size");
        if (crop) {
            c.crop_height = c.crop_width = s;
        } else {
            c.shortest_edge = s;
            c.resize_height = c.resize_width = 0;
        }
        return;
    }
    if (!v.is_object()) r.unsupported(key, "expected an integer or an object");
    if (!crop && v.contains("shortest_edge") && !v.contains("height") && !v.contains("width") &&
        !v.contains("longest_edge")) {
        c.shortest_edge = positive(v["shortest_edge"], "shortest_edge");
        c.resize_height = c.resize_width = 0;
    } else if (v.contains("height") && v.contains("width") && v.size() == 2) {
        const int64_t hh = positive(v["height"], "height"), ww = positive(v["width"], "width");
        if (crop) {
            c.crop_height = hh;
            c.crop_width = ww;
        } else {
            c.resize_height = hh;
            c.resize_width = ww;
        }
    } else {
        r.unsupported(key, crop ? "expected {height, width}" : "expected {shortest_edge} or {height, width}");
    }
}

std::array<double, 3> read_triple(const ConfigReader& r, const std::string& key, const std::array<double, 3>& d) {
    if (!r.has(key)) return d;
    const nlohmann::json& v = r.json()[key];
    if (v.is_number()) return {v.get<double>(), v.get<double>(), v.get<double>()};
    if (!v.is_array() || v.size() != 3) r.unsupported(key, "expected 3 numbers (R, G, B)");
    std::array<double, 3> out{};
    for (size_t i = 0; i < 3; ++i) {
        if (!v[i].is_number()) r.unsupported(key, "expected 3 numbers (R, G, B)");
        out[i] = v[i].get<double>();
    }
    return out;
}

}  // namespace

torch::Tensor resize_bicubic_antialias_uint8(const torch::Tensor& image_hwc, int64_t out_h, int64_t out_w) {
    return resize_antialias_uint8(image_hwc, out_h, out_w, ResampleFilter::Bicubic);
}
torch::Tensor resize_bilinear_antialias_uint8(const torch::Tensor& image_hwc, int64_t out_h, int64_t out_w) {
    return resize_antialias_uint8(image_hwc, out_h, out_w, ResampleFilter::Bilinear);
}

std::array<int64_t, 2> shortest_edge_size(int64_t height, int64_t width, int64_t shortest_edge) {
    const int64_t short_side = std::min(height, width), long_side = std::max(height, width);
    const auto long_out = static_cast<int64_t>(static_cast<double>(shortest_edge * long_side) / static_cast<double>(short_side));
    return height <= width ? std::array<int64_t, 2>{shortest_edge, long_out}
                           : std::array<int64_t, 2>{long_out, shortest_edge};
}

CLIPImageProcessorConfig CLIPImageProcessorConfig::from_json(const nlohmann::json& j, const std::string& label) {
    ConfigReader r(j, label);
    CLIPImageProcessorConfig c;
    c.do_convert_rgb = r.get<bool>("do_convert_rgb", c.do_convert_rgb);
    c.do_resize = r.get<bool>("do_resize", c.do_resize);
    read_size(r, "size", /*crop=*/false, c);
    if (r.has("resample")) {
        const int code = r.get<int>("resample", 3);
        if (code == 3) c.resample = ResampleFilter::Bicubic;
        else if (code == 2) c.resample = ResampleFilter::Bilinear;
        else r.unsupported("resample", "supported: 2 (bilinear), 3 (bicubic)");
    }
    c.do_center_crop = r.get<bool>("do_center_crop", c.do_center_crop);
    read_size(r, "crop_size", /*crop=*/true, c);
    c.do_rescale = r.get<bool>("do_rescale", c.do_rescale);
    c.rescale_factor = r.get<double>("rescale_factor", c.rescale_factor);
    if (!(c.rescale_factor > 0)) r.unsupported("rescale_factor", "must be positive");
    c.do_normalize = r.get<bool>("do_normalize", c.do_normalize);
    c.image_mean = read_triple(r, "image_mean", c.image_mean);
    c.image_std = read_triple(r, "image_std", c.image_std);
    for (double s : c.image_std)
        if (!(s > 0)) r.unsupported("image_std", "must be positive");
    if (c.do_resize && c.do_center_crop) {
        const int64_t min_h = c.resize_height ? c.resize_height : c.shortest_edge;
        const int64_t min_w = c.resize_width ? c.resize_width : c.shortest_edge;
        if (c.crop_height > min_h || c.crop_width > min_w)
            r.unsupported("crop_size", "larger than the resized image (" + std::to_string(min_h) + " x " +
                                           std::to_string(min_w) + ")");
    }
    return c;
}

torch::Tensor CLIPImageProcessor::convert_rgb(const torch::Tensor& image) {
    if (image.dim() != 3 || image.scalar_type() != torch::kUInt8)
        throw RequestError("image preprocessing: expected a [height, width, channels] uint8 image");
    if (image.size(0) < 1 || image.size(1) < 1) throw RequestError("image preprocessing: the image is empty");
    const int64_t channels = image.size(2);
    torch::Tensor rgb;
    if (channels == 1 || channels == 2) rgb = image.narrow(2, 0, 1).expand({-1, -1, 3});
    else if (channels == 3 || channels == 4) rgb = image.narrow(2, 0, 3);
    else throw RequestError("image preprocessing: unsupported channel count " + std::to_string(channels));
    return rgb.to(torch::kCPU).contiguous();
}

torch::Tensor CLIPImageProcessor::resize(const torch::Tensor& rgb) const {
    const auto& c = config_;
    if (!c.do_resize) return rgb;
    const std::array<int64_t, 2> size = c.resize_height
                                            ? std::array<int64_t, 2>{c.resize_height, c.resize_width}
                                            : shortest_edge_size(rgb.size(0), rgb.size(1), c.shortest_edge);
    if (c.backend == CLIPImageBackend::Pil)
        return pil::resize(rgb, size[1], size[0],
                           c.resample == ResampleFilter::Bicubic ? pil::Filter::Bicubic : pil::Filter::Bilinear);
    return resize_antialias_uint8(rgb, size[0], size[1], c.resample);
}

torch::Tensor CLIPImageProcessor::center_crop(const torch::Tensor& rgb) const {
    const auto& c = config_;
    if (!c.do_center_crop) return rgb;
    const int64_t h = rgb.size(0), w = rgb.size(1);
    if (h < c.crop_height || w < c.crop_width)
        throw RequestError("image preprocessing: the image (" + std::to_string(w) + " x " + std::to_string(h) +
                           ") is smaller than the crop (" + std::to_string(c.crop_width) + " x " +
                           std::to_string(c.crop_height) + ")");
    const int64_t top = (h - c.crop_height) / 2, left = (w - c.crop_width) / 2;
    return rgb.narrow(0, top, c.crop_height).narrow(1, left, c.crop_width).contiguous();
}

torch::Tensor CLIPImageProcessor::resize_and_crop(const torch::Tensor& image) const {
    return center_crop(resize(convert_rgb(image)));  // [h, w, 3] uint8
}

torch::Tensor CLIPImageProcessor::preprocess(const std::vector<torch::Tensor>& images) const {
    if (images.empty()) throw RequestError("image preprocessing: no images");
    const auto& c = config_;
    const torch::Tensor mean = torch::tensor(std::vector<float>(c.image_mean.begin(), c.image_mean.end())).view({3, 1, 1});
    const torch::Tensor stdev = torch::tensor(std::vector<float>(c.image_std.begin(), c.image_std.end())).view({3, 1, 1});
    std::vector<torch::Tensor> out;
    out.reserve(images.size());
    if (c.backend == CLIPImageBackend::Pil) {
        // numpy: uint8 * rescale_factor is float64, cast to float32; then (x - mean) / std in float32.
        std::vector<float> lut(256);
        for (int v = 0; v < 256; ++v)
            lut[v] = c.do_rescale ? static_cast<float>(static_cast<double>(v) * c.rescale_factor) : static_cast<float>(v);
        const torch::Tensor table = torch::tensor(lut);
        for (const auto& image : images) {
            torch::Tensor x = table.index({resize_and_crop(image).permute({2, 0, 1}).to(torch::kLong)});  // [3, h, w]
            if (c.do_normalize) x = (x - mean) / stdev;
            out.push_back(x.contiguous());
        }
    } else {
        // As torchvision fuses them: mean and std (float32) scaled by 1 / rescale_factor, then (x - mean) / std.
        const double s = c.do_rescale && c.do_normalize ? 1.0 / c.rescale_factor : 1.0;
        const torch::Tensor mean_s = mean * s, stdev_s = stdev * s;
        for (const auto& image : images) {
            torch::Tensor x = resize_and_crop(image).permute({2, 0, 1}).to(torch::kFloat32);  // [3, h, w]
            if (c.do_normalize) x = (x - mean_s) / stdev_s;
            else if (c.do_rescale) x = x * c.rescale_factor;
            out.push_back(x);
        }
    }
    const auto& s0 = out.front().sizes();
    for (const auto& x : out)
        if (x.sizes() != s0)
            throw RequestError("image preprocessing: images of different sizes cannot be batched "
                               "(enable resizing or centre cropping)");
    return torch::stack(out);  // [B, 3, h, w]
}

}  // namespace unclip::models
