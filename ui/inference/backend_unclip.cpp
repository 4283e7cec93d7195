// Backend on the real pipeline (core/pipeline): turns editor jobs into pipeline requests.
#include "ui/inference/pipelinebackend.h"

#include "core/common/error.h"
#include "core/common/torch_setup.h"
#include "core/imaging/tensor_convert.h"
#include "core/pipeline/unclip_pipeline.h"
#include "ui/common/qtcv.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <torch/torch.h>

namespace unclip::ui {

namespace {

namespace pl = unclip::pipeline;


pl::Sampling sampling(const GenerationParams& p) {
    pl::Sampling s;
    s.seed = p.seed;
    s.prior_steps = p.priorSteps;
    s.decoder_steps = p.decoderSteps;
    s.super_res_steps = p.superResSteps;
    s.prior_guidance = float(p.priorGuidance);
    s.decoder_guidance = float(p.decoderGuidance);
    return s;
}

pl::Mode pipelineMode(GenerationMode m) {
    switch (m) {
    case GenerationMode::TextToImage: return pl::Mode::TextToImage;
    case GenerationMode::Inpaint: return pl::Mode::Inpaint;
    case GenerationMode::Variations: return pl::Mode::Variation;
    case GenerationMode::Interpolate: return pl::Mode::Interpolation;
    case GenerationMode::TextDiff: return pl::Mode::TextDiff;
    }
    return pl::Mode::TextToImage;
}

torch::Tensor imageTensor(const QImage& image) {
    if (image.isNull()) throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "This mode needs an image in the document.").toStdString());
    return imaging::image_to_tensor(constMatView(toDocumentImage(image)));
}

class UnclipBackend : public PipelineBackend {
public:
    void load(const ModelSettings& s, const QString& modelDir) override {
        m_pipeline.reset();
        configure_threads(s.threads);
        pl::PipelineOptions o;
        o.model_dir = QFile::encodeName(modelDir).toStdString();
        o.image_encoder_dir = QFile::encodeName(s.encoderDir).toStdString();
        o.device = parse_device(s.device.toStdString());
        o.dtype = parse_dtype(s.precision.toStdString());
        m_pipeline = pl::UnclipPipeline::load(o);
        m_name = QFileInfo(modelDir).fileName();
    }

    bool isLoaded() const override { return bool(m_pipeline); }

    QString summary() const override {
        if (!m_pipeline) return {};
        QStringList modes;
        for (GenerationMode m : {GenerationMode::TextToImage, GenerationMode::Inpaint, GenerationMode::Variations,
                                 GenerationMode::Interpolate, GenerationMode::TextDiff})
            if (m_pipeline->supports(pipelineMode(m))) modes << modeDisplayName(m);
        return QCoreApplication::translate("PipelineBackend", "%1: %2 px; %3").arg(m_name).arg(m_pipeline->image_size()).arg(modes.join(", "));
    }

    GenerationOutput run(const GenerationJob& job, const ProgressFn& progress) override {
        if (!m_pipeline) throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "No model is loaded.").toStdString());
        const GenerationParams& p = job.params;
        const pl::Mode mode = pipelineMode(p.mode);
        if (!m_pipeline->supports(mode))
            throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "%1 needs a model component this model does not have: %2")
                                         .arg(modeDisplayName(p.mode),
                                              QString::fromStdString(m_pipeline->missing_for(mode)))
                                         .toStdString());
        c10::InferenceMode inference;  // thread-local: set on the thread that runs
        pl::RunControl control;
        control.cancel = job.cancel.get();  // checked by the pipeline before every model call
        control.want_previews = true;
        control.on_progress = [&](const pl::Progress& pr) {
            ProgressUpdate u;
            u.stage = QString::fromStdString(pr.stage);
            u.step = pr.step;
            u.total = pr.total;
            if (pr.preview.defined() && pr.preview.dim() == 4 && pr.preview.size(0) > 0)
                u.preview = toQImage(imaging::tensor_to_image(pr.preview[0]));
            progress(u);
        };
        if (isCancelled(job.cancel)) throw GenerationCancelled();
        const int batch = std::max(1, p.batch);
        pl::Result result;
        try {
            switch (p.mode) {
            case GenerationMode::TextToImage: {
                pl::TextToImageRequest r;
                r.prompts = {p.prompt.toStdString()};
                r.negative_prompt = p.negativePrompt.toStdString();
                r.images_per_prompt = batch;
                r.sampling = sampling(p);
                result = m_pipeline->text_to_image(r, control);
                break;
            }
            case GenerationMode::Variations: {
                pl::VariationRequest r;
                r.image = imageTensor(job.image);
                r.num_images = batch;
                r.sampling = sampling(p);
                result = m_pipeline->variations(r, control);
                break;
            }
            case GenerationMode::Inpaint: {
                pl::InpaintRequest r;
                r.image = imageTensor(job.image);
                r.mask = imaging::mask_to_tensor(constMatView(toDocumentMask(job.mask)));
                r.prompt = p.prompt.toStdString();
                r.feather = float(p.feather);
                r.num_images = batch;
                r.sampling = sampling(p);
                result = m_pipeline->inpaint(r, control);
                break;
            }
            case GenerationMode::Interpolate: {
                pl::InterpolationRequest r;
                r.a.image = imageTensor(job.image);
                r.b.text = p.target.toStdString();
                for (int i = 0; i < batch; ++i) r.positions.push_back(batch == 1 ? 0.5f : float(i) / float(batch - 1));
                r.sampling = sampling(p);
                result = m_pipeline->interpolate(r, control);
                break;
            }
            case GenerationMode::TextDiff: {
                pl::TextDiffRequest r;
                r.image = imageTensor(job.image);
                r.description = p.prompt.toStdString();
                r.target = p.target.toStdString();
                r.theta = float(p.theta);
                r.sampling = sampling(p);
                result = m_pipeline->text_diff(r, control);
                break;
            }
            }
        } catch (const unclip::Cancelled&) {
            throw GenerationCancelled();
        }
        if (isCancelled(job.cancel)) throw GenerationCancelled();
        GenerationOutput out;
        const QJsonObject recipe =
            QJsonDocument::fromJson(QByteArray::fromStdString(result.recipe.dump())).object();
        const auto images = imaging::batch_to_images(result.images);
        for (size_t i = 0; i < images.size(); ++i) {
            out.images.append(toQImage(images[i]));
            QJsonObject r = recipe;
            r.insert("index", int(i));
            out.recipes.append(r);
        }
        return out;
    }

private:
    std::unique_ptr<pl::UnclipPipeline> m_pipeline;
    QString m_name;
};

}  // namespace

std::unique_ptr<PipelineBackend> createPipelineBackend() { return std::make_unique<UnclipBackend>(); }

QString pipelineBuildSummary() { return QString::fromStdString(torch_build_summary()); }

}  // namespace unclip::ui
