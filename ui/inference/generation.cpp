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

QString stageDisplayName(pipeline::Stage stage) {
    switch (stage) {
    case pipeline::Stage::Prior: return QCoreApplication::translate("Generation", "Prior");
    case pipeline::Stage::Decoder: return QCoreApplication::translate("Generation", "Decoder");
    case pipeline::Stage::SuperRes: return QCoreApplication::translate("Generation", "Super-resolution");
    case pipeline::Stage::Invert: return QCoreApplication::translate("Generation", "Inversion");
    }
    return QString::fromLatin1(pipeline::stage_name(stage));
}

}  // namespace unclip::ui
