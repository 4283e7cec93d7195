// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Interpolation dock: slots A and B (each an image or a text), a frame count, "Render frames"
// in the background, then a slider that scrubs instantly through the cached frames and, when it
// is released (or moved with the keyboard) between frames, renders that exact position. Smooth
// mode shares the noise across frames, so a position always gives the same frame. Apply puts the
// shown frame into the picture; Export writes the sequence as an animated GIF, a video or PNG
// frames. While frames render, the view shows the run's stage and step and the pipeline's live
// preview: for the whole sequence, or for the in-between position the slider was released at
// (at once, before the first step). After rendering, the CLIP similarity of every frame to A and B (and to their texts)
// goes to the Plots dock.
#include "ui/panels/embeddingpanel.h"
#include "ui/panels/framecache.h"

#include <QHash>
#include <QStringList>

class QCheckBox;
class QLabel;
class QMenu;
class QPushButton;
class QSlider;

namespace unclip::ui {

class ImageSlot;

class InterpolationPanel : public EmbeddingPanel {
    Q_OBJECT

public:
    static constexpr int kSliderUnits = 1000;  // slider value = position * kSliderUnits

    explicit InterpolationPanel(const PanelContext& context, QWidget* parent = nullptr);

    ImageSlot* slotA() const { return m_a; }
    ImageSlot* slotB() const { return m_b; }
    QSlider* slider() const { return m_slider; }
    const FrameCache& cache() const { return m_cache; }
    QList<int> sequence() const { return m_sequence; }  // slider positions of the rendered frames
    void setFrameCount(int frames);
    int frameCount() const;
    // The frame on display and the cached position it belongs to (-1: none).
    QImage currentFrame() const { return m_shownImage; }
    int shownPosition() const { return m_shownPosition; }
    bool showingExact() const { return m_shownExact; }
    // The slider position whose frame the view says is being rendered (-1: none), and whether the
    // view holds that render's live preview.
    int renderingPosition() const;
    bool showingPreview() const { return m_previewShown; }
    // Number of pipeline runs this panel started (sequence, exact frames, similarity).
    int runsStarted() const { return m_runs; }

    // CLIP similarity of each sequence frame to the endpoints (images) and their texts. A series
    // keeps what it compares with, not its translated name, so legends follow a language switch.
    struct Similarity {
        QList<double> positions;       // one per frame, in [0, 1]
        QList<bool> endpointB;         // per series: compares with B (otherwise with A)
        QList<bool> textSeries;        // per series: compares with a text (otherwise with the image)
        QStringList texts;             // per series: that text ("" for image series)
        QList<QList<double>> values;   // [series][frame]
        // A series' legend entry in the current language: "A (image)", "B: “a dog”".
        QString name(int series) const;
    };
    const Similarity& similarity() const { return m_similarity; }

    bool exportGif(const QString& path, QString* error) const;
    bool exportVideo(const QString& path, QString* error) const;
    bool exportPngFrames(const QString& folder, QString* error) const;
    bool exportCurrentFrame(const QString& path, QString* error) const;

public Q_SLOTS:
    void renderFrames();
    void applyFrame();

Q_SIGNALS:
    void sequenceReady();
    void frameShown(int position, bool exact);
    void exactFrameReady(int position);
    void similarityChanged();
    void sliderPositionChanged(double position);

protected:
    void jobFinished(const GenerationJob& job, const GenerationOutput& output) override;
    void jobEnded(int id, const QString& error) override;
    void jobProgress(int id, const ProgressUpdate& update) override;
    void showEvent(QShowEvent* event) override;

private:
    void onSliderValue(int value);
    void showNearest(int value);
    void showExact(int value);
    void display(int position, bool exact);
    void requestExact(int value);
    // The running job whose frame the view should follow (0: none) and its progress on display.
    int renderJobOnDisplay() const;
    void updateRenderView();
    void submitScore();
    QList<QImage> sequenceFrames() const;
    void updateButtons();
    void updateStrip();
    void exportGifDialog();
    void exportVideoDialog();
    void exportPngFramesDialog();
    void exportFrameDialog();

    ImageSlot* m_a;
    ImageSlot* m_b;
    class QSpinBox* m_frames;
    QCheckBox* m_smooth;
    QPushButton* m_render;
    QLabel* m_view;
    QLabel* m_caption;
    QLabel* m_strip;  // every rendered frame in a row, the one on display framed
    QSlider* m_slider;
    QPushButton* m_apply;
    QPushButton* m_export;
    QMenu* m_exportMenu;
    QAction* m_exportGif;
    QAction* m_exportVideo;
    QAction* m_exportPngs;
    QAction* m_exportFrame;
    class QSpinBox* m_fps;

    GenerationJob m_template;  // the render's endpoints and settings; exact frames reuse it
    bool m_haveTemplate = false;
    FrameCache m_cache;
    QList<int> m_sequence;
    int m_sequenceJob = 0;
    int m_scoreJob = 0;
    Similarity m_scoreSeries;  // the series the running score job computes (no values yet)
    QHash<int, int> m_exactJobs;  // job id -> slider position
    QHash<int, ProgressUpdate> m_progressOf;  // running job -> its last stage and step (no preview)
    QImage m_preview;                // the latest preview of m_previewJob, a pixmap only when painted
    int m_previewJob = 0;
    bool m_previewShown = false;     // whether the view holds m_preview
    QImage m_shownImage;
    int m_shownPosition = -1;
    bool m_shownExact = false;
    int m_runs = 0;
    Similarity m_similarity;
};

}  // namespace unclip::ui
