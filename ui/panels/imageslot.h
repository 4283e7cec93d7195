// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One input of an embedding tool: an image (dropped, opened from a file, pasted from the
// clipboard, taken from the current document or from the selected / dragged result thumbnail)
// or, where the pipeline allows, a text. Keyboard: Ctrl+V pastes while the slot has focus, and
// every source has a button with a mnemonic.
#include "ui/panels/panelcontext.h"

#include <QFrame>
#include <QImage>

class QLabel;
class QLineEdit;
class QMimeData;
class QTimer;
class QToolButton;

namespace unclip::ui {

// Item data role under which thumbnail lists keep the full image, so their drags carry it.
inline constexpr int kFullImageRole = Qt::UserRole + 1;

class ImageSlot : public QFrame {
    Q_OBJECT

public:
    ImageSlot(const PanelContext& context, bool allowText, QWidget* parent = nullptr);

    QImage image() const { return m_image; }  // RGBA8888, or null
    QString text() const;                     // "" when an image is set or text is not allowed
    bool hasImage() const { return !m_image.isNull(); }
    bool isEmpty() const { return !hasImage() && text().isEmpty(); }
    // Given the document's picture: the slot follows it as it is edited.
    bool followsDocument() const { return m_live; }
    QString title() const { return m_titleText; }
    void setTitle(const QString& title);
    // A short description for plot legends: "image" or the text in quotes.
    QString describe() const;

    void setImage(const QImage& image);
    void setText(const QString& text);
    bool loadFile(const QString& path);  // false (and message()) when it cannot be read

public Q_SLOTS:
    void openFile();
    void paste();
    void useDocument();
    void useResult();
    void clear();

Q_SIGNALS:
    void changed();
    void message(const QString& text);

protected:
    bool event(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void refresh();
    bool takeMime(const QMimeData* mime, QObject* source, bool apply);

    PanelContext m_context;
    bool m_allowText;
    QString m_titleText;
    QImage m_image;
    QLabel* m_title;
    QLabel* m_thumb;
    QLineEdit* m_text = nullptr;
    QToolButton* m_open;
    QToolButton* m_paste;
    QToolButton* m_document;
    QToolButton* m_result;
    QToolButton* m_clear;
    QTimer* m_liveTimer = nullptr;
    bool m_live = false;
};

}  // namespace unclip::ui
