#pragma once
// The editor window: menus and tool bars sharing QActions with standard shortcuts, the canvas,
// docks (Prompt, Results, History; more panels plug into View > Panels), the status bar with
// generation progress, and everything persisted in QSettings.
#include "ui/canvas/canvas.h"
#include "ui/document/applyresult.h"

#include <QHash>
#include <QMainWindow>

class QDockWidget;
class QLabel;
class QMenu;
class QMessageBox;
class QProgressBar;
class QSlider;
class QSpinBox;
class QUndoView;

namespace unclip::ui {

class Document;
class InferenceController;
class PromptPanel;
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
    void newDocument(const QSize& size, const QColor& background = Qt::white);
    void pasteImage(const QImage& image);
    // Asks to save unsaved changes; false when the user cancels.
    bool maybeSave();

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

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QAction* makeAction(const QString& name, const QString& text, const QString& icon,
                        const QList<QKeySequence>& shortcuts, const QString& tip = {});
    void createActions();
    void createMenus();
    void createToolBars();
    void createDocks();
    void createStatusBar();
    QDockWidget* addPanel(QWidget* widget, const QString& title, const QString& objectName, Qt::DockWidgetArea area);
    void connectInference();
    void readSettings();
    void writeSettings();
    void updateTitle();
    void updateRecentMenu();
    void updateZoomLabel(double zoom);
    void showMessage(const QString& title, const QString& text, bool error);
    void onJobFinished(const unclip::ui::GenerationJob& job, const unclip::ui::GenerationOutput& output);
    void onProgress(int id, const unclip::ui::ProgressUpdate& update);
    void onBusyChanged(bool busy);
    void setTool(Tool tool);

    Document* m_doc;
    Canvas* m_canvas;
    InferenceController* m_inference;
    PromptPanel* m_prompt = nullptr;
    ResultsPanel* m_results = nullptr;
    QUndoView* m_history = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_panelsMenu = nullptr;
    QHash<QString, QAction*> m_actions;
    QSpinBox* m_brushSize = nullptr;
    QSlider* m_hardness = nullptr;
    QLabel* m_stageLabel = nullptr;
    QLabel* m_stepLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_zoomLabel = nullptr;
    QLabel* m_positionLabel = nullptr;
    QLabel* m_sizeLabel = nullptr;
    QMessageBox* m_lastBox = nullptr;
    QString m_lastLoadError;
    bool m_askBeforeDiscarding = true;
};

}  // namespace unclip::ui
