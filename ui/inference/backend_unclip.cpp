// SPDX-License-Identifier: GPL-3.0-or-later
// Backend on the real pipeline (core/pipeline) in this process; jobrunner.cpp turns editor jobs into
// pipeline requests.
#include "ui/inference/pipelinebackend.h"

#include "core/common/error.h"
#include "core/common/torch_setup.h"
#include "core/imaging/tensor_convert.h"
#include "core/io/model_folder.h"
#include "core/pipeline/frame.h"
#include "core/pipeline/model_family.h"
#include "core/pipeline/similarity.h"
#include "core/pipeline/unclip_pipeline.h"
#include "core/pipeline/warm_up.h"
#include "ui/common/qtcv.h"
#include "ui/inference/jobrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <torch/torch.h>

#include <tuple>

namespace unclip::ui {

namespace {

namespace pl = unclip::pipeline;


class UnclipBackend : public PipelineBackend {
public:
    void load(const ModelSettings& s, const QString& modelDir) override {
        m_pipeline.reset();
        m_runner.clear();
        configure_threads(s.threads);
        pl::PipelineOptions o;
        o.model_dir = QFile::encodeName(modelDir).toStdString();
        // Every other folder once: effectiveModelDir() makes a Kandinsky decoder folder the model
        // folder when no prior folder is set.
        auto other = [&modelDir](const QString& dir) {
            const bool same = dir.isEmpty() || QDir::cleanPath(dir) == QDir::cleanPath(modelDir);
            return same ? std::string() : QFile::encodeName(dir).toStdString();
        };
        o.image_encoder_dir = other(s.encoderDir);
        o.decoder_dir = other(s.decoderDir);
        o.inpaint_dir = other(s.inpaintDir);
        o.device = parse_device(s.device.toStdString());
        o.dtype = parse_dtype(s.precision.toStdString());
        // Offload is Kandinsky 2.2's (core refuses it for Karlo, whose stages stay on the device):
        // a setting left on does not stop a Karlo folder from loading.
        o.sequential_offload =
            s.offload && pl::classify_folder(io::ModelFolder(o.model_dir)).family == pl::ModelFamily::Kandinsky22;
        m_pipeline = pl::UnclipPipeline::load(o);
        m_name = QFileInfo(modelDir).fileName();
    }

    bool isLoaded() const override { return bool(m_pipeline); }

    QMap<pipeline::Mode, QString> unavailableModes() const override {
        if (!m_pipeline) return {};
        return unavailableModesFrom([this](const std::string& kind) { return server::missing_for_kind(*m_pipeline, kind); },
                                    QString::fromLatin1(pl::family_name(m_pipeline->family())));
    }

    QString summary() const override {
        if (!m_pipeline) return {};
        QStringList modes;
        const QMap<pipeline::Mode, QString> unavailable = unavailableModes();
        for (pipeline::Mode m : editorModes())
            if (!unavailable.contains(m)) modes << modeDisplayName(m);
        // Karlo models go by their folder (karlo-v1-alpha, unclip-emoji); Kandinsky 2.2 is three
        // folders: the family names it.
        const QString name = m_pipeline->family() == pl::ModelFamily::Karlo
                                 ? m_name
                                 : QString::fromLatin1(pl::family_title(m_pipeline->family()));
        return QCoreApplication::translate("PipelineBackend", "%1: %2 px; %3").arg(name).arg(m_pipeline->image_size()).arg(modes.join(", "));
    }

    ModelInfo modelInfo() const override {
        if (!m_pipeline) return {};
        int step = 0;
        if (m_pipeline->family() != pl::ModelFamily::Karlo) {
            pl::Sampling smallest;  // 1 x 1 px rounds up to the size step
            smallest.width = smallest.height = 1;
            step = m_pipeline->output_size(smallest).first;
        }
        return familyModelInfo(pl::family_name(m_pipeline->family()), m_pipeline->image_size(), step);
    }

    int imageSize() const override { return m_pipeline ? m_pipeline->image_size() : 0; }

    QString warmUp(const CancelHandle& cancel) override {
        if (!m_pipeline) return QStringLiteral("nothing");
        return QString::fromLatin1(pl::warm_up_result_name(pl::warm_up(*m_pipeline, cancel.get())));
    }

    GenerationOutput run(const GenerationJob& job, const ProgressFn& progress) override {
        if (!m_pipeline) throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "No model is loaded.").toStdString());
        if (!job.embedding.score) {
            const std::string missing = server::missing_for_kind(*m_pipeline, pipeline::mode_name(job.params.mode));
            if (!missing.empty())
                throw std::runtime_error(QCoreApplication::translate("PipelineBackend", "%1 needs a model component this model does not have: %2")
                                             .arg(modeDisplayName(job.params.mode), QString::fromStdString(missing))
                                             .toStdString());
        }
        return m_runner.run(
            job, progress,
            [this](const pl::AnyRequest& r, const pl::RunControl& c) { return server::run_request(*m_pipeline, r, c); },
            [this](const std::vector<torch::Tensor>& images, const std::vector<torch::Tensor>& refs) {
                return pl::image_similarity(*m_pipeline, images, refs);
            });
    }

private:
    JobRunner m_runner;
    std::unique_ptr<pl::UnclipPipeline> m_pipeline;
    QString m_name;
};

}  // namespace

std::unique_ptr<PipelineBackend> createPipelineBackend() { return std::make_unique<UnclipBackend>(); }

ModelInfo modelFamilyOf(const ModelSettings& s) {
    if (s.inference == QLatin1String("server")) return {};  // the server's model: known once connected
    try {
        const QString dir = settings::effectiveModelDir(s);
        if (dir.isEmpty()) return {};
        const pl::FolderKind kind = pl::classify_folder(io::ModelFolder(QFile::encodeName(dir).toStdString()));
        int side = 0, step = 0;
        if (kind.family == pl::ModelFamily::Kandinsky22) {
            // Its sizes from the decoder's config files (else the inpainting decoder's), as the load
            // will give them: the size controls show before the first job.
            for (pl::FolderRole want : {pl::FolderRole::KandinskyDecoder, pl::FolderRole::KandinskyInpaint}) {
                for (const QString& d : {dir, s.decoderDir, s.inpaintDir}) {
                    if (d.isEmpty() || step > 0) continue;
                    try {
                        const io::ModelFolder folder(QFile::encodeName(d).toStdString());
                        if (pl::classify_folder(folder).role == want) std::tie(side, step) = pl::kandinsky_sizes(folder);
                    } catch (const std::exception&) {
                        // this folder's problem shows in Settings and at the load
                    }
                }
            }
        }
        return familyModelInfo(pl::family_name(kind.family), side, step);
    } catch (const std::exception&) {
        return {};  // Settings and the load say what is wrong with the folder
    }
}

QString pipelineBuildSummary() { return QString::fromStdString(torch_build_summary()); }

QStringList availableDevices() {
    QStringList devices{QStringLiteral("cpu")};
    const int gpus = torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
    for (int i = 0; i < gpus; ++i) devices << (i == 0 ? QStringLiteral("cuda") : QStringLiteral("cuda:%1").arg(i));
    return devices;
}

}  // namespace unclip::ui
