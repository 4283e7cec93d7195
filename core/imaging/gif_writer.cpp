// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/gif_writer.h"

#include "core/imaging/image_error.h"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace unclip::imaging {

namespace {

// RGB of pixel x in a row of a CV_8UC3 / CV_8UC4 image.
inline const uint8_t* pixel(const cv::Mat& m, int y, int x) { return m.ptr<uint8_t>(y) + x * m.channels(); }

void check_frame(const cv::Mat& m) {
    if (m.empty() || m.depth() != CV_8U || (m.channels() != 3 && m.channels() != 4))
        throw ImageError("GIF frames must be 8-bit RGB or RGBA images");
}

// A box of the 32x32x32 histogram (inclusive bounds per channel).
struct Box {
    std::array<int, 3> lo{0, 0, 0}, hi{31, 31, 31};
    uint64_t count = 0;
};

using Histogram = std::vector<uint32_t>;  // 32^3 bins
inline int bin(int r, int g, int b) { return (r << 10) | (g << 5) | b; }

// Shrinks a box to the bins it actually uses and counts its pixels.
void fit(Box& box, const Histogram& h) {
    std::array<int, 3> lo{31, 31, 31}, hi{0, 0, 0};
    uint64_t count = 0;
    for (int r = box.lo[0]; r <= box.hi[0]; ++r)
        for (int g = box.lo[1]; g <= box.hi[1]; ++g)
            for (int b = box.lo[2]; b <= box.hi[2]; ++b) {
                const uint32_t n = h[size_t(bin(r, g, b))];
                if (!n) continue;
                count += n;
                const int c[3] = {r, g, b};
                for (int k = 0; k < 3; ++k) {
                    lo[size_t(k)] = std::min(lo[size_t(k)], c[k]);
                    hi[size_t(k)] = std::max(hi[size_t(k)], c[k]);
                }
            }
    box.count = count;
    if (count) {
        box.lo = lo;
        box.hi = hi;
    }
}

// Splits `box` at the weighted median of its longest side; false when it is a single bin.
bool split(Box& box, Box& other, const Histogram& h) {
    int axis = 0, extent = -1;
    for (int k = 0; k < 3; ++k)
        if (box.hi[size_t(k)] - box.lo[size_t(k)] > extent) {
            extent = box.hi[size_t(k)] - box.lo[size_t(k)];
            axis = k;
        }
    if (extent <= 0) return false;
    std::vector<uint64_t> plane(32, 0);
    for (int r = box.lo[0]; r <= box.hi[0]; ++r)
        for (int g = box.lo[1]; g <= box.hi[1]; ++g)
            for (int b = box.lo[2]; b <= box.hi[2]; ++b) {
                const int c[3] = {r, g, b};
                plane[size_t(c[axis])] += h[size_t(bin(r, g, b))];
            }
    uint64_t acc = 0;
    int cut = box.lo[size_t(axis)];
    for (int v = box.lo[size_t(axis)]; v < box.hi[size_t(axis)]; ++v) {
        acc += plane[size_t(v)];
        cut = v;
        if (acc * 2 >= box.count) break;
    }
    other = box;
    box.hi[size_t(axis)] = cut;
    other.lo[size_t(axis)] = cut + 1;
    fit(box, h);
    fit(other, h);
    return true;
}

int write_to_file(GifFileType* gif, const GifByteType* data, int length) {
    return int(std::fwrite(data, 1, size_t(length), static_cast<std::FILE*>(gif->UserData)));
}

int nearest(const std::vector<cv::Vec3b>& pal, int r, int g, int b) {
    int best = 0, bestD = INT32_MAX;
    for (size_t i = 0; i < pal.size(); ++i) {
        const int dr = r - pal[i][0], dg = g - pal[i][1], db = b - pal[i][2];
        // Perceptual-ish weights (green matters most).
        const int d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
        if (d < bestD) {
            bestD = d;
            best = int(i);
        }
    }
    return best;
}

}  // namespace

