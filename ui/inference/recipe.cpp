// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/recipe.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace unclip::ui {

namespace {

std::optional<GenerationMode> modeFromName(const QString& name) {
    if (name == "text2img") return GenerationMode::TextToImage;
    if (name == "inpaint") return GenerationMode::Inpaint;
    if (name == "variation") return GenerationMode::Variations;
    if (name == "interpolate") return GenerationMode::Interpolate;
    if (name == "textdiff") return GenerationMode::TextDiff;
    return std::nullopt;
}

}  // namespace

QRect frameFromRecipe(const QJsonObject& r) {
    const QJsonArray f = r.value("frame").toArray();
    if (f.size() != 4) return {};
    const QRect rect(f.at(0).toInt(), f.at(1).toInt(), f.at(2).toInt(), f.at(3).toInt());
    return rect.width() > 0 && rect.height() > 0 ? rect : QRect();
}

std::optional<GenerationParams> paramsFromRecipe(const QJsonObject& r, QString* why) {
    auto fail = [why](const QString& message) -> std::optional<GenerationParams> {
        if (why) *why = message;
        return std::nullopt;
    };
    const auto mode = modeFromName(r.value("mode").toString());
    if (!mode) return fail(QCoreApplication::translate("Recipe", "The recipe's mode “%1” is not one this version knows.").arg(r.value("mode").toString()));
    GenerationParams p;
    p.mode = *mode;
    const QJsonObject s = r.value("sampling").toObject();
    // Older recipes kept the sampling fields at the top level.
    auto num = [&](const char* key, double fallback) {
        return s.contains(key) ? s.value(key).toDouble(fallback) : r.value(key).toDouble(fallback);
    };
    p.seed = quint64(num("seed", 0));
    p.priorSteps = int(num("prior_steps", p.priorSteps));
    p.decoderSteps = int(num("decoder_steps", p.decoderSteps));
    p.superResSteps = int(num("super_res_steps", p.superResSteps));
    p.priorGuidance = num("prior_guidance", p.priorGuidance);
    p.decoderGuidance = num("decoder_guidance", p.decoderGuidance);
    // Kandinsky 2.2 recipes name their family and the size drawn; Karlo's have neither.
    p.family = r.value("family").toString();
    p.width = std::max(0, int(num("width", 0)));
    p.height = std::max(0, int(num("height", 0)));
    switch (p.mode) {
    case GenerationMode::TextToImage: {
        const QJsonArray prompts = r.value("prompts").toArray();
        p.prompt = prompts.isEmpty() ? r.value("prompt").toString() : prompts.first().toString();
        p.negativePrompt = r.value("negative_prompt").toString();
        p.batch = r.value("images_per_prompt").toInt(1);
        p.quickCandidates = false;
        p.frame = frameFromRecipe(r);
        break;
    }
    case GenerationMode::Inpaint:
        p.prompt = r.value("prompt").toString();
        p.feather = r.value("feather").toDouble(p.feather);
        p.batch = r.value("num_images").toInt(1);
        // An automatic frame is found again around the mask when re-run; a placed one is kept.
        if (!r.value("frame_auto").toBool(false)) p.frame = frameFromRecipe(r);
        p.frameContext = r.value("context").toInt(p.frameContext);
        break;
    case GenerationMode::Variations:
        p.batch = r.value("num_images").toInt(1);
        p.frame = frameFromRecipe(r);
        break;
    case GenerationMode::Interpolate:
        p.target = r.value("b_text").toString();
        p.batch = std::max(1, int(r.value("positions").toArray().size()));
        break;
    case GenerationMode::TextDiff:
        p.prompt = r.value("description").toString();
        p.target = r.value("target").toString();
        p.theta = r.value("theta").toDouble(p.theta);
        break;
    }
    p.batch = std::clamp(p.batch, 1, 16);
    if (p.priorSteps < 1 || p.decoderSteps < 1 || p.superResSteps < 1)
        return fail(QCoreApplication::translate("Recipe", "The recipe has no valid step counts."));
    return p;
}

QString recipeTitle(const QJsonObject& r) {
    const auto p = paramsFromRecipe(r);
    return p ? paramsTitle(*p) : r.value("mode").toString();
}

QString paramsTitle(const GenerationParams& params) {
    const GenerationParams* p = &params;
    QString text = p->prompt;
    if (p->mode == GenerationMode::TextDiff || p->mode == GenerationMode::Interpolate)
        text = text.isEmpty() ? p->target : text + QStringLiteral(" → ") + p->target;
    if (text.size() > 48) text = text.left(47) + QStringLiteral("…");
    return text.isEmpty() ? QCoreApplication::translate("Recipe", "%1, seed %2").arg(modeDisplayName(p->mode)).arg(p->seed)
                          : QCoreApplication::translate("Recipe", "%1: ‘%2’, seed %3").arg(modeDisplayName(p->mode), text).arg(p->seed);
}

}  // namespace unclip::ui
