// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/maskstroke.h"

#include "ui/common/qtcv.h"
#include "ui/document/commands.h"

#include <QtMath>

namespace unclip::ui {

MaskStroke::MaskStroke(Document* doc, bool erase, float diameter, float hardness)
    : m_doc(doc), m_erase(erase), m_radius(std::max(0.5f, diameter / 2.0f)), m_hardness(hardness), m_interp(0.1f),
      m_backup(&doc->mask()) {}

QRect MaskStroke::addPoint(const QPointF& imagePos, float pressure) {
    const float radius = std::max(0.5f, m_radius * std::clamp(pressure, 0.05f, 1.0f));
    const auto dabs = m_interp.add(float(imagePos.x()), float(imagePos.y()), radius);
    if (dabs.empty()) return {};
    // The area all dabs can reach: back it up before writing.
    QRectF reach;
    for (const auto& d : dabs) reach |= QRectF(d.x - d.radius - 1, d.y - d.radius - 1, 2 * d.radius + 3, 2 * d.radius + 3);
    const QRect area = reach.toAlignedRect().intersected(QRect(QPoint(0, 0), m_doc->size()));
    if (area.isEmpty()) return {};
    m_backup.touch(area);
    cv::Mat view = matView(m_doc->layerForWriting(Layer::Mask));
    QRect changed;
    for (const auto& d : dabs) {
        const cv::Rect r = imaging::stamp_dab(view, d.x, d.y, d.radius, m_hardness, m_erase);
        if (!r.empty()) changed |= QRect(r.x, r.y, r.width, r.height);
    }
    m_dirty |= changed;
    m_doc->notifyChanged(Layer::Mask, changed);
    return changed;
}

QUndoCommand* MaskStroke::finish() {
    if (m_dirty.isEmpty()) return nullptr;
    const QImage before = m_backup.before(m_dirty);
    const QImage after = m_doc->mask().copy(m_dirty);
    if (before == after) return nullptr;
    HistoryTitle title = [erase = m_erase, px = qRound(m_radius * 2)] {
        return erase ? PatchCommand::tr("Eraser stroke (%1 px)").arg(px)
                     : PatchCommand::tr("Brush stroke (%1 px)").arg(px);
    };
    return new PatchCommand(m_doc, Layer::Mask, Patch::fromImage(before, m_dirty.topLeft()),
                            Patch::fromImage(after, m_dirty.topLeft()), std::move(title), /*stroke=*/true);
}

}  // namespace unclip::ui
