// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The editor window: menus and tool bars sharing QActions with standard shortcuts, the canvas,
// docks (Prompt, Results, History; more panels plug into View > Panels), the status bar with
// generation progress, and everything persisted in QSettings.
#include "ui/canvas/canvas.h"
#include "ui/document/applyresult.h"
#include "ui/document/canvasresize.h"
#include "ui/inference/progressclock.h"

#include <QHash>
#include <QMainWindow>

#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;
class QProgressBar;
class QSlider;
class QSpinBox;
class QTimer;
class QUndoView;

namespace unclip::ui {

class AutosaveSession;
class BackgroundSaver;
class Document;
class InferenceController;
class JobHandle;
struct OrphanedAutosave;
struct SaveOutcome;
class PromptPanel;
class Retranslator;
class ResultsPanel;
struct GenerationJob;
struct GenerationOutput;
struct ProgressUpdate;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // controller: the inference to use (tests pass one with a fake backend); nullptr creates the
    // default one, owned by the window.
    explicit MainWindow(InferenceController* controller = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    Document* document() const { return m_doc; }
    Canvas* canvas() const { return m_canvas; }
    PromptPanel* promptPanel() const { return m_prompt; }
    ResultsPanel* resultsPanel() const { return m_results; }
    InferenceController* inference() const { return m_inference; }
    // Actions by name: "new", "open", "save", "saveAs", "exportPng", "quit", "undo", "redo", "paste",
    // "zoomIn", "zoomOut", "zoomFit", "zoomActual", "brush", "eraser", "rectangle", "invertMask",
    // "clearMask", "fillMask", "brushBigger", "brushSmaller", "showMask", "generate", "cancel",
    // "settings", "about".
    QAction* action(const QString& name) const { return m_actions.value(name); }
    // The last error or information box (non-modal), for tests.
    QMessageBox* lastMessageBox() const { return m_lastBox; }
    void setAskBeforeDiscarding(bool ask) { m_askBeforeDiscarding = ask; }

    // The one path every way of opening goes through: File > Open, recent files, drag and drop,
    // the command line. Shows an error and keeps the current document on failure.
    bool openFile(const QString& path);
    bool saveTo(const QString& path);  // .ora
    bool exportPngTo(const QString& path);
    // Save As to a flat format: .png (with the recipes), .jpg/.jpeg (on white) or .webp; another
    // suffix shows why not. The document stays as it was (not marked saved: the mask is not kept).
    bool exportImageTo(const QString& path);
    void newDocument(const QSize& size, const QColor& background = Qt::white);
    void pasteImage(const QImage& image);
    // Grows (or crops, negative margins) the canvas as one undo step; false with a message when the
    // size is impossible.
    bool resizeCanvasTo(const QMargins& margins, CanvasFill fill, bool maskNewArea);
    // Asks to save unsaved changes; false when the user cancels.
    bool maybeSave();

    // Saving in the background (docs/reliability.md): startSave() snapshots the document, shows
    // "Saving…" and returns at once (false when it could not start); the result arrives as
    // saveFinished(). saveTo() waits for it. A failed save leaves the file on disk as it was; the
    // previous version is kept as "<name>.ora~".
    bool startSave(const QString& path);
    bool isSaving() const;
    void waitForSave();
    AutosaveSession* autosave() const { return m_autosave; }
    // Offers the autosaves of editors that did not exit cleanly, one after another (Recover /
    // Discard / Later; the box is window-modal and returns at once). runEditor() calls it at start.
    void offerRecovery();
    QMessageBox* recoveryBox() const { return m_recoveryBox; }

Q_SIGNALS:
    void saveFinished(const QString& path, bool ok);

public Q_SLOTS:
    void newFile();
    void open();
    bool save();
    bool saveAs();
    void exportPng();
    void paste();
    void generate();
    void cancelGeneration();
    void showSettings();
    void about();
    void applyResult(const unclip::ui::GenerationResult& result);
    void upscaleCandidate(const unclip::ui::GenerationResult& candidate);
    void canvasSize();
    // Puts a recipe's parameters into the Prompt panel (seed locked); run: and generates.
    bool loadRecipe(const QJsonObject& recipe, bool run);
    // Switches the user interface language now ("" = system locale).
    void setLanguage(const QString& code);

    // View > Reset Layout: the docks back where a first start puts them.
    void resetLayout();

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    // Saving and recovery (mainwindow_saving.cpp).
    QString askSaveAsPath();
    // .ora: a background save; .png/.jpg/.webp: a flat copy of the picture (exportImageTo).
    bool saveAsChosen(const QString& path);
    void copyImage();
    void toggleFullScreen(bool on);
    void showHelp();
    void swapBrushAndEraser();
    // File > Keyboard Shortcuts (ui/mainwindow/shortcutsdialog.h); saved keys apply at start.
    QList<QAction*> menuActionList() const;
    void applySavedShortcuts();
    void editShortcuts();
    void finishSave(const QString& path, quint64 serial, const SaveOutcome& outcome);
    void applyAutosaveSettings();
    void showNextRecovery();
    void recoverAutosave(const std::shared_ptr<OrphanedAutosave>& orphan);

private:
    // The action table and its helpers (mainwindow_actions.cpp); menus and tool bars
    // (mainwindow_menus.cpp); docks, status bar and inference signals (mainwindow_docks.cpp).
    QAction* makeAction(const QString& name, const QString& text, const QString& icon,
                        const QList<QKeySequence>& shortcuts, const QString& tip = {});
    // Same, with source strings (QT_TR_NOOP) that are translated again when the language changes.
    QAction* makeAction(const QString& name, const char* text, const QString& icon,
                        const QList<QKeySequence>& shortcuts, const char* tip = nullptr);
    // A source-string text with an already translated tip would not retranslate: refuse to compile.
    QAction* makeAction(const QString& name, const char* text, const QString& icon,
                        const QList<QKeySequence>& shortcuts, const QString& tip) = delete;
    QMenu* addMenu(QMenu* parent, const char* title);  // parent nullptr: the menu bar
    void createActions();
    void createMenus();
    void createToolBars();
    void createDocks();
    void createStatusBar();
    QDockWidget* addPanel(QWidget* widget, const QString& title, const QString& objectName, Qt::DockWidgetArea area);
    void connectInference();
    // Window geometry, dock layout and settings (mainwindow_layout.cpp).
    void readSettings();
    // Tells the Prompt dock the family of the model the settings name before it loads (it loads
    // before the first job), so the first job already has the family's steps and controls.
    void announceModelFamily(const ModelSettings& settings);
    void writeSettings();
    QString screenKey() const;  // the settings key of this screen's size, e.g. "1366x768"
    void fitToScreen();         // moves/shrinks the window into the available screen area
    void applyDefaultDockSizes();
    void updateTitle();
    void updateRecentMenu();
    void updateRecipesMenu();
    void showHistoryMenu(const QPoint& pos);
    void updateZoomLabel(double zoom);
    void showMessage(const QString& title, const QString& text, bool error);
    // Feedback in the Prompt panel (mainwindow_feedback.cpp): a refused action says why where it
    // was attempted; progress, time left and what to do next are shown under Generate.
    void refuse(const QString& why);
    void offerInpaintAfterMasking();
    void feedbackOnGenerate(const GenerationParams& params, const QString& started);
    void showProgressInPanel(const ProgressUpdate& update);
    void feedbackOnResults(const GenerationJob& job, const GenerationOutput& output);
    // The Prompt dock's own jobs (Generate, Upscale): preview, results and feedback from the job's handle.
    void watchPromptJob(unclip::ui::JobHandle* job);
    void onJobFinished(const unclip::ui::GenerationJob& job, const unclip::ui::GenerationOutput& output);
    void onProgress(int id, const unclip::ui::ProgressUpdate& update);
    void onBusyChanged(bool busy);
    void setTool(Tool tool);
    // The generation frame (ui/canvas/frametool.h): shown for the modes that use it; a selected
    // result drawn inside its frame until applied.
    void updateFrameShown();
    void previewResultInFrame(int index);

    Document* m_doc;
    Retranslator* m_rt = nullptr;
    Canvas* m_canvas;
    InferenceController* m_inference;
    PromptPanel* m_prompt = nullptr;
    ResultsPanel* m_results = nullptr;
    QUndoView* m_history = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_recipesMenu = nullptr;
    QMenu* m_panelsMenu = nullptr;
    QHash<QString, QAction*> m_actions;
    QSpinBox* m_brushSize = nullptr;
    QSlider* m_hardness = nullptr;
    QLabel* m_stageLabel = nullptr;
    QLabel* m_stepLabel = nullptr;
    QLabel* m_timeLabel = nullptr;
    QTimer* m_tick = nullptr;
    ProgressClock m_clock;
    QProgressBar* m_progress = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QLabel* m_positionLabel = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QLabel* m_modelLabel = nullptr;  // the loaded model's family and size (summary as tooltip)
    QMessageBox* m_lastBox = nullptr;
    AutosaveSession* m_autosave = nullptr;
    BackgroundSaver* m_saver = nullptr;
    QList<std::shared_ptr<OrphanedAutosave>> m_orphans;
    QMessageBox* m_recoveryBox = nullptr;
    bool m_lastSaveOk = false;
    QString m_lastLoadError;
    bool m_askBeforeDiscarding = true;
    QByteArray m_defaultLayout;  // the docks as created, for View > Reset Layout
    bool m_layoutRestored = false;
    bool m_shownOnce = false;
    bool m_wasMaximized = false;  // before full screen
    bool m_inpaintOffered = false;  // in the current mode
    QHash<QString, QList<QKeySequence>> m_defaultKeys;  // as created, for Reset in the shortcuts dialog
};

}  // namespace unclip::ui
