// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Rendered interpolation frames keyed by slider position (integer units, 0..kSliderUnits), so the
// slider can scrub through them without running the pipeline.
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QMap>

namespace unclip::ui {

class FrameCache {
public:
    struct Frame {
        QImage image;
        QJsonObject recipe;
    };

    void clear() { m_frames.clear(); }
    bool isEmpty() const { return m_frames.isEmpty(); }
    int size() const { return int(m_frames.size()); }
    bool contains(int position) const { return m_frames.contains(position); }
    void insert(int position, const Frame& frame) { m_frames.insert(position, frame); }
    const Frame* exact(int position) const;
    // The cached position closest to `position` (ties go to the lower one); -1 when empty.
    int nearest(int position) const;
    QList<int> positions() const { return m_frames.keys(); }

private:
    QMap<int, Frame> m_frames;
};

}  // namespace unclip::ui
