// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/generation.h"

#include <QCoreApplication>

namespace unclip::ui {

QString modeDisplayName(GenerationMode mode) {
    switch (mode) {
    case GenerationMode::TextToImage: return QCoreApplication::translate("Generation", "Text → image");
    case GenerationMode::Inpaint: return QCoreApplication::translate("Generation", "Inpaint");
    case GenerationMode::Variations: return QCoreApplication::translate("Generation", "Variations");
    case GenerationMode::Interpolate: return QCoreApplication::translate("Generation", "Interpolate");
    case GenerationMode::TextDiff: return QCoreApplication::translate("Generation", "Text diff");
    }
    return {};
}

bool modeUsesImage(GenerationMode mode) { return mode != GenerationMode::TextToImage; }

QString stageDisplayName(const QString& stage) {
    if (stage == "prior") return QCoreApplication::translate("Generation", "Prior");
    if (stage == "decoder") return QCoreApplication::translate("Generation", "Decoder");
    if (stage == "super_res") return QCoreApplication::translate("Generation", "Super-resolution");
    if (stage == "encode") return QCoreApplication::translate("Generation", "Encoding");
    if (stage == "invert") return QCoreApplication::translate("Generation", "Inversion");
    if (stage == "load") return QCoreApplication::translate("Generation", "Loading model");
    return stage;
}

}  // namespace unclip::ui
