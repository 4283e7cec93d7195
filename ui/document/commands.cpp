// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/commands.h"

#include "ui/common/qtcv.h"

namespace unclip::ui {

PatchCommand::PatchCommand(Document* doc, Layer layer, Patch before, Patch after, HistoryTitle title, bool stroke,
                           QUndoCommand* parent)
    : TitledCommand(std::move(title), parent), m_doc(doc), m_layer(layer), m_before(std::move(before)),
      m_after(std::move(after)), m_stroke(stroke), m_lastTime(doc->now()) {
    m_before.moveTo(doc->history());
    m_after.moveTo(doc->history());
}

namespace {
QString historyReadError(const Document* doc) {
    const QString file = doc->history().scratchPath();
    return QCoreApplication::translate("PatchCommand", "This undo step could not be read back from the history file %1; "
                                                       "the picture was left as it is.")
        .arg(file);
}
}  // namespace

void PatchCommand::undo() {
    if (!m_before.apply(m_doc->layerForWriting(m_layer))) m_doc->reportHistoryError(historyReadError(m_doc));
    m_doc->notifyChanged(m_layer, m_before.rect());
}

void PatchCommand::redo() {
    if (!m_after.apply(m_doc->layerForWriting(m_layer))) m_doc->reportHistoryError(historyReadError(m_doc));
    m_doc->notifyChanged(m_layer, m_after.rect());
}

bool PatchCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const PatchCommand*>(other);
    if (!o || !m_stroke || !o->m_stroke || o->m_layer != m_layer || o->m_doc != m_doc) return false;
    const int window = m_doc->strokeMergeWindowMs();
    if (window <= 0 || o->m_lastTime - m_lastTime > window || o->m_lastTime < m_lastTime) return false;
    const QRect a = m_before.rect(), b = o->m_before.rect();
    const QRect u = a | b;
    // Far-apart strokes would make one huge patch; keep them separate.
    const qint64 area = qint64(u.width()) * u.height();
    if (area > 4 * (qint64(a.width()) * a.height() + qint64(b.width()) * b.height()) + 256 * 256) return false;
    // The document now holds the state after both strokes; outside both rectangles it is
    // unchanged, inside it was `other.before` and, earlier still, `this.before`.
    const QImage& layer = m_doc->layer(m_layer);
    QImage before = layer.copy(u);
    blitImage(before, o->m_before.toImage(), b.topLeft() - u.topLeft());
    blitImage(before, m_before.toImage(), a.topLeft() - u.topLeft());
    m_before = Patch::fromImage(before, u.topLeft());
    m_after = Patch::capture(layer, u);
    m_before.moveTo(m_doc->history());
    m_after.moveTo(m_doc->history());
    m_lastTime = o->m_lastTime;
    setTitle([] { return tr("Brush strokes"); });
    return true;
}

QUndoCommand* makeLayerEdit(Document* doc, Layer layer, const QRect& rect, HistoryTitle title,
                            const std::function<void(QImage& layer)>& edit) {
    const QRect r = rect.intersected(QRect(QPoint(0, 0), doc->size()));
    if (r.isEmpty()) return nullptr;
    Patch before = Patch::capture(doc->layer(layer), r);
    const QImage beforePixels = doc->layer(layer).copy(r);
    QImage& target = doc->layerForWriting(layer);
    edit(target);
    if (target.copy(r) == beforePixels) return nullptr;
    Patch after = Patch::capture(target, r);
    doc->notifyChanged(layer, r);
    return new PatchCommand(doc, layer, std::move(before), std::move(after), std::move(title));
}

ApplyGenerationCommand::ApplyGenerationCommand(Document* doc, Patch before, Patch after, const QJsonValue& recipe,
                                               HistoryTitle title)
    : PatchCommand(doc, Layer::Image, std::move(before), std::move(after), std::move(title)), m_doc(doc),
      m_recipe(recipe) {}

void ApplyGenerationCommand::undo() {
    PatchCommand::undo();
    if (!m_recipe.isUndefined() && !m_recipe.isNull()) m_doc->removeLastRecipe();
}

void ApplyGenerationCommand::redo() {
    PatchCommand::redo();
    if (!m_recipe.isUndefined() && !m_recipe.isNull()) m_doc->appendRecipe(m_recipe);
}

ReplaceContentCommand::ReplaceContentCommand(Document* doc, const QImage& image, const QImage& mask,
                                             HistoryTitle title, const QJsonValue& recipe)
    : TitledCommand(std::move(title)), m_doc(doc), m_recipe(recipe) {
    const QImage newImage = toDocumentImage(image);
    const QImage newMask = (mask.isNull() || mask.size() != newImage.size()) ? Document::blankMask(newImage.size())
                                                                              : toDocumentMask(mask);
    m_oldImage = Patch::capture(doc->image(), doc->image().rect());
    m_oldMask = Patch::capture(doc->mask(), doc->mask().rect());
    m_newImage = Patch::capture(newImage, newImage.rect());
    m_newMask = Patch::capture(newMask, newMask.rect());
    for (Patch* p : {&m_oldImage, &m_oldMask, &m_newImage, &m_newMask}) p->moveTo(doc->history());
}

void ReplaceContentCommand::show(const Patch& image, const Patch& mask) {
    const QImage img = image.toImage(), msk = mask.toImage();
    if (img.isNull() || msk.isNull()) {
        m_doc->reportHistoryError(tr("This undo step could not be read back from the history file %1; "
                                     "the picture was left as it is.")
                                      .arg(m_doc->history().scratchPath()));
        return;
    }
    m_doc->replaceContent(img, msk);
}

void ReplaceContentCommand::undo() {
    show(m_oldImage, m_oldMask);
    if (!m_recipe.isUndefined() && !m_recipe.isNull()) m_doc->removeLastRecipe();
}

void ReplaceContentCommand::redo() {
    show(m_newImage, m_newMask);
    if (!m_recipe.isUndefined() && !m_recipe.isNull()) m_doc->appendRecipe(m_recipe);
}

QJsonObject recipeOf(const QUndoCommand* command) {
    if (const auto* c = dynamic_cast<const ApplyGenerationCommand*>(command)) return c->recipe().toObject();
    if (const auto* c = dynamic_cast<const ReplaceContentCommand*>(command)) return c->recipe().toObject();
    return {};
}

}  // namespace unclip::ui
