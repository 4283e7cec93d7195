// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Prompt dock between sessions (QSettings group "prompt"): its values as the editor's own
// types, and the last loaded model, so that model's controls show before it loads again.
#include "ui/inference/generation.h"

namespace unclip::ui {

struct PromptSettings {
    // Mode, texts, batch, seed, steps, guidance and size (sampling; width and height 0 = never
    // set), the family those steps and guidance are for (Karlo in settings from before
    // Kandinsky), feather, strength and the quick-candidates box as ticked.
    GenerationParams params;
    bool seedLocked = false;
    bool stagesOpen = false;  // the per-stage steps and guidance unfolded
    int sizeFor = 0;          // the model picture side the size was set for
    ModelInfo model;          // family, imageSize and sizeStep only; family "" = none known
};

namespace settings {

PromptSettings promptSettings();
void setPromptSettings(const PromptSettings& s);

}  // namespace settings
}  // namespace unclip::ui
