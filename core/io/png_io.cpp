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

bool read_header(PngRead& r, FILE* f, png_uint_32* w, png_uint_32* h) {
    if (setjmp(png_jmpbuf(r.png))) return false;
    png_init_io(r.png, f);
    png_set_sig_bytes(r.png, 8);
    png_read_info(r.png, r.info);
    *w = png_get_image_width(r.png, r.info);
    *h = png_get_image_height(r.png, r.info);
    // Normalise every PNG flavour to 8-bit RGB.
    png_set_expand(r.png);
    png_set_strip_16(r.png);
    png_set_strip_alpha(r.png);
    png_set_gray_to_rgb(r.png);
    png_read_update_info(r.png, r.info);
    if (png_get_rowbytes(r.png, r.info) != *w * 3) png_error(r.png, "unexpected row layout");
    return true;
}

bool read_rows(PngRead& r, png_bytep* rows) {
    if (setjmp(png_jmpbuf(r.png))) return false;
    png_read_image(r.png, rows);
    png_read_end(r.png, r.info);
    return true;
}

bool write_rows(png_structp png, png_infop info, FILE* f, png_uint_32 w, png_uint_32 h, png_textp chunks, int n,
                png_bytep* rows) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_init_io(png, f);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (n > 0) png_set_text(png, info, chunks, n);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    return true;
}

}  // namespace

torch::Tensor read_png(const std::string& path, std::map<std::string, std::string>* text, int64_t max_pixels) {
    File f(std::fopen(path.c_str(), "rb"));
    if (!f) throw Error("cannot open image '" + path + "': " + std::strerror(errno));
    unsigned char sig[8] = {};
    if (std::fread(sig, 1, 8, f.get()) != 8 || png_sig_cmp(sig, 0, 8) != 0)
        throw Error("'" + path + "' is not a PNG file");
    std::string err;
    PngRead r;
    r.err = &err;
    r.png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &err, on_png_error, on_png_warning, nullptr, limited_malloc,
                                     limited_free);
    r.info = r.png ? png_create_info_struct(r.png) : nullptr;
    std::unique_ptr<PngRead, void (*)(PngRead*)> guard(&r, [](PngRead* x) { png_destroy_read_struct(&x->png, &x->info, nullptr); });
    if (!r.png || !r.info) throw Error("out of memory reading '" + path + "'");
    png_uint_32 w = 0, h = 0;
    if (!read_header(r, f.get(), &w, &h))
        throw Error("cannot read PNG '" + path + "': " + (err.empty() ? "corrupt data" : err));
    if (w == 0 || h == 0) throw Error("'" + path + "' is an empty (zero-size) image");
    if (static_cast<int64_t>(w) * h > max_pixels)
        throw Error("'" + path + "' is " + std::to_string(w) + "x" + std::to_string(h) + " pixels, over the limit of " +
                    std::to_string(max_pixels) + " (decompression bomb?)");
    torch::Tensor out = torch::empty({static_cast<int64_t>(h), static_cast<int64_t>(w), 3}, torch::kUInt8);
    std::vector<png_bytep> rows(h);
    for (png_uint_32 y = 0; y < h; ++y) rows[y] = out.data_ptr<uint8_t>() + static_cast<size_t>(y) * w * 3;
    if (!read_rows(r, rows.data()))
        throw Error("cannot read PNG '" + path + "': " + (err.empty() ? "corrupt data" : err));
    if (text) {
        png_textp chunks = nullptr;
        int n = 0;
        png_get_text(r.png, r.info, &chunks, &n);
        for (int i = 0; i < n; ++i) (*text)[chunks[i].key] = std::string(chunks[i].text, chunks[i].text_length);
    }
    return out;
}

void write_png(const std::string& path, const torch::Tensor& image, const std::map<std::string, std::string>& text) {
    torch::Tensor hwc;
    if (image.scalar_type() == torch::kUInt8) hwc = image.contiguous();
    else hwc = (image.to(torch::kFloat32).clamp(0, 1) * 255.0f).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    if (hwc.dim() != 3 || hwc.size(2) != 3) throw Error("write_png expects an RGB image");
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    File f(std::fopen(tmp.c_str(), "wb"));
    if (!f) throw Error("cannot write '" + path + "': " + std::strerror(errno));
    std::string err;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    std::vector<png_text> chunks;
    for (const auto& [k, v] : text) {
        png_text t{};
        t.compression = v.size() > 512 ? PNG_TEXT_COMPRESSION_zTXt : PNG_TEXT_COMPRESSION_NONE;
        t.key = const_cast<char*>(k.c_str());
        t.text = const_cast<char*>(v.c_str());
        t.text_length = v.size();
        chunks.push_back(t);
    }
    const auto w = static_cast<png_uint_32>(hwc.size(1)), h = static_cast<png_uint_32>(hwc.size(0));
    std::vector<png_bytep> rows(h);
    for (png_uint_32 y = 0; y < h; ++y) rows[y] = hwc.data_ptr<uint8_t>() + static_cast<size_t>(y) * w * 3;
    const bool ok = png && info &&
                    write_rows(png, info, f.get(), w, h, chunks.data(), static_cast<int>(chunks.size()), rows.data());
    png_destroy_write_struct(&png, &info);
    const bool flushed = ok && std::fflush(f.get()) == 0;
    f.reset();
    if (!flushed || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error("cannot write '" + path + "': " + (err.empty() ? std::string(std::strerror(errno)) : err));
    }
}

}  // namespace unclip::io
