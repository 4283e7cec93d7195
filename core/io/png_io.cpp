// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/io/png_io.h"

#include "core/common/error.h"

#include <png.h>
#include <torch/torch.h>

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <unistd.h>  // getpid


namespace unclip::io {
namespace {

struct FileCloser {
    void operator()(FILE* f) const {
        if (f) std::fclose(f);
    }
};
using File = std::unique_ptr<FILE, FileCloser>;

void on_png_error(png_structp png, png_const_charp msg) {
    auto* out = static_cast<std::string*>(png_get_error_ptr(png));
    if (out) *out = msg;
    png_longjmp(png, 1);
}
void on_png_warning(png_structp, png_const_charp) {}

// libpng allocates each ancillary chunk (tEXt, iCCP, ...) at the length its header claims, up to
// 2 GB, before reading it: its own chunk-size limit is only a "benign" error, a warning for
// readers. So a 100-byte file could make us allocate gigabytes. Refusing any single allocation
// over this limit makes libpng skip such a chunk (with a warning) or fail the read cleanly. Real
// allocations are far below it: a row of the widest image libpng accepts (1,000,000 pixels of
// 16-bit RGBA) is 8 MB, and its limit on decompressed text is 8 MB.
constexpr png_alloc_size_t kMaxPngAllocation = 32u << 20;
png_voidp limited_malloc(png_structp, png_alloc_size_t size) {
    return size <= kMaxPngAllocation ? std::malloc(size) : nullptr;
}
void limited_free(png_structp, png_voidp p) { std::free(p); }

// Text chunks: tEXt and zTXt are Latin-1 by the PNG specification, iTXt is UTF-8; our strings are
// UTF-8. Latin-1 text that would not fit is written as iTXt (utf8_to_latin1 returns nullopt).
std::optional<std::string> utf8_to_latin1(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if ((c == 0xC2 || c == 0xC3) && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
            out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(s[++i]) & 0x3F));
        } else {
            return std::nullopt;
        }
    }
    return out;
}
bool is_utf8_with_multibyte(const std::string& s) {
    bool multibyte = false;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t n = 0;  // continuation bytes
        if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c >= 0xE0 && c <= 0xEF) n = 2;
        else if (c >= 0xF0 && c <= 0xF4) n = 3;
        else if (c >= 0x80) return false;
        if (i + n >= s.size() && n > 0) return false;
        for (size_t k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        multibyte |= n > 0;
        i += n + 1;
    }
    return multibyte;
}
// A chunk's text as UTF-8. tEXt/zTXt are decoded from Latin-1, except text that is already valid
// multi-byte UTF-8: files written before these rules put UTF-8 in tEXt, and real Latin-1 text
// practically never forms valid UTF-8 sequences.
std::string text_chunk_value(const png_text& t) {
    if (t.compression == PNG_ITXT_COMPRESSION_NONE || t.compression == PNG_ITXT_COMPRESSION_zTXt)
        return std::string(t.text, t.itxt_length);
    std::string raw(t.text, t.text_length);
    if (is_utf8_with_multibyte(raw)) return raw;
    std::string out;
    out.reserve(raw.size());
    for (unsigned char c : raw) {
        if (c < 0x80) out += static_cast<char>(c);
        else out += static_cast<char>(0xC0 | (c >> 6)), out += static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

}  // namespace

bool is_png_file(const std::string& path) {
    File f(std::fopen(path.c_str(), "rb"));
    if (!f) return false;
    unsigned char sig[8] = {};
    return std::fread(sig, 1, 8, f.get()) == 8 && png_sig_cmp(sig, 0, 8) == 0;
}

namespace {

// libpng reports errors by longjmp: keep every setjmp in a function whose locals are plain data,
// so no C++ object is skipped over.
struct PngRead {
    png_structp png = nullptr;
    png_infop info = nullptr;
    std::string* err = nullptr;
};

// channels: 3 = RGB (alpha dropped), 4 = RGBA (alpha 255 where the file has none).
bool read_header(PngRead& r, FILE* f, png_uint_32* w, png_uint_32* h, int channels) {
    if (setjmp(png_jmpbuf(r.png))) return false;
    png_init_io(r.png, f);
    png_set_sig_bytes(r.png, 8);
    png_read_info(r.png, r.info);
    *w = png_get_image_width(r.png, r.info);
    *h = png_get_image_height(r.png, r.info);
    // Normalise every PNG flavour to 8-bit RGB.
    png_set_expand(r.png);
    png_set_strip_16(r.png);
    if (channels == 4) png_set_add_alpha(r.png, 0xff, PNG_FILLER_AFTER);
    else png_set_strip_alpha(r.png);
    png_set_gray_to_rgb(r.png);
    png_read_update_info(r.png, r.info);
    if (png_get_rowbytes(r.png, r.info) != *w * static_cast<png_uint_32>(channels)) png_error(r.png, "unexpected row layout");
    return true;
}

bool read_rows(PngRead& r, png_bytep* rows) {
    if (setjmp(png_jmpbuf(r.png))) return false;
    png_read_image(r.png, rows);
    png_read_end(r.png, r.info);
    return true;
}

bool write_rows(png_structp png, png_infop info, FILE* f, png_uint_32 w, png_uint_32 h, int channels, png_textp chunks,
                int n, png_bytep* rows) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_init_io(png, f);
    png_set_IHDR(png, info, w, h, 8, channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (n > 0) png_set_text(png, info, chunks, n);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    return true;
}

}  // namespace

namespace {

// Reads a PNG from an open stream (closed on return); `label` names it in messages.
torch::Tensor read_png_stream(FILE* file, const std::string& label, std::map<std::string, std::string>* text,
                              int64_t max_pixels, int channels = 3) {
    File f(file);
    unsigned char sig[8] = {};
    if (std::fread(sig, 1, 8, f.get()) != 8 || png_sig_cmp(sig, 0, 8) != 0)
        throw Error(label + " is not a PNG file");
    std::string err;
    PngRead r;
    r.err = &err;
    r.png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &err, on_png_error, on_png_warning, nullptr, limited_malloc,
                                     limited_free);
    r.info = r.png ? png_create_info_struct(r.png) : nullptr;
    std::unique_ptr<PngRead, void (*)(PngRead*)> guard(&r, [](PngRead* x) { png_destroy_read_struct(&x->png, &x->info, nullptr); });
    if (!r.png || !r.info) throw Error("out of memory reading " + label);
    png_uint_32 w = 0, h = 0;
    if (!read_header(r, f.get(), &w, &h, channels))
        throw Error("cannot read PNG " + label + ": " + (err.empty() ? "corrupt data" : err));
    if (w == 0 || h == 0) throw Error(label + " is an empty (zero-size) image");
    if (static_cast<int64_t>(w) * h > max_pixels)
        throw Error(label + " is " + std::to_string(w) + "x" + std::to_string(h) + " pixels, over the limit of " +
                    std::to_string(max_pixels) + " (decompression bomb?)");
    torch::Tensor out = torch::empty({static_cast<int64_t>(h), static_cast<int64_t>(w), channels}, torch::kUInt8);
    std::vector<png_bytep> rows(h);
    for (png_uint_32 y = 0; y < h; ++y) rows[y] = out.data_ptr<uint8_t>() + static_cast<size_t>(y) * w * channels;
    if (!read_rows(r, rows.data()))
        throw Error("cannot read PNG " + label + ": " + (err.empty() ? "corrupt data" : err));
    if (text) {
        png_textp chunks = nullptr;
        int n = 0;
        png_get_text(r.png, r.info, &chunks, &n);
        for (int i = 0; i < n; ++i) (*text)[chunks[i].key] = text_chunk_value(chunks[i]);
    }
    return out;
}

}  // namespace