std::vector<cv::Vec3b> median_cut_palette(const std::vector<cv::Mat>& frames, int colors) {
    colors = std::clamp(colors, 2, 256);
    Histogram h(32 * 32 * 32, 0);
    std::vector<std::array<uint64_t, 4>> sums(h.size(), {0, 0, 0, 0});
    for (const cv::Mat& f : frames) {
        check_frame(f);
        for (int y = 0; y < f.rows; ++y)
            for (int x = 0; x < f.cols; ++x) {
                const uint8_t* p = pixel(f, y, x);
                const size_t i = size_t(bin(p[0] >> 3, p[1] >> 3, p[2] >> 3));
                ++h[i];
                sums[i][0] += p[0];
                sums[i][1] += p[1];
                sums[i][2] += p[2];
                ++sums[i][3];
            }
    }
    std::vector<Box> boxes(1);
    fit(boxes[0], h);
    if (boxes[0].count == 0) return {cv::Vec3b(0, 0, 0), cv::Vec3b(255, 255, 255)};
    // Split the most populous splittable box (by pixel count times volume) until the palette is full.
    while (int(boxes.size()) < colors) {
        int pick = -1;
        double score = 0;
        for (size_t i = 0; i < boxes.size(); ++i) {
            const Box& b = boxes[i];
            const double volume = double(b.hi[0] - b.lo[0] + 1) * (b.hi[1] - b.lo[1] + 1) * (b.hi[2] - b.lo[2] + 1);
            if (volume <= 1.0) continue;
            const double s = double(b.count) * std::sqrt(volume);
            if (s > score) {
                score = s;
                pick = int(i);
            }
        }
        if (pick < 0) break;
        Box other;
        if (!split(boxes[size_t(pick)], other, h)) break;
        if (other.count) boxes.push_back(other);
    }
    // Each palette entry is the exact mean colour of the pixels in its box.
    std::vector<cv::Vec3b> palette;
    for (const Box& b : boxes) {
        uint64_t s[4] = {0, 0, 0, 0};
        for (int r = b.lo[0]; r <= b.hi[0]; ++r)
            for (int g = b.lo[1]; g <= b.hi[1]; ++g)
                for (int bl = b.lo[2]; bl <= b.hi[2]; ++bl)
                    for (int k = 0; k < 4; ++k) s[k] += sums[size_t(bin(r, g, bl))][size_t(k)];
        if (!s[3]) continue;
        palette.emplace_back(uint8_t((s[0] + s[3] / 2) / s[3]), uint8_t((s[1] + s[3] / 2) / s[3]),
                             uint8_t((s[2] + s[3] / 2) / s[3]));
    }
    if (palette.size() < 2) palette.emplace_back(palette.empty() || palette[0][0] > 127 ? 0 : 255, 0, 0);
    return palette;
}

cv::Mat quantize_to_palette(const cv::Mat& image, const std::vector<cv::Vec3b>& palette, bool dither) {
    check_frame(image);
    if (palette.empty()) throw ImageError("empty GIF palette");
    // Nearest-colour cache over 5-bit bins (exact search on a miss of the coarse lookup).
    std::vector<int16_t> cache(32 * 32 * 32, -1);
    auto lookup = [&](int r, int g, int b) {
        const size_t k = size_t(bin(r >> 3, g >> 3, b >> 3));
        if (!dither) {
            if (cache[k] < 0) cache[k] = int16_t(nearest(palette, (r & ~7) | 4, (g & ~7) | 4, (b & ~7) | 4));
            return int(cache[k]);
        }
        return nearest(palette, r, g, b);
    };
    cv::Mat out(image.rows, image.cols, CV_8UC1);
    if (!dither) {
        for (int y = 0; y < image.rows; ++y)
            for (int x = 0; x < image.cols; ++x) {
                const uint8_t* p = pixel(image, y, x);
                out.at<uint8_t>(y, x) = uint8_t(lookup(p[0], p[1], p[2]));
            }
        return out;
    }
    // Floyd–Steinberg, serpentine, errors in 1/16 units kept as ints.
    const int w = image.cols;
    std::vector<int> cur(size_t(w + 2) * 3, 0), next(size_t(w + 2) * 3, 0);
    for (int y = 0; y < image.rows; ++y) {
        std::fill(next.begin(), next.end(), 0);
        const bool ltr = (y % 2) == 0;
        for (int i = 0; i < w; ++i) {
            const int x = ltr ? i : w - 1 - i;
            const uint8_t* p = pixel(image, y, x);
            int c[3];
            for (int k = 0; k < 3; ++k) c[k] = std::clamp(int(p[k]) + cur[size_t(x + 1) * 3 + size_t(k)] / 16, 0, 255);
            const int idx = lookup(c[0], c[1], c[2]);
            out.at<uint8_t>(y, x) = uint8_t(idx);
            const int dir = ltr ? 1 : -1;
            for (int k = 0; k < 3; ++k) {
                const int e = c[k] - palette[size_t(idx)][k];
                cur[size_t(x + 1 + dir) * 3 + size_t(k)] += e * 7;
                next[size_t(x + 1 - dir) * 3 + size_t(k)] += e * 3;
                next[size_t(x + 1) * 3 + size_t(k)] += e * 5;
                next[size_t(x + 1 + dir) * 3 + size_t(k)] += e * 1;
            }
        }
        std::swap(cur, next);
    }
    return out;
}

