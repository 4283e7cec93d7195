// SPDX-License-Identifier: GPL-3.0-or-later
// The imaging layer (core/imaging): file loading (formats, 16-bit, gray, alpha, EXIF orientation,
// decompression-bomb cap, corrupt input), saving, compositing, feathering, the brush, tensors.
#include "core/imaging/brush.h"
#include "core/imaging/exif.h"
#include "core/imaging/image_error.h"
#include "core/imaging/image_io.h"
#include "core/imaging/mask_ops.h"
#include "core/imaging/tensor_convert.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cstring>

using namespace unclip::imaging;

namespace {

cv::Mat random_rgba(int w, int h, int seed) {
    cv::Mat m(h, w, CV_8UC4);
    cv::RNG rng(seed);
    rng.fill(m, cv::RNG::UNIFORM, 0, 256);
    return m;
}

bool equal(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size() || a.type() != b.type()) return false;
    for (int y = 0; y < a.rows; ++y)
        if (std::memcmp(a.ptr(y), b.ptr(y), a.cols * a.elemSize()) != 0) return false;
    return true;
}

std::vector<uint8_t> encode_bgr(const cv::Mat& m, const std::string& ext) {
    std::vector<uint8_t> out;
    cv::imencode(ext, m, out);
    return out;
}

// A big-endian TIFF block holding only the orientation tag.
std::vector<uint8_t> tiff_with_orientation(int orientation) {
    return {'M', 'M', 0, 42, 0, 0, 0, 8,  // header, IFD at 8
            0, 1,                         // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, uint8_t(orientation), 0, 0,
            0, 0, 0, 0};
}

uint32_t crc32(const uint8_t* p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

void put_be32(std::vector<uint8_t>& v, uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(x >> s));
}

// A 16 x 8 image, left half red, right half blue (RGB order in the returned RGBA reference).
cv::Mat red_blue_bgr() {
    cv::Mat bgr(8, 16, CV_8UC3, cv::Scalar(0, 0, 255));
    bgr(cv::Rect(8, 0, 8, 8)).setTo(cv::Scalar(255, 0, 0));
    return bgr;
}

bool reddish(const cv::Vec4b& p) { return p[0] > 200 && p[2] < 60; }
bool bluish(const cv::Vec4b& p) { return p[2] > 200 && p[0] < 60; }

}  // namespace

