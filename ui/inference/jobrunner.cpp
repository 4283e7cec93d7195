// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inference/jobrunner.h"

#include "core/common/error.h"
#include "core/imaging/tensor_convert.h"
#include "core/pipeline/frame.h"
#include "core/pipeline/model_family.h"
#include "ui/common/qtcv.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <torch/torch.h>

namespace unclip::ui {

std::atomic<int64_t> JobRunner::s_previewsConverted{0};

namespace {

namespace pl = unclip::pipeline;

pl::Sampling sampling(const GenerationParams& p) {
    pl::Sampling s = p.sampling;
    // Inpaint draws the generation frame at the model's size (what the Frame tool shows).
    if (p.mode == pl::Mode::Inpaint) {
        s.width = 0;
        s.height = 0;
    } else {
        s.width = std::max(0, s.width);
        s.height = std::max(0, s.height);
    }
    return s;
}

static_assert(settings::kDefaultFrameContext == pl::kDefaultFrameContext, "one default frame context");

std::optional<pl::Frame> frameOf(const GenerationParams& p) {
    if (p.frame.isNull()) return std::nullopt;
    return pl::Frame{p.frame.x(), p.frame.y(), p.frame.width(), p.frame.height()};
}

torch::Tensor imageTensor(const QImage& image) {
    if (image.isNull()) throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "This mode needs an image in the document.").toStdString());
    return imaging::image_to_tensor(constMatView(toDocumentImage(image)));
}

}  // namespace

QMap<pl::Mode, QString> unavailableModesFrom(const std::function<std::string(const std::string&)>& missingFor,
                                             const QString& family) {
    QMap<pl::Mode, QString> out;
    const bool kandinsky = family == QLatin1String(kKandinskyFamily);
    for (pl::Mode m : editorModes()) {
        const std::string missing = missingFor(pl::mode_name(m));
        if (missing.empty()) continue;
        QString why = QCoreApplication::translate("PipelineBackend", "Needs %1, which the loaded model does not have.")
                          .arg(QString::fromStdString(missing));
        auto lacks = [&](const char* part) { return missing.find(part) != std::string::npos; };
        if (kandinsky) {
            // Kandinsky 2.2's parts come in three folders: name the setting that adds the one lacking.
            if (lacks("kandinsky-2-2-decoder-inpaint"))
                why += " " + QCoreApplication::translate("PipelineBackend",
                                                         "Set Settings > Inpainting decoder folder to "
                                                         "kandinsky-2-2-decoder-inpaint.");
            else if (lacks("kandinsky-2-2-decoder"))
                why += " " + QCoreApplication::translate("PipelineBackend",
                                                         "Set Settings > Decoder folder to kandinsky-2-2-decoder.");
            if (lacks("prior") || lacks("image_encoder") || lacks("text_encoder"))
                why += " " + QCoreApplication::translate("PipelineBackend",
                                                         "Set Settings > Model folder to kandinsky-2-2-prior.");
        } else if (lacks("image_encoder")) {
            why += " " + QCoreApplication::translate("PipelineBackend",
                                                     "For Karlo, set Settings > Image encoder folder to "
                                                     "karlo-v1-alpha-image-variations.");
        }
        out.insert(m, why);
    }
    return out;
}

ModelInfo familyModelInfo(const std::string& family, int imageSize, int sizeStep) {
    ModelInfo info;
    const pl::ModelFamily f = pl::parse_family(family).value_or(pl::ModelFamily::Karlo);
    info.family = QString::fromLatin1(pl::family_name(f));
    info.title = QString::fromLatin1(pl::family_title(f));
    info.imageSize = imageSize;
    info.sizeStep = f == pl::ModelFamily::Karlo ? 0 : std::max(0, sizeStep);
    const pl::Sampling d = pl::default_sampling(f);
    info.defaults.family = info.family;
    info.defaults.sampling = d;
    return info;
}

