// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the window's side of generation — submitting and cancelling jobs, progress in the
// status bar, results into the Results dock, applying and upscaling them, and recipes (re-running
// a picture's recorded generations from the Generate menu or the History dock).
#include "ui/mainwindow/mainwindow.h"

#include "ui/canvas/canvas.h"
#include "ui/canvas/frametool.h"
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
#include <cmath>

namespace unclip::ui {

namespace {
bool maskIsEmptyIn(const QImage& mask, const QRect& rect) {
    const QRect r = rect.intersected(mask.rect());
    for (int y = r.top(); y <= r.bottom(); ++y) {
        const uchar* row = mask.constScanLine(y);
        for (int x = r.left(); x <= r.right(); ++x)
            if (row[x]) return false;
    }
    return true;
}
bool maskIsEmpty(const QImage& mask) { return maskIsEmptyIn(mask, mask.rect()); }

// A model drawing at any size (Kandinsky 2.2) draws into a placed frame at the frame's shape, with
// the longer side asked for: the result fills the frame without being stretched.
void shapeToFrame(GenerationParams& p, const QRect& frame) {
    pipeline::Sampling& s = p.sampling;
    if (s.width <= 0 || s.height <= 0 || frame.isNull()) return;
    const int side = std::max(s.width, s.height);
    if (frame.width() >= frame.height()) {
        s.width = side;
        s.height = std::max(1, int(std::lround(double(side) * frame.height() / frame.width())));
    } else {
        s.height = side;
        s.width = std::max(1, int(std::lround(double(side) * frame.width() / frame.height())));
    }
}
}  // namespace

void MainWindow::updateFrameShown() {
    const pipeline::Mode mode = m_prompt->params().mode;
    const bool placed = !m_doc->generationFrame().isNull();
    m_canvas->frameTool()->setShown(mode == pipeline::Mode::Inpaint ||
                                    (placed && (mode == pipeline::Mode::TextToImage || mode == pipeline::Mode::Variation)));
}

void MainWindow::previewResultInFrame(int index) {
    FrameTool* frames = m_canvas->frameTool();
    if (index < 0 || index >= m_results->count()) {
        frames->setPreview({}, {});
        return;
    }
    const GenerationResult& r = m_results->result(index);
    QRect frame = r.params.mode == pipeline::Mode::Inpaint ? frameFromRecipe(r.recipe) : r.params.frame;
    const bool framed = r.params.mode == pipeline::Mode::Inpaint || r.params.mode == pipeline::Mode::TextToImage ||
                        r.params.mode == pipeline::Mode::Variation;
    // Only where Apply will put it: in its frame, on the picture it was made for.
    if (!framed || frame.isNull() || ResultsPanel::isCandidate(r) ||
        (r.params.mode == pipeline::Mode::Inpaint && r.mask.size() != m_doc->size())) {
        frames->setPreview({}, {});
        return;
    }
    frames->setPreview(r.image, frame);
}

void MainWindow::generate() {
    m_prompt->prepareSeed();
    GenerationParams params = m_prompt->params();
    const QRect placed = m_doc->generationFrame();
    const bool outpaints = !placed.isNull() && !QRect(QPoint(0, 0), m_doc->size()).contains(placed);
    if (params.mode == pipeline::Mode::Inpaint) {
        if (maskIsEmpty(m_doc->mask()) && !outpaints) {
            refuse(tr("Paint the area to regenerate with the mask brush first"));
            return;
        }
        if (!placed.isNull() && !outpaints && maskIsEmptyIn(m_doc->mask(), placed)) {
            refuse(tr("The generation frame holds none of the mask: move it over the painted area, "
                      "or double-click it with the Frame tool for the automatic frame"));
            return;
        }
        params.frame = placed;
        params.frameContext = settings::frameContext();
    } else if (params.mode == pipeline::Mode::TextToImage || params.mode == pipeline::Mode::Variation) {
        params.frame = placed;  // a placed frame: the result goes there
        shapeToFrame(params, placed);
    }
    if ((params.mode == pipeline::Mode::TextDiff || params.mode == pipeline::Mode::Interpolation) && params.target.isEmpty()) {
        refuse(tr("Enter the target text first"));
        return;
    }
    const QImage image = modeUsesImage(params.mode) ? m_doc->image() : QImage();
    const QImage mask = params.mode == pipeline::Mode::Inpaint ? m_doc->mask() : QImage();
    watchPromptJob(m_inference->submit(params, image, mask));
    const int queued = m_inference->pendingCount();
    QString message = queued > 1 ? tr("Queued (%1 waiting)").arg(queued - 1) : tr("Generating…");
    // Say at what scale the region is drawn ("256 px for a 600 px frame: 2.3× enlarged").
    if (m_canvas->frameTool()->isShown() && !m_canvas->frameTool()->caption().isEmpty())
        message = tr("%1 — %2").arg(message, m_canvas->frameTool()->caption());
    statusBar()->showMessage(message, 5000);
    feedbackOnGenerate(params, message);
}

void MainWindow::cancelGeneration() {
    if (!m_inference->isBusy()) return;
    m_inference->cancelAll();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::onProgress(int /*id*/, const ProgressUpdate& u) {
    m_stageLabel->setText(stageDisplayName(u.stage));
    m_stepLabel->setText(tr("%1 / %2").arg(u.step).arg(u.total));
    m_clock.update(u);
    m_timeLabel->setText(m_clock.text());
    m_progress->setRange(0, std::max(1, u.total));
    m_progress->setValue(u.step);
    showProgressInPanel(u);
}

void MainWindow::watchPromptJob(JobHandle* job) {
    // Only this job's preview shows in the Results dock (the embedding tools preview in their panels).
    connect(job, &JobHandle::progress, this, [this](const ProgressUpdate& u) {
        m_results->showPreview(u.preview, tr("%1: step %2 of %3").arg(stageDisplayName(u.stage)).arg(u.step).arg(u.total));
    });
    connect(job, &JobHandle::finished, this, [this, job](const GenerationOutput& out) { onJobFinished(job->job(), out); });
    connect(job, &JobHandle::failed, this, [this](const QString& message) {
        m_results->clearPreview();
        if (message == m_lastLoadError) return;  // the load failure already says it
        m_prompt->showFeedback(tr("Generation failed: %1").arg(message), PromptPanel::Feedback::Warning);
    });
    connect(job, &JobHandle::cancelled, this, [this] {
        m_results->clearPreview();
        m_prompt->showFeedback(tr("Generation cancelled"));
    });
}

void MainWindow::onJobFinished(const GenerationJob& job, const GenerationOutput& output) {
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
    feedbackOnResults(job, output);
}

void MainWindow::onBusyChanged(bool busy) {
    action("cancel")->setEnabled(busy);
    m_progress->setVisible(busy);
    if (!busy) m_prompt->hideProgress();
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
    watchPromptJob(m_inference->submit(p));
    statusBar()->showMessage(tr("Upscaling candidate #%1…").arg(p.upscaleIndex + 1), 3000);
}

void MainWindow::applyResult(const GenerationResult& result) {
    QString error;
    if (!ui::applyResult(m_doc, result, &error)) {
        showMessage(tr("Cannot apply the result"), error, true);
        return;
    }
    m_canvas->frameTool()->setPreview({}, {});
    statusBar()->showMessage(tr("Applied the result (seed %1)").arg(result.params.sampling.seed), 3000);
    m_autosave->saveNow();  // a generation is expensive to redo: autosave it at once
}

}  // namespace unclip::ui
