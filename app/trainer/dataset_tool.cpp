// SPDX-License-Identifier: GPL-3.0-or-later
// unclip-dataset: the Qt half of the embedded-model trainer (core/ stays Qt-free).
//   unclip-dataset render [--emoji-test PATH] [--size 64] --out emoji.safetensors
//       renders every fully-qualified emoji without skin-tone modifiers of emoji-test.txt with the
//       "Noto Color Emoji" font into an RGBA tile; writes uint8 tiles [N, S, S, 4] and a JSON caption
//       table (name, group, subgroup, codepoints) in the safetensors metadata.
//   unclip-dataset plot --out loss.png CSV... : loss curves (step,loss,... columns) drawn with QPainter.
#include "core/io/safetensors.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>
#include <QtGui/QFont>
#include <QtGui/QFontDatabase>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtGui/QPainter>
#include <QtGui/QPainterPath>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace {

struct EmojiEntry {
    QString text, name, group, subgroup, codepoints;
};

bool has_skin_tone(const QString& cps) {
    for (const QString& cp : cps.split(' ', Qt::SkipEmptyParts)) {
        const uint v = cp.toUInt(nullptr, 16);
        if (v >= 0x1F3FB && v <= 0x1F3FF) return true;
    }
    return false;
}

std::vector<EmojiEntry> parse_emoji_test(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) throw std::runtime_error("cannot read " + path.toStdString());
    QTextStream in(&f);
    std::vector<EmojiEntry> out;
    QString group, subgroup;
    while (!in.atEnd()) {
        const QString line = in.readLine();
        if (line.startsWith("# group:")) { group = line.mid(8).trimmed(); continue; }
        if (line.startsWith("# subgroup:")) { subgroup = line.mid(11).trimmed(); continue; }
        if (line.startsWith('#') || line.trimmed().isEmpty()) continue;
        const int semi = line.indexOf(';'), hash = line.indexOf('#');
        if (semi < 0 || hash < 0) continue;
        if (line.mid(semi + 1, hash - semi - 1).trimmed() != "fully-qualified") continue;
        const QString cps = line.left(semi).trimmed();
        if (has_skin_tone(cps)) continue;
        // "# 😀 E1.0 grinning face"
        const QStringList parts = line.mid(hash + 1).trimmed().split(' ', Qt::SkipEmptyParts);
        if (parts.size() < 3) continue;
        EmojiEntry e;
        e.text = parts[0];
        e.name = QStringList(parts.mid(2)).join(' ');
        e.group = group;
        e.subgroup = subgroup;
        e.codepoints = cps;
        out.push_back(e);
    }
    return out;
}

QImage render_tile(const QString& text, int size) {
    // Render large, then scale down smoothly (the colour bitmaps are 136 px strikes; tiles larger
    // than that render the strike at the tile's size so that it is resampled once, not twice).
    const int big = std::max(128, size + size / 4 + 8);
    QImage img(big, big, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    {
        QPainter p(&img);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        QFont font("Noto Color Emoji");
        font.setPixelSize(big * 100 / 128);
        p.setFont(font);
        p.drawText(QRect(0, 0, big, big), Qt::AlignCenter, text);
    }
    // Crop to the drawn pixels' bounding box (keeps every emoji the same apparent size), pad to square.
    int x0 = big, y0 = big, x1 = -1, y1 = -1;
    for (int y = 0; y < big; ++y) {
        const QRgb* row = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        for (int x = 0; x < big; ++x)
            if (qAlpha(row[x]) > 8) { x0 = std::min(x0, x); x1 = std::max(x1, x); y0 = std::min(y0, y); y1 = std::max(y1, y); }
    }
    if (x1 < 0) return {};
    const int w = x1 - x0 + 1, h = y1 - y0 + 1, side = std::max(w, h);
    QImage sq(side, side, QImage::Format_ARGB32_Premultiplied);
    sq.fill(Qt::transparent);
    {
        QPainter p(&sq);
        p.drawImage(QPoint((side - w) / 2, (side - h) / 2), img, QRect(x0, y0, w, h));
    }
    const int inner = size - 2;  // 1 px transparent margin
    QImage scaled = sq.scaled(inner, inner, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QImage tile(size, size, QImage::Format_ARGB32_Premultiplied);
    tile.fill(Qt::transparent);
    {
        QPainter p(&tile);
        p.drawImage(QPoint((size - scaled.width()) / 2, (size - scaled.height()) / 2), scaled);
    }
    return tile.convertToFormat(QImage::Format_RGBA8888);  // straight alpha
}

int cmd_render(const QStringList& args) {
    QString test = "/usr/share/unicode/emoji/emoji-test.txt", out;
    int size = 64;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == "--emoji-test" && i + 1 < args.size()) test = args[++i];
        else if (args[i] == "--size" && i + 1 < args.size()) size = args[++i].toInt();
        else if (args[i] == "--out" && i + 1 < args.size()) out = args[++i];
    }
    if (out.isEmpty() || size < 8) { std::cerr << "usage: unclip-dataset render [--emoji-test P] [--size S] --out F\n"; return 2; }
    if (!QFontDatabase::families().contains("Noto Color Emoji")) {
        std::cerr << "the font \"Noto Color Emoji\" is not installed (apt-get install fonts-noto-color-emoji)\n";
        return 1;
    }
    const auto entries = parse_emoji_test(test);
    std::vector<torch::Tensor> tiles;
    nlohmann::json table = nlohmann::json::array();
    int skipped = 0;
    for (const auto& e : entries) {
        QImage t = render_tile(e.text, size);
        if (t.isNull()) { ++skipped; continue; }
        torch::Tensor x = torch::empty({size, size, 4}, torch::kUInt8);
        for (int y = 0; y < size; ++y) std::memcpy(x[y].data_ptr(), t.constScanLine(y), size * 4);
        tiles.push_back(x);
        table.push_back({{"name", e.name.toStdString()}, {"group", e.group.toStdString()},
                         {"subgroup", e.subgroup.toStdString()}, {"codepoints", e.codepoints.toStdString()}});
    }
    unclip::io::StateDict sd;
    sd["tiles"] = torch::stack(tiles);
    unclip::io::save_safetensors(out.toStdString(), sd,
                                 {{"captions", table.dump()}, {"source", "fonts-noto-color-emoji + unicode-data emoji-test.txt"},
                                  {"tile_size", std::to_string(size)}});
    std::cout << "rendered " << tiles.size() << " emoji (" << skipped << " blank, skipped) at " << size << " px -> "
              << out.toStdString() << "\n";
    return 0;
}