torch::Tensor read_png(const std::string& path, std::map<std::string, std::string>* text, int64_t max_pixels) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw Error("cannot open image '" + path + "': " + std::strerror(errno));
    return read_png_stream(f, "'" + path + "'", text, max_pixels);
}

torch::Tensor read_png_rgba(const std::string& path, int64_t max_pixels) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw Error("cannot open image '" + path + "': " + std::strerror(errno));
    return read_png_stream(f, "'" + path + "'", nullptr, max_pixels, 4);
}

torch::Tensor decode_png(const std::string& bytes, const std::string& what, std::map<std::string, std::string>* text,
                         int64_t max_pixels) {
    if (bytes.empty()) throw Error(what + " is not a PNG file (no data)");
    FILE* f = ::fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
    if (!f) throw Error("out of memory reading " + what);
    return read_png_stream(f, what, text, max_pixels);
}

namespace {

torch::Tensor to_hwc_uint8(const torch::Tensor& image) {
    torch::Tensor hwc;
    if (image.scalar_type() == torch::kUInt8) hwc = image.contiguous();
    else hwc = (image.to(torch::kFloat32).clamp(0, 1) * 255.0f).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    if (hwc.dim() != 3 || (hwc.size(2) != 3 && !(hwc.size(2) == 4 && image.scalar_type() == torch::kUInt8)))
        throw Error("write_png expects an RGB image (or uint8 RGBA)");
    return hwc;
}

// Writes the PNG to `f` (left open); false with `err` set on a libpng error.
bool write_png_stream(FILE* f, const torch::Tensor& hwc, const std::map<std::string, std::string>& text, std::string& err) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    std::vector<png_text> chunks;
    std::vector<std::string> latin1;  // keeps converted values alive until written
    latin1.reserve(text.size());
    for (const auto& [k, v] : text) {
        png_text t{};
        // "parameters" stays uncompressed: A1111 readers such as civitai read plain tEXt only.
        const bool compress = v.size() > 512 && k != kParametersKey;
        t.key = const_cast<char*>(k.c_str());
        // tEXt/zTXt hold Latin-1; Latin-1 bytes that would read as UTF-8 (see text_chunk_value) go
        // in iTXt too, so every value reads back as written.
        if (auto l1 = utf8_to_latin1(v); l1 && !is_utf8_with_multibyte(*l1)) {
            latin1.push_back(std::move(*l1));
            t.compression = compress ? PNG_TEXT_COMPRESSION_zTXt : PNG_TEXT_COMPRESSION_NONE;
            t.text = const_cast<char*>(latin1.back().c_str());
            t.text_length = latin1.back().size();
        } else {  // anything else goes in UTF-8 iTXt
            t.compression = compress ? PNG_ITXT_COMPRESSION_zTXt : PNG_ITXT_COMPRESSION_NONE;
            t.text = const_cast<char*>(v.c_str());
            t.itxt_length = v.size();
        }
        chunks.push_back(t);
    }
    const auto w = static_cast<png_uint_32>(hwc.size(1)), h = static_cast<png_uint_32>(hwc.size(0));
    const int channels = static_cast<int>(hwc.size(2));
    std::vector<png_bytep> rows(h);
    for (png_uint_32 y = 0; y < h; ++y) rows[y] = hwc.data_ptr<uint8_t>() + static_cast<size_t>(y) * w * channels;
    const bool ok = png && info &&
                    write_rows(png, info, f, w, h, channels, chunks.data(), static_cast<int>(chunks.size()), rows.data());
    png_destroy_write_struct(&png, &info);
    return ok && std::fflush(f) == 0;
}

}  // namespace

void write_png(const std::string& path, const torch::Tensor& image, const std::map<std::string, std::string>& text) {
    const torch::Tensor hwc = to_hwc_uint8(image);
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    File f(std::fopen(tmp.c_str(), "wb"));
    if (!f) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    std::string err;
    const bool flushed = write_png_stream(f.get(), hwc, text, err);
    f.reset();
    if (!flushed || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error("cannot write '" + path + "': " + (err.empty() ? std::string(std::strerror(errno)) : err));
    }
}

std::string encode_png(const torch::Tensor& image, const std::map<std::string, std::string>& text) {
    const torch::Tensor hwc = to_hwc_uint8(image);
    char* buffer = nullptr;
    size_t size = 0;
    FILE* f = ::open_memstream(&buffer, &size);
    if (!f) throw Error("out of memory encoding a PNG");
    std::string err;
    const bool ok = write_png_stream(f, hwc, text, err);
    std::fclose(f);  // sets buffer and size
    std::string out = ok && buffer ? std::string(buffer, size) : std::string();
    std::free(buffer);
    if (!ok) throw Error("cannot encode a PNG: " + (err.empty() ? std::string("out of memory") : err));
    return out;
}

}  // namespace unclip::io