class TestImaging : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void probesEveryFormat() {
        const cv::Mat bgr = red_blue_bgr();
        for (const auto& [ext, name] : std::vector<std::pair<std::string, std::string>>{
                 {".png", "png"}, {".jpg", "jpeg"}, {".webp", "webp"}, {".bmp", "bmp"}}) {
            const auto bytes = encode_bgr(bgr, ext);
            const ImageInfo info = probe_image(bytes.data(), bytes.size());
            QCOMPARE(info.format, name);
            QCOMPARE(info.width, 16);
            QCOMPARE(info.height, 8);
            const cv::Mat rgba = decode_image(bytes.data(), bytes.size());
            QCOMPARE(rgba.type(), CV_8UC4);
            QVERIFY(reddish(rgba.at<cv::Vec4b>(4, 2)));
            QVERIFY(bluish(rgba.at<cv::Vec4b>(4, 13)));
            QCOMPARE(int(rgba.at<cv::Vec4b>(4, 2)[3]), 255);
        }
    }

    void loadsRgbaPngExactly() {
        QTemporaryDir dir;
        const cv::Mat rgba = random_rgba(37, 23, 1);
        const std::string path = dir.filePath("a.png").toStdString();
        save_image(path, rgba);
        QVERIFY(equal(load_image(path), rgba));
        // Lossless WebP is exact too, except for the colour of fully transparent pixels.
        const std::string webp = dir.filePath("a.webp").toStdString();
        save_image(webp, rgba, 100);
        const cv::Mat w = load_image(webp);
        QCOMPARE(w.size(), rgba.size());
        for (int y = 0; y < rgba.rows; ++y)
            for (int x = 0; x < rgba.cols; ++x) {
                const cv::Vec4b a = rgba.at<cv::Vec4b>(y, x), b = w.at<cv::Vec4b>(y, x);
                QCOMPARE(b[3], a[3]);
                if (a[3] != 0) QCOMPARE(b, a);
            }
    }

    void loadsSixteenBitAndGray() {
        cv::Mat gray16(4, 5, CV_16UC1);
        for (int i = 0; i < 20; ++i) gray16.at<uint16_t>(i / 5, i % 5) = uint16_t(i * 3000 + 7);
        const auto bytes = encode_bgr(gray16, ".png");
        const cv::Mat rgba = decode_image(bytes.data(), bytes.size());
        QCOMPARE(rgba.type(), CV_8UC4);
        for (int i = 0; i < 20; ++i) {
            const cv::Vec4b p = rgba.at<cv::Vec4b>(i / 5, i % 5);
            const int expected = int(std::lround((i * 3000 + 7) / 257.0));
            QCOMPARE(int(p[0]), expected);
            QCOMPARE(int(p[1]), expected);
            QCOMPARE(int(p[2]), expected);
            QCOMPARE(int(p[3]), 255);
        }
        // 16-bit colour with alpha: channel order and scaling.
        cv::Mat bgra16(2, 2, CV_16UC4, cv::Scalar(0, 65535, 257 * 10, 257 * 128));
        const auto b2 = encode_bgr(bgra16, ".png");
        const cv::Vec4b p = decode_image(b2.data(), b2.size()).at<cv::Vec4b>(1, 1);
        QCOMPARE(int(p[0]), 10);   // R
        QCOMPARE(int(p[1]), 255);  // G
        QCOMPARE(int(p[2]), 0);    // B
        QCOMPARE(int(p[3]), 128);  // A
        // Gray8 layout keeps a gray file's values as they are.
        cv::Mat gray(3, 3, CV_8UC1, cv::Scalar(77));
        const auto b3 = encode_bgr(gray, ".png");
        const cv::Mat g = decode_image(b3.data(), b3.size(), {}, PixelLayout::Gray8);
        QCOMPARE(g.type(), CV_8UC1);
        QCOMPARE(int(g.at<uint8_t>(2, 2)), 77);
    }

    void loadsGrayWithAlpha() {
        const cv::Mat m = load_image(UNCLIP_TEST_DATA_DIR "/gray_alpha.png");
        QCOMPARE(m.cols, 3);
        QCOMPARE(m.rows, 2);
        QCOMPARE(m.at<cv::Vec4b>(0, 0), cv::Vec4b(200, 200, 200, 255));
        QCOMPARE(m.at<cv::Vec4b>(0, 1), cv::Vec4b(100, 100, 100, 128));
        QCOMPARE(m.at<cv::Vec4b>(1, 2), cv::Vec4b(100, 100, 100, 255));
    }

    void appliesExifOrientation() {
        // JPEG: insert an APP1 Exif segment right after SOI.
        auto jpeg = encode_bgr(red_blue_bgr(), ".jpg");
        const auto tiff = tiff_with_orientation(6);
        std::vector<uint8_t> app1 = {0xFF, 0xE1, 0, uint8_t(2 + 6 + tiff.size()), 'E', 'x', 'i', 'f', 0, 0};
        app1.insert(app1.end(), tiff.begin(), tiff.end());
        jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
        ImageInfo info;
        cv::Mat m = decode_image(jpeg.data(), jpeg.size(), {}, PixelLayout::Rgba8, &info);
        QCOMPARE(info.orientation, 6);
        QCOMPARE(m.cols, 8);  // rotated 90 degrees clockwise: the left (red) half is on top
        QCOMPARE(m.rows, 16);
        QVERIFY(reddish(m.at<cv::Vec4b>(3, 4)));
        QVERIFY(bluish(m.at<cv::Vec4b>(12, 4)));

        // PNG: an eXIf chunk before IEND, orientation 3 (180 degrees).
        auto png = encode_bgr(red_blue_bgr(), ".png");
        const auto t3 = tiff_with_orientation(3);
        std::vector<uint8_t> chunk;
        put_be32(chunk, uint32_t(t3.size()));
        const size_t type_at = chunk.size();
        for (char c : std::string("eXIf")) chunk.push_back(uint8_t(c));
        chunk.insert(chunk.end(), t3.begin(), t3.end());
        put_be32(chunk, crc32(chunk.data() + type_at, chunk.size() - type_at));
        png.insert(png.end() - 12, chunk.begin(), chunk.end());
        m = decode_image(png.data(), png.size(), {}, PixelLayout::Rgba8, &info);
        QCOMPARE(info.orientation, 3);
        QCOMPARE(m.cols, 16);
        QVERIFY(bluish(m.at<cv::Vec4b>(4, 2)));
        QVERIFY(reddish(m.at<cv::Vec4b>(4, 13)));

        // Every orientation maps a 3 x 2 image to the right shape.
        const cv::Mat src = random_rgba(3, 2, 5);
        for (int o = 1; o <= 8; ++o) {
            const cv::Mat r = apply_orientation(src, o);
            QCOMPARE(r.cols, o >= 5 ? 2 : 3);
        }
    }

    void refusesDecompressionBombs() {
        // A PNG header claiming 100000 x 100000 pixels: refused from the header alone.
        std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        put_be32(png, 100000);
        put_be32(png, 100000);
        for (uint8_t b : {8, 6, 0, 0, 0, 0, 0, 0, 0}) png.push_back(b);
        bool refused = false;
        try {
            decode_image(png.data(), png.size());
        } catch (const ImageError& e) {
            refused = QString(e.what()).contains("too large");
        }
        QVERIFY(refused);
        // JPEG with a 65535 x 65535 frame header.
        std::vector<uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0};
        QVERIFY_THROWS_EXCEPTION(ImageError, decode_image(jpeg.data(), jpeg.size()));
        // A real image over a configured limit.
        const auto ok = encode_bgr(red_blue_bgr(), ".png");
        LoadLimits limits;
        limits.max_pixels = 100;
        QVERIFY_THROWS_EXCEPTION(ImageError, decode_image(ok.data(), ok.size(), limits));
        limits = {};
        limits.max_side = 10;
        QVERIFY_THROWS_EXCEPTION(ImageError, decode_image(ok.data(), ok.size(), limits));
        QCOMPARE(decode_image(ok.data(), ok.size()).cols, 16);
    }

    void refusesGarbageAndTruncatedFiles() {
        const std::vector<uint8_t> garbage(100, 0x42);
        QVERIFY_THROWS_EXCEPTION(ImageError, decode_image(garbage.data(), garbage.size()));
        QVERIFY_THROWS_EXCEPTION(ImageError, decode_image(garbage.data(), 0));
        auto png = encode_bgr(random_rgba(64, 64, 2), ".png");
        png.resize(png.size() / 2);
        QVERIFY_THROWS_EXCEPTION(ImageError, decode_image(png.data(), png.size()));
        for (size_t n = 0; n < 40; ++n) {  // every short prefix is refused, never crashes
            try {
                decode_image(png.data(), n);
                QFAIL("a truncated header was accepted");
            } catch (const ImageError&) {
            }
        }
        QVERIFY_THROWS_EXCEPTION(ImageError, load_image("/nonexistent/file.png"));
    }

    void savingReportsUnwritableTargets() {
        QVERIFY_THROWS_EXCEPTION(ImageError, save_image("/nonexistent-dir/x.png", random_rgba(4, 4, 3)));
        QVERIFY_THROWS_EXCEPTION(ImageError, save_image("/tmp/x.unknown", random_rgba(4, 4, 3)));
        QCOMPARE(format_for_path("/a/b.JPG"), std::string("jpeg"));
        QCOMPARE(format_for_path("/a.b/c"), std::string(""));
        // A failed save leaves the old file alone.
        QTemporaryDir dir;
        const std::string path = dir.filePath("keep.png").toStdString();
        const cv::Mat original = random_rgba(8, 8, 4);
        save_image(path, original);
        QVERIFY_THROWS_EXCEPTION(ImageError, save_image(path, cv::Mat(4, 4, CV_32FC1)));
        QVERIFY(equal(load_image(path), original));
    }

    void compositeLeavesOutsidePixelsBitIdentical() {
        const int w = 97, h = 61;
        const cv::Mat original = random_rgba(w, h, 10);
        const cv::Mat generated = random_rgba(w, h, 11);
        cv::Mat mask(h, w, CV_8UC1, cv::Scalar(0));
        cv::circle(mask, {40, 30}, 20, cv::Scalar(255), -1, cv::LINE_AA);  // soft edge too
        mask.at<uint8_t>(0, 0) = 1;                                          // the faintest touch
        const cv::Mat out = composite(original, generated, mask);
        int outside = 0, inside = 0, blended = 0;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const uint8_t m = mask.at<uint8_t>(y, x);
                const cv::Vec4b o = out.at<cv::Vec4b>(y, x);
                if (m == 0) {
                    QCOMPARE(o, original.at<cv::Vec4b>(y, x));
                    ++outside;
                } else if (m == 255) {
                    QCOMPARE(o, generated.at<cv::Vec4b>(y, x));
                    ++inside;
                } else {
                    const cv::Vec4b a = original.at<cv::Vec4b>(y, x), b = generated.at<cv::Vec4b>(y, x);
                    for (int c = 0; c < 4; ++c)
                        QVERIFY(o[c] >= std::min(a[c], b[c]) && o[c] <= std::max(a[c], b[c]));
                    ++blended;
                }
            }
        QVERIFY(outside > 0 && inside > 0 && blended > 0);
        // Feathering softens inward only: zero stays zero.
        const cv::Mat soft = feather_mask(mask, 6.0f);
        QCOMPARE(cv::countNonZero(soft > mask), 0);
        QVERIFY(cv::countNonZero(soft == 255) > 0);
        QVERIFY(cv::countNonZero((soft > 0) & (soft < 255)) > cv::countNonZero((mask > 0) & (mask < 255)));
        const cv::Mat out2 = composite(original, generated, soft);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                if (mask.at<uint8_t>(y, x) == 0) QCOMPARE(out2.at<cv::Vec4b>(y, x), original.at<cv::Vec4b>(y, x));
        // RGB generated images work; mismatched sizes are an error.
        cv::Mat rgb;
        cv::cvtColor(generated, rgb, cv::COLOR_RGBA2RGB);
        QCOMPARE(composite(original, rgb, mask).at<cv::Vec4b>(30, 40)[3], uint8_t(255));
        QVERIFY_THROWS_EXCEPTION(ImageError, composite(original, random_rgba(5, 5, 1), mask));
        const cv::Rect b = mask_bounds(mask);
        QCOMPARE(b.x, 0);
        QCOMPARE(b.y, 0);
        QVERIFY(std::abs(b.br().x - 61) <= 1 && std::abs(b.br().y - 51) <= 1);
        QVERIFY(mask_bounds(cv::Mat::zeros(4, 4, CV_8UC1)).empty());
    }

    void brushDabsFollowSizeAndHardness() {
        cv::Mat mask(64, 64, CV_8UC1, cv::Scalar(0));
        const cv::Rect r = stamp_dab(mask, 32, 32, 10, 1.0f, false);
        QVERIFY(r.contains({22, 22}) && r.contains({41, 41}));
        QCOMPARE(int(mask.at<uint8_t>(32, 32)), 255);
        QCOMPARE(int(mask.at<uint8_t>(32, 40)), 255);  // well inside
        QCOMPARE(int(mask.at<uint8_t>(32, 43)), 0);    // outside the radius
        // Soft brush: a falloff from the centre.
        cv::Mat soft(64, 64, CV_8UC1, cv::Scalar(0));
        stamp_dab(soft, 32, 32, 10, 0.0f, false);
        QVERIFY(soft.at<uint8_t>(32, 32) > 240);
        QVERIFY(soft.at<uint8_t>(32, 37) > 60 && soft.at<uint8_t>(32, 37) < 200);
        QVERIFY(soft.at<uint8_t>(32, 37) > soft.at<uint8_t>(32, 40));
        // Overlapping dabs of one stroke do not build up; the eraser lowers.
        stamp_dab(soft, 32, 32, 10, 0.0f, false);
        cv::Mat once(64, 64, CV_8UC1, cv::Scalar(0));
        stamp_dab(once, 32, 32, 10, 0.0f, false);
        QVERIFY(equal(soft, once));
        stamp_dab(mask, 32, 32, 4, 1.0f, true);
        QCOMPARE(int(mask.at<uint8_t>(32, 32)), 0);
        QCOMPARE(int(mask.at<uint8_t>(32, 40)), 255);
        // Dabs at the border are clipped.
        QVERIFY(stamp_dab(mask, -100, -100, 5, 1.0f, false).empty());
        QCOMPARE(stamp_dab(mask, 0, 0, 5, 1.0f, false), cv::Rect(0, 0, 6, 6));
        QCOMPARE(dab_coverage(0, 5, 0.5f), 1.0f);
        QCOMPARE(dab_coverage(5, 5, 0.5f), 0.0f);
    }

    void strokeInterpolationIsContinuous() {
        StrokeInterpolator s(0.25f);
        QCOMPARE(s.add(0, 0, 8).size(), size_t(1));
        const auto dabs = s.add(100, 0, 8);  // one far jump: dabs every 2 pixels
        QVERIFY(dabs.size() >= 49 && dabs.size() <= 51);
        float last = 0;
        for (const Dab& d : dabs) {
            QVERIFY(d.x - last <= 2.01f);
            last = d.x;
        }
        QVERIFY(100 - last < 2.01f);
        // Short moves accumulate distance instead of piling dabs on one spot.
        int total = 0;
        for (int i = 1; i <= 40; ++i) total += int(s.add(100 + i * 0.1f, 0, 8).size());
        QCOMPARE(total, 2);
    }

    void convertsTensors() {
        const cv::Mat rgba = random_rgba(6, 4, 20);
        const torch::Tensor t = image_to_tensor(rgba);
        QCOMPARE(t.scalar_type(), torch::kUInt8);
        QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{4, 6, 3}));
        QCOMPARE(t[2][5][1].item<int>(), int(rgba.at<cv::Vec4b>(2, 5)[1]));
        cv::Mat back = tensor_to_image(t);
        cv::Mat opaque = rgba.clone();
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 6; ++x) opaque.at<cv::Vec4b>(y, x)[3] = 255;
        QVERIFY(equal(back, opaque));
        // float [N, 3, H, W]: clamped and rounded like (x * 255).round().
        torch::Tensor f = torch::zeros({2, 3, 2, 2});
        f[1][0][0][0] = 0.5f;   // 127.5 -> 128 (half to even)
        f[1][1][0][0] = 2.0f;   // clamped
        f[1][2][0][0] = 0.1f;   // 25.5 -> 26
        const auto images = batch_to_images(f);
        QCOMPARE(int(images.size()), 2);
        QCOMPARE(images[1].at<cv::Vec4b>(0, 0), cv::Vec4b(128, 255, 26, 255));
        cv::Mat mask(3, 3, CV_8UC1, cv::Scalar(0));
        mask.at<uint8_t>(1, 1) = 255;
        mask.at<uint8_t>(2, 2) = 51;
        const torch::Tensor mt = mask_to_tensor(mask);
        QCOMPARE(mt.scalar_type(), torch::kFloat32);
        QCOMPARE(mt[1][1].item<float>(), 1.0f);
        QVERIFY(std::abs(mt[2][2].item<float>() - 0.2f) < 1e-6f);
        QVERIFY(equal(tensor_to_mask(mt), mask));
        QVERIFY_THROWS_EXCEPTION(ImageError, tensor_to_image(torch::zeros({4, 4})));
    }
};

QTEST_GUILESS_MAIN(TestImaging)
#include "test_imaging.moc"
