// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the docks (Prompt, History, Results and the embedding panels, each scrolling
// inside its dock), the status bar, and what the inference controller reports into them.
#include "ui/mainwindow/mainwindow.h"

#include "ui/canvas/frametool.h"
#include "ui/common/icons.h"
#include "ui/common/retranslator.h"
#include "ui/document/document.h"
#include "ui/inference/inferencecontroller.h"
#include "ui/panels/embeddingpanels.h"
#include "ui/panels/promptpanel.h"
#include "ui/panels/resultspanel.h"
#include "ui/settings/appsettings.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QScrollArea>
#include <QStatusBar>
#include <QTimer>
#include <QUndoView>

namespace unclip::ui {

QDockWidget* MainWindow::addPanel(QWidget* widget, const QString& title, const QString& objectName,
                                  Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    // Panels scroll inside their dock rather than asking for more room than a small screen has
    // (a dock's minimum size is then the scroll area's, and the window never grows by itself).
    if (qobject_cast<QAbstractScrollArea*>(widget) || widget->property("scrollsItself").toBool()) {
        dock->setWidget(widget);  // scrolls already (the History list, the Prompt panel's fields)
    } else {
        auto* scroll = new QScrollArea(dock);
        scroll->setObjectName(objectName + QStringLiteral("Scroll"));
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(widget);
        dock->setWidget(scroll);
    }
    // The dock's title follows its panel's window title, which panels keep translated.
    if (widget->windowTitle().isEmpty()) widget->setWindowTitle(title);
    else dock->setWindowTitle(widget->windowTitle());
    connect(widget, &QWidget::windowTitleChanged, dock, &QDockWidget::setWindowTitle);
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createDocks() {
    m_prompt = new PromptPanel(action("generate"), action("cancel"), this);
    QDockWidget* promptDock = addPanel(m_prompt, tr("Prompt"), "promptDock", Qt::RightDockWidgetArea);
    m_history = new QUndoView(m_doc->undoStack(), this);
    m_history->setObjectName("history");
    m_rt->add([this] {
        m_history->setWindowTitle(tr("History"));
        m_history->setEmptyLabel(tr("<Original picture>"));
        m_history->doItemsLayout();  // the steps' names changed in place: no model signal says so
    });
    m_history->setCleanIcon(themedIcon("document-save"));
    m_history->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_history, &QWidget::customContextMenuRequested, this, &MainWindow::showHistoryMenu);
    QDockWidget* historyDock = addPanel(m_history, tr("History"), "historyDock", Qt::RightDockWidgetArea);
    splitDockWidget(promptDock, historyDock, Qt::Vertical);
    m_results = new ResultsPanel(this);
    addPanel(m_results, tr("Results"), "resultsDock", Qt::BottomDockWidgetArea);
    connect(m_results, &ResultsPanel::applyRequested, this, &MainWindow::applyResult);
    connect(m_results, &ResultsPanel::upscaleRequested, this, &MainWindow::upscaleCandidate);
    // The generation frame: shown for the modes that use it, with the selected result inside.
    connect(m_results, &ResultsPanel::currentResultChanged, this, &MainWindow::previewResultInFrame);
    connect(m_prompt, &PromptPanel::modeChanged, this, &MainWindow::updateFrameShown);
    connect(m_doc, &Document::generationFrameChanged, this, &MainWindow::updateFrameShown);
    connect(m_doc, &Document::contentReset, this, [this] { previewResultInFrame(-1); });
    connect(m_inference, &InferenceController::modelImageSize, m_canvas->frameTool(), &FrameTool::setModelSize);
    // The family's steps, guidance and sizes (Kandinsky 2.2: output size, no super-resolution).
    connect(m_inference, &InferenceController::modelInfo, m_prompt, &PromptPanel::setModelInfo);
    m_canvas->frameTool()->setContext(settings::frameContext());
    updateFrameShown();
    // The Prompt panel's device/precision are the model settings (as in Settings): saved, and the
    // model reloads before the next job.
    connect(m_prompt, &PromptPanel::modelOptionsChanged, this, [this](const QString& device, const QString& precision) {
        ModelSettings s = settings::modelSettings();
        s.device = device;
        s.precision = precision;
        settings::setModelSettings(s);
        m_inference->setModelSettings(s);
        statusBar()->showMessage(tr("The model will run on %1 in %2 from the next generation on").arg(device, precision), 4000);
    });
    // Variations, Interpolation, Text diff and Plots docks (ui/panels/embeddingpanels.h).
    PanelContext context;
    context.inference = m_inference;
    context.document = m_doc;
    context.results = m_results;
    context.baseParams = [this] { return m_prompt->params(); };
    createEmbeddingPanels(
        this, context,
        [this](QWidget* w, const QString& title, const QString& name, Qt::DockWidgetArea area) {
            return addPanel(w, title, name, area);
        },
        [this](const QString& text) { statusBar()->showMessage(text, 5000); });
}

void MainWindow::createStatusBar() {
    m_stageLabel = new QLabel(this);
    m_stageLabel->setObjectName("stageLabel");
    m_stepLabel = new QLabel(this);
    m_stepLabel->setObjectName("stepLabel");
    m_timeLabel = new QLabel(this);
    m_timeLabel->setObjectName("timeLabel");
    m_timeLabel->setToolTip(tr("Time since the job started, and an estimate of what is left"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName("progress");
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    m_positionLabel = new QLabel(this);
    m_positionLabel->setMinimumWidth(80);
    m_sizeLabel = new QLabel(this);
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setObjectName("zoomLabel");
    m_zoomLabel->setMinimumWidth(56);
    m_zoomLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName("modelLabel");
    statusBar()->addPermanentWidget(m_modelLabel);
    statusBar()->addPermanentWidget(m_stageLabel);
    statusBar()->addPermanentWidget(m_stepLabel);
    statusBar()->addPermanentWidget(m_timeLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_positionLabel);
    statusBar()->addPermanentWidget(m_sizeLabel);
    statusBar()->addPermanentWidget(m_zoomLabel);
    statusBar()->showMessage(tr("Ready"), 3000);
}

void MainWindow::connectInference() {
    connect(m_inference, &InferenceController::modelLoading, this, [this](const QString& dir) {
        m_stageLabel->setText(tr("Loading model…"));
        m_prompt->showProgress(tr("Loading the model…"), 0, 0);
        m_stepLabel->clear();
        statusBar()->showMessage(tr("Loading the model from %1…").arg(QDir::toNativeSeparators(dir)));
    });
    connect(m_inference, &InferenceController::modelLoaded, this, [this](const QString& summary) {
        m_lastLoadError.clear();
        m_stageLabel->clear();
        statusBar()->showMessage(tr("Model loaded: %1").arg(summary), 5000);
        m_modelLabel->setToolTip(summary);
    });
    // Which family is loaded stays in view (Kandinsky 2.2 and Karlo offer different controls).
    connect(m_inference, &InferenceController::modelInfo, this, [this](const ModelInfo& info) {
        m_modelLabel->setText(info.title.isEmpty() || info.imageSize <= 0
                                  ? info.title
                                  : tr("%1, %2 px").arg(info.title).arg(info.imageSize));
    });
    connect(m_inference, &InferenceController::modesUnavailable, m_prompt, &PromptPanel::setUnavailableModes);
    connect(m_inference, &InferenceController::modelLoadFailed, this, [this](const QString& message) {
        m_lastLoadError = message;
        m_modelLabel->clear();
        m_modelLabel->setToolTip({});
        m_stageLabel->setText(tr("No model"));
        statusBar()->showMessage(message);
        m_prompt->showFeedback(tr("The model could not be loaded: check the model folder in Settings (Ctrl+,)"),
                               PromptPanel::Feedback::Warning);
        showMessage(tr("Cannot load the model"), message, true);
    });
    connect(m_inference, &InferenceController::jobStarted, this, [this](int id) {
        if (const GenerationJob* job = m_inference->job(id)) m_clock.start(job->params);
        m_timeLabel->setText(m_clock.text());
        m_stageLabel->setText(tr("Starting…"));
        m_progress->setRange(0, 0);
        m_prompt->showProgress(tr("Starting… %1").arg(m_clock.text()), 0, 0);
    });
    connect(m_inference, &InferenceController::progress, this, &MainWindow::onProgress);
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (!m_timeLabel->text().isEmpty()) m_timeLabel->setText(m_clock.text());
    });
    // The status bar and the failure dialog follow every job (the whole queue shares one thread);
    // the Prompt dock's own jobs report to it through their handles (watchPromptJob) first.
    connect(m_inference, &InferenceController::jobFailed, this, [this](int, const QString& message) {
        if (message == m_lastLoadError) return;  // already shown
        statusBar()->showMessage(tr("Generation failed: %1").arg(message));
        showMessage(tr("Generation failed"), message, true);
    });
    connect(m_inference, &InferenceController::jobCancelled, this,
            [this](int) { statusBar()->showMessage(tr("Generation cancelled"), 4000); });
    connect(m_inference, &InferenceController::busyChanged, this, &MainWindow::onBusyChanged);
}

}  // namespace unclip::ui
