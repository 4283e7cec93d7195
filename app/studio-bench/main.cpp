// SPDX-License-Identifier: GPL-3.0-or-later
// unclip-studio-bench: what the editor's inference path costs on top of the pipeline. The same
// jobs (text -> image and variations, one 256 px picture each, on the embedded model) run through
// the editor's backend — InferenceController, the worker on its QThread, the in-process backend
// with step previews on and the editor's progress throttle, results as QImages with recipes, the
// job's signals through its JobHandle to this (GUI) thread — and through UnclipPipeline directly on
// a thread of its own, as `unclip generate` runs it, alternating in one process on the same weights
// and threads. Prints the medians (wall clock and the process's CPU time) and the editor / direct
// ratio. Figures for the README; nothing passes or fails.
#include "app/cli/bench_timing.h"
#include "core/common/torch_setup.h"
#include "core/imaging/tensor_convert.h"
#include "core/pipeline/model_family.h"
#include "core/pipeline/unclip_pipeline.h"
#include "ui/common/qtcv.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/jobhandle.h"
#include "ui/inference/jobrunner.h"
#include "ui/settings/appsettings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QPainter>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

using namespace unclip;
namespace pl = unclip::pipeline;
using cli::median;
using cli::Times;
using cli::times_now;

// A 256 px picture to vary: colour fields and a disc, something like the embedded model's pictures.
QImage inputPicture() {
    QImage image(256, 256, QImage::Format_RGBA8888);
    image.fill(QColor(250, 230, 120));
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(QColor(220, 40, 40));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QRect(48, 48, 160, 160));
    p.setBrush(QColor(40, 160, 60));
    p.drawRect(QRect(112, 20, 32, 40));
    return image;
}

struct JobKind {
    const char* name;
    pl::Mode mode;
};

// --every-preview: the editor as it was before the pipeline asked its progress throttle: every
// step's preview computed and converted to a QImage, most then dropped by the throttle.
class EveryPreviewBackend : public ui::PipelineBackend {
public:
    void load(const ui::ModelSettings& s, const QString& dir) override { m_inner->load(s, dir); }
    bool isLoaded() const override { return m_inner->isLoaded(); }
    QString summary() const override { return m_inner->summary(); }
    int imageSize() const override { return m_inner->imageSize(); }
    ui::GenerationOutput run(const ui::GenerationJob& job, const ProgressFn& progress) override {
        return m_inner->run(job, ui::ProgressSink([&progress](const ui::ProgressUpdate& u) { progress(u); },
                                                  [](pipeline::Stage, int, int) { return true; }));
    }

private:
    std::unique_ptr<ui::PipelineBackend> m_inner = ui::createPipelineBackend();
};

struct Editor {
    explicit Editor(bool everyPreview)
        : controller(everyPreview ? ui::InferenceWorker::BackendFactory(
                                        [] { return std::make_unique<EveryPreviewBackend>(); })
                                  : ui::InferenceWorker::BackendFactory()) {}
    ui::InferenceController controller;
    int previews = 0, reports = 0;

