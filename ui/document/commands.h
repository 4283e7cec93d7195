// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Undo commands: every change to a document is one of these. Each is named by a HistoryTitle
// (ui/document/titledcommand.h), so the History dock follows a language switch.
#include "ui/document/document.h"
#include "ui/document/patch.h"
#include "ui/document/titledcommand.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>

namespace unclip::ui {

// Replaces a rectangle of one layer (brush strokes, mask fill/invert/clear, applied generations).
// Brush strokes made within the document's merge window of each other merge into one step.
class PatchCommand : public TitledCommand {
    Q_DECLARE_TR_FUNCTIONS(unclip::ui::PatchCommand)

public:
    enum { StrokeId = 0x55434c53 };

    PatchCommand(Document* doc, Layer layer, Patch before, Patch after, HistoryTitle title, bool stroke = false,
                 QUndoCommand* parent = nullptr);
    void undo() override;
    void redo() override;
    int id() const override { return m_stroke ? StrokeId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

    Layer layer() const { return m_layer; }
    QRect rect() const { return m_after.rect(); }
    qsizetype bytes() const { return m_before.bytes() + m_after.bytes(); }

private:
    Document* m_doc;
    Layer m_layer;
    Patch m_before, m_after;
    bool m_stroke;
    qint64 m_lastTime;
};

// Builds a PatchCommand from a function that edits `rect` of a layer in place: captures the
// pixels before, runs `edit`, captures after. Returns nullptr when nothing changed.
QUndoCommand* makeLayerEdit(Document* doc, Layer layer, const QRect& rect, HistoryTitle title,
                            const std::function<void(QImage& layer)>& edit);

// Puts a generated image into the document (a rectangle of the image layer) and records its recipe.
class ApplyGenerationCommand : public PatchCommand {
public:
    ApplyGenerationCommand(Document* doc, Patch before, Patch after, const QJsonValue& recipe, HistoryTitle title);
    void undo() override;
    void redo() override;
    QJsonValue recipe() const { return m_recipe; }

private:
    Document* m_doc;
    QJsonValue m_recipe;
};

// Replaces the whole content, possibly with another size (paste, results of another size).
class ReplaceContentCommand : public TitledCommand {
    Q_DECLARE_TR_FUNCTIONS(unclip::ui::ReplaceContentCommand)

public:
    ReplaceContentCommand(Document* doc, const QImage& image, const QImage& mask, HistoryTitle title,
                          const QJsonValue& recipe = {});
    void undo() override;
    void redo() override;
    QJsonValue recipe() const { return m_recipe; }

private:
    void show(const Patch& image, const Patch& mask);

    Document* m_doc;
    // Whole layers as compressed patches in the document's history store (not raw QImages: a
    // 4096 px document would otherwise cost 80 MB per step).
    Patch m_oldImage, m_oldMask, m_newImage, m_newMask;
    QJsonValue m_recipe;
};

// The recipe a history step applied (an empty object for steps that are not generations).
QJsonObject recipeOf(const QUndoCommand* command);

}  // namespace unclip::ui
