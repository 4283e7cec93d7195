// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Recipes back into parameters: a recipe (the JSON the pipeline writes for every result, stored
// in .ora files, PNG text chunks and the history) says exactly how a picture was made; these turn
// it into Prompt-panel parameters so it can be re-run or varied.
#include "ui/inference/generation.h"

#include <QJsonObject>
#include <QRect>

#include <optional>

namespace unclip::ui {

// nullopt (with *why set) when the recipe is not one this version can re-run.
std::optional<GenerationParams> paramsFromRecipe(const QJsonObject& recipe, QString* why = nullptr);

// The generation frame a recipe's result covers ("frame": [x, y, w, h] in document pixels); a null
// rectangle when it has none (results of the whole picture, recipes before frames).
QRect frameFromRecipe(const QJsonObject& recipe);

// One line for menus and the History dock: "Text → image: ‘a red apple’, seed 42".
QString recipeTitle(const QJsonObject& recipe);
QString paramsTitle(const GenerationParams& params);

}  // namespace unclip::ui