// CSV "step,loss,..." -> polyline of a smoothed loss against step, one panel per file (log y).
int cmd_plot(const QStringList& args) {
    QString out;
    QStringList files;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == "--out" && i + 1 < args.size()) out = args[++i];
        else files << args[i];
    }
    if (out.isEmpty() || files.isEmpty()) { std::cerr << "usage: unclip-dataset plot --out P.png CSV...\n"; return 2; }
    const int pw = 420, ph = 260, cols = std::min<int>(2, files.size()), rows = (files.size() + cols - 1) / cols;
    QImage img(pw * cols, ph * rows, QImage::Format_RGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    for (int fi = 0; fi < files.size(); ++fi) {
        QFile f(files[fi]);
        if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) { std::cerr << "cannot read " << files[fi].toStdString() << "\n"; return 1; }
        QTextStream in(&f);
        in.readLine();
        std::vector<double> xs, ys;
        while (!in.atEnd()) {
            const QStringList c = in.readLine().split(',');
            if (c.size() < 2) continue;
            xs.push_back(c[0].toDouble());
            ys.push_back(c[1].toDouble());
        }
        if (xs.empty()) continue;
        std::vector<double> sm(ys.size());
        double acc = ys[0];
        for (size_t i = 0; i < ys.size(); ++i) { acc = 0.95 * acc + 0.05 * ys[i]; sm[i] = std::log10(std::max(acc, 1e-6)); }
        double lo = *std::min_element(sm.begin(), sm.end()), hi = *std::max_element(sm.begin(), sm.end());
        if (hi - lo < 1e-3) hi = lo + 1e-3;
        const double xmax = std::max(1.0, xs.back());
        const QRect r((fi % cols) * pw + 50, (fi / cols) * ph + 30, pw - 70, ph - 60);
        p.setPen(Qt::black);
        p.drawRect(r);
        p.drawText(r.left(), r.top() - 8, QFileInfo(files[fi]).baseName() + " (EMA-smoothed, log10)");
        p.drawText(r.left() - 45, r.top() + 10, QString::number(std::pow(10, hi), 'g', 3));
        p.drawText(r.left() - 45, r.bottom(), QString::number(std::pow(10, lo), 'g', 3));
        p.drawText(r.right() - 60, r.bottom() + 16, QString("step %1").arg(xmax));
        QPainterPath path;
        for (size_t i = 0; i < xs.size(); ++i) {
            const QPointF pt(r.left() + r.width() * xs[i] / xmax, r.bottom() - r.height() * (sm[i] - lo) / (hi - lo));
            if (i == 0) path.moveTo(pt); else path.lineTo(pt);
        }
        p.setPen(QPen(QColor(30, 90, 200), 1.5));
        p.drawPath(path);
    }
    p.end();
    if (!img.save(out)) { std::cerr << "cannot write " << out.toStdString() << "\n"; return 1; }
    std::cout << "wrote " << out.toStdString() << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty()) { std::cerr << "usage: unclip-dataset render|plot ...\n"; return 2; }
    const QString cmd = args.takeFirst();
    try {
        if (cmd == "render") return cmd_render(args);
        if (cmd == "plot") return cmd_plot(args);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "unknown command " << cmd.toStdString() << "\n";
    return 2;
}
