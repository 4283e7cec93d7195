// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Results dock: a thumbnail strip of generated images (with a live preview while a job runs);
// Apply (or double-click) puts the selected one into the document. Quick candidates (small decoder
// pictures) carry an Upscale button instead: double-click or Upscale asks for the full-size picture.
#include "ui/document/applyresult.h"

#include <QList>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace unclip::ui {

class ResultsPanel : public QWidget {
    Q_OBJECT

public:
    explicit ResultsPanel(QWidget* parent = nullptr);

    void addResult(const GenerationResult& result);
    int count() const { return int(m_results.size()); }
    const GenerationResult& result(int index) const { return m_results.at(index); }
    int currentIndex() const;
    static bool isCandidate(const GenerationResult& result);
    void setCurrentIndex(int index);
    void showPreview(const QImage& preview, const QString& caption);
    void clearPreview();

public Q_SLOTS:
    void applyCurrent();
    // Quick candidates: asks for the full-size version of the selected candidate.
    void upscaleCurrent();
    void removeCurrent();
    void clear();

Q_SIGNALS:
    void applyRequested(const unclip::ui::GenerationResult& result);
    void upscaleRequested(const unclip::ui::GenerationResult& candidate);
    // The selected result changed (-1: none), e.g. to preview it inside its frame on the canvas.
    void currentResultChanged(int index);

private:
    void updateButtons();
    void activate();
    QString labelFor(const GenerationResult& result) const;
    static QString tipFor(const GenerationResult& result);  // the mode and the recipe's parameters

    QListWidget* m_list;
    QLabel* m_preview;
    QLabel* m_previewCaption;
    QPushButton* m_apply;
    QPushButton* m_upscale;
    QPushButton* m_remove;
    QPushButton* m_clear;
    QList<GenerationResult> m_results;
};

}  // namespace unclip::ui
