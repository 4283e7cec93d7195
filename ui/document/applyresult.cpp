#include "ui/document/applyresult.h"

#include "core/imaging/image_error.h"
#include "core/imaging/mask_ops.h"
#include "ui/common/qtcv.h"
#include "ui/document/commands.h"
#include "ui/inference/recipe.h"

#include <QCoreApplication>
#include <QUndoStack>

namespace unclip::ui {

bool applyResult(Document* doc, const GenerationResult& r, QString* error) {
    if (r.image.isNull()) {
        *error = QCoreApplication::translate("ApplyResult", "The result is empty.");
        return false;
    }
    QJsonObject recipe = r.recipe;
    // The History dock's entry: "Inpaint: ‘a red hat’, seed 42", named again after a language switch.
    const HistoryTitle title = [params = r.params] { return paramsTitle(params); };
    try {
        if (r.params.mode == GenerationMode::Inpaint) {
            if (r.mask.size() != doc->size()) {
                *error = QCoreApplication::translate("ApplyResult", "The picture changed size since this result was generated.");
                return false;
            }
            const QImage mask = toDocumentMask(r.mask);
            const cv::Mat maskMat = constMatView(mask);
            const cv::Rect b = imaging::mask_bounds(maskMat);
            if (b.empty()) {
                *error = QCoreApplication::translate("ApplyResult", "The mask is empty.");
                return false;
            }
            const QImage generated = toDocumentImage(r.image);
            const cv::Mat full = imaging::resize_image(constMatView(generated), cv::Size(doc->size().width(),
                                                                                          doc->size().height()));
            const cv::Mat soft = imaging::feather_mask(maskMat(b), float(r.params.feather));
            const cv::Mat out = imaging::composite(constMatView(doc->image())(b).clone(), full(b).clone(), soft);
            const QRect rect(b.x, b.y, b.width, b.height);
            doc->undoStack()->push(new ApplyGenerationCommand(doc, Patch::capture(doc->image(), rect),
                                                              Patch::fromImage(toQImage(out), rect.topLeft()),
                                                              recipe, title));
            return true;
        }
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
