#pragma once
// The Results dock: a thumbnail strip of generated images (with a live preview while a job runs);
// Apply (or double-click) puts the selected one into the document.
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
    void setCurrentIndex(int index);
    void showPreview(const QImage& preview, const QString& caption);
    void clearPreview();

public Q_SLOTS:
    void applyCurrent();
    void removeCurrent();
    void clear();

Q_SIGNALS:
    void applyRequested(const unclip::ui::GenerationResult& result);

private:
    void updateButtons();

    QListWidget* m_list;
    QLabel* m_preview;
    QLabel* m_previewCaption;
    QPushButton* m_apply;
    QPushButton* m_remove;
    QPushButton* m_clear;
    QList<GenerationResult> m_results;
};

}  // namespace unclip::ui
