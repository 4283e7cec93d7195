// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: feedback where the eye is. The status bar sits at the bottom edge, off-screen on a
// small screen and easy to miss on any: what happens to a generation — refused and why, running
// with its progress and time left, finished and what to do next — is also shown in the Prompt
// panel, under the Generate button that started it.
#include "ui/mainwindow/mainwindow.h"

#include "ui/document/document.h"
#include "ui/inference/generation.h"
#include "ui/panels/promptpanel.h"

#include <QDockWidget>
#include <QStatusBar>

namespace unclip::ui {

namespace {
bool anyMasked(const QImage& mask) {
    for (int y = 0; y < mask.height(); ++y) {
        const uchar* row = mask.constScanLine(y);
        for (int x = 0; x < mask.width(); ++x)
            if (row[x]) return true;
    }
    return false;
}
}  // namespace

void MainWindow::offerInpaintAfterMasking() {
    // Once per mode: painting on should not keep repeating the offer.
    if (m_inpaintOffered || m_prompt->mode() == pipeline::Mode::Inpaint || !anyMasked(m_doc->mask())) return;
    m_inpaintOffered = true;
    m_prompt->offerInpaint();
}

void MainWindow::refuse(const QString& why) {
    statusBar()->showMessage(why, 8000);
    m_prompt->showFeedback(why, PromptPanel::Feedback::Warning);
}

void MainWindow::feedbackOnGenerate(const GenerationParams& params, const QString& started) {
    // Text -> image draws a new picture: a painted mask plays no part, which is easy to expect.
    if (params.mode == pipeline::Mode::TextToImage && anyMasked(m_doc->mask())) {
        m_prompt->showFeedback(tr("%1 Text → image ignores the mask: choose Inpaint to repaint only the masked area.")
                                   .arg(started),
                               PromptPanel::Feedback::Warning);
        return;
    }
    m_prompt->showFeedback(started);
}

void MainWindow::showProgressInPanel(const ProgressUpdate& u) {
    m_prompt->showProgress(
        tr("%1 %2 / %3 · %4").arg(stageDisplayName(u.stage)).arg(u.step).arg(u.total).arg(m_clock.text()), u.step,
        u.total);
}

void MainWindow::feedbackOnResults(const GenerationJob& job, const GenerationOutput& output) {
    const int n = int(output.images.size());
    // New results come to the front, also when the Plots tab shares their place.
    if (auto* dock = findChild<QDockWidget*>("resultsDock"); dock && dock->isVisible()) dock->raise();
    m_prompt->showFeedback(job.params.quickCandidates
                               ? tr("%n quick candidate(s) in Results: Upscale the one you like, or Apply it as it is.",
                                    nullptr, n)
                               : tr("%n image(s) in Results: select one and Apply it (Ctrl+Z takes it back).", nullptr, n));
    if (job.params.mode == pipeline::Mode::TextToImage && anyMasked(m_doc->mask()))
        m_prompt->showFeedback(m_prompt->feedbackText() + QLatin1Char(' ') +
                                   tr("The mask played no part: choose Inpaint to repaint only the masked area."),
                               PromptPanel::Feedback::Warning);
}

}  // namespace unclip::ui
