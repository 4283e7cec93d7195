// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings/promptsettings.h"

#include <QSettings>

#include <algorithm>
#include <array>

namespace unclip::ui::settings {

namespace {

// The mode is stored by its name (pipeline::mode_name, as in recipes). Settings written before
// the editor used core's modes hold the index in the combo box's order (0 = Text → image,
// 1 = Inpaint, 2 = Variations, 3 = Interpolate, 4 = Text diff): those still read as they were.
pipeline::Mode modeFromSetting(const QVariant& v) {
    const QString text = v.toString();
    if (const auto named = pipeline::parse_mode(text.toStdString())) return *named;
    static const std::array<pipeline::Mode, 5> kIndexed = {pipeline::Mode::TextToImage, pipeline::Mode::Inpaint,
                                                           pipeline::Mode::Variation, pipeline::Mode::Interpolation,
                                                           pipeline::Mode::TextDiff};
    bool ok = false;
    const int i = text.toInt(&ok);
    return ok ? kIndexed[size_t(std::clamp(i, 0, int(kIndexed.size()) - 1))] : pipeline::Mode::TextToImage;
}

}  // namespace

PromptSettings promptSettings() {
    QSettings s;
    s.beginGroup("prompt");
    PromptSettings out;
    GenerationParams& p = out.params;
    pipeline::Sampling& sm = p.sampling;
    p.mode = modeFromSetting(s.value("mode", 0));
    p.prompt = s.value("prompt").toString();
    p.negativePrompt = s.value("negativePrompt").toString();
    p.target = s.value("target").toString();
    sm.seed = s.value("seed", 0).toULongLong();
    p.batch = s.value("batch", p.batch).toInt();
    sm.prior_steps = s.value("priorSteps", sm.prior_steps).toInt();
    sm.decoder_steps = s.value("decoderSteps", sm.decoder_steps).toInt();
    sm.super_res_steps = s.value("superResSteps", sm.super_res_steps).toInt();
    sm.prior_guidance = float(s.value("priorGuidance", double(sm.prior_guidance)).toDouble());
    sm.decoder_guidance = float(s.value("decoderGuidance", double(sm.decoder_guidance)).toDouble());
    sm.width = s.value("width", 0).toInt();
    sm.height = s.value("height", 0).toInt();
    // The steps and guidance are this family's (settings of versions before Kandinsky: Karlo's).
    p.family = s.value("family", QString::fromLatin1(kKarloFamily)).toString();
    p.feather = s.value("feather", p.feather).toDouble();
    p.theta = s.value("theta", p.theta).toDouble();
    p.quickCandidates = s.value("quickCandidates", false).toBool();
    out.seedLocked = s.value("seedLocked", false).toBool();
    out.stagesOpen = s.value("stagesOpen", false).toBool();
    out.sizeFor = s.value("sizeFor", 0).toInt();
    out.model.family = s.value("modelFamily").toString();
    out.model.imageSize = s.value("modelImageSize", 0).toInt();
    out.model.sizeStep = s.value("modelSizeStep", 0).toInt();
    s.endGroup();
    return out;
}

void setPromptSettings(const PromptSettings& st) {
    QSettings s;
    const GenerationParams& p = st.params;
    const pipeline::Sampling& sm = p.sampling;
    s.beginGroup("prompt");
    s.setValue("mode", QString::fromLatin1(pipeline::mode_name(p.mode)));
    s.setValue("prompt", p.prompt);
    s.setValue("negativePrompt", p.negativePrompt);
    s.setValue("target", p.target);
    s.setValue("seed", quint64(sm.seed));
    s.setValue("seedLocked", st.seedLocked);
    s.setValue("batch", p.batch);
    s.setValue("priorSteps", sm.prior_steps);
    s.setValue("decoderSteps", sm.decoder_steps);
    s.setValue("superResSteps", sm.super_res_steps);
    s.setValue("priorGuidance", double(sm.prior_guidance));
    s.setValue("decoderGuidance", double(sm.decoder_guidance));
    s.setValue("family", p.family);
    s.setValue("width", sm.width);
    s.setValue("height", sm.height);
    s.setValue("sizeFor", st.sizeFor);
    s.setValue("modelFamily", st.model.family);
    s.setValue("modelImageSize", st.model.imageSize);
    s.setValue("modelSizeStep", st.model.sizeStep);
    s.setValue("feather", p.feather);
    s.setValue("theta", p.theta);
    s.setValue("quickCandidates", p.quickCandidates);
    s.setValue("stagesOpen", st.stagesOpen);
    s.endGroup();
}

}  // namespace unclip::ui::settings
