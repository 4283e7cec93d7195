// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An editor job as core requests (core/pipeline/requests.h) and the result as editor output: the
// one translation both backends use, the in-process one (backend_unclip.cpp) and the one that runs
// on `unclip serve` (backend_remote.cpp). Only the executor of a request differs.
#include "core/server/run_request.h"
#include "ui/inference/pipelinebackend.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace unclip::ui {

// The modes that cannot run, with the reason, from `missing(kind)` ("" = can run); the reason
// names the setting that adds the missing part for the model's `family` (kKandinskyFamily...).
QMap<pipeline::Mode, QString> unavailableModesFrom(const std::function<std::string(const std::string&)>& missing,
                                                  const QString& family = {});
// A family's ModelInfo (title and core's default_sampling) for a model drawing `imageSize` px,
// in multiples of `sizeStep` px (0: at imageSize only). `family` is core's family_name.
ModelInfo familyModelInfo(const std::string& family, int imageSize, int sizeStep);

class JobRunner {
public:
    using Executor = std::function<server::Output(const pipeline::AnyRequest&, const pipeline::RunControl&)>;
    // CLIP image-image similarity [images x references]; may be empty where not available.
    using ImageSimilarity = std::function<torch::Tensor(const std::vector<torch::Tensor>&, const std::vector<torch::Tensor>&)>;

    // Runs `job` through `execute` on the calling thread: progress (with previews) to `progress`,
    // job.cancel handed on; throws GenerationCancelled or std::exception with a message to show.
    GenerationOutput run(const GenerationJob& job, const PipelineBackend::ProgressFn& progress, const Executor& execute,
                         const ImageSimilarity& imageSimilarity = {});
    // Forget remembered candidate sets (a new model draws other candidates).
    void clear() { m_candidates.clear(); }
    // Step previews turned into QImages so far, by every runner of the process (tests: previews
    // the progress throttle drops are never converted).
    static int64_t previewsConverted() { return s_previewsConverted.load(); }

private:
    GenerationOutput score(const GenerationJob& job, const Executor& execute, const ImageSimilarity& imageSimilarity);
    void rememberCandidates(int jobId, const pipeline::Result& result);
    pipeline::Result upscale(pipeline::TextToImageRequest r, const GenerationParams& p, const pipeline::RunControl& control,
                             const Executor& execute);

    // Candidate sets of quick runs, newest last; a few are kept so the user can go back to one.
    static constexpr size_t kKeptCandidateSets = 8;
    std::vector<std::pair<int, pipeline::Result>> m_candidates;
    static std::atomic<int64_t> s_previewsConverted;
};

}  // namespace unclip::ui
