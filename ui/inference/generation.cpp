// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/generation.h"

#include <QCoreApplication>

namespace unclip::ui {

const QList<pipeline::Mode>& editorModes() {
    static const QList<pipeline::Mode> modes = {pipeline::Mode::TextToImage, pipeline::Mode::Inpaint,
                                                pipeline::Mode::Variation, pipeline::Mode::Interpolation,
                                                pipeline::Mode::TextDiff};
    return modes;
}

QString modeDisplayName(pipeline::Mode mode) {
    switch (mode) {
    case pipeline::Mode::TextToImage: return QCoreApplication::translate("Generation", "Text → image");
    case pipeline::Mode::Inpaint: return QCoreApplication::translate("Generation", "Inpaint");
    case pipeline::Mode::Variation: return QCoreApplication::translate("Generation", "Variations");
    case pipeline::Mode::Interpolation: return QCoreApplication::translate("Generation", "Interpolate");
    case pipeline::Mode::TextDiff: return QCoreApplication::translate("Generation", "Text diff");
    }
    return {};
}

bool modeUsesImage(pipeline::Mode mode) { return mode != pipeline::Mode::TextToImage; }

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
