// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panels/framecache.h"

#include <cstdlib>

namespace unclip::ui {

const FrameCache::Frame* FrameCache::exact(int position) const {
    const auto it = m_frames.constFind(position);
    return it == m_frames.cend() ? nullptr : &*it;
}

int FrameCache::nearest(int position) const {
    if (m_frames.isEmpty()) return -1;
    auto hi = m_frames.lowerBound(position);  // first >= position
    if (hi == m_frames.cend()) return std::prev(hi).key();
    if (hi == m_frames.cbegin()) return hi.key();
    auto lo = std::prev(hi);
    return std::abs(position - lo.key()) <= std::abs(hi.key() - position) ? lo.key() : hi.key();
}

}  // namespace unclip::ui
