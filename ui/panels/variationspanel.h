// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Variations dock: an image (dropped, opened, pasted, the picture or a result), N variations
// in a grid, "vary this one again", and the structure-preserving strength (0 = free variations,
// 1 = the input's layout through DDIM inversion). Apply puts the selected one into the picture
// as one undo step.
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
    explicit VariationsPanel(const PanelContext& context, QWidget* parent = nullptr);

    ImageSlot* source() const { return m_source; }
    int count() const { return int(m_results.size()); }
    const GenerationResult& result(int index) const { return m_results.at(index); }
    int currentIndex() const;
    void setCurrentIndex(int index);
    void setVariationCount(int n);
    void setStructure(double strength);  // 0..1
    double structure() const;

public Q_SLOTS:
    void generate();
    void applyCurrent();
    void varyAgain();

Q_SIGNALS:
    void resultsArrived(int count);

protected:
    void jobFinished(const GenerationJob& job, const GenerationOutput& output) override;

private:
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
};

}  // namespace unclip::ui
