#pragma once
// What the editor asks the inference thread for, and what comes back: plain Qt value types that
// cross threads through queued signals (no widget pointers, no tensors).
#include "ui/settings/appsettings.h"

#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

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

enum class GenerationMode { TextToImage, Inpaint, Variations, Interpolate, TextDiff };
QString modeDisplayName(GenerationMode mode);
// Whether the mode starts from the document's image (and, for Inpaint, its mask).
bool modeUsesImage(GenerationMode mode);

struct GenerationParams {
    GenerationMode mode = GenerationMode::TextToImage;
    QString prompt;
    QString negativePrompt;
    QString target;  // Text diff: what the image should show; Interpolate: the text to blend towards
    quint64 seed = 0;
    int batch = 1;
    int priorSteps = 25;
    int decoderSteps = 25;
    int superResSteps = 7;
    double priorGuidance = 4.0;
    double decoderGuidance = 8.0;
    double feather = 8.0;  // Inpaint: mask feather radius in pixels
    double theta = 0.5;    // Text diff strength
};

struct GenerationJob {
    int id = 0;
    GenerationParams params;
    QImage image;  // RGBA8888 snapshot of the document (modes that use it)
    QImage mask;   // Grayscale8 snapshot (Inpaint)
    CancelHandle cancel = makeCancelHandle();
};

struct ProgressUpdate {
    QString stage;  // "prior", "decoder", "super_res", "encode", "invert", "load"
    int step = 0;
    int total = 0;
    QImage preview;  // optional predicted clean image
};

struct GenerationOutput {
    QList<QImage> images;        // RGBA8888
    QList<QJsonObject> recipes;  // one per image: everything needed to re-run it
};

// A stage name as shown in the status bar ("prior" -> "Prior").
QString stageDisplayName(const QString& stage);

}  // namespace unclip::ui

Q_DECLARE_METATYPE(unclip::ui::GenerationJob)
Q_DECLARE_METATYPE(unclip::ui::ProgressUpdate)
Q_DECLARE_METATYPE(unclip::ui::GenerationOutput)
Q_DECLARE_METATYPE(unclip::ui::ModelSettings)
