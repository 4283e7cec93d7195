// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the embedding tools (Variations, Interpolation, Text diff, Plots docks) get from the main
// window: the one inference controller, the document, the Results dock (a source of images) and
// the Prompt dock's steps and guidance.
#include "ui/inference/generation.h"

#include <functional>

namespace unclip::ui {

class Document;
class InferenceController;
class ResultsPanel;

struct PanelContext {
    InferenceController* inference = nullptr;
    Document* document = nullptr;
    ResultsPanel* results = nullptr;
    // Steps and guidance to use (the Prompt dock's); the panel sets mode, seed and batch itself.
    std::function<GenerationParams()> baseParams;
};

}  // namespace unclip::ui
