// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Text diff dock (DALL·E 2 "text diffs"): a description of the current image, a target
// description and the angle θ toward their difference; Preview renders in the background,
// Apply puts the preview into the picture as one undo step. θ = 0 is the image's own
// reconstruction (DDIM inversion and decoding without any change of embedding). While a preview
// renders, "After" shows the run's stage and step and the pipeline's live picture.
#include "ui/panels/embeddingpanel.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;

namespace unclip::ui {

class ImageSlot;

class TextDiffPanel : public EmbeddingPanel {
    Q_OBJECT

public:
    explicit TextDiffPanel(const PanelContext& context, QWidget* parent = nullptr);

    ImageSlot* source() const { return m_source; }
    void setDescription(const QString& text);
    void setTarget(const QString& text);
    void setTheta(double theta);  // 0..1
    double theta() const;
    QSlider* thetaSlider() const { return m_theta; }
    bool hasPreview() const { return !m_result.image.isNull(); }
    const GenerationResult& preview() const { return m_result; }

public Q_SLOTS:
    void renderPreview();
    void applyPreview();

Q_SIGNALS:
    void previewReady();

protected:
    void jobFinished(const GenerationJob& job, const GenerationOutput& output) override;
    void jobEnded(int id, const QString& error) override;
    void jobProgress(int id, const ProgressUpdate& update) override;
    void showEvent(QShowEvent* event) override;

private:
    // The running preview's stage and step (and live picture, when one came) under "After".
    void updateRendering();
    void updateButtons();
    void updateThetaLabel();
    void updateAfterCaption();

    ImageSlot* m_source;
    QLineEdit* m_description;
    QLineEdit* m_target;
    QSlider* m_theta;
    QLabel* m_thetaValue;
    QPushButton* m_preview;
    QLabel* m_before;
    QLabel* m_after;
    QLabel* m_afterCaption;
    QPushButton* m_apply;
    GenerationResult m_result;
    int m_job = 0;
    ProgressUpdate m_progressState;  // of m_job, without its picture
    QImage m_livePreview;            // the pipeline's latest preview, a pixmap only when painted
    bool m_livePreviewShown = false;
};

}  // namespace unclip::ui
