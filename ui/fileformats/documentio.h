// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading and writing documents: OpenRaster (.ora: image + mask + recipes), plain images through
// the imaging layer (PNG, JPEG, WebP, BMP; PNG text chunks carry generation recipes), and PNG
// export with the recipes in text chunks. Every function reports a translated, user-facing error.
#include <QImage>
#include <QJsonArray>
#include <QRect>
#include <QString>
#include <QStringList>

#include <memory>

namespace unclip::ui {

struct OraForeignLayers;  // ui/fileformats/oraformat.h

struct DocumentContent {
    QImage image;  // RGBA8888
    QImage mask;   // Grayscale8, same size (blank when the file has none)
    QJsonArray recipes;
    // Layers of another program from an OpenRaster file, which the editor shows combined into
    // `image` and writes back unchanged below it on save (null: none).
    std::shared_ptr<const OraForeignLayers> foreignLayers;
    // What the user should be told about how the file was read (translated; empty: nothing).
    QStringList notes;
    // The generation frame the user placed (.ora: unclip/frame.json); null = automatic.
    QRect generationFrame;
};

// PNG text keys (no ':' in keys: QImageReader splits "key: value" at the first colon). The
// "parameters" text (A1111 layout) is core's: io::kParametersKey, io::parameters_text.
inline constexpr const char* kRecipesKey = "unclip-recipes";
inline constexpr const char* kParametersKey = "parameters";

// Loads .ora or any image file. On failure returns false and sets *error.
bool loadDocument(const QString& path, DocumentContent* out, QString* error);
// Loads a plain image file (PNG/JPEG/WebP/BMP) through the imaging layer, with PNG text recipes.
bool loadImageFile(const QString& path, DocumentContent* out, QString* error);
// Writes a PNG of the image with the recipes as text chunks and the last recipe as A1111
// "parameters", atomically (core/io/png_io).
bool exportPng(const QString& path, const QImage& image, const QJsonArray& recipes, QString* error);
// A one-paragraph human-readable summary of a recipe (prompt, negative prompt, seed, steps...).
QString recipeSummary(const QJsonObject& recipe);

// File dialog filters.
QString openFilter();
QString oraFilter();
QString pngFilter();

}  // namespace unclip::ui
