// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/applyresult.h"

#include "core/imaging/image_error.h"
#include "core/imaging/mask_ops.h"
#include "ui/common/qtcv.h"
#include "ui/document/canvasresize.h"
#include "ui/document/commands.h"
#include "ui/inference/recipe.h"

#include <QCoreApplication>
#include <QUndoStack>

namespace unclip::ui {

namespace {

constexpr int kMaxCanvasSide = 16384;  // as New and Canvas Size allow

// The messages' translation context ("ApplyResult", as lupdate files them).
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ApplyResult)
};

// The generated pixels at the frame's size (results of backends that return the whole picture at
// the model's size are enlarged here; framed results already have it).
QImage atFrameSize(const QImage& image, const QSize& size) {
    const QImage generated = toDocumentImage(image);
    if (generated.size() == size) return generated;
    return toQImage(imaging::resize_image(constMatView(generated), cv::Size(size.width(), size.height())));
}

// Writes `generated` (covering `frame`) into `canvas`, whose (0, 0) is at `origin` in frame
// coordinates' document space: where `only` is non-null, only its non-zero pixels are taken.
void paste(QImage& canvas, const QPoint& origin, const QImage& generated, const QRect& frame, const QImage& only,
           const QSize& oldSize) {
    for (int y = 0; y < frame.height(); ++y) {
        const int dy = frame.y() + y;  // document coordinates of the job
        auto* dst = reinterpret_cast<quint32*>(canvas.scanLine(dy + origin.y()));
        const auto* src = reinterpret_cast<const quint32*>(generated.constScanLine(y));
        const bool rowInside = dy >= 0 && dy < oldSize.height();
        const uchar* m = !only.isNull() && rowInside ? only.constScanLine(dy) : nullptr;
        for (int x = 0; x < frame.width(); ++x) {
            const int dx = frame.x() + x;
            const bool inside = rowInside && dx >= 0 && dx < oldSize.width();
            // Outside the old picture the frame's pixels are all new; inside, the mask decides.
            if (!inside || !m || m[dx]) dst[dx + origin.x()] = src[x];
        }
    }
}

// Puts `generated` into the document at `frame`, as one undo step: a patch when the frame lies in
// the picture, else a grown canvas (the new area outside the frame is masked, so the next Inpaint
// fills it). `mask` (the job's, the document's size) limits which pixels change inside the picture.
bool place(Document* doc, const QImage& generated, const QRect& frame, const QImage& mask, const QJsonObject& recipe,
           const HistoryTitle& title, QString* error) {
    const QRect picture(QPoint(0, 0), doc->size());
    if (picture.contains(frame)) {
        QImage after = doc->image().copy(frame);
        paste(after, -frame.topLeft(), generated, frame, mask, doc->size());
        doc->undoStack()->push(new ApplyGenerationCommand(doc, Patch::capture(doc->image(), frame),
                                                          Patch::fromImage(after, frame.topLeft()), recipe, title));
        return true;
    }
    const QRect all = picture.united(frame);
    const QMargins grow(-all.left(), -all.top(), all.right() - picture.right(), all.bottom() - picture.bottom());
    ResizedCanvas grown = resizeCanvas(doc->image(), doc->mask(), grow, CanvasFill::Edge, QColor(), true, kMaxCanvasSide);
    if (grown.image.isNull()) {
        *error = Text::tr("The frame would make the picture larger than %1 pixels on a side.").arg(kMaxCanvasSide);
        return false;
    }
    const QPoint origin(grow.left(), grow.top());
    paste(grown.image, origin, generated, frame, mask, doc->size());
    // The frame's new area is drawn now: no longer masked.
    const QRect fresh = frame.translated(origin);
    for (int y = fresh.top(); y <= fresh.bottom(); ++y) {
        uchar* m = grown.mask.scanLine(y);
        for (int x = fresh.left(); x <= fresh.right(); ++x)
            if (!picture.contains(QPoint(x, y) - origin)) m[x] = 0;
    }
    doc->undoStack()->push(new ReplaceContentCommand(doc, grown.image, grown.mask, title, recipe));
    return true;
}

}  // namespace

bool applyResult(Document* doc, const GenerationResult& r, QString* error) {
    if (r.image.isNull()) {
        *error = Text::tr("The result is empty.");
        return false;
    }
    const QJsonObject recipe = r.recipe;
    // The History dock's entry: "Inpaint: ‘a red hat’, seed 42", named again after a language switch.
    const HistoryTitle title = [params = r.params] { return paramsTitle(params); };
    try {
        if (r.params.mode == pipeline::Mode::Inpaint) {
            if (r.mask.size() != doc->size()) {
                *error = Text::tr("The picture changed size since this result was generated.");
                return false;
            }
            // The pipeline's composite (core/pipeline/editing.cpp) is the only one: its frame goes
            // in as it is, taking only the masked pixels so strokes made since stay.
            QRect frame = frameFromRecipe(recipe);
            if (frame.isNull()) frame = QRect(QPoint(0, 0), doc->size());
            return place(doc, atFrameSize(r.image, frame.size()), frame, toDocumentMask(r.mask), recipe, title, error);
        }
        const QRect frame = r.params.frame.isNull() ? frameFromRecipe(recipe) : r.params.frame;
        if (!frame.isNull() && (r.params.mode == pipeline::Mode::TextToImage || r.params.mode == pipeline::Mode::Variation))
            return place(doc, atFrameSize(r.image, frame.size()), frame, QImage(), recipe, title, error);
        const QImage generated = toDocumentImage(r.image);
        if (generated.size() == doc->size()) {
            const QRect all(QPoint(0, 0), doc->size());
            doc->undoStack()->push(new ApplyGenerationCommand(doc, Patch::capture(doc->image(), all),
                                                              Patch::capture(generated, all), recipe, title));
        } else {
            doc->undoStack()->push(
                new ReplaceContentCommand(doc, generated, Document::blankMask(generated.size()), title, recipe));
        }
        return true;
    } catch (const imaging::ImageError& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

}  // namespace unclip::ui
