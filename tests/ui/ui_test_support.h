// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared set-up for the editor tests: settings in a temporary folder (never the user's), small
// helpers to send real mouse events and compare images.
#include <QCoreApplication>
#include <QImage>
#include <QMouseEvent>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QWidget>

#include <cstdlib>
#include <memory>

namespace unclip::test {

// Call first in initTestCase(): QSettings go to a fresh temporary folder.
inline void isolateSettings() {
    static std::unique_ptr<QTemporaryDir> dir;
    dir = std::make_unique<QTemporaryDir>();
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("unclip-tests");
    QCoreApplication::setApplicationName("unclip-studio-tests");
    QCoreApplication::setApplicationVersion("test");
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir->path());
    QSettings().clear();
    qunsetenv("UNCLIP_MODEL_DIR");
}

inline QString goldenDir() {
    const QString env = qEnvironmentVariable("UNCLIP_GOLDEN_DIR");
    return env.isEmpty() ? QStringLiteral(UNCLIP_DEFAULT_GOLDEN_DIR) : env;
}

// The Kandinsky 2.2 golden set (tests/golden-kandinsky; $UNCLIP_KANDINSKY_GOLDEN_DIR).
inline QString kandinskyGoldenDir() {
    const QString env = qEnvironmentVariable("UNCLIP_KANDINSKY_GOLDEN_DIR");
#ifdef UNCLIP_DEFAULT_KANDINSKY_GOLDEN_DIR
    return env.isEmpty() ? QStringLiteral(UNCLIP_DEFAULT_KANDINSKY_GOLDEN_DIR) : env;
#else
    return env.isEmpty() ? QStringLiteral("tests/golden-kandinsky") : env;
#endif
}

inline void sendMouse(QWidget* w, QEvent::Type type, const QPointF& pos, Qt::MouseButton button,
                      Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, mods);
    QCoreApplication::sendEvent(w, &e);
}

// A left-button drag through `points` (widget coordinates): press, moves, release.
inline void drag(QWidget* w, const QList<QPointF>& points, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    sendMouse(w, QEvent::MouseButtonPress, points.first(), Qt::LeftButton, Qt::LeftButton, mods);
    for (int i = 1; i < points.size(); ++i)
        sendMouse(w, QEvent::MouseMove, points[i], Qt::NoButton, Qt::LeftButton, mods);
    sendMouse(w, QEvent::MouseButtonRelease, points.last(), Qt::LeftButton, Qt::NoButton, mods);
}

inline QImage randomImage(const QSize& size, QImage::Format format, quint32 seed) {
    QImage img(size, format);
    quint32 x = seed * 2654435761u + 1;
    for (int y = 0; y < img.height(); ++y) {
        uchar* row = img.scanLine(y);
        for (int i = 0; i < img.bytesPerLine(); ++i) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            row[i] = uchar(x);
        }
    }
    return img;
}

// Pixel-exact comparison that ignores row padding.
inline bool samePixels(const QImage& a, const QImage& b) {
    if (a.size() != b.size() || a.format() != b.format()) return false;
    const int bytes = a.width() * a.depth() / 8;
    for (int y = 0; y < a.height(); ++y)
        if (memcmp(a.constScanLine(y), b.constScanLine(y), size_t(bytes)) != 0) return false;
    return true;
}

}  // namespace unclip::test