GenerationOutput JobRunner::run(const GenerationJob& job, const PipelineBackend::ProgressFn& progress, const Executor& execute,
                                const ImageSimilarity& imageSimilarity) {
    if (job.embedding.score) return score(job, execute, imageSimilarity);
    const GenerationParams& p = job.params;
    c10::InferenceMode inference;  // thread-local: set on the thread that runs
    pl::RunControl control;
    control.cancel = job.cancel.get();  // checked by the pipeline before every model call
    control.want_previews = true;
    // The pipeline asks before it computes a step's preview; the sink answers from its throttle.
    control.preview_due = [&progress](const pl::Progress& step) {
        return progress.previewDue(step.stage, step.step, step.total);
    };
    control.on_progress = [&](const pl::Progress& pr) {
        ProgressUpdate u;
        u.stage = pr.stage;
        u.step = pr.step;
        u.total = pr.total;
        // Asked again (same answer) for previews that come without asking: a server's.
        if (pr.preview.defined() && pr.preview.dim() == 4 && pr.preview.size(0) > 0 &&
            progress.previewDue(u.stage, u.step, u.total)) {
            u.preview = toQImage(imaging::tensor_to_image(pr.preview[0]));
            s_previewsConverted.fetch_add(1, std::memory_order_relaxed);
        }
        progress(u);
    };
    if (isCancelled(job.cancel)) throw GenerationCancelled();
    const int batch = std::max(1, p.batch);
    pl::Result result;
    try {
        switch (p.mode) {
        case pl::Mode::TextToImage: {
            pl::TextToImageRequest r;
            r.prompts = {p.prompt.toStdString()};
            r.negative_prompt = p.negativePrompt.toStdString();
            r.images_per_prompt = batch;
            r.sampling = sampling(p);
            if (p.upscaleIndex >= 0) {
                result = upscale(r, p, control, execute);
            } else if (p.quickCandidates && familyHasSuperRes(p.family)) {
                r.stop_after_decoder = true;
                result = execute(r, control).result;
                rememberCandidates(job.id, result);
            } else {
                result = execute(r, control).result;
            }
            break;
        }
        case pl::Mode::Variation: {
            pl::VariationRequest r;
            r.image = imageTensor(job.image);
            if (const auto f = frameOf(p)) {  // variations of the frame's pixels, put back there
                pl::check_frame(*f, r.image.size(0), r.image.size(1));
                r.image = pl::crop_image(r.image, *f);
            }
            r.num_images = batch;
            r.structure_strength = float(std::clamp(job.embedding.structure, 0.0, 1.0));
            r.sampling = sampling(p);
            result = execute(r, control).result;
            break;
        }
        case pl::Mode::Inpaint: {
            pl::InpaintRequest r;
            r.image = imageTensor(job.image);
            r.mask = imaging::mask_to_tensor(constMatView(toDocumentMask(job.mask)));
            r.prompt = p.prompt.toStdString();
            r.feather = float(p.feather);
            r.frame = frameOf(p);
            r.context = p.frameContext;
            r.num_images = batch;
            r.sampling = sampling(p);
            result = execute(r, control).result;
            break;
        }
        case pl::Mode::Interpolation: {
            pl::InterpolationRequest r;
            const EmbeddingJobOptions& e = job.embedding;
            if (job.image.isNull() && !e.textA.isEmpty()) r.a.text = e.textA.toStdString();
            else r.a.image = imageTensor(job.image);
            if (!e.imageB.isNull()) r.b.image = imageTensor(e.imageB);
            else r.b.text = p.target.toStdString();
            for (double t : e.positions) r.positions.push_back(float(t));
            if (r.positions.empty())
                for (int i = 0; i < batch; ++i) r.positions.push_back(batch == 1 ? 0.5f : float(i) / float(batch - 1));
            r.smooth = e.smooth;
            r.sampling = sampling(p);
            result = execute(r, control).result;
            break;
        }
        case pl::Mode::TextDiff: {
            pl::TextDiffRequest r;
            r.image = imageTensor(job.image);
            r.description = p.prompt.toStdString();
            r.target = p.target.toStdString();
            r.theta = float(p.theta);
            r.sampling = sampling(p);
            result = execute(r, control).result;
            break;
        }
        }
    } catch (const unclip::Cancelled&) {
        throw GenerationCancelled();
    }
    if (isCancelled(job.cancel)) throw GenerationCancelled();
    GenerationOutput out;
    QJsonObject recipe = QJsonDocument::fromJson(QByteArray::fromStdString(result.recipe.dump())).object();
    // Text -> image and variations placed into a frame of the picture: the recipe says where.
    if (!p.frame.isNull() && !recipe.contains("frame"))
        recipe.insert("frame", QJsonArray{p.frame.x(), p.frame.y(), p.frame.width(), p.frame.height()});
    const auto images = imaging::batch_to_images(result.images);
    for (size_t i = 0; i < images.size(); ++i) {
        out.images.append(toQImage(images[i]));
        QJsonObject r = recipe;
        // An upscaled candidate keeps the index it had among the candidates.
        r.insert("index", p.upscaleIndex >= 0 ? p.upscaleIndex : int(i));
        if (p.quickCandidates && familyHasSuperRes(p.family) && p.upscaleIndex < 0) {
            r.insert("candidate", true);
            r.insert("candidate_set", job.id);
        }
        out.recipes.append(r);
    }
    return out;
}

