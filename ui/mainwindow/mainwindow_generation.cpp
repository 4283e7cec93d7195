// MainWindow: the window's side of generation — submitting and cancelling jobs, progress in the
// status bar, results into the Results dock, applying and upscaling them, and recipes (re-running
// a picture's recorded generations from the Generate menu or the History dock).
#include "ui/mainwindow/mainwindow.h"

#include "ui/document/applyresult.h"
#include "ui/document/autosave.h"
#include "ui/document/commands.h"
#include "ui/document/document.h"
#include "ui/fileformats/documentio.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/inference/recipe.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"

#include <QAction>
#include <QDockWidget>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QUndoView>

#include <algorithm>

namespace unclip::ui {

namespace {
bool maskIsEmpty(const QImage& mask) {
    for (int y = 0; y < mask.height(); ++y) {
        const uchar* row = mask.constScanLine(y);
        for (int x = 0; x < mask.width(); ++x)
            if (row[x]) return false;
    }
    return true;
}
}  // namespace

void MainWindow::generate() {
    m_prompt->prepareSeed();
    const GenerationParams params = m_prompt->params();
    if (params.mode == GenerationMode::Inpaint && maskIsEmpty(m_doc->mask())) {
        statusBar()->showMessage(tr("Paint the area to regenerate with the mask brush first"), 5000);
        return;
    }
    if ((params.mode == GenerationMode::TextDiff || params.mode == GenerationMode::Interpolate) && params.target.isEmpty()) {
        statusBar()->showMessage(tr("Enter the target text first"), 5000);
        return;
    }
    const QImage image = modeUsesImage(params.mode) ? m_doc->image() : QImage();
    const QImage mask = params.mode == GenerationMode::Inpaint ? m_doc->mask() : QImage();
    m_inference->submit(params, image, mask);
    const int queued = m_inference->pendingCount();
    statusBar()->showMessage(queued > 1 ? tr("Queued (%1 waiting)").arg(queued - 1) : tr("Generating…"), 3000);
}

void MainWindow::cancelGeneration() {
    if (!m_inference->isBusy()) return;
    m_inference->cancelAll();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::onProgress(int, const ProgressUpdate& u) {
    m_stageLabel->setText(stageDisplayName(u.stage));
    m_stepLabel->setText(tr("%1 / %2").arg(u.step).arg(u.total));
    m_clock.update(u);
    m_timeLabel->setText(m_clock.text());
    m_progress->setRange(0, std::max(1, u.total));
    m_progress->setValue(u.step);
    m_results->showPreview(u.preview, tr("%1: step %2 of %3").arg(stageDisplayName(u.stage)).arg(u.step).arg(u.total));
}

void MainWindow::onJobFinished(const GenerationJob& job, const GenerationOutput& output) {
    if (!job.embedding.origin.isEmpty()) {  // an embedding tool's job: its panel shows the images
        m_results->clearPreview();
        return;
    }
    for (int i = 0; i < output.images.size(); ++i) {
        GenerationResult r;
        r.image = output.images.at(i);
        r.recipe = i < output.recipes.size() ? output.recipes.at(i) : QJsonObject();
        r.params = job.params;
        r.mask = job.mask;
        m_results->addResult(r);
    }
    m_results->clearPreview();
    if (auto* dock = findChild<QDockWidget*>("resultsDock"); dock && !dock->isVisible()) dock->show();
    statusBar()->showMessage(tr("Generated %n image(s)", nullptr, int(output.images.size())), 5000);
}

void MainWindow::onBusyChanged(bool busy) {
    action("cancel")->setEnabled(busy);
    m_progress->setVisible(busy);
    if (busy) {
        m_tick->start();
    } else {
        m_tick->stop();
        m_timeLabel->clear();
        m_stageLabel->clear();
        m_stepLabel->clear();
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
    }
}

bool MainWindow::loadRecipe(const QJsonObject& recipe, bool run) {
    QString why;
    const auto params = paramsFromRecipe(recipe, &why);
    if (!params) {
        showMessage(tr("Cannot use the recipe"), why, true);
        return false;
    }
    m_prompt->setParams(*params);
    m_prompt->setSeedLocked(true);  // the recipe's seed is the point
    if (auto* dock = findChild<QDockWidget*>("promptDock"); dock && !dock->isVisible()) dock->show();
    if (run) generate();
    else statusBar()->showMessage(tr("Recipe loaded into the Prompt panel: Generate re-runs it"), 5000);
    return true;
}

void MainWindow::updateRecipesMenu() {
    m_recipesMenu->clear();
    const QJsonArray recipes = m_doc->recipes();
    for (int i = int(recipes.size()) - 1, shown = 0; i >= 0 && shown < 20; --i, ++shown) {
        const QJsonObject r = recipes.at(i).toObject();
        QAction* a = m_recipesMenu->addAction(recipeTitle(r));
        a->setToolTip(recipeSummary(r));
        connect(a, &QAction::triggered, this, [this, r] { loadRecipe(r, false); });
    }
    if (recipes.isEmpty()) m_recipesMenu->addAction(tr("No recipes in this picture"))->setEnabled(false);
}

void MainWindow::showHistoryMenu(const QPoint& pos) {
    const QModelIndex index = m_history->indexAt(pos);
    // Row 0 is the original picture; row n is command n - 1.
    const QJsonObject recipe = index.isValid() && index.row() > 0
                                   ? recipeOf(m_doc->undoStack()->command(index.row() - 1))
                                   : QJsonObject();
    if (recipe.isEmpty()) return;
    QMenu menu(this);
    menu.addAction(tr("&Load Recipe into the Prompt Panel"), this, [this, recipe] { loadRecipe(recipe, false); });
    menu.addAction(tr("&Re-run Recipe"), this, [this, recipe] { loadRecipe(recipe, true); });
    menu.exec(m_history->viewport()->mapToGlobal(pos));
}

void MainWindow::upscaleCandidate(const GenerationResult& candidate) {
    GenerationParams p = candidate.params;
    p.quickCandidates = false;
    p.upscaleSet = candidate.recipe.value("candidate_set").toInt();
    p.upscaleIndex = candidate.recipe.value("index").toInt();
    m_inference->submit(p);
    statusBar()->showMessage(tr("Upscaling candidate #%1…").arg(p.upscaleIndex + 1), 3000);
}

void MainWindow::applyResult(const GenerationResult& result) {
    QString error;
    if (!ui::applyResult(m_doc, result, &error)) {
        showMessage(tr("Cannot apply the result"), error, true);
        return;
    }
    statusBar()->showMessage(tr("Applied the result (seed %1)").arg(result.params.seed), 3000);
    m_autosave->saveNow();  // a generation is expensive to redo: autosave it at once
}

}  // namespace unclip::ui
