// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/document.h"

#include "ui/common/qtcv.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QUndoStack>

namespace unclip::ui {

Document::Document(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this)) {}

QImage Document::blankImage(const QSize& size, const QColor& color) {
    QImage img(size, QImage::Format_RGBA8888);
    img.fill(color);
    return img;
}

QImage Document::blankMask(const QSize& size) {
    QImage m(size, QImage::Format_Grayscale8);
    m.fill(0);
    return m;
}

void Document::reset(const QImage& image, const QImage& mask, const QJsonArray& recipes) {
    m_undo->clear();
    m_image = toDocumentImage(image);
    m_mask = (mask.isNull() || mask.size() != m_image.size()) ? blankMask(m_image.size()) : toDocumentMask(mask);
    // Own the pixels: tools write through raw views, so nothing else may share them.
    m_image.detach();
    m_mask.detach();
    m_recipes = recipes;
    m_foreign.reset();
    m_undo->setClean();
    setGenerationFrame(QRect());
    Q_EMIT contentReset();
    Q_EMIT recipesChanged();
}

void Document::setGenerationFrame(const QRect& frame) {
    const QRect f = frame.isValid() ? frame : QRect();
    if (f == m_frame) return;
    m_frame = f;
    Q_EMIT generationFrameChanged();
}

void Document::replaceContent(const QImage& image, const QImage& mask) {
    // A frame placed on a picture of another size no longer means the same place.
    if (image.size() != m_image.size()) setGenerationFrame(QRect());
    m_image = toDocumentImage(image);
    m_mask = (mask.isNull() || mask.size() != m_image.size()) ? blankMask(m_image.size()) : toDocumentMask(mask);
    m_image.detach();
    m_mask.detach();
    Q_EMIT contentReset();
}

void Document::notifyChanged(Layer l, const QRect& rect) {
    const QRect r = rect.intersected(QRect(QPoint(0, 0), size()));
    if (!r.isEmpty()) Q_EMIT changed(l, r);
}

void Document::setFilePath(const QString& path) {
    if (m_filePath == path) return;
    m_filePath = path;
    if (!path.isEmpty()) m_sourcePath = path;
    Q_EMIT filePathChanged();
}

void Document::setSourcePath(const QString& path) {
    if (m_sourcePath == path) return;
    m_sourcePath = path;
    Q_EMIT filePathChanged();
}

QString Document::displayName() const {
    if (m_sourcePath.isEmpty()) return QCoreApplication::translate("Document", "Untitled");
    return QFileInfo(m_sourcePath).fileName();
}

void Document::appendRecipe(const QJsonValue& recipe) {
    m_recipes.append(recipe);
    Q_EMIT recipesChanged();
}

void Document::removeLastRecipe() {
    if (m_recipes.isEmpty()) return;
    m_recipes.removeLast();
    Q_EMIT recipesChanged();
}

qint64 Document::now() const {
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

}  // namespace unclip::ui
