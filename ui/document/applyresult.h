// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Putting a generated image into the document as one undo command: inpainting results are
// composited into the masked region only (pixels outside the mask stay bit-identical); other
// modes replace the picture.
#include "ui/inference/generation.h"

#include <QImage>
#include <QJsonObject>

namespace unclip::ui {

class Document;

struct GenerationResult {
    QImage image;        // as generated (RGBA8888), any size
    QJsonObject recipe;  // how to make it again
    GenerationParams params;
    QImage mask;         // Inpaint: the mask it was generated for (the document's size)
};

// Pushes the command; returns false (and sets *error) when it cannot be applied.
bool applyResult(Document* doc, const GenerationResult& result, QString* error);

}  // namespace unclip::ui
