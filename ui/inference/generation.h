// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the editor asks the inference thread for, and what comes back: plain Qt value types that
// cross threads through queued signals (no widget pointers, no tensors).
#include "core/pipeline/mode.h"
#include "core/pipeline/sampling.h"
#include "core/pipeline/stage.h"
#include "ui/settings/appsettings.h"

#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QRect>
#include <QString>
#include <QStringList>

#include <memory>

namespace unclip::pipeline {
class CancelToken;  // core/pipeline/requests.h
}

namespace unclip::ui {

// The pipeline's own cancellation flag, shared by the GUI (which sets it) and the worker (which
// hands it to the pipeline, where it is checked before every model call).
using CancelHandle = std::shared_ptr<pipeline::CancelToken>;
CancelHandle makeCancelHandle();
void requestCancel(const CancelHandle& handle);
bool isCancelled(const CancelHandle& handle);

// Model families by core's names (pipeline::family_name; this header stays free of LibTorch).
inline constexpr char kKarloFamily[] = "karlo";
inline constexpr char kKandinskyFamily[] = "kandinsky-2.2";
// Whether a family has Karlo's super-resolution stage (super-res steps, quick candidates);
// "" (no model known yet) counts as Karlo, the editor's first model.
inline bool familyHasSuperRes(const QString& family) { return family != QLatin1String(kKandinskyFamily); }
// The modes as the editor lists them (the Prompt dock's combo box, a model's summary): Text →
// image, Inpaint, Variations, Interpolate, Text diff.
const QList<pipeline::Mode>& editorModes();
QString modeDisplayName(pipeline::Mode mode);
// Whether the mode starts from the document's image (and, for Inpaint, its mask).
bool modeUsesImage(pipeline::Mode mode);

struct GenerationParams {
    pipeline::Mode mode = pipeline::Mode::TextToImage;
    QString prompt;
    QString negativePrompt;
    QString target;  // Text diff: what the image should show; Interpolate: the text to blend towards
    int batch = 1;
    // Seed, steps and guidance per stage, and the output size, as core takes them. The size
    // (sampling.width, sampling.height) is for families that draw at any size (Kandinsky 2.2; core
    // rounds it up to the model's multiple); 0 = the model's own size. Karlo draws at its fixed
    // size, and Inpaint draws the generation frame at the model's size, so neither uses it.
    pipeline::Sampling sampling;
    // The family these values are for (kKarloFamily, kKandinskyFamily; "" = Karlo).
    QString family;
    double feather = 8.0;  // Inpaint: mask feather radius in pixels
    double theta = 0.5;    // Text diff strength
    // The generation frame in document pixels (core/pipeline/frame.h). Inpaint: where the model
    // draws (null = automatic around the mask, with frameContext pixels of context). Text -> image
    // and Variations: a non-null frame puts the result there (Variations vary the frame's pixels)
    // instead of replacing the picture. A frame reaching outside the picture grows it.
    QRect frame;
    int frameContext = settings::kDefaultFrameContext;
    // Text -> image in two steps: the run stops after the decoder and returns its small candidates;
    // a later job with upscaleSet = that job's id and upscaleIndex = i super-resolves candidate i
    // (the same picture a full run would give).
    bool quickCandidates = false;
    int upscaleSet = 0;
    int upscaleIndex = -1;
};

// What the embedding tools (Variations, Interpolation, Text diff and Plots docks) ask beyond
// GenerationParams. The defaults leave ordinary jobs as they were.
struct EmbeddingJobOptions {
    QString origin;            // "" = Prompt dock (results go to the Results dock); else the panel's name
    double structure = 0.0;    // Variations: structure-preserving strength in [0, 1]
    QString textA;             // Interpolate: endpoint A is this text when the job has no image
    QImage imageB;             // Interpolate: endpoint B image; null = params.target is B's text
    QList<double> positions;   // Interpolate: the frames' positions in [0, 1] (empty: spread by batch)
    bool smooth = true;        // Interpolate: shared noise, so a position always gives the same frame
    bool score = false;        // a similarity job: no images, `similarities` come back
    QList<QImage> scoreImages;      // the rows
    QList<QImage> scoreReferences;  // image columns: cosine of CLIP image embeddings
    QStringList scoreTexts;         // text columns after the image ones: what `unclip score` computes
};

struct GenerationJob {
    int id = 0;
    GenerationParams params;
    QImage image;  // RGBA8888 snapshot of the document (modes that use it)
    QImage mask;   // Grayscale8 snapshot (Inpaint)
    CancelHandle cancel = makeCancelHandle();
    EmbeddingJobOptions embedding;
};

// When one reported step of a run ended, for the timing plot.
struct StepTiming {
    pipeline::Stage stage = pipeline::Stage::Prior;
    int step = 0;
    int total = 0;
    double ms = 0.0;  // since the job started on the worker
};

struct ProgressUpdate {
    pipeline::Stage stage = pipeline::Stage::Prior;
    int step = 0;
    int total = 0;
    QImage preview;  // optional predicted clean image
};

struct GenerationOutput {
    QList<QImage> images;        // RGBA8888
    QList<QJsonObject> recipes;  // one per image: everything needed to re-run it
    QList<QList<double>> similarities;  // score jobs: [image][reference..., text...]
    QList<StepTiming> timings;          // every progress step of the run (not throttled)
};

// What the loaded model is, for the Prompt dock: its family, the size it draws and the family's
// sampling defaults (core's default_sampling).
struct ModelInfo {
    QString family;      // kKarloFamily, kKandinskyFamily; "" = not known (nothing loaded, a fake)
    QString title;       // "Karlo (unCLIP)", "Kandinsky 2.2"
    int imageSize = 0;   // the default picture side (0 = not known)
    // Sizes it draws are multiples of this (Kandinsky 2.2: 64 px for the real model); 0 = it
    // draws at imageSize only (Karlo).
    int sizeStep = 0;
    // The family's steps and guidance (the other fields stay at their defaults).
    GenerationParams defaults;
};

// A stage as shown in the status bar (Prior, Decoder, Super-resolution, Inversion), translated.
QString stageDisplayName(pipeline::Stage stage);

}  // namespace unclip::ui

Q_DECLARE_METATYPE(unclip::ui::GenerationJob)
Q_DECLARE_METATYPE(unclip::ui::ProgressUpdate)
Q_DECLARE_METATYPE(unclip::ui::GenerationOutput)
Q_DECLARE_METATYPE(unclip::ui::ModelSettings)
Q_DECLARE_METATYPE(unclip::ui::ModelInfo)