void write_gif(const std::string& path, const std::vector<cv::Mat>& frames, const GifOptions& options) {
    if (frames.empty()) throw ImageError("cannot write " + path + ": no frames");
    for (const cv::Mat& f : frames) {
        check_frame(f);
        if (f.size() != frames[0].size()) throw ImageError("cannot write " + path + ": frames differ in size");
    }
    const std::vector<cv::Vec3b> palette = median_cut_palette(frames, options.colors);
    int bits = 1;
    while ((1 << bits) < int(palette.size())) ++bits;
    const std::string tmp = path + ".part";
    // Our own stream (not EGifOpenFileName, which creates files readable by the owner only).
    std::FILE* file = std::fopen(tmp.c_str(), "wb");
    if (!file) throw ImageError("cannot write " + path + ": " + std::strerror(errno));
    int err = 0;
    GifFileType* gif = EGifOpen(file, write_to_file, &err);
    if (!gif) {
        std::fclose(file);
        std::remove(tmp.c_str());
        throw ImageError("cannot write " + path + ": " + GifErrorString(err));
    }
    auto fail = [&](const std::string& what) {
        int e = 0;
        EGifCloseFile(gif, &e);
        std::fclose(file);
        std::remove(tmp.c_str());
        throw ImageError("cannot write " + path + ": " + what);
    };
    std::unique_ptr<ColorMapObject, void (*)(ColorMapObject*)> map(GifMakeMapObject(1 << bits, nullptr), GifFreeMapObject);
    if (!map) fail("out of memory");
    for (int i = 0; i < (1 << bits); ++i) {
        const cv::Vec3b c = i < int(palette.size()) ? palette[size_t(i)] : cv::Vec3b(0, 0, 0);
        map->Colors[i] = GifColorType{c[0], c[1], c[2]};
    }
    EGifSetGifVersion(gif, true);
    if (EGifPutScreenDesc(gif, frames[0].cols, frames[0].rows, bits, 0, map.get()) == GIF_ERROR) fail("screen descriptor");
    if (frames.size() > 1) {  // NETSCAPE2.0 looping extension
        const unsigned char app[] = "NETSCAPE2.0";
        const unsigned char loop[3] = {1, uint8_t(options.loop_count & 0xff), uint8_t((options.loop_count >> 8) & 0xff)};
        if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
            EGifPutExtensionBlock(gif, 11, app) == GIF_ERROR || EGifPutExtensionBlock(gif, 3, loop) == GIF_ERROR ||
            EGifPutExtensionTrailer(gif) == GIF_ERROR)
            fail("loop extension");
    }
    const int delay = std::max(1, (options.frame_delay_ms + 5) / 10);
    for (const cv::Mat& f : frames) {
        // Graphics control: disposal "leave in place" (frames are opaque and full size), delay.
        const unsigned char gce[4] = {0x04, uint8_t(delay & 0xff), uint8_t((delay >> 8) & 0xff), 0};
        if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, gce) == GIF_ERROR) fail("frame delay");
        if (EGifPutImageDesc(gif, 0, 0, f.cols, f.rows, false, nullptr) == GIF_ERROR) fail("image descriptor");
        cv::Mat idx = quantize_to_palette(f, palette, options.dither);
        for (int y = 0; y < idx.rows; ++y)
            if (EGifPutLine(gif, idx.ptr<GifPixelType>(y), idx.cols) == GIF_ERROR) fail("pixel data");
    }
    const bool closed = EGifCloseFile(gif, &err) != GIF_ERROR;
    const bool flushed = std::fclose(file) == 0;
    if (!closed || !flushed) {
        std::remove(tmp.c_str());
        throw ImageError("cannot write " + path + ": " + (closed ? std::string("disk full or write error") : GifErrorString(err)));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw ImageError("cannot write " + path + ": " + ec.message());
    }
}

}  // namespace unclip::imaging
