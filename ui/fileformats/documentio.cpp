// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/fileformats/documentio.h"

#include "core/imaging/image_error.h"
#include "core/imaging/image_io.h"
#include "core/imaging/signature.h"
#include "core/io/parameters_text.h"
#include "core/io/png_io.h"
#include "ui/common/qtcv.h"
#include "ui/fileformats/oraformat.h"
#include "ui/inference/generation.h"
#include "ui/settings/appsettings.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace unclip::ui {

QString openFilter() {
    return QCoreApplication::translate("DocumentIO", "Images and documents (*.ora *.png *.jpg *.jpeg *.webp *.bmp);;OpenRaster (*.ora);;"
              "PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp);;BMP (*.bmp);;All files (*)");
}
QString oraFilter() { return QCoreApplication::translate("DocumentIO", "OpenRaster (*.ora)"); }
QString pngFilter() { return QCoreApplication::translate("DocumentIO", "PNG image (*.png)"); }

bool loadImageFile(const QString& path, DocumentContent* out, QString* error) {
    DocumentContent c;
    try {
        const cv::Mat rgba = imaging::load_image(QFile::encodeName(path).toStdString());
        c.image = toQImage(rgba);
    } catch (const imaging::ImageError& e) {
        // The imaging layer names the file; show the reason only.
        QString why = QString::fromUtf8(e.what());
        const QString prefix = QString::fromStdString(QFile::encodeName(path).toStdString()) + ": ";
        if (why.startsWith(prefix)) why = why.mid(prefix.size());
        *error = why;
        return false;
    }
    if (c.image.isNull()) {
        *error = QCoreApplication::translate("DocumentIO", "not enough memory for this image");
        return false;
    }
    c.mask = QImage(c.image.size(), QImage::Format_Grayscale8);
    c.mask.fill(0);
    QImageReader reader(path);
    const QString json = reader.text(kRecipesKey);
    if (!json.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
        if (doc.isArray()) c.recipes = doc.array();
        else if (doc.isObject()) c.recipes.append(doc.object());
    }
    *out = std::move(c);
    return true;
}

bool loadDocument(const QString& path, DocumentContent* out, QString* error) {
    if (!QFileInfo::exists(path)) {
        *error = QCoreApplication::translate("DocumentIO", "the file does not exist");
        return false;
    }
    if (QFileInfo(path).suffix().compare("ora", Qt::CaseInsensitive) == 0) return loadOra(path, out, error);
    return loadImageFile(path, out, error);
}

QString recipeSummary(const QJsonObject& r) {
    QStringList parts;
    // Sampling fields (seed, steps, guidance) sit in "sampling"; older recipes had them at the top.
    const QJsonObject sampling = r.value("sampling").toObject();
    auto str = [&](const char* key) {
        return (sampling.contains(key) ? sampling.value(key) : r.value(key)).toVariant().toString();
    };
    QString prompt = str("prompt");
    if (prompt.isEmpty() && r.value("prompts").isArray()) prompt = r.value("prompts").toArray().first().toString();
    if (!prompt.isEmpty()) parts << prompt;
    if (!str("negative_prompt").isEmpty()) parts << QStringLiteral("Negative prompt: %1").arg(str("negative_prompt"));
    QStringList fields;
    for (const char* key : {"mode", "family", "seed", "prior_steps", "decoder_steps", "super_res_steps", "prior_guidance",
                            "decoder_guidance", "width", "height", "model"}) {
        // Kandinsky 2.2 has no super-resolution stage: its recipes' super-res steps mean nothing.
        if (QLatin1String(key) == QLatin1String("super_res_steps") && r.value("family").toString() == QLatin1String(kKandinskyFamily))
            continue;
        if (r.contains(key) || sampling.contains(key)) fields << QStringLiteral("%1: %2").arg(QString::fromLatin1(key), str(key));
    }
    if (!fields.isEmpty()) parts << fields.join(", ");
    return parts.join('\n');
}

bool exportPng(const QString& path, const QImage& image, const QJsonArray& recipes, QString* error) {
    QImage out = toDocumentImage(image);
    if (settings::exportSignature()) {  // the optional visible mark (Settings), besides the text chunks
        cv::Mat view = matView(out);
        imaging::stamp_signature(view);
    }
    // Written through core's PNG writer, as the CLI does: the A1111 "parameters" text uncompressed
    // (tEXt, iTXt when not Latin-1), the recipes as JSON, atomically (temporary file + rename).
    std::map<std::string, std::string> text = {
        {"Software", QStringLiteral("unclip-studio %1").arg(QCoreApplication::applicationVersion()).toStdString()}};
    if (!recipes.isEmpty()) {
        text[kRecipesKey] = QJsonDocument(recipes).toJson(QJsonDocument::Compact).toStdString();
        const QByteArray last = QJsonDocument(recipes.last().toObject()).toJson(QJsonDocument::Compact);
        text[io::kParametersKey] = io::parameters_text(nlohmann::json::parse(last.toStdString(), nullptr, false),
                                                       out.width(), out.height());
    }
    try {
        const torch::Tensor rgba = torch::from_blob(const_cast<uchar*>(out.constBits()), {out.height(), out.width(), 4},
                                                    {out.bytesPerLine(), 4, 1}, torch::kUInt8);
        io::write_png(QFile::encodeName(path).toStdString(), rgba.contiguous(), text);
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

}  // namespace unclip::ui
