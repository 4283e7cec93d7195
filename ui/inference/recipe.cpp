// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/recipe.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace unclip::ui {

namespace {

// Seeds are JSON numbers, exact as 64-bit integers (Qt keeps integers it parses as such); the
// editor's older recipes wrote some as integral doubles.
quint64 seedFrom(const QJsonValue& v) {
    const qint64 i = v.toInteger(-1);
    if (i >= 0) return quint64(i);
    const double d = v.toDouble(0);
    return d > 0 ? quint64(d) : 0;
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
    const auto mode = pipeline::parse_mode(r.value("mode").toString().toStdString());
    if (!mode) return fail(QCoreApplication::translate("Recipe", "The recipe's mode “%1” is not one this version knows.").arg(r.value("mode").toString()));
    GenerationParams p;
    p.mode = *mode;
    const QJsonObject s = r.value("sampling").toObject();
    // Older recipes kept the sampling fields at the top level.
    auto field = [&](const char* key) { return s.contains(key) ? s.value(key) : r.value(key); };
    auto num = [&](const char* key, double fallback) { return field(key).toDouble(fallback); };
    pipeline::Sampling& sm = p.sampling;
    sm.seed = seedFrom(field("seed"));
    sm.prior_steps = int(num("prior_steps", sm.prior_steps));
    sm.decoder_steps = int(num("decoder_steps", sm.decoder_steps));
    sm.super_res_steps = int(num("super_res_steps", sm.super_res_steps));
    sm.prior_guidance = float(num("prior_guidance", sm.prior_guidance));
    sm.decoder_guidance = float(num("decoder_guidance", sm.decoder_guidance));
    // Kandinsky 2.2 recipes name their family and the size drawn; Karlo's have neither.
    p.family = r.value("family").toString();
    sm.width = std::max(0, int(num("width", 0)));
    sm.height = std::max(0, int(num("height", 0)));
    switch (p.mode) {
    case pipeline::Mode::TextToImage: {
        const QJsonArray prompts = r.value("prompts").toArray();
        p.prompt = prompts.isEmpty() ? r.value("prompt").toString() : prompts.first().toString();
        p.negativePrompt = r.value("negative_prompt").toString();
        p.batch = r.value("images_per_prompt").toInt(1);
        p.quickCandidates = false;
        p.frame = frameFromRecipe(r);
        break;
    }
    case pipeline::Mode::Inpaint:
        p.prompt = r.value("prompt").toString();
        p.feather = r.value("feather").toDouble(p.feather);
        p.batch = r.value("num_images").toInt(1);
        // An automatic frame is found again around the mask when re-run; a placed one is kept.
        if (!r.value("frame_auto").toBool(false)) p.frame = frameFromRecipe(r);
        p.frameContext = r.value("context").toInt(p.frameContext);
        break;
    case pipeline::Mode::Variation:
        p.batch = r.value("num_images").toInt(1);
        p.frame = frameFromRecipe(r);
        break;
    case pipeline::Mode::Interpolation:
        p.target = r.value("b_text").toString();
        p.batch = std::max(1, int(r.value("positions").toArray().size()));
        break;
    case pipeline::Mode::TextDiff:
        p.prompt = r.value("description").toString();
        p.target = r.value("target").toString();
        p.theta = r.value("theta").toDouble(p.theta);
        break;
    }
    p.batch = std::clamp(p.batch, 1, 16);
    if (sm.prior_steps < 1 || sm.decoder_steps < 1 || sm.super_res_steps < 1)
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
    if (p->mode == pipeline::Mode::TextDiff || p->mode == pipeline::Mode::Interpolation)
        text = text.isEmpty() ? p->target : text + QStringLiteral(" → ") + p->target;
    if (text.size() > 48) text = text.left(47) + QStringLiteral("…");
    return text.isEmpty() ? QCoreApplication::translate("Recipe", "%1, seed %2").arg(modeDisplayName(p->mode)).arg(p->sampling.seed)
                          : QCoreApplication::translate("Recipe", "%1: ‘%2’, seed %3").arg(modeDisplayName(p->mode), text).arg(p->sampling.seed);
}

}  // namespace unclip::ui