// CLIP similarities of job.embedding.scoreImages to its reference images (image embeddings'
// cosine) and to its texts (a score request: what `unclip score` prints).
GenerationOutput JobRunner::score(const GenerationJob& job, const Executor& execute, const ImageSimilarity& imageSimilarity) {
    const EmbeddingJobOptions& e = job.embedding;
    c10::InferenceMode inference;
    std::vector<torch::Tensor> images, refs;
    std::vector<std::string> texts;
    for (const QImage& im : e.scoreImages) images.push_back(imageTensor(im));
    for (const QImage& im : e.scoreReferences) refs.push_back(imageTensor(im));
    for (const QString& t : e.scoreTexts) texts.push_back(t.toStdString());
    if (images.empty()) throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "There is nothing to score.").toStdString());
    if (!refs.empty() && !imageSimilarity)
        throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "Comparing pictures with pictures runs on this computer only; compare with texts, or choose Settings > Inference > This computer.").toStdString());
    if (isCancelled(job.cancel)) throw GenerationCancelled();
    torch::Tensor byImage = refs.empty() ? torch::Tensor() : imageSimilarity(images, refs);
    if (isCancelled(job.cancel)) throw GenerationCancelled();
    torch::Tensor byText;
    if (!texts.empty()) {
        pl::ScoreRequest r;
        r.images = images;
        r.texts = texts;
        pl::RunControl control;
        control.cancel = job.cancel.get();
        try {
            byText = execute(r, control).scores;
        } catch (const unclip::Cancelled&) {
            throw GenerationCancelled();
        }
    }
    GenerationOutput out;
    for (int64_t i = 0; i < int64_t(images.size()); ++i) {
        QList<double> row;
        for (int64_t j = 0; j < int64_t(refs.size()); ++j) row.append(byImage[i][j].item<double>());
        for (int64_t j = 0; j < int64_t(texts.size()); ++j) row.append(byText[i][j].item<double>());
        out.similarities.append(row);
    }
    return out;
}

void JobRunner::rememberCandidates(int jobId, const pl::Result& result) {
    m_candidates.emplace_back(jobId, result);
    if (m_candidates.size() > kKeptCandidateSets) m_candidates.erase(m_candidates.begin());
}

// Super-resolves candidate p.upscaleIndex of set p.upscaleSet. A set that is no longer kept
// (older, or the model was reloaded) is recomputed from the same request: same seed, same
// candidates, so the picture is the one the user picked.
pl::Result JobRunner::upscale(pl::TextToImageRequest r, const GenerationParams& p, const pl::RunControl& control,
                              const Executor& execute) {
    const pl::Result* set = nullptr;
    for (const auto& [id, result] : m_candidates)
        if (id == p.upscaleSet) set = &result;
    pl::Result recomputed;
    r.stop_after_decoder = true;
    if (!set) {
        recomputed = execute(r, control).result;
        set = &recomputed;
    }
    if (p.upscaleIndex >= set->images.size(0))
        throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "There is no candidate %1 to upscale.")
                                     .arg(p.upscaleIndex + 1)
                                     .toStdString());
    pl::UpscaleRequest u;
    u.request = r;
    u.decoder_output = set->decoder_output;
    u.candidate = p.upscaleIndex;
    pl::Result up = execute(u, control).result;
    // The in-process call keeps the candidate's embedding; the request carries only its pixels.
    if (!up.image_embeddings.defined() && set->image_embeddings.defined())
        up.image_embeddings = set->image_embeddings.slice(0, p.upscaleIndex, p.upscaleIndex + 1);
    return up;
}

}  // namespace unclip::ui
