// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/image_io.h"

#include "core/imaging/exif.h"
#include "core/imaging/image_error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>

namespace unclip::imaging {

namespace {

cv::Mat to_8bit(const cv::Mat& m) {
    if (m.depth() == CV_8U) return m;
    cv::Mat out;
    switch (m.depth()) {
    case CV_16U: m.convertTo(out, CV_8U, 1.0 / 257.0); break;  // rounds to nearest
    case CV_32F:
    case CV_64F: m.convertTo(out, CV_8U, 255.0); break;         // saturates
    default: throw ImageError("unsupported sample type");
    }
    return out;
}

cv::Mat to_layout(const cv::Mat& m, PixelLayout layout) {
    cv::Mat out;
    const int c = m.channels();
    if (layout == PixelLayout::Gray8) {
        if (c == 1) return m;
        if (c == 2) cv::extractChannel(m, out, 0);
        else cv::cvtColor(m, out, c == 3 ? cv::COLOR_BGR2GRAY : cv::COLOR_BGRA2GRAY);
        return out;
    }
    switch (c) {
    case 1: cv::cvtColor(m, out, cv::COLOR_GRAY2RGBA); break;
    case 2: {  // gray + alpha
        cv::Mat planes[2];
        cv::split(m, planes);
        cv::Mat rgba[4] = {planes[0], planes[0], planes[0], planes[1]};
        cv::merge(rgba, 4, out);
        break;
    }
    case 3: cv::cvtColor(m, out, cv::COLOR_BGR2RGBA); break;
    case 4: cv::cvtColor(m, out, cv::COLOR_BGRA2RGBA); break;
    default: throw ImageError("unsupported channel count " + std::to_string(c));
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    return s;
}

}  // namespace

cv::Mat decode_image(const uint8_t* data, size_t size, const LoadLimits& limits, PixelLayout layout,
                     ImageInfo* info_out) {
    const ImageInfo info = probe_image(data, size);
    if (info.width > limits.max_side || info.height > limits.max_side ||
        int64_t(info.width) * int64_t(info.height) > limits.max_pixels)
        throw ImageError("image is too large (" + std::to_string(info.width) + " x " + std::to_string(info.height) +
                         " pixels; the limit is " + std::to_string(limits.max_pixels) + " pixels, " +
                         std::to_string(limits.max_side) + " per side)");
    cv::Mat decoded;
    try {
        const cv::Mat buffer(1, int(size), CV_8UC1, const_cast<uint8_t*>(data));
        decoded = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw ImageError("cannot decode " + info.format + " data: " + e.msg);
    }
    if (decoded.empty()) throw ImageError("cannot decode " + info.format + " data (truncated or corrupt)");
    if (decoded.cols != info.width || decoded.rows != info.height)
        throw ImageError("decoded size differs from the " + info.format + " header");
    cv::Mat out = apply_orientation(to_layout(to_8bit(decoded), layout), info.orientation);
    if (info_out) *info_out = info;
    return out.isContinuous() ? out : out.clone();
}

std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ImageError(path + ": cannot open the file");
    in.seekg(0, std::ios::end);
    const std::streamoff end = in.tellg();
    if (end < 0) throw ImageError(path + ": cannot read the file");
    if (uint64_t(end) > max_bytes) throw ImageError(path + ": the file is too large");
    in.seekg(0);
    std::vector<uint8_t> bytes(static_cast<size_t>(end));
    if (end > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), end))
        throw ImageError(path + ": cannot read the file");
    return bytes;
}

cv::Mat load_image(const std::string& path, const LoadLimits& limits, PixelLayout layout, ImageInfo* info) {
    const std::vector<uint8_t> bytes = read_file(path, limits.max_file_bytes);
    try {
        return decode_image(bytes.data(), bytes.size(), limits, layout, info);
    } catch (const ImageError& e) {
        throw ImageError(path + ": " + e.what());
    }
}

std::string format_for_path(const std::string& path) {
    const size_t dot = path.find_last_of('.');
    const size_t slash = path.find_last_of("/\\");
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    const std::string ext = lower(path.substr(dot + 1));
    if (ext == "png") return "png";
    if (ext == "jpg" || ext == "jpeg" || ext == "jpe") return "jpeg";
    if (ext == "webp") return "webp";
    if (ext == "bmp" || ext == "dib") return "bmp";
    return "";
}

std::vector<uint8_t> encode_image(const cv::Mat& image, const std::string& format, int quality) {
    if (image.empty() || image.depth() != CV_8U) throw ImageError("encode: expected an 8-bit image");
    const int c = image.channels();
    if (c != 1 && c != 3 && c != 4) throw ImageError("encode: expected 1, 3 or 4 channels");
    const bool keep_alpha = (format == "png" || format == "webp") && c == 4;
    cv::Mat bgr;
    if (c == 1) bgr = image;
    else if (keep_alpha) cv::cvtColor(image, bgr, cv::COLOR_RGBA2BGRA);
    else cv::cvtColor(image, bgr, c == 4 ? cv::COLOR_RGBA2BGR : cv::COLOR_RGB2BGR);
    std::vector<int> params;
    std::string ext;
    quality = std::clamp(quality, 1, 100);
    if (format == "png") {
        ext = ".png";
        params = {cv::IMWRITE_PNG_COMPRESSION, 6};
    } else if (format == "jpeg") {
        ext = ".jpg";
        params = {cv::IMWRITE_JPEG_QUALITY, quality};
    } else if (format == "webp") {
        ext = ".webp";
        params = {cv::IMWRITE_WEBP_QUALITY, quality >= 100 ? 101 : quality};
    } else if (format == "bmp") {
        ext = ".bmp";
    } else {
        throw ImageError("unsupported image format '" + format + "'");
    }
    std::vector<uint8_t> out;
    try {
        if (!cv::imencode(ext, bgr, out, params)) throw ImageError("cannot encode " + format);
    } catch (const cv::Exception& e) {
        throw ImageError("cannot encode " + format + ": " + e.msg);
    }
    return out;
}

void save_image(const std::string& path, const cv::Mat& image, int quality) {
    const std::string format = format_for_path(path);
    if (format.empty()) throw ImageError(path + ": unknown image file extension");
    std::vector<uint8_t> bytes;
    try {
        bytes = encode_image(image, format, quality);
    } catch (const ImageError& e) {
        throw ImageError(path + ": " + e.what());
    }
    const std::string tmp = path + ".tmp-unclip";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw ImageError(path + ": cannot write the file");
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        out.close();
        if (!out) {
            std::remove(tmp.c_str());
            throw ImageError(path + ": cannot write the file (disk full?)");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw ImageError(path + ": cannot replace the file");
    }
}

}  // namespace unclip::imaging