    // Runs one job as the Prompt dock does and waits for it on this thread's event loop.
    ui::GenerationOutput run(const ui::GenerationParams& p, const QImage& image) {
        ui::JobHandle* job = controller.submit(p, image);
        QEventLoop loop;
        ui::GenerationOutput out;
        QString error;
        QObject::connect(job, &ui::JobHandle::progress, &loop, [this](const ui::ProgressUpdate& u) {
            ++reports;
            previews += !u.preview.isNull();
        });
        QObject::connect(job, &ui::JobHandle::finished, &loop, [&](const ui::GenerationOutput& o) {
            out = o;
            loop.quit();
        });
        QObject::connect(job, &ui::JobHandle::failed, &loop, [&](const QString& m) {
            error = m;
            loop.quit();
        });
        QObject::connect(job, &ui::JobHandle::cancelled, &loop, [&] {
            error = "cancelled";
            loop.quit();
        });
        loop.exec();
        if (!error.isEmpty()) throw std::runtime_error(error.toStdString());
        return out;
    }
};

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
    // One malloc arena for every thread (as `unclip bench server`): which thread's arena a run
    // uses would otherwise swing its page faults by several per cent either way.
    ::mallopt(M_ARENA_MAX, 1);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("unclip-studio-bench");
    QCommandLineParser cli;
    cli.setApplicationDescription(
        "Runs the same jobs (text -> image and variations, one picture each) through the editor's\n"
        "backend (InferenceController, its worker thread, the in-process pipeline with step previews\n"
        "and the editor's progress throttle, QImage results) and through UnclipPipeline directly,\n"
        "alternating, and prints the medians and the editor's overhead (target <= 3 %).");
    cli.addHelpOption();
    cli.addOption({"model", "model folder (default: the embedded model)", "dir"});
    cli.addOption({"runs", "timed runs of each job on each path (default 5)", "n", "5"});
    cli.addOption({"steps", "prior,decoder,super-res steps (default: the family's, 25,25,7)", "p,d,s"});
    cli.addOption({"threads", "LibTorch threads (default 1)", "n", "1"});
    cli.addOption({"every-preview", "the editor as before: a preview made and converted for every step, then "
                                    "dropped by the throttle (for comparison)"});
    cli.addOption({"jobs", "which jobs: text2img,variation (default both)", "list", "text2img,variation"});
    cli.process(app);

    const QString model = cli.isSet("model") ? cli.value("model") : ui::settings::embeddedModelDir();
    if (model.isEmpty() || !QFile::exists(model + "/model_index.json")) {
        std::fprintf(stderr, "unclip-studio-bench: no model folder (give --model DIR)\n");
        return 2;
    }
    const int runs = std::max(1, cli.value("runs").toInt());
    const int threads = std::max(1, cli.value("threads").toInt());
    try {
        ui::ModelSettings settings;
        settings.modelDir = model;
        settings.threads = threads;
        Editor editor(cli.isSet("every-preview"));
        editor.controller.setModelSettings(settings);
        editor.controller.loadModel();

        configure_threads(threads);
        pl::PipelineOptions o;
        o.model_dir = QFile::encodeName(model).toStdString();
        std::unique_ptr<pl::UnclipPipeline> direct;
        cli::SerialThread runner;
        runner.run([&] { direct = pl::UnclipPipeline::load(o); });

        ui::GenerationParams base;
        base.sampling = pl::default_sampling(direct->family());
        base.family = QString::fromLatin1(pl::family_name(direct->family()));
        if (cli.isSet("steps")) {
            const QStringList s = cli.value("steps").split(',');
            if (s.size() != 3) throw std::runtime_error("--steps expects three numbers: prior,decoder,super-res");
            base.sampling.prior_steps = s[0].toInt();
            base.sampling.decoder_steps = s[1].toInt();
            base.sampling.super_res_steps = s[2].toInt();
        }
        base.prompt = "a red apple on a wooden table";
        base.sampling.seed = 7;
        const QImage picture = inputPicture();
        const torch::Tensor pictureTensor = imaging::image_to_tensor(ui::constMatView(picture));

        std::vector<JobKind> kinds;
        for (const QString& k : cli.value("jobs").split(',')) {
            if (k == "text2img") kinds.push_back({"text2img", pl::Mode::TextToImage});
            else if (k == "variation") kinds.push_back({"variation", pl::Mode::Variation});
            else throw std::runtime_error("--jobs: unknown job " + k.toStdString());
        }

        auto runDirect = [&](const JobKind& k) {
            torch::Tensor images;
            runner.run([&] {
                c10::InferenceMode inference;
                if (k.mode == pl::Mode::TextToImage) {
                    pl::TextToImageRequest r;
                    r.prompts = {base.prompt.toStdString()};
                    r.sampling = base.sampling;
                    images = direct->text_to_image(r).images;
                } else {
                    pl::VariationRequest r;
                    r.image = pictureTensor;
                    r.sampling = base.sampling;
                    images = direct->variations(r).images;
                }
            });
            return images;
        };
        auto paramsFor = [&](const JobKind& k) {
            ui::GenerationParams p = base;
            p.mode = k.mode;
            return p;
        };
        auto imageFor = [&](const JobKind& k) { return k.mode == pl::Mode::Variation ? picture : QImage(); };

        // Warm-up: one run of each job on each path, and the pictures must agree.
        for (const JobKind& k : kinds) {
            const ui::GenerationOutput e = editor.run(paramsFor(k), imageFor(k));
            const torch::Tensor t = runDirect(k);
            const QImage directImage = ui::toQImage(imaging::batch_to_images(t).at(0));
            const bool same = !e.images.isEmpty() && e.images.at(0) == directImage;
            std::printf("%-10s warm-up done; editor and direct pictures %s\n", k.name, same ? "bit-identical" : "DIFFER");
        }
        std::printf("model %s, %d thread(s), steps %d/%d/%d, %d timed runs of each job on each path%s\n",
                    qPrintable(model), threads, base.sampling.prior_steps, base.sampling.decoder_steps, base.sampling.super_res_steps, runs,
                    cli.isSet("every-preview") ? ", editor making every step's preview" : "");
        std::fflush(stdout);

        std::vector<double> allRatioWall, allRatioCpu;
        for (const JobKind& k : kinds) {
            std::vector<double> ew, ec, dw, dc, ratioWall, ratioCpu;
            const int64_t convertedBefore = ui::JobRunner::previewsConverted();
            editor.previews = editor.reports = 0;
            for (int i = 0; i < runs; ++i) {
                Times editorTime, directTime;
                // Alternate which goes first, so neither always runs on a warmer machine.
                for (int which = 0; which < 2; ++which) {
                    const bool editorNow = (which == 0) == (i % 2 == 0);
                    const Times t0 = times_now();
                    if (editorNow) editor.run(paramsFor(k), imageFor(k));
                    else runDirect(k);
                    (editorNow ? editorTime : directTime) = times_now() - t0;
                }
                ew.push_back(editorTime.wall);
                ec.push_back(editorTime.cpu);
                dw.push_back(directTime.wall);
                dc.push_back(directTime.cpu);
                ratioWall.push_back(editorTime.wall / directTime.wall);
                ratioCpu.push_back(editorTime.cpu / directTime.cpu);
                std::printf("  %-10s run %d: editor %.3f s (cpu %.3f), direct %.3f s (cpu %.3f), ratio %.3f\n", k.name,
                            i + 1, editorTime.wall, editorTime.cpu, directTime.wall, directTime.cpu,
                            editorTime.wall / directTime.wall);
                std::fflush(stdout);
            }
            allRatioWall.insert(allRatioWall.end(), ratioWall.begin(), ratioWall.end());
            allRatioCpu.insert(allRatioCpu.end(), ratioCpu.begin(), ratioCpu.end());
            std::printf("%-10s median editor %.3f s (cpu %.3f), direct %.3f s (cpu %.3f): overhead %+.1f %% wall, %+.1f %% cpu "
                        "(paired ratios %.3f..%.3f); %.1f progress reports and %.1f previews per job reached the GUI "
                        "thread, %.1f previews converted per job\n",
                        k.name, median(ew), median(ec), median(dw), median(dc), 100 * (median(ratioWall) - 1),
                        100 * (median(ratioCpu) - 1), *std::min_element(ratioWall.begin(), ratioWall.end()),
                        *std::max_element(ratioWall.begin(), ratioWall.end()), double(editor.reports) / runs,
                        double(editor.previews) / runs,
                        double(ui::JobRunner::previewsConverted() - convertedBefore) / runs);
            std::fflush(stdout);
        }
        std::printf("all jobs: editor overhead %+.1f %% wall, %+.1f %% cpu (median of the paired ratios; target <= 3 %%)\n",
                    100 * (median(allRatioWall) - 1), 100 * (median(allRatioCpu) - 1));
        runner.run([&] { direct.reset(); });
    } catch (const std::exception& e) {
        std::fprintf(stderr, "unclip-studio-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
