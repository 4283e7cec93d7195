// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Variations dock: an image (dropped, opened, pasted, the picture or a result), N variations
// in a grid, "vary this one again", and the structure-preserving strength (0 = free variations,
// 1 = the input's layout through DDIM inversion). Apply puts the selected one into the picture
// as one undo step. While a run goes, the grid holds one placeholder cell per variation to come,
// showing the run's stage and step (and the first one the pipeline's live preview).
#include "ui/panels/embeddingpanel.h"

class QLabel;
class QListWidget;
class QPushButton;
class QSlider;

namespace unclip::ui {

class ImageSlot;

class VariationsPanel : public EmbeddingPanel {
    Q_OBJECT

public:
    // Grid items that stand for a variation still being made carry true under this role.
    static constexpr int kPlaceholderRole = Qt::UserRole + 2;

    explicit VariationsPanel(const PanelContext& context, QWidget* parent = nullptr);

    ImageSlot* source() const { return m_source; }
    int count() const { return int(m_results.size()); }
    const GenerationResult& result(int index) const { return m_results.at(index); }
    int currentIndex() const;
    void setCurrentIndex(int index);
    void setVariationCount(int n);
    void setStructure(double strength);  // 0..1
    double structure() const;
    // Whether a run's live preview is on display in the grid (its first cell).
    bool showingPreview() const { return m_previewShown; }

public Q_SLOTS:
    void generate();
    void applyCurrent();
    void varyAgain();

Q_SIGNALS:
    void resultsArrived(int count);

protected:
    void jobFinished(const GenerationJob& job, const GenerationOutput& output) override;
    void jobEnded(int id, const QString& error) override;
    void jobProgress(int id, const ProgressUpdate& update) override;
    void showEvent(QShowEvent* event) override;

private:
    // The grid as m_results (after a run, or when one ended without results).
    void fillGrid();
    // One placeholder cell per variation of the running job.
    void showPlaceholders(int count);
    // The placeholders' text and the first one's preview from m_progressState (only when shown).
    void updatePlaceholders();
    void updateButtons();
    // Caption and tip of grid cell i (from m_results[i]), in the current language.
    void nameItem(int i);

    ImageSlot* m_source;
    class QSpinBox* m_count;
    QSlider* m_structure;
    QLabel* m_structureValue;
    QPushButton* m_generate;
    QListWidget* m_grid;
    QPushButton* m_apply;
    QPushButton* m_again;
    QList<GenerationResult> m_results;
    int m_job = 0;  // the running job (0: none): the grid shows placeholders meanwhile
    ProgressUpdate m_progressState;
    QImage m_preview;             // the latest preview, turned into a pixmap when painted
    bool m_previewShown = false;  // whether m_preview is already in the first cell
};

}  // namespace unclip::ui
