// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The open document: an image and a mask of the same size, its undo stack, where it came from,
// and the recipes of the generations it contains. Every edit goes through an undo command.
#include "ui/document/historystore.h"

#include <QImage>
#include <QJsonArray>
#include <QObject>
#include <QRect>
#include <QString>

#include <functional>
#include <memory>

class QUndoStack;

namespace unclip::ui {

enum class Layer { Image, Mask };
struct OraForeignLayers;

class Document : public QObject {
    Q_OBJECT

public:
    explicit Document(QObject* parent = nullptr);

    // Replaces everything (new/open): image converted to RGBA8888, mask to Grayscale8 (a blank
    // mask when null or of another size); clears the undo stack and marks it clean.
    void reset(const QImage& image, const QImage& mask = {}, const QJsonArray& recipes = {});
    static QImage blankImage(const QSize& size, const QColor& color = Qt::white);
    static QImage blankMask(const QSize& size);

    QSize size() const { return m_image.size(); }
    bool isNull() const { return m_image.isNull(); }
    const QImage& image() const { return m_image; }
    const QImage& mask() const { return m_mask; }
    const QImage& layer(Layer l) const { return l == Layer::Image ? m_image : m_mask; }
    // Writable pixels for tools and commands; call notifyChanged() after writing.
    QImage& layerForWriting(Layer l) { return l == Layer::Image ? m_image : m_mask; }
    void notifyChanged(Layer l, const QRect& rect);
    // Swaps in a new image and mask of any size (used by undo commands that resize).
    void replaceContent(const QImage& image, const QImage& mask);

    QUndoStack* undoStack() const { return m_undo; }
    // Where undo commands keep their pixels (bounded memory, older steps spill to disk).
    HistoryStore& history() { return m_history; }
    const HistoryStore& history() const { return m_history; }
    // Undo commands call this when a step cannot be applied (its history could not be read back).
    void reportHistoryError(const QString& message) { Q_EMIT historyError(message); }

    // The .ora file this document is saved as ("" when never saved as .ora).
    QString filePath() const { return m_filePath; }
    void setFilePath(const QString& path);
    // The file it was opened from or saved to last (any format); used for titles and suggestions.
    QString sourcePath() const { return m_sourcePath; }
    void setSourcePath(const QString& path);
    QString displayName() const;

    // The generation frame the user placed (document pixels; it may reach outside the picture to
    // outpaint), or a null rectangle for the automatic frame around the mask. Like a selection it
    // is not an undo step; it is saved in .ora files. New, Open and a change of size reset it.
    QRect generationFrame() const { return m_frame; }
    void setGenerationFrame(const QRect& frame);

    const QJsonArray& recipes() const { return m_recipes; }
    void appendRecipe(const QJsonValue& recipe);
    // Another program's layers from an OpenRaster file, saved back unchanged below the picture
    // (ui/fileformats/oraformat.h); reset() drops them, Open sets them again.
    const std::shared_ptr<const OraForeignLayers>& foreignLayers() const { return m_foreign; }
    void setForeignLayers(std::shared_ptr<const OraForeignLayers> layers) { m_foreign = std::move(layers); }
    void removeLastRecipe();

    // Undo history: strokes made within this many milliseconds of the previous one merge into one
    // undo step (0 = every stroke is its own step). The clock is injectable for tests.
    int strokeMergeWindowMs() const { return m_mergeWindowMs; }
    void setStrokeMergeWindowMs(int ms) { m_mergeWindowMs = ms; }
    qint64 now() const;
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

Q_SIGNALS:
    void changed(unclip::ui::Layer layer, const QRect& rect);
    void contentReset();  // size or whole content changed
    void filePathChanged();
    void recipesChanged();
    void generationFrameChanged();
    void historyError(const QString& message);

private:
    QImage m_image;
    QImage m_mask;
    HistoryStore m_history;
    QUndoStack* m_undo;
    QString m_filePath;
    QString m_sourcePath;
    QJsonArray m_recipes;
    std::shared_ptr<const OraForeignLayers> m_foreign;
    QRect m_frame;
    int m_mergeWindowMs = 0;
    std::function<qint64()> m_clock;
};

}  // namespace unclip::ui
